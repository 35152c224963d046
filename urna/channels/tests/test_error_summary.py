"""The operator console and the social posts' form re-render after an invalid POST with the
error summary at the top, each error a link to its field."""

import pytest
from django.utils import timezone

from urna.channels.models import OperatorSession
from urna.core.tests.a11y import error_summary_links

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(entity, make_staff):
    return make_staff(entity, "admin", username="consola")


@pytest.mark.parametrize(
    ("url", "first"),
    [("/channels/consola/", "id_exercise"), ("/channels/gestion/publicaciones/", "id_platform")],
)
def test_a_form_sent_empty_shows_the_summary_linking_the_first_field(
    client, world, admin, url, first
):
    client.force_login(admin)

    # A form sent empty (a browser sends every field, blank): ``{}`` would be no POST at all.
    response = client.post(url, {first[3:]: ""})

    assert "Hay un problema" in response.content.decode()
    assert error_summary_links(response.content.decode())[0] == first


def test_a_console_entry_sent_empty_shows_the_summary_linking_the_text(client, world, admin):
    session = OperatorSession.objects.create(
        exercise=world["AGRO"], channel="radio", date=timezone.localdate(), operator=admin
    )
    client.force_login(admin)

    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(
            f"/channels/consola/{session.pk}/", {"text": "", "token": "t"}, headers=headers
        )
        assert error_summary_links(response.content.decode())[0] == "id_text"


def test_a_hidden_fields_error_is_told_without_a_link(client, world, admin):
    session = OperatorSession.objects.create(
        exercise=world["AGRO"], channel="radio", date=timezone.localdate(), operator=admin
    )
    client.force_login(admin)

    response = client.post(
        f"/channels/consola/{session.pk}/", {"text": "Una opinión", "kind": "opinion", "token": ""}
    )

    html = response.content.decode()
    assert error_summary_links(html) == []
    assert "Este campo es obligatorio." in html[html.index('class="error-summary"') :]
