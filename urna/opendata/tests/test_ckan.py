"""The CKAN command against a fake CKAN Action API (HTTP boundary, CKAN's real envelopes)."""

import json
from io import StringIO

import pytest
import responses
from django.core.management import CommandError, call_command

from urna.opendata.tables import exercise_tables
from urna.opendata.tests.conftest import SECRETS

pytestmark = pytest.mark.django_db

CKAN = "https://datos.example.gov.co"
API = f"{CKAN}/api/action"  # the path ckanapi calls
PACKAGE_ID = "0d6f6a0e-6c1a-4b0c-9a51-3b1e1f5a9e10"
NAME = "urna-ejercicio-desarrollo-rural"
TABLES = [t.name for t in exercise_tables()]


def envelope(action, result):
    return {"help": f"{API}/help_show?name={action}", "success": True, "result": result}


def not_found(action):
    return {
        "help": f"{API}/help_show?name={action}",
        "success": False,
        "error": {"message": "Not found", "__type": "Not Found Error"},
    }


def package(resources=()):
    return {
        "id": PACKAGE_ID,
        "name": NAME,
        "title": "Participación: Política de desarrollo rural",
        "state": "active",
        "type": "dataset",
        "license_id": "cc-by",
        "num_resources": len(resources),
        "resources": list(resources),
        "organization": {"name": "minagricultura"},
    }


def _multipart(request) -> bytes:
    body = request.body
    return body if isinstance(body, bytes) else body.read()


@responses.activate
def test_creates_the_package_and_uploads_every_table(published):
    responses.post(f"{API}/package_show", json=not_found("package_show"), status=404)
    responses.post(f"{API}/package_create", json=envelope("package_create", package()))
    responses.post(
        f"{API}/resource_create",
        json=envelope("resource_create", {"id": "r1", "package_id": PACKAGE_ID}),
    )
    out = StringIO()

    call_command(
        "opendata_publish_ckan",
        "desarrollo-rural",
        url=CKAN,
        api_key="secret-ckan-key",
        organization="minagricultura",
        stdout=out,
    )

    actions = [call.request.url.rsplit("/", 1)[1] for call in responses.calls]
    assert actions == ["package_show", "package_create"] + ["resource_create"] * (len(TABLES) + 1)
    create = responses.calls[1].request
    assert create.headers["Authorization"] == "secret-ckan-key"
    metadata = json.loads(create.body)
    assert metadata["name"] == NAME
    assert metadata["owner_org"] == "minagricultura"
    assert metadata["license_id"] == "cc-by"
    assert {"key": "identifier", "value": NAME} in metadata["extras"]
    uploads = [_multipart(call.request) for call in responses.calls[2:]]
    for table, body in zip(TABLES, uploads, strict=False):
        assert f'filename="{table}.csv"'.encode() in body
        assert f'name="package_id"\r\n\r\n{PACKAGE_ID}'.encode() in body
    assert "Escríbanme a [correo]".encode() in uploads[0]
    for body in uploads:
        for secret in SECRETS.values():
            assert secret.encode() not in body
    assert b'filename="datapackage.json"' in uploads[-1]
    assert out.getvalue() == (
        f"Paquete {NAME} creado en {CKAN} ({len(TABLES) + 1} recursos nuevos, 0 actualizados).\n"
    )


@responses.activate
def test_an_existing_package_is_patched_and_its_resources_replaced(published):
    existing = [{"id": "res-aportes", "name": "aportes.csv", "format": "CSV"}]
    responses.post(f"{API}/package_show", json=envelope("package_show", package(existing)))
    responses.post(f"{API}/package_patch", json=envelope("package_patch", package(existing)))
    responses.post(f"{API}/resource_update", json=envelope("resource_update", existing[0]))
    responses.post(f"{API}/resource_create", json=envelope("resource_create", {"id": "r2"}))

    call_command(
        "opendata_publish_ckan", "desarrollo-rural", url=CKAN, api_key="k", stdout=StringIO()
    )

    actions = [call.request.url.rsplit("/", 1)[1] for call in responses.calls]
    assert actions == ["package_show", "package_patch", "resource_update"] + [
        "resource_create"
    ] * len(TABLES)
    assert json.loads(responses.calls[1].request.body)["id"] == PACKAGE_ID
    assert b"res-aportes" in _multipart(responses.calls[2].request)


@responses.activate
def test_an_unpublished_exercise_is_refused_before_any_request(open_exercise):
    with pytest.raises(CommandError, match="No hay datos abiertos publicados"):
        call_command("opendata_publish_ckan", open_exercise.slug, url=CKAN, api_key="k")

    assert len(responses.calls) == 0


def test_without_a_configured_portal_nothing_is_sent(published, settings):
    settings.CKAN_URL = ""
    settings.CKAN_API_KEY = ""

    with pytest.raises(CommandError, match="CKAN_URL"):
        call_command("opendata_publish_ckan", "desarrollo-rural")


@responses.activate
def test_a_ckan_validation_error_is_reported(published):
    responses.post(f"{API}/package_show", json=not_found("package_show"), status=404)
    responses.post(
        f"{API}/package_create",
        status=409,
        json={
            "help": f"{API}/help_show?name=package_create",
            "success": False,
            "error": {"__type": "Validation Error", "owner_org": ["Missing value"]},
        },
    )

    with pytest.raises(CommandError, match="CKAN rechazó"):
        call_command("opendata_publish_ckan", "desarrollo-rural", url=CKAN, api_key="k")
