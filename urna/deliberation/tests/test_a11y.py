"""Browser-free accessibility checks of the deliberation's public and staff pages (the browser
audit, bench/a11y.py, lists them too): labelled fields, unique ids, the skip link, errors on
the form; and at 360 px: every table scrolls in its own wrapper, the map scales (a viewBox,
100 % wide), nothing set wider than the screen."""

import re

import pytest
from django.urls import reverse

from urna.core.tests.a11y import duplicate_ids, skip_link_target, unlabelled_fields
from urna.deliberation import services
from urna.deliberation.recompute import deliberation_recompute

pytestmark = pytest.mark.django_db

SCREEN = 360


@pytest.fixture
def computed(deliberation, statements, manager):
    published = statements["published"]
    for i in range(9):
        who = services.participant_get_or_create(deliberation=deliberation, anonymous_key=f"a{i}")
        for j, statement in enumerate(published):
            value = 1 if (i + j) % 3 else -1
            services.vote_cast(
                participant=who, statement_id=statement.pk, value=value, channel="web"
            )
    deliberation_recompute(deliberation_id=deliberation.pk, force=True)
    return deliberation


# A table's scrolling wrapper is a region keyboard users can reach and scroll, named by the
# table's caption (axe-core's scrollable-region-focusable, serious, at 360 px).
WRAPPER = re.compile(
    r'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="([^"]+)">$'
)


def _narrow_screen_problems(html: str) -> list[str]:
    problems = []
    for match in re.finditer(r"<table\b", html):
        wrapper = WRAPPER.search(html[: match.start()].rstrip())
        if wrapper is None:
            problems.append(f"table without its focusable scrolling region at {match.start()}")
        elif f'id="{wrapper.group(1)}"' not in html[match.start() : match.start() + 300]:
            problems.append(f"scrolling region not named by its table's caption: {wrapper[0]}")
    for svg in re.findall(r"<svg\b[^>]*>", html):
        if 'viewBox="' not in svg or 'width="100%"' not in svg:
            problems.append(f"a chart that does not scale: {svg[:80]}")
    for width in re.findall(r"(?:min-)?width:\s*(\d+)px", html):
        if int(width) > SCREEN:
            problems.append(f"{width}px wide")
    return problems


def _check(page, path, status=200):
    html = page.content.decode()
    assert page.status_code == status, path
    assert skip_link_target(html) == "contenido", path
    assert unlabelled_fields(html) == [], path
    assert duplicate_ids(html) == [], path
    assert _narrow_screen_problems(html) == [], path
    return html


def test_the_public_pages(client, computed, exercise):
    slug = exercise.slug
    for name in ("deliberation:detail", "deliberation:vote", "deliberation:propose"):
        path = reverse(name, kwargs={"slug": slug})
        _check(client.get(path), path)
    html = _check(client.get(reverse("deliberation:detail", kwargs={"slug": slug})), slug)
    assert "<caption" in html  # the map's table alternative names itself


def test_the_forms_with_errors_name_them(client, deliberation, statements, exercise):
    propose = reverse("deliberation:propose", kwargs={"slug": exercise.slug})
    html = _check(client.post(propose, {"text": "corta"}), propose, status=400)
    assert 'aria-invalid="true"' in html or "error" in html
    vote = reverse("deliberation:vote", kwargs={"slug": exercise.slug})
    refused = {"statement": statements["rejected"].pk, "value": "1"}
    html = _check(client.post(vote, refused), vote, status=409)
    assert "fue retirada por moderación" in html


def test_the_staff_page(client, computed, exercise, manager):
    client.force_login(manager)
    path = reverse("deliberation:staff_manage", kwargs={"slug": exercise.slug})
    _check(client.get(path), path)
