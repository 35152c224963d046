import json
from datetime import timedelta

import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.contacts.services import ContactDetails
from urna.exercises import services
from urna.exercises.models import Contribution, Exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise(make_exercise):
    return make_exercise(status="open", title="Pacto agrario de prueba")


@pytest.fixture
def outsider(education, make_staff):
    return make_staff(education, Role.MANAGER, username="gestor.educacion")


def test_staff_list_shows_only_the_entity_exercises(client, exercise, outsider, manager):
    client.force_login(outsider)
    theirs = client.get("/ejercicios/gestion/").content.decode()
    client.force_login(manager)
    ours = client.get("/ejercicios/gestion/").content.decode()

    assert "Pacto agrario de prueba" not in theirs
    assert "Pacto agrario de prueba" in ours


@pytest.mark.parametrize("suffix", ["", "moderacion/", "matriz/", "aportes.csv"])
def test_staff_pages_of_another_entity_are_not_found(client, exercise, outsider, suffix):
    client.force_login(outsider)

    response = client.get(f"/ejercicios/gestion/{exercise.slug}/{suffix}")

    assert response.status_code == 404


def test_another_entity_cannot_close_or_moderate_through_the_pages(client, exercise, outsider):
    contribution = services.contribution_submit(
        exercise=exercise, kind="opinion", text="Una opinión", channel="web"
    ).contribution
    client.force_login(outsider)

    close = client.post(f"/ejercicios/gestion/{exercise.slug}/fase/", {"to": "analysis"})
    hide = client.post(
        f"/ejercicios/gestion/{exercise.slug}/moderacion/",
        {"contribution": contribution.pk, "to": "hidden", "reason": "Sin permiso"},
    )

    exercise.refresh_from_db()
    contribution.refresh_from_db()
    assert (close.status_code, hide.status_code) == (404, 404)
    assert exercise.status == "open"
    assert contribution.moderation == "visible"


def test_anonymous_and_citizens_are_kept_out(client, exercise):
    response = client.get(f"/ejercicios/gestion/{exercise.slug}/")

    assert response.status_code == 302
    assert "/cuenta/entrar/" in response["Location"]


def test_manager_creates_publishes_and_closes_through_the_pages(client, manager, agriculture):
    client.force_login(manager)
    closes = (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")

    created = client.post(
        "/ejercicios/gestion/nuevo/",
        {
            "owner": agriculture.pk,
            "title": "Plan de riego",
            "summary": "Opine sobre el plan.",
            "kind": "plan",
            "code": "riego",
            "scope": "national",
            "closes_at": closes,
            "topics": "Agua, Riego",
        },
    )
    exercise = Exercise.objects.get(code="RIEGO")
    opened = client.post(f"/ejercicios/gestion/{exercise.slug}/fase/", {"to": "open"})
    exercise.refresh_from_db()

    assert created.status_code == 302 and opened.status_code == 302
    assert exercise.status == "open"
    assert sorted(exercise.topics.values_list("slug", flat=True)) == ["agua", "riego"]


def test_manager_cannot_create_for_another_entity(client, manager, education):
    client.force_login(manager)

    response = client.post(
        "/ejercicios/gestion/nuevo/",
        {
            "owner": education.pk,
            "title": "Ajeno",
            "summary": "No debería crearse.",
            "kind": "plan",
            "scope": "national",
        },
    )

    assert response.status_code == 400
    assert Exercise.objects.count() == 0


def test_csv_export_masks_contacts(client, exercise, manager):
    services.contribution_submit(
        exercise=exercise,
        kind="opinion",
        text='=HYPERLINK("x")',
        channel="sms",
        contact=ContactDetails(phone="3001234567", consent=True),
    )
    client.force_login(manager)

    response = client.get(f"/ejercicios/gestion/{exercise.slug}/aportes.csv")

    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert "+573001234567" not in body
    assert "+57300•••4567" in body
    assert "'=HYPERLINK" in body
    assert body.count("\n") == 2


@pytest.mark.django_db(transaction=True)
def test_idempotency_holds_outside_a_transaction(make_exercise, client):
    exercise = make_exercise(status="open")
    body = json.dumps({"kind": "opinion", "text": "Reintento", "idempotency_key": "k-42"})
    url = f"/api/v1/exercises/{exercise.slug}/contributions"

    first = client.post(url, body, content_type="application/json")
    second = client.post(url, body, content_type="application/json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["receipt"] == second.json()["receipt"]
    assert Contribution.objects.count() == 1


def test_demo_data_is_idempotent(national_entities):
    from io import StringIO

    from urna.accounts.demo import demo_load as accounts_demo
    from urna.entities.demo import demo_load as entities_demo
    from urna.exercises.demo import demo_load

    out = StringIO()
    entities_demo(stdout=out)
    accounts_demo(stdout=out)
    demo_load(stdout=out)
    counts = (Exercise.objects.count(), Contribution.objects.count())
    demo_load(stdout=out)

    assert (Exercise.objects.count(), Contribution.objects.count()) == counts
    assert counts[0] == 6 and counts[1] >= 300
    statuses = dict(Exercise.objects.values_list("code", "status"))
    assert statuses == {
        "DEPORTE": "open",
        "AGRO": "open",
        "TRAMITES": "results",
        "EDUCA": "analysis",
        "DIGITAL": "open",
        "IGUALDAD": "open",
    }
    assert Exercise.objects.get(code="DIGITAL").short_period_justification
    assert Exercise.objects.filter(is_example=True).count() == 6
    assert (
        not Contribution.objects.filter(exercise__code="TRAMITES", response__isnull=True)
        .exclude(kind="answer")
        .exists()
    )
    assert Contribution.objects.values("channel").distinct().count() >= 8
