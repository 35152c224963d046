"""A published perception survey's dataset: its page, downloads, data package and ZIP, its place
in the catalogue, and nothing personal in any of it."""

import csv
import io
import json
import zipfile

import pytest
import responses
from django.core.management import CommandError, call_command
from frictionless import Package, system

from urna.accounts.models import Role
from urna.audit.models import AuditEntry
from urna.core.tests.a11y import duplicate_ids, skip_link_target, unlabelled_fields
from urna.opendata.models import SocrataDataset
from urna.opendata.tests.test_ckan import API, CKAN, PACKAGE_ID, envelope, not_found
from urna.opendata.tests.test_ckan import _multipart as multipart
from urna.opendata.tests.test_socrata import portal, publish  # noqa: F401 - the fake portal
from urna.surveys import services
from urna.surveys.microdata import WEIGHT, cell_weights
from urna.surveys.models import Survey
from urna.surveys.results import results_compute
from urna.surveys.tests.conftest import FULL_PATH, SHORT_PATH, TEMPLATE

pytestmark = pytest.mark.django_db

NAME = "Rigoberta Menchú Tumalá"
PHONE = "3004445566"
COMMENT = f"Soy {NAME}, llámenme al {PHONE}."


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def manager(agriculture, make_staff):
    return make_staff(agriculture, Role.MANAGER, username="gestora-encuestas")


@pytest.fixture
def survey(agriculture, manager):
    with TEMPLATE.open("rb") as handle:
        created = services.survey_import(
            entity=agriculture, file=handle, filename="percepcion.xlsx", by=manager
        )
    return services.survey_transition(survey=created, action="open", by=manager)


@pytest.fixture
def answered(survey):
    """Five men 65+ of Antioquia and one woman of Caldas who knows Urna and left a comment
    with her name and phone: a rare department/age/sex combination and personal free text."""
    for i in range(5):
        services.response_submit(survey=survey, channel="ussd", values=SHORT_PATH, key=f"k{i}")
    full = [(name, COMMENT if name == "comentario" else value) for name, value in FULL_PATH]
    services.response_submit(survey=survey, channel="ussd", values=full, key="rare")
    results_compute(survey_id=survey.pk)
    return survey


@pytest.fixture
def published(answered, manager):
    return services.survey_publish(survey=answered, published=True, by=manager)


def _urls(slug):
    base = f"/opendata/encuestas/{slug}"
    tables = [f"{base}/{t}.{f}" for t in ("microdatos", "estimaciones") for f in ("csv", "json")]
    return [f"/datos/encuestas/{slug}/", *tables, f"{base}/datapackage.json", f"{base}.zip"]


def test_the_dataset_page_lists_both_tables_and_links_the_results(client, published):
    response = client.get(f"/datos/encuestas/{published.slug}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f"urna-encuesta-{published.slug}" in page
    assert "Microdatos anonimizados" in page and "Estimaciones ponderadas" in page
    assert f"/opendata/encuestas/{published.slug}/microdatos.csv" in page
    assert f"/encuestas/{published.slug}/resultados/" in page
    assert "la encuesta sigue abierta" in page  # still open: a preliminary edition


def test_a_closed_survey_is_no_longer_preliminary(client, published, manager):
    services.survey_transition(survey=published, action="close", by=manager)

    page = client.get(f"/datos/encuestas/{published.slug}/").content.decode()
    assert "Edición preliminar" not in page


def test_the_dataset_page_is_accessible(client, published):
    html = client.get(f"/datos/encuestas/{published.slug}/").content.decode()

    assert skip_link_target(html) == "contenido"
    assert unlabelled_fields(html) == [] and duplicate_ids(html) == []


def test_a_new_answer_changes_the_microdata_etag(client, published):
    url = f"/opendata/encuestas/{published.slug}/microdatos.csv"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    services.response_submit(survey=published, channel="ussd", values=SHORT_PATH, key="late")

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert len(_body(response).decode().splitlines()) == 1 + 7


def test_the_zip_is_a_valid_frictionless_data_package(client, published, tmp_path):
    response = client.get(f"/opendata/encuestas/{published.slug}.zip")
    assert response["Content-Disposition"].endswith(f'"urna-encuesta-{published.slug}.zip"')
    zipfile.ZipFile(io.BytesIO(_body(response))).extractall(tmp_path)

    with system.use_context(trusted=True):
        report = Package(str(tmp_path / "datapackage.json")).validate()

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows["microdatos"] == 6
    assert rows["estimaciones"] > 0


def test_the_served_descriptor_points_at_the_downloads(client, published):
    slug = published.slug
    descriptor = json.loads(_body(client.get(f"/opendata/encuestas/{slug}/datapackage.json")))

    assert descriptor["name"] == f"urna-encuesta-{slug}"
    paths = [r["path"] for r in descriptor["resources"]]
    assert paths == [
        f"http://testserver/opendata/encuestas/{slug}/microdatos.csv",
        f"http://testserver/opendata/encuestas/{slug}/estimaciones.csv",
    ]
    fields = [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]]
    assert fields[:5] == ["fila", "departamento", "grupo_edad", "sexo", "peso"]
    assert "conoce_urna" in fields and "comentario" not in fields


