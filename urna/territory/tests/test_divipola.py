import csv
import hashlib

import pytest

from urna.territory.models import Department, Municipality
from urna.territory.services import DIVIPOLA_PATH, display_name, divipola_load


def _rows():
    with DIVIPOLA_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_data_file_matches_recorded_provenance():
    provenance = (DIVIPOLA_PATH.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(DIVIPOLA_PATH.read_bytes()).hexdigest()
    assert f"SHA256: {digest}" in provenance


def test_load_counts_match_the_file(no_reference_data):
    rows = _rows()

    result = divipola_load()

    assert Department.objects.count() == len({r["department_code"] for r in rows}) == 33
    assert Municipality.objects.count() == len(rows) == 1122
    assert result.departments_created == 33
    assert result.municipalities_created == 1122
    assert Municipality.objects.filter(kind="municipio").count() == 1103
    manizales = Municipality.objects.get(code="17001")
    assert manizales.display_name == "Manizales"
    assert manizales.department.display_name == "Caldas"


@pytest.mark.django_db
def test_reload_changes_nothing():
    divipola_load()
    before = list(Municipality.objects.order_by("code").values())

    result = divipola_load()

    assert result.changed == 0
    assert list(Municipality.objects.order_by("code").values()) == before


@pytest.mark.django_db
def test_reload_repairs_an_edited_row():
    divipola_load()
    Municipality.objects.filter(code="17001").update(name="X")

    result = divipola_load()

    assert result.municipalities_updated == 1
    assert Municipality.objects.get(code="17001").name == "MANIZALES"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("BOGOTÁ, D.C.", "Bogotá, D.C."),
        ("SANTA CRUZ DE MOMPOX", "Santa Cruz de Mompox"),
        (
            "ARCHIPIÉLAGO DE SAN ANDRÉS, PROVIDENCIA Y SANTA CATALINA",
            "Archipiélago de San Andrés, Providencia y Santa Catalina",
        ),
    ],
)
def test_display_name(raw, expected):
    assert display_name(raw) == expected


def test_departments_api(client, divipola):
    response = client.get("/api/v1/territories/departments")

    assert response.status_code == 200
    body = response.json()
    assert len(body) == 33
    assert {"code": "17", "name": "Caldas"} in body


def test_municipalities_api_filters_by_department(client, divipola):
    response = client.get("/api/v1/territories/municipalities?department=17")

    assert response.status_code == 200
    body = response.json()
    assert len(body) == 27
    assert body[0] == {
        "code": "17001",
        "name": "Manizales",
        "department": "17",
        "kind": "municipio",
    }


def test_municipalities_api_unknown_department_is_a_clear_404(client, divipola):
    response = client.get("/api/v1/territories/municipalities?department=00")

    assert response.status_code == 404
    assert "departamento" in response.json()["detail"]
