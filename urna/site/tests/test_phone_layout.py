"""At 360 px: a compact header (the brand and a one-tap language button on one row, the links
below) and wide tables that scroll inside a labelled, focusable region with a hint and shadows.
Pixels are measured in the browser (make a11y, e2e); here, the markup and the stylesheet."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

URNA = Path(settings.BASE_DIR) / "urna"
CSS = URNA / "core" / "static" / "urna" / "urna.css"
REGION = re.compile(
    r'<div class="table-wrap" role="region" tabindex="0" aria-(label|labelledby)="[^"]+"[^>]*>\s*'
    r"(\{%[^%]*%\}\s*)*$"
)
# Staff pages whose path does not say "staff".
STAFF_PAGES = {
    "contacts/templates/contacts/import_list.html",
    "channels/templates/channels/inbound_list.html",
    "results/templates/results/matrix.html",
    "results/templates/results/templates.html",
}


def _header(page: str) -> str:
    return page.split('<header class="site-header"', 1)[1].split("</header>", 1)[0]


def test_the_header_switches_language_with_one_button(client):
    header = _header(client.get("/ejercicios/").content.decode())

    assert "<select" not in header
    assert re.search(
        r'<button type="submit" name="language" value="en">'
        r'<span class="visually-hidden">Cambiar el idioma a </span><span lang="en">English</span>',
        header,
    )
    assert header.count("<li>") == 5  # the links stay in the menu, none behind a disclosure


def test_the_language_button_changes_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/ejercicios/"})
    page = client.get("/ejercicios/").content.decode()

    assert response.status_code == 302
    assert '<html lang="en">' in page
    assert '<span lang="es-CO">Español</span>' in _header(page)


def test_the_stylesheet_lays_the_header_out_for_a_phone_and_hints_at_wide_tables():
    css = CSS.read_text()

    assert re.search(r"@media \(max-width: 48rem\) \{\s*\.header-row \{ display: grid;", css)
    assert 'content: "Deslice para ver más columnas →"' in css
    assert ':lang(en) .table-wrap::before { content: "Swipe to see more columns →"' in css
    assert "no-repeat local" in css and "no-repeat scroll" in css  # the edge shadows


def test_every_wide_staff_table_scrolls_in_a_labelled_focusable_region():
    unwrapped = []
    for template in sorted(URNA.glob("*/templates/**/*.html")):
        name = str(template.relative_to(URNA))
        if "staff" not in name and name not in STAFF_PAGES:
            continue
        text = template.read_text()
        for match in re.finditer(r"<table\b", text):
            before = text[max(0, match.start() - 300) : match.start()]
            if not REGION.search(before):
                unwrapped.append(f"{name}:{text.count(chr(10), 0, match.start()) + 1}")
    assert unwrapped == []