def test_nothing_personal_and_small_cells_generalised(client, published):
    slug = published.slug
    bodies = [_body(client.get(url)) for url in _urls(slug)]
    everything = b"".join(bodies).decode("utf-8", errors="replace")
    for secret in (NAME, "Rigoberta", PHONE, "llámenme", "gestora-encuestas"):
        assert secret not in everything

    microdata = _body(client.get(f"/opendata/encuestas/{slug}/microdatos.csv")).decode()
    rows = list(csv.DictReader(io.StringIO(microdata)))
    assert [(r["departamento"], r["grupo_edad"], r["sexo"]) for r in rows[:5]] == [
        ("05", "65_mas", "hombre")
    ] * 5
    # The lone woman of Caldas: her department, age group and sex are all withheld.
    assert (rows[5]["departamento"], rows[5]["grupo_edad"], rows[5]["sexo"]) == ("", "", "")

    estimates = _body(client.get(f"/opendata/encuestas/{slug}/estimaciones.csv")).decode()
    questions = {r["pregunta"] for r in csv.DictReader(io.StringIO(estimates))}
    assert "conoce_urna" in questions
    assert not questions & set(published.weighting.values())


def test_a_weight_cannot_give_back_a_generalised_value():
    # Raked by sex: 1.5 for women, 0.5 for men. The two rows whose sex was withheld must not
    # keep a weight that tells it.
    rows = [
        [1, "05", "", "hombre", 0.5],
        [2, "05", "", "hombre", 0.5],
        [3, "05", "", "", 1.5],
        [4, "05", "", "", 0.5],
        [5, "05", "", "", None],
    ]

    weights = [row[WEIGHT] for row in cell_weights(rows)]

    assert weights == [0.5, 0.5, 1.0, 1.0, None]


@pytest.mark.parametrize("state", ["unpublished", "draft", "unknown"])
def test_an_unpublished_survey_has_no_data_anywhere(client, answered, manager, state):
    slug = answered.slug
    if state == "draft":
        Survey.objects.filter(pk=answered.pk).update(status=Survey.Status.DRAFT, published=True)
    elif state == "unknown":
        slug = "no-existe"
    for url in _urls(slug):
        assert client.get(url).status_code == 404, url
    catalogue = client.get("/opendata/catalog.json").json()
    assert all("encuesta" not in d["identifier"] for d in catalogue["dataset"])
    assert f"/datos/encuestas/{answered.slug}/" not in client.get("/datos/").content.decode()


def test_an_unknown_table_or_format_is_404(client, published):
    slug = published.slug
    for name in ("no-existe.csv", "microdatos.xlsx"):
        assert client.get(f"/opendata/encuestas/{slug}/{name}").status_code == 404


