import io
import json
import zipfile

import pytest
from frictionless import Package, system

from urna.opendata.tables import exercise_tables

pytestmark = pytest.mark.django_db

TABLES = [t.name for t in exercise_tables()]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _dataset_urls(slug):
    urls = [f"/opendata/ejercicios/{slug}/{t}.{fmt}" for t in TABLES for fmt in ("csv", "json")]
    return urls + [
        f"/opendata/ejercicios/{slug}/datapackage.json",
        f"/opendata/ejercicios/{slug}.zip",
        f"/datos/ejercicios/{slug}/",
    ]


# --- schema validity ---------------------------------------------------------------------


def test_the_zip_is_a_valid_frictionless_data_package(client, published, tmp_path):
    archive = zipfile.ZipFile(
        io.BytesIO(_body(client.get("/opendata/ejercicios/desarrollo-rural.zip")))
    )
    archive.extractall(tmp_path)

    with system.use_context(trusted=True):
        report = Package(str(tmp_path / "datapackage.json")).validate()

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.name for task in report.tasks] == TABLES
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows["aportes"] == 10
    assert rows["resultados-preguntas"] == 2


def test_the_served_descriptor_points_at_the_downloads(client, published):
    descriptor = json.loads(
        _body(client.get("/opendata/ejercicios/desarrollo-rural/datapackage.json"))
    )

    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["name"] == "urna-ejercicio-desarrollo-rural"
    assert descriptor["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Atribución 4.0 Internacional",
        }
    ]
    first = descriptor["resources"][0]
    assert first["path"] == "http://testserver/opendata/ejercicios/desarrollo-rural/aportes.csv"
    assert first["schema"]["primaryKey"] == ["id"]
    fields = {f["name"]: f for f in first["schema"]["fields"]}
    assert fields["fecha"]["type"] == "date"
    assert fields["texto"]["description"].startswith("Texto del aporte.")
    assert all(f["description"] for f in fields.values())


# --- the catalogue -----------------------------------------------------------------------


