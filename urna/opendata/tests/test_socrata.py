"""The Socrata command against a fake Socrata portal (HTTP boundary, DSMAPI's envelopes)."""

import base64
from io import StringIO

import pytest
import responses
from django.core.management import CommandError, call_command
from django.utils import translation

from urna.audit.models import AuditEntry
from urna.opendata.models import SocrataDataset
from urna.opendata.platform_tables import query_tables
from urna.opendata.socrata import services
from urna.opendata.tables import exercise_tables
from urna.opendata.tests.conftest import SECRETS
from urna.opendata.tests.socrata_fake import DOMAIN, FakeSocrata
from urna.opendata.tests.test_queries_dataset import _query as make_query

pytestmark = pytest.mark.django_db

TABLES = [t.name for t in exercise_tables()]
IDENTIFIER = "urna-ejercicio-desarrollo-rural"
LANDING = "https://urna.example.gov.co/datos/ejercicios/desarrollo-rural/"


@pytest.fixture
def portal(settings, monkeypatch):
    settings.SOCRATA_DOMAIN = DOMAIN
    settings.SOCRATA_API_KEY_ID = "key-id-123"
    settings.SOCRATA_API_KEY_SECRET = "key-secret-456"
    settings.SOCRATA_CATEGORY = "Participación ciudadana"
    settings.PUBLIC_BASE_URL = "https://urna.example.gov.co"
    # The portal's jobs are polled without waiting between polls.
    monkeypatch.setattr(services, "POLL_SECONDS", 0)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeSocrata(rsps)


def publish(*args, **options):
    out = StringIO()
    call_command("opendata_publish_socrata", *args, stdout=out, **options)
    return out.getvalue()


def table_csv(exercise, name):
    table = next(t for t in exercise_tables() if t.name == name)
    return b"".join(table.csv(exercise))


def test_first_publication_creates_one_dataset_per_table_with_the_anonymised_csv(published, portal):
    out = publish("desarrollo-rural")

    remembered = dict(SocrataDataset.objects.values_list("table", "fourfour"))
    assert sorted(remembered) == sorted(TABLES)
    assert [body["action"]["type"] for body in portal.revision_bodies()] == ["update"] * 5
    for name, fourfour in remembered.items():
        upload = portal.upload_for(fourfour)
        assert upload.filename == f"{name}.csv"
        assert upload.body == table_csv(published, name)
    aportes = portal.upload_for(remembered["aportes"])
    assert len(aportes.chunks) > 1  # sent in several chunks, reassembled in order
    assert "Escríbanme a [correo]".encode() in aportes.body
    for upload in portal.uploads.values():
        for secret in SECRETS.values():
            assert secret.encode() not in upload.body
    assert sorted(ff for ff, _seq, _schema in portal.applied) == sorted(remembered.values())
    assert out.splitlines()[-1] == (
        f"{IDENTIFIER} publicado en {DOMAIN}: 5 conjuntos nuevos, 0 reemplazados."
    )
    assert f"aportes: https://{DOMAIN}/d/{remembered['aportes']} creado" in out


def basic(username, password):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_requests_carry_the_api_key_as_basic_credentials(published, portal):
    publish("desarrollo-rural")

    headers = {call.request.headers["Authorization"] for call in portal.rsps.calls}
    assert len(portal.rsps.calls) > 5 * 8
    assert headers == {basic("key-id-123", "key-secret-456")}


def test_metadata_maps_the_dataset_and_the_table(published, portal):
    publish("desarrollo-rural")

    aportes = next(
        body["metadata"]
        for body in portal.revision_bodies()
        if body["metadata"]["name"].endswith(": Aportes")
    )
    assert aportes["name"] == "Participación: Política de desarrollo rural: Aportes"
    assert aportes["category"] == "Participación ciudadana"
    assert aportes["licenseId"] == "CC_40_BY"
    assert aportes["attribution"] == "Ministerio de Agricultura y Desarrollo Rural"
    assert aportes["attributionLink"] == LANDING
    assert LANDING in aportes["description"]
    assert "Cada aporte visible del ejercicio, anonimizado" in aportes["description"]
    assert aportes["tags"] == [t.lower() for t in aportes["tags"]] and aportes["tags"]
    fields = aportes["metadata"]["custom_fields"]
    assert fields["Información de Datos"]["Idioma"] == "Español"
    assert fields["Información de Datos"]["Frecuencia de Actualización"] == "No aplica"
    assert fields["Información de la Entidad"] == {
        "Nombre de la Entidad": "Ministerio de Agricultura y Desarrollo Rural"
    }
    assert fields["Urna"]["Identificador"] == f"{IDENTIFIER}/aportes"
    assert fields["Urna"]["Conjunto de datos"] == IDENTIFIER
    assert fields["Urna"]["Idioma"] == "es-CO"
    assert fields["Urna"]["Cobertura temporal"] == "2025-03-01/2025-03-21"
    assert fields["Urna"]["Página del conjunto"] == LANDING