def test_the_catalogue_and_the_public_page_list_it(client, published):
    catalogue = client.get("/opendata/catalog.json").json()
    [entry] = [d for d in catalogue["dataset"] if d["identifier"].startswith("urna-encuesta-")]

    assert entry["identifier"] == f"urna-encuesta-{published.slug}"
    assert entry["landingPage"] == f"http://testserver/datos/encuestas/{published.slug}/"
    downloads = {d["downloadURL"] for d in entry["distribution"]}
    base = f"http://testserver/opendata/encuestas/{published.slug}"
    assert {f"{base}/microdatos.csv", f"{base}/estimaciones.json", f"{base}.zip"} <= downloads
    assert entry["publisher"]["name"] == published.entity.name

    page = client.get("/datos/").content.decode()
    assert f"/datos/encuestas/{published.slug}/" in page
    assert f"/opendata/encuestas/{published.slug}.zip" in page


def test_unpublishing_changes_the_catalogue_at_once(client, published, manager):
    assert client.get("/opendata/catalog.json").json()["dataset"]
    services.survey_publish(survey=published, published=False, by=manager)

    assert client.get("/opendata/catalog.json").json()["dataset"] == []


def test_catalogue_of_many_surveys_has_constant_queries(
    client, agriculture, django_assert_max_num_queries
):
    for i in range(15):
        Survey.objects.create(
            entity=agriculture,
            slug=f"encuesta-{i}",
            code=f"e{i}",
            title={"es": f"Encuesta {i}"},
            languages=["es"],
            status=Survey.Status.CLOSED,
            published=True,
        )

    with django_assert_max_num_queries(10):
        response = client.get("/opendata/catalog.json")
    assert len(response.json()["dataset"]) == 15

    with django_assert_max_num_queries(12):
        response = client.get("/datos/")
    assert response.status_code == 200


# --- publishing to a portal --------------------------------------------------------------


def test_the_socrata_command_publishes_a_survey(published, portal):  # noqa: F811
    identifier = f"urna-encuesta-{published.slug}"

    out = publish(encuesta=published.slug)

    tables = SocrataDataset.objects.filter(dataset=identifier).values_list("table", flat=True)
    assert sorted(tables) == ["estimaciones", "microdatos"]
    for upload in portal.uploads.values():
        assert NAME.encode() not in upload.body and PHONE.encode() not in upload.body
    entries = AuditEntry.objects.filter(action="opendata.socrata_publish")
    assert {e.entity_id for e in entries} == {published.entity_id}
    assert out.splitlines()[-1].startswith(f"{identifier} publicado en ")


def test_an_unpublished_survey_is_refused_before_any_request(answered, portal):  # noqa: F811
    with pytest.raises(CommandError, match="no están publicados"):
        publish(encuesta=answered.slug)
    with pytest.raises(CommandError, match="--encuesta"):
        publish("desarrollo-rural", encuesta=answered.slug)

    assert portal.revisions == {}


@responses.activate
def test_the_ckan_command_publishes_a_survey(published):
    identifier = f"urna-encuesta-{published.slug}"
    created = {"id": PACKAGE_ID, "name": identifier, "state": "active", "resources": []}
    responses.post(f"{API}/package_show", json=not_found("package_show"), status=404)
    responses.post(f"{API}/package_create", json=envelope("package_create", created))
    responses.post(f"{API}/resource_create", json=envelope("resource_create", {"id": "r1"}))

    call_command(
        "opendata_publish_ckan",
        encuesta=published.slug,
        url=CKAN,
        api_key="k",
        stdout=io.StringIO(),
    )

    assert json.loads(responses.calls[1].request.body)["name"] == identifier
    uploads = [multipart(call.request) for call in responses.calls[2:]]
    assert [b'filename="microdatos.csv"' in u for u in uploads] == [True, False, False]
    for body in uploads:
        assert NAME.encode() not in body and PHONE.encode() not in body
