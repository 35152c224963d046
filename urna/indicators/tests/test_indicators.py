from datetime import timedelta

import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.entities.models import Entity
from urna.exercises import services as exercise_services
from urna.exercises.models import Exercise
from urna.indicators.models import IndicatorGoal
from urna.indicators.selectors import indicators_for_year
from urna.queries.services import query_submit


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def open_exercise(national_entities, make_staff):
    owner = Entity.objects.get(acronym="MINAGRICULTURA")
    manager = make_staff(owner, Role.MANAGER)
    exercise = exercise_services.exercise_create(
        by=manager,
        owner=owner,
        title="Pacto agrario de prueba",
        summary="Resumen del ejercicio de prueba.",
        kind=Exercise.Kind.POLICY,
        closes_at=timezone.now() + timedelta(days=30),
    )
    exercise_services.exercise_transition(exercise=exercise, to="open", by=manager)
    return exercise


def _values(year):
    return {i.key: i for i in indicators_for_year(year=year)}


def test_indicators_count_exercises_contributions_and_queries(open_exercise, year):
    for channel, text in [("web", "Opinión uno"), ("sms", "Opinión dos"), ("sms", "Opinión 3")]:
        exercise_services.contribution_submit(
            exercise=open_exercise,
            kind="opinion",
            text=text,
            channel=channel,
            municipality_code="17001",
        )
    query_submit(type="peticion", text="¿Cuándo abren el crédito agrario?", channel="web")
    IndicatorGoal.objects.create(year=year, key="contributions", target=6)

    values = _values(year)

    assert values["exercises"].value == 1
    assert values["contributions"].value == 3
    assert values["departments"].value == 1
    assert values["entities_national"].value == 1
    assert values["queries_received"].value == 1
    assert values["contributions"].target == 6
    assert values["contributions"].progress_pct == 50.0


def test_public_page_and_api(client, open_exercise, year):
    exercise_services.contribution_submit(
        exercise=open_exercise, kind="opinion", text="Una opinión", channel="ussd"
    )

    page = client.get(f"/indicadores/?anio={year}")
    api = client.get(f"/api/v1/indicators?year={year}")

    assert page.status_code == 200
    assert "Aportes ciudadanos recibidos" in page.content.decode()
    assert api.status_code == 200
    body = api.json()
    assert body["contributions_by_channel"] == {"ussd": 1}
    assert {i["key"] for i in body["indicators"]} >= {"exercises", "queries_within_term_pct"}


def test_api_rejects_a_bad_year_in_spanish(client, db):
    response = client.get("/api/v1/indicators?year=dos-mil")

    assert response.status_code == 422
    assert response.json()["errors"]["year"] == ["Debe ser un número."]
