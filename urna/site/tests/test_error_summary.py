"""A form with errors opens with a summary (GOV.UK style): a focused alert headed "Hay un
problema" that names each error and links to its field, even one far below the fold."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

GOOD_TEXT = "¿Cuándo abre la convocatoria de crédito para pequeños productores de café?"


def _summary(page: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*>.*?</div>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_an_error_below_the_fold_is_named_and_linked_at_the_top(client, national_entities):
    response = client.post(
        "/consultas/nueva/",
        {"type": "peticion", "text": GOOD_TEXT, "email": "esto-no-es-un-correo"},
    )
    page = response.content.decode()
    summary = _summary(page)

    assert response.status_code in (200, 400, 422)
    assert 'role="alert"' in summary and "autofocus" in summary and 'tabindex="-1"' in summary
    assert '<h2 id="error-summary-title">Hay un problema</h2>' in summary
    assert re.search(r'<a href="#id_email">[^<]*correo[^<]*</a>', summary)
    assert 'id="id_email"' in page
    # At the top: before the form's first field, far above the email field.
    assert page.index('class="error-summary"') < page.index('id="id_type"')
    assert "Revise los campos marcados" not in page


def test_every_error_is_listed_with_its_field(client, national_entities):
    page = client.post(
        "/consultas/nueva/", {"type": "", "text": "corto", "email": "x"}
    ).content.decode()
    links = re.findall(r'<a href="#(id_\w+)">', _summary(page))

    assert links == ["id_type", "id_text", "id_email"]


def test_the_summary_speaks_english_on_an_english_page(client, national_entities):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post("/consultas/nueva/", {"type": "peticion", "text": "x"}).content.decode()

    assert "There is a problem" in _summary(page)


def test_a_valid_form_shows_no_summary(client, national_entities):
    page = client.get("/consultas/nueva/").content.decode()

    assert "error-summary" not in page
