"""Browser-free accessibility checks of the indicators' pages, in each language: labelled
fields, unique ids, the skip link; and the English page reads in English."""

import pytest
from django.utils import timezone

from urna.core.tests.a11y import duplicate_ids, skip_link_target, unlabelled_fields

YEAR = timezone.localdate().year
PUBLIC = ["/indicadores/", "/indicadores/?departamento=17"]
STAFF = [
    "/indicadores/gestion/",
    "/indicadores/gestion/metas/",
    "/indicadores/gestion/manuales/",
    "/indicadores/gestion/manuales/nuevo/",
]


@pytest.fixture
def some_facts(fact):
    fact("people_reached", YEAR, 0, 12)
    fact("people_reached", YEAR, 2, 12)
    fact("interactions_total", YEAR, 0, 3, dim="tv")


@pytest.mark.parametrize(("language", "lang"), [("es-co", "es-CO"), ("en", "en")])
@pytest.mark.parametrize("path", PUBLIC + STAFF)
def test_indicator_pages_are_labelled_with_unique_ids_and_a_skip_link(
    client, settings, some_facts, platform_staff, path, language, lang
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if path in STAFF:
        client.force_login(platform_staff)

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert skip_link_target(html) == "contenido"
    assert duplicate_ids(html) == []
    assert unlabelled_fields(html) == []


def test_the_english_page_reads_in_english(client, settings, some_facts):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/indicadores/").content.decode()

    for text in (
        "Participation and response indicators",
        "People reached",
        "Television",
        "Votes in deliberations",
    ):
        assert text in html, text
    assert "Personas alcanzadas" not in html and "Votos en deliberaciones" not in html
