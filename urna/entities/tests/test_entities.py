import pytest

from urna.entities.models import Entity
from urna.entities.services import (
    entities_create_territorial,
    entities_load_national,
    entity_for_municipality,
)
from urna.territory.models import Municipality


@pytest.mark.django_db
def test_national_entities_include_19_ministries_and_the_presidency(national_entities):
    assert Entity.objects.filter(kind="ministry").count() == 19
    assert Entity.objects.filter(kind="presidency").count() == 1
    assert Entity.objects.get(acronym="ANT").parent.acronym == "MINAGRICULTURA"
    # 29 entities of the response network plus the platform team.
    assert Entity.objects.national().count() == 30


@pytest.mark.django_db
def test_loading_national_entities_twice_creates_nothing(national_entities):
    assert entities_load_national() == 0


@pytest.mark.django_db
def test_mayoralty_created_once_on_demand(divipola):
    manizales = Municipality.objects.get(code="17001")

    first = entity_for_municipality(municipality=manizales)
    second = entity_for_municipality(municipality=manizales)

    assert first.pk == second.pk
    assert first.name == "Alcaldía de Manizales"
    assert first.level == "territorial"
    assert first.department_id == "17"


@pytest.mark.django_db
def test_territorial_entities_for_one_department(divipola):
    created = entities_create_territorial(department_code="17")

    assert created == 28  # Gobernación de Caldas and its 27 mayors' offices
    assert Entity.objects.filter(kind="governorate", department_id="17").count() == 1


def test_entities_api_filters(client, national_entities):
    response = client.get("/api/v1/entities?level=national&q=agricultura")

    assert response.status_code == 200
    names = {e["acronym"] for e in response.json()}
    assert names == {"MINAGRICULTURA"}


def test_entities_api_rejects_unknown_level_in_spanish(client, national_entities):
    response = client.get("/api/v1/entities?level=planet")

    assert response.status_code == 422
    assert "level" in response.json()["errors"]