def test_columns_get_their_types_titles_and_descriptions(published, portal):
    publish("desarrollo-rural")

    fourfour = SocrataDataset.objects.get(table="aportes").fourfour
    desired = portal.transforms[portal.upload_for(fourfour).source_id]
    columns = {c["field_name"]: c for c in desired["output_columns"]}
    assert list(columns) == [f.name for f in exercise_tables()[0].fields]
    # The portal guessed a number for DANE codes; they stay text, leading zeros and all.
    assert columns["municipio_dane"]["transform"]["transform_expr"] == "`municipio_dane`"
    assert columns["pregunta"]["transform"]["transform_expr"] == "to_number(`pregunta`)"
    assert columns["fecha"]["transform"]["transform_expr"] == "to_floating_timestamp(`fecha`)"
    assert columns["texto"]["description"].startswith("Texto del aporte. Nombres")
    assert columns["texto"]["initial_output_column_id"] == columns["texto"]["id"]
    demographic = SocrataDataset.objects.get(table="participacion-demografica").fourfour
    desired = portal.transforms[portal.upload_for(demographic).source_id]
    suppressed = next(c for c in desired["output_columns"] if c["field_name"] == "suprimido")
    assert suppressed["transform"]["transform_expr"] == "to_boolean(`suprimido`)"


def test_publishing_again_replaces_the_same_datasets(published, portal):
    publish("desarrollo-rural")
    first = dict(SocrataDataset.objects.values_list("table", "fourfour"))
    portal.uploads.clear()

    out = publish("desarrollo-rural")

    assert dict(SocrataDataset.objects.values_list("table", "fourfour")) == first
    actions = [body["action"]["type"] for body in portal.revision_bodies()]
    assert actions == ["update"] * 5 + ["replace"] * 5
    assert sorted(u.fourfour for u in portal.uploads.values()) == sorted(first.values())
    assert {(ff, seq) for ff, seq, _schema in portal.applied[5:]} == {
        (ff, 1) for ff in first.values()
    }
    assert out.splitlines()[-1].endswith(": 0 conjuntos nuevos, 5 reemplazados.")
    assert f"aportes: https://{DOMAIN}/d/{first['aportes']} reemplazado" in out


def test_each_apply_job_is_polled_until_it_finishes_and_audited(published, portal):
    publish("desarrollo-rural")

    assert portal.job_polls == 10  # running, then done, for each of the five tables
    entries = AuditEntry.objects.filter(action="opendata.socrata_publish")
    assert entries.count() == 5
    aportes = entries.get(after__tabla="aportes")
    assert aportes.after["creado"] is True
    assert aportes.after["estado"] == "successful"
    assert aportes.entity == published.owner
    assert SocrataDataset.objects.filter(published_at__isnull=True).count() == 0


def test_a_portal_that_reviews_publications_leaves_them_waiting(published, portal):
    portal.approval = True

    out = publish("desarrollo-rural")

    assert portal.job_polls == 0
    assert "aportes: https://" in out and "(en espera de aprobación del portal)" in out


def test_a_publication_failing_halfway_is_finished_on_the_same_dataset(published, portal):
    portal.fail["apply"] = (500, {"message": "Internal error", "key": "internal_error"})

    with pytest.raises(CommandError, match=r"falló al procesar la tabla aportes \(error 500\)"):
        publish("desarrollo-rural")

    remembered = SocrataDataset.objects.get()
    assert (remembered.table, remembered.published_at) == ("aportes", None)
    del portal.fail["apply"]
    out = publish("desarrollo-rural")

    assert SocrataDataset.objects.get(table="aportes").fourfour == remembered.fourfour
    assert f"aportes: https://{DOMAIN}/d/{remembered.fourfour} reemplazado" in out
    assert out.splitlines()[-1].endswith(": 4 conjuntos nuevos, 1 reemplazados.")


