"""Pages that cannot be turned against their readers: a strict Content-Security-Policy (no
inline script or style anywhere, so an injected one never runs), and HTTPS only in production
(HSTS, the redirect, secure cookies), with ``manage.py check --deploy`` clean."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(ROOT.glob("urna/*/templates/**/*.html"))

# What a strict CSP refuses to run or apply when it is written in the page itself.
INLINE = {
    "script block": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx inline code": re.compile(r"\shx-on[:-]|\shx-vars\s*=|\bjs:", re.I),
}


def _inline(text: str) -> list[str]:
    return [name for name, pattern in INLINE.items() if pattern.search(text)]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_templates_hold_no_inline_script_style_or_handler():
    assert len(TEMPLATES) > 50
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in TEMPLATES
        if (found := _inline(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


@pytest.mark.parametrize(
    "url", ["/", "/ejercicios/", "/datos/", "/indicadores/", "/cuenta/entrar/"]
)
def test_pages_carry_a_strict_content_security_policy(client, url):
    response = client.get(url)

    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert _inline(response.content.decode()) == []


def test_htmx_adds_no_inline_style_of_its_own(client):
    page = client.get("/").content.decode()

    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false' in page


def test_pages_with_bars_and_free_text_render_without_inline_style(client, national_entities):
    from django.utils import timezone

    from urna.entities.models import Entity
    from urna.exercises.models import ClosedQuestion, Contribution, Exercise, QuestionOption

    exercise = Exercise.objects.create(
        title="Resultados con barras",
        slug="barras",
        summary="Resumen.",
        owner=Entity.objects.get(acronym="MINAGRICULTURA"),
        kind=Exercise.Kind.POLICY,
        status=Exercise.Status.RESULTS,
        results_summary="Primera línea.\nSegunda línea.",
        published_at=timezone.now(),
        results_published_at=timezone.now(),
    )
    question = ClosedQuestion.objects.create(
        exercise=exercise, number=1, kind=ClosedQuestion.Kind.SINGLE, text="¿Qué priorizar?"
    )
    QuestionOption.objects.create(question=question, key="vias", label="Vías", position=1)
    Contribution.objects.create(
        exercise=exercise,
        kind=Contribution.Kind.ANSWER,
        question=question,
        choice="vias",
        receipt="UCBARRAS0001",
        idempotency_key="barras-1",
    )

    for url in ("/ejercicios/barras/resultados/", "/indicadores/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _inline(response.content.decode()) == [], url


def test_the_api_gets_the_policy_too(client):
    response = client.get("/api/v1/ping")

    assert _policy(response)["default-src"] == ["'self'"]


# --- production: HTTPS only ------------------------------------------------------------------


def _production_env(**extra) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "DEBUG", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        URNA_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="urna.example.gov.co",
        CSRF_TRUSTED_ORIGINS="https://urna.example.gov.co",
        PUBLIC_BASE_URL="https://urna.example.gov.co",
        DJANGO_SETTINGS_MODULE="urna.settings",
    )
    env.update(extra)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())

    assert result.returncode == 0, result.stderr + result.stdout


def _last_line(result: subprocess.CompletedProcess) -> list[str]:
    return result.stdout.strip().splitlines()[-1].split() if result.stdout.strip() else []


PRINT = (
    "from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
)


def test_production_redirects_to_https_and_sends_hsts_configurably():
    default = _manage("shell", "-c", PRINT, env=_production_env())
    behind_proxy = _manage(
        "shell",
        "-c",
        PRINT,
        env=_production_env(SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="3600"),
    )

    assert _last_line(default) == ["True", "31536000", "True", "True", "True"], default.stderr
    assert _last_line(behind_proxy) == ["False", "3600", "True", "True", "True"]


def test_development_keeps_plain_http(settings):
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SECURE_HSTS_SECONDS == 0


def test_the_redirect_spares_the_load_balancer_checks(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000

    page = client.get("/")
    health = client.get("/healthz")
    ping = client.get("/api/v1/ping")
    over_https = client.get("/", secure=True)

    assert (page.status_code, page["Location"]) == (301, "https://testserver/")
    assert health.status_code in {200, 503} and ping.status_code == 200
    assert over_https.status_code == 200
    assert over_https["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
