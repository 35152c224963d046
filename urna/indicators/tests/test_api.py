"""GET /api/v1/indicators: the dashboard's figures with goals, by channel and by month, filtered
by year, entity or department; bad filters are a 422 naming the field, in Spanish."""

import pytest
from django.utils import timezone

from urna.indicators import services

YEAR = timezone.localdate().year


@pytest.fixture
def figures(fact, agri, platform_staff):
    fact("people_reached", YEAR - 1, 0, 40)
    fact("people_reached", YEAR, 0, 50)
    fact("people_reached", YEAR, 3, 20)
    fact("people_reached", YEAR, 0, 9, scope_kind="entity", scope=agri.pk)
    fact("people_reached", YEAR, 0, 4, scope_kind="department", scope="05")
    fact("interactions_total", YEAR, 0, 6, dim="radio")
    fact("interactions_total", YEAR, 0, 9, dim="whatsapp")
    fact("channel_inbound", YEAR, 0, 15, dim="whatsapp")
    services.goal_set(by=platform_staff, key="people_reached", year=YEAR, target="100")
    services.goal_set(by=platform_staff, key="people_reached", year=YEAR, target="10", entity=agri)


def _indicator(body, key):
    return next(i for i in body["indicators"] if i["key"] == key)


def test_the_platform_figures_with_goals_channels_and_series(client, figures):
    body = client.get(f"/api/v1/indicators?year={YEAR}").json()

    assert body["year"] == YEAR
    assert body["years"] == [YEAR - 1, YEAR]
    assert body["scope"] == {
        "kind": "all",
        "entity": None,
        "department": None,
        "name": "Toda la plataforma",
    }
    people = _indicator(body, "people_reached")
    assert people["label"] == "Personas alcanzadas"
    assert people["years"][1] == {
        "year": YEAR,
        "value": 50.0,
        "goal": 100.0,
        "reached_pct": 50.0,
        "change": 25.0,
        "change_unit": "percent",
        "trend": "up",
    }
    assert body["by_channel"][0]["channel"] == "whatsapp"
    assert [(r["label"], r["values"]["interactions_total"]) for r in body["by_channel"]] == [
        ("WhatsApp", 9.0),
        ("Radio", 6.0),
    ]
    assert body["traffic"] == [
        {"channel": "whatsapp", "label": "WhatsApp", "values": {"channel_inbound": 15.0}}
    ]
    series = next(s for s in body["series"] if s["key"] == "people_reached")
    assert series["months"][2] == {"month": 3, "label": "Marzo", "value": 20.0}


def test_by_entity_and_by_department(client, figures, agri):
    entity = client.get(f"/api/v1/indicators?year={YEAR}&entity={agri.acronym.lower()}").json()
    department = client.get(f"/api/v1/indicators?year={YEAR}&department=05").json()

    assert entity["scope"]["entity"] == agri.acronym
    assert _indicator(entity, "people_reached")["years"][-1]["value"] == 9.0
    assert _indicator(entity, "people_reached")["years"][-1]["goal"] == 10.0
    assert department["scope"] == {
        "kind": "department",
        "entity": None,
        "department": "05",
        "name": "Antioquia",
    }
    assert _indicator(department, "people_reached")["years"][-1]["value"] == 4.0
    assert "replies_received" not in {i["key"] for i in department["indicators"]}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("entity=NO-EXISTE", "entity", "No existe la entidad «NO-EXISTE»."),
        ("department=5", "department", "El departamento es su código DANE de dos dígitos"),
        ("department=00", "department", "No existe el departamento con código 00."),
        ("entity=MINAGRICULTURA&department=05", "department", "Elija una entidad o un depart"),
        (f"year={YEAR + 1}", "year", f"El año va de 2000 a {YEAR}."),
        ("year=1999", "year", "Debe ser un número mayor o igual que 2000."),
        ("year=dos-mil", "year", "Debe ser un número."),
    ],
)
def test_bad_filters_are_a_422_naming_the_field_in_spanish(client, db, query, field, message):
    response = client.get(f"/api/v1/indicators?{query}")

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"][field][0].startswith(message)