def test_catalogue_is_dcat_us_with_every_field(client, published, open_exercise):
    response = client.get("/opendata/catalog.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    catalog = response.json()
    assert catalog["@context"] == "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert [d["identifier"] for d in catalog["dataset"]] == ["urna-ejercicio-desarrollo-rural"]
    dataset = catalog["dataset"][0]
    assert dataset["title"] == "Participación: Política de desarrollo rural"
    assert dataset["description"] == "Consulta sobre la política de desarrollo rural integral."
    assert dataset["keyword"] == ["Política pública", "participación ciudadana", "MINAGRICULTURA"]
    assert dataset["publisher"] == {
        "@type": "org:Organization",
        "name": "Ministerio de Agricultura y Desarrollo Rural",
    }
    assert dataset["contactPoint"]["fn"] == "Ministerio de Agricultura y Desarrollo Rural"
    assert dataset["contactPoint"]["hasEmail"].startswith("mailto:")
    assert dataset["accessLevel"] == "public"
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["spatial"] == "Colombia"
    assert dataset["temporal"] == "2025-03-01/2025-03-21"
    assert dataset["modified"] == published.updated_at.isoformat()
    assert dataset["landingPage"] == "http://testserver/datos/ejercicios/desarrollo-rural/"
    distributions = dataset["distribution"]
    assert len(distributions) == 2 * len(TABLES) + 2
    assert {d["@type"] for d in distributions} == {"dcat:Distribution"}
    assert distributions[0] == {
        "@type": "dcat:Distribution",
        "title": "Aportes (CSV)",
        "description": (
            "Cada aporte visible del ejercicio, anonimizado, con la respuesta de la entidad en "
            "la matriz de resultados."
        ),
        "downloadURL": "http://testserver/opendata/ejercicios/desarrollo-rural/aportes.csv",
        "mediaType": "text/csv",
        "format": "CSV",
        "describedBy": "http://testserver/opendata/ejercicios/desarrollo-rural/datapackage.json",
        "describedByType": "application/json",
    }
    assert [d["mediaType"] for d in distributions[-2:]] == ["application/json", "application/zip"]
    for distribution in distributions:
        assert client.get(distribution["downloadURL"]).status_code == 200


def test_licence_is_configurable(client, published, settings):
    settings.OPENDATA_LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"

    dataset = client.get("/opendata/catalog.json").json()["dataset"][0]
    descriptor = json.loads(
        _body(client.get("/opendata/ejercicios/desarrollo-rural/datapackage.json"))
    )

    assert dataset["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert descriptor["licenses"][0]["name"] == "CC0-1.0"


def test_catalogue_revalidates_with_its_etag(client, published):
    etag = client.get("/opendata/catalog.json")["ETag"]

    assert client.get("/opendata/catalog.json", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_public_page_lists_the_catalogue(client, published, open_exercise):
    response = client.get("/datos/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Participación: Política de desarrollo rural" in page
    assert "/opendata/ejercicios/desarrollo-rural.zip" in page
    assert "Ejercicio abierto con secretos" not in page


def test_catalogue_of_many_datasets_has_constant_queries(
    client, owner, django_assert_max_num_queries
):
    from urna.exercises.models import Exercise
    from urna.opendata.tests.conftest import make_exercise

    for i in range(15):
        make_exercise(owner=owner, slug=f"ej-{i}", status=Exercise.Status.RESULTS)

    # Constant whatever the number of datasets (two read every exercise's analyses at once,
    # two the published surveys').
    with django_assert_max_num_queries(12):
        response = client.get("/opendata/catalog.json")

    assert len(response.json()["dataset"]) == 15


# --- bad requests: never a leak -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/opendata/ejercicios/no-existe/aportes.csv",
        "/opendata/ejercicios/no-existe/datapackage.json",
        "/opendata/ejercicios/no-existe.zip",
        "/datos/ejercicios/no-existe/",
        "/opendata/ejercicios/desarrollo-rural/no-existe.csv",
        "/opendata/ejercicios/desarrollo-rural/aportes.xlsx",
        "/opendata/ejercicios/desarrollo-rural/aportes.exe",
    ],
)
def test_unknown_datasets_and_tables_are_404(client, published, url):
    response = client.get(url)

    assert response.status_code == 404
    assert b"Escr\xc3\xadbanme" not in response.content


def test_an_unpublished_exercise_has_no_data_anywhere(client, open_exercise):
    for url in _dataset_urls(open_exercise.slug):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"[correo]" not in response.content and b"Estoy de acuerdo" not in response.content
    catalog = client.get("/opendata/catalog.json").json()
    assert catalog["dataset"] == []


def test_draft_and_analysis_exercises_are_not_published(client, owner):
    from urna.exercises.models import Exercise
    from urna.opendata.tests.conftest import make_exercise, seed_contributions

    for status in (Exercise.Status.DRAFT, Exercise.Status.ANALYSIS, Exercise.Status.INFORMATION):
        exercise = make_exercise(owner=owner, slug=f"ej-{status}", status=status)
        seed_contributions(exercise)
        assert client.get(f"/opendata/ejercicios/ej-{status}/aportes.csv").status_code == 404

    assert client.get("/opendata/catalog.json").json()["dataset"] == []


def test_a_preliminary_edition_publishes_an_open_exercise(client, open_exercise):
    from urna.opendata.models import DatasetSettings

    DatasetSettings.objects.create(exercise=open_exercise, preliminary=True)

    response = client.get(f"/opendata/ejercicios/{open_exercise.slug}/aportes.csv")
    catalog = client.get("/opendata/catalog.json").json()

    assert response.status_code == 200
    assert _body(response).count(b"\r\n") == 11
    assert [d["title"] for d in catalog["dataset"]] == [
        "Participación: Ejercicio abierto con secretos (edición preliminar)"
    ]


def test_only_get_and_head(client, published):
    assert client.post("/opendata/ejercicios/desarrollo-rural/aportes.csv").status_code == 405
    assert client.head("/opendata/ejercicios/desarrollo-rural/aportes.csv").status_code == 200


# --- staff: the preliminary edition --------------------------------------------------------


def test_a_manager_switches_the_preliminary_edition_on(client, open_exercise, make_staff, owner):
    from urna.accounts.models import Role
    from urna.audit.models import AuditEntry

    client.force_login(make_staff(owner, Role.MANAGER))

    page = client.get("/datos/gestion/")
    response = client.post("/datos/gestion/", {"exercise": open_exercise.slug, "preliminary": "1"})

    assert page.status_code == 200 and "Ejercicio abierto con secretos" in page.content.decode()
    assert response.status_code == 302
    open_exercise.dataset_settings.refresh_from_db()
    assert open_exercise.dataset_settings.preliminary is True
    entry = AuditEntry.objects.get(action="opendata.settings")
    assert entry.after == {"preliminary": True} and entry.before == {"preliminary": False}
    assert client.get(f"/opendata/ejercicios/{open_exercise.slug}/aportes.csv").status_code == 200


def test_staff_of_another_entity_cannot_publish(client, open_exercise, make_staff):
    from urna.accounts.models import Role
    from urna.entities.models import Entity
    from urna.opendata.models import DatasetSettings

    other = Entity.objects.get(acronym="MINSALUD")
    client.force_login(make_staff(other, Role.MANAGER))

    response = client.post("/datos/gestion/", {"exercise": open_exercise.slug, "preliminary": "1"})

    assert response.status_code == 404
    assert DatasetSettings.objects.count() == 0


def test_a_moderator_has_no_open_data_page(client, open_exercise, make_staff, owner):
    from urna.accounts.models import Role
    from urna.opendata.models import DatasetSettings

    client.force_login(make_staff(owner, Role.MODERATOR))

    assert client.get("/datos/gestion/").status_code == 403  # the role lacks the tool
    assert (
        client.post(
            "/datos/gestion/", {"exercise": open_exercise.slug, "preliminary": "1"}
        ).status_code
        == 403
    )
    assert DatasetSettings.objects.count() == 0


def test_the_downloads_folder_leads_to_the_open_data_page(client):
    response = client.get("/opendata/")

    assert response.status_code == 301
    assert response["Location"] == "/datos/"
