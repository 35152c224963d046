import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_home_is_spanish_and_accessible(client):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es-CO">' in html
    assert 'class="skip-link" href="#contenido"' in html
    assert '<main id="contenido"' in html
    assert 'role="banner"' in html and 'role="contentinfo"' in html
    assert '<label for="codigo">' in html
    assert "Ejercicios abiertos" in html


@pytest.mark.django_db
def test_english_is_selectable(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302

    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Open exercises" in html


@pytest.mark.django_db
def test_healthz_reports_database_cache_and_queue(client):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "queue"}
    assert body["checks"]["queue"]["queued"] == 0


@pytest.mark.django_db
def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/territories/departments" in paths
    assert "/api/v1/entities" in paths


@pytest.mark.django_db
def test_unknown_receipt_shows_a_helpful_404(client):
    response = client.get("/r/UC-2026-0000000")

    assert response.status_code == 404
    assert "No encontramos el recibo" in response.content.decode()


def _settings_import(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "urna.settings", **env},
        capture_output=True,
        text=True,
    )


def test_production_mode_refuses_default_secret_key():
    result = _settings_import({"URNA_ENV": "production", "DEBUG": "false"})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_mode_refuses_debug():
    result = _settings_import({"URNA_ENV": "production", "DEBUG": "true", "SECRET_KEY": "x" * 50})

    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_mode_starts_with_safe_settings():
    result = _settings_import({"URNA_ENV": "production", "DEBUG": "false", "SECRET_KEY": "x" * 50})

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_malformed_json_gets_a_spanish_400(client):
    response = client.post("/api/v1/queries", data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == "El cuerpo de la petición no es un JSON válido."


@pytest.mark.django_db
def test_spanish_is_the_default_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="es-CO">' in response.content.decode()
    assert response["Content-Language"] == "es-co"


def test_page_middleware_runs_for_pages_and_not_for_the_api(client, divipola):
    page = client.get("/")
    api = client.get("/api/v1/territories/departments")

    assert page.status_code == api.status_code == 200
    assert page["X-Frame-Options"] == "DENY"
    assert "X-Frame-Options" not in api  # PagesOnly skipped it
    # What the API still gets: security headers, the language and a Content-Length.
    assert api["X-Content-Type-Options"] == "nosniff"
    assert api["Content-Language"] == "es-co"
    assert api["Content-Length"] == str(len(api.content))  # gunicorn need not chunk it


def test_the_wsgi_application_compiles_every_template_at_start():
    """urna.wsgi warms each worker: a template that does not compile fails at start, not on
    a citizen's request."""
    import urna.wsgi

    assert urna.wsgi.application is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "field"),
    [
        # Found by schemathesis against the OpenAPI schema: each was a 500 before.
        ("/api/v1/exercises?offset=5101628659890000867885056", "offset"),
        ("/api/v1/entities?limit=112918487506794", "limit"),
        ("/api/v1/entities?offset=1809538019848179964593026561315176448", "offset"),
        ("/api/v1/queries/answers?offset=99999999999999999999", "offset"),
        ("/api/v1/indicators?year=0", "year"),
    ],
)
def test_out_of_range_numbers_get_a_422_with_the_field(client, url, field):
    response = client.get(url)

    assert response.status_code == 422
    assert response.json()["errors"][field][0].startswith("Debe ser un número m")


@pytest.mark.django_db
def test_a_bound_is_named_in_the_error(client):
    response = client.get("/api/v1/indicators?year=0")

    assert response.json()["errors"]["year"] == ["Debe ser un número mayor o igual que 2000."]