def test_recreate_forgets_the_datasets_deleted_on_the_portal(published, portal):
    publish("desarrollo-rural")
    old = SocrataDataset.objects.get(table="aportes").fourfour
    del portal.views[old]  # deleted by the portal's administrators

    with pytest.raises(CommandError, match=rf"no encontró el conjunto {old}.*--recrear"):
        publish("desarrollo-rural")
    publish("desarrollo-rural", recrear=True)

    assert SocrataDataset.objects.count() == 5
    assert SocrataDataset.objects.get(table="aportes").fourfour == "urna-0006"
    assert portal.created == 10


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (401, r"rechazó las credenciales \(401\).*SOCRATA_API_KEY_ID"),
        (403, r"no tiene permiso para publicar en datos.example.gov.co \(403\)"),
        (404, r"no ofrece la API de gestión de datos de Socrata \(404\).*SOCRATA_DOMAIN"),
        (503, r"falló al procesar la tabla aportes \(error 503\).*más tarde"),
        (422, r"rechazó la tabla aportes \(error 422\): Category is not valid"),
    ],
)
def test_the_portal_errors_say_what_to_do(published, portal, status, message):
    portal.fail["new_revision"] = (status, {"message": "Category is not valid", "code": "x"})

    with pytest.raises(CommandError, match=message):
        publish("desarrollo-rural")

    assert SocrataDataset.objects.count() == 0
    assert not portal.uploads


def test_the_portal_errors_are_in_english_for_an_english_operator(published, portal):
    portal.fail["new_revision"] = (401, {"message": "Unauthorized", "code": "x"})

    with translation.override("en"), pytest.raises(CommandError) as refused:
        publish("desarrollo-rural")

    assert "rejected the credentials (401). Check SOCRATA_API_KEY_ID" in str(refused.value)
    assert "rechazó" not in str(refused.value)


def test_values_the_portal_cannot_read_are_not_published(published, portal):
    portal.error_count = 2

    with pytest.raises(CommandError, match="no pudo leer 2 valores de la tabla aportes"):
        publish("desarrollo-rural")

    fourfour = SocrataDataset.objects.get().fourfour
    assert portal.discarded == [(fourfour, 0)]
    assert portal.applied == []


def test_without_configuration_nothing_is_sent(published, portal, settings):
    settings.SOCRATA_API_KEY_ID = ""
    settings.SOCRATA_USERNAME = ""

    with pytest.raises(CommandError, match="Configure SOCRATA_DOMAIN y una credencial"):
        publish("desarrollo-rural")

    assert portal.revisions == {}


def test_a_user_and_password_stand_in_for_the_api_key(published, portal, settings):
    settings.SOCRATA_API_KEY_ID = ""
    settings.SOCRATA_USERNAME = "publicador@example.gov.co"
    settings.SOCRATA_PASSWORD = "clave-larga-del-portal"

    publish("desarrollo-rural", dominio=f"https://{DOMAIN}/")

    assert len(portal.views) == 5
    headers = {call.request.headers["Authorization"] for call in portal.rsps.calls}
    assert headers == {basic("publicador@example.gov.co", "clave-larga-del-portal")}


def test_an_unpublished_exercise_is_refused_before_any_request(open_exercise, portal):
    with pytest.raises(CommandError, match="No hay datos abiertos publicados"):
        publish(open_exercise.slug)

    assert portal.revisions == {}


def test_a_slug_or_consultas_is_required(portal):
    with pytest.raises(CommandError, match="Indique el slug de un ejercicio, --encuesta"):
        publish()


def test_an_unreachable_portal_is_reported(published, portal):
    # The fake answers only its own domain: any other is unreachable.
    with pytest.raises(CommandError, match="No se pudo conectar con otro.example.gov.co"):
        publish("desarrollo-rural", dominio="otro.example.gov.co")

    assert SocrataDataset.objects.count() == 0


def test_the_queries_dataset_is_published_without_the_citizens_texts(owner, portal):
    query = make_query(owner, 1, published=True)

    out = publish(consultas=True)

    remembered = dict(SocrataDataset.objects.values_list("table", "fourfour"))
    assert sorted(remembered) == sorted(t.name for t in query_tables())
    for upload in portal.uploads.values():
        assert b"52.345.678" not in upload.body
        assert b"3009998877" not in upload.body
        assert b"Respuesta privada" not in upload.body
        assert query.receipt.encode() not in upload.body
    assert out.splitlines()[-1] == (
        f"urna-pqrsd publicado en {DOMAIN}: {len(remembered)} conjuntos nuevos, 0 reemplazados."
    )
