import pytest
from django.utils import timezone

from urna.audit.models import AuditEntry
from urna.channels.models import OperatorSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(entity, make_staff):
    return make_staff(entity, "moderator", username="operadora")


def open_session(client, world, operator):
    client.force_login(operator)
    response = client.post(
        "/channels/consola/",
        {
            "exercise": world["AGRO"].pk,
            "channel": "radio",
            "programme": "La hora del campo",
            "date": timezone.localdate().isoformat(),
        },
    )
    session = OperatorSession.objects.get()
    assert response.status_code == 302 and response.url == f"/channels/consola/{session.pk}/"
    return session


def test_fast_entry_with_htmx_and_without_js(client, world, operator):
    session = open_session(client, world, operator)
    page = client.get(f"/channels/consola/{session.pk}/")
    assert b"autofocus" in page.content and b"0 aportes en esta sesi" in page.content
    token = page.context["form"].initial["token"]
    response = client.post(
        f"/channels/consola/{session.pk}/",
        {
            "text": "Que lleguen las vias a las veredas",
            "kind": "opinion",
            "municipality": "05001",
            "token": token,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"1 aporte en esta sesi" in response.content and b"Guardado: UC-" in response.content
    # Without JavaScript: POST-redirect-GET
    plain = client.post(
        f"/channels/consola/{session.pk}/",
        {"text": "Credito para mujeres rurales", "kind": "proposal", "token": "t2"},
    )
    assert plain.status_code == 302
    from urna.exercises.models import Contribution

    rows = list(Contribution.objects.order_by("id").values_list("channel", "kind", "entered_by"))
    assert rows == [("radio", "opinion", operator.pk), ("radio", "proposal", operator.pk)]
    session.refresh_from_db()
    assert session.entries == 2
    assert AuditEntry.objects.filter(action="contribution.enter", actor=operator).count() == 2
    # A double submit of the same form stores nothing new
    client.post(
        f"/channels/consola/{session.pk}/",
        {"text": "Credito para mujeres rurales", "kind": "proposal", "token": "t2"},
    )
    assert Contribution.objects.count() == 2


def test_errors_are_shown_on_the_field(client, world, operator):
    session = open_session(client, world, operator)
    response = client.post(
        f"/channels/consola/{session.pk}/",
        {"text": "ok", "kind": "opinion", "token": "t3"},
        HTTP_HX_REQUEST="true",
    )
    assert b"demasiado corto" in response.content
    assert b'aria-describedby="id_text-error"' in response.content


def test_staff_without_the_permission_cannot_enter(client, world, make_staff, national_entities):
    from urna.entities.models import Entity

    other = make_staff(Entity.objects.get(acronym="MINEDUCACION"), "analyst", username="otro")
    client.force_login(other)
    assert client.get("/channels/consola/").status_code == 403
    assert OperatorSession.objects.count() == 0
