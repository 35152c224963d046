"""Browser-free accessibility checks of the base layout and the error pages, in each language."""

import pytest

from urna.core.tests.a11y import duplicate_ids, skip_link_target, unlabelled_fields

pytestmark = pytest.mark.django_db

PAGES = {
    "/": 200,
    "/r/?codigo=": 200,  # the menu's link: the form, nothing typed yet
    "/r/?codigo=NO-EXISTE": 404,
    "/r/UC-2026-0000000": 404,
    "/no-existe/": 404,
    "/ejercicios/?estado=%00": 400,
}


@pytest.mark.parametrize(("language", "lang"), [("es-co", "es-CO"), ("en", "en")])
@pytest.mark.parametrize("path", PAGES)
def test_pages_declare_their_language_and_open_with_a_skip_link(
    client, settings, path, language, lang
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == PAGES[path]
    assert f'<html lang="{lang}">' in html
    assert skip_link_target(html) == "contenido"
    assert duplicate_ids(html) == []
    assert unlabelled_fields(html) == []
