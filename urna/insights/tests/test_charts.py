"""The analyst's charts page: themes over time, themes by department (heat table and map) and
the largest campaign groups, each an accessible SVG with its table alternative."""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from urna.core.l10n import date_text
from urna.exercises.models import Contribution
from urna.insights import selectors_charts
from urna.insights.tests.conftest import add_contributions
from urna.insights.tests.test_analysis import run
from urna.territory.models import Department

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
ANTIOQUIA, VALLE, VAUPES = "05", "76", "97"


def spread(exercise, *, days=10):
    """Give the corpus departments and dates: most in Antioquia and Valle, two in Vaupés
    (a small cell), a few without a department; one day after another over ``days`` days."""
    start = timezone.now() - timedelta(days=days)
    contributions = list(Contribution.objects.filter(exercise=exercise).order_by("id"))
    for n, c in enumerate(contributions):
        c.department_id = [ANTIOQUIA, VALLE][n % 2] if n >= 5 else (VAUPES if n < 2 else None)
        c.created_at = start + timedelta(days=n % (days + 1), hours=1)
    Contribution.objects.bulk_update(contributions, ["department", "created_at"])
    return contributions


@pytest.fixture
def analysed(exercise, corpus, analyst):
    spread(exercise)
    return run(exercise, analyst)


def url(exercise):
    return f"/analisis/{exercise.slug}/graficos/"


def svgs(html):
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def test_the_page_shows_four_valid_svg_charts_with_title_desc_and_tables(
    client, exercise, analysed, analyst, django_assert_max_num_queries
):
    client.force_login(analyst)

    with django_assert_max_num_queries(16):
        response = client.get(url(exercise))

    html = response.content.decode()
    assert response.status_code == 200
    charts = svgs(html)
    assert len(charts) == 3  # time, map, groups (the heat table is a table)
    for svg in charts:
        assert svg.get("role") == "img"
        assert svg.find(f"{SVG}title").text.strip()
        assert svg.find(f"{SVG}desc").text.strip()
        labelled = svg.get("aria-labelledby").split()
        assert {svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")} == set(
            labelled
        )
    assert html.count("<details") == 3 and html.count("Ver como tabla") == 3
    assert '<table class="heat"' in html


def test_the_page_works_without_javascript(client, exercise, analysed, analyst):
    client.force_login(analyst)

    html = client.get(url(exercise)).content.decode()

    main = html.split("<main", 1)[-1]
    assert "hx-" not in main and "<script" not in main  # figures are in the HTML itself
    assert "<summary>Ver como tabla</summary>" in main


def test_themes_over_time_match_the_contributions_per_day(exercise, analysed):
    data = selectors_charts.themes_over_time(analysed)

    expected = Counter(
        timezone.localtime(c.created_at).date()
        for c in Contribution.objects.filter(exercise=exercise)
    )
    assert not data.weekly
    assert {row["period"]: row["total"] for row in data.table if row["total"]} == expected
    assert sum(row["total"] for row in data.table) == 105
    assert len(data.series) <= selectors_charts.TOP_THEMES + 1
    assert data.periods == sorted(data.periods)
    assert all(b - a == timedelta(days=1) for a, b in zip(data.periods, data.periods[1:]))


def test_a_long_consultation_is_counted_per_week(exercise, corpus, analyst):
    spread(exercise, days=70)
    analysis = run(exercise, analyst)

    data = selectors_charts.themes_over_time(analysis)

    assert data.weekly
    assert all(p.weekday() == 0 for p in data.periods)  # Mondays
    assert all(b - a == timedelta(days=7) for a, b in zip(data.periods, data.periods[1:]))
    assert sum(row["total"] for row in data.table) == 105


def test_the_time_table_alternative_shows_the_chart_figures(client, exercise, analysed, analyst):
    client.force_login(analyst)
    data = selectors_charts.themes_over_time(analysed)

    html = client.get(url(exercise)).content.decode()

    table = html.split('id="h-time"', 1)[1].split("</table>", 1)[0]
    for label, values in data.series:
        assert label in table
    first = data.table[0]
    row = re.search(rf"<th scope=\"row\">{date_text(first['period'])}</th>(.*?)</tr>", table)
    cells = re.findall(r'<td class="num">([\d.,]+)</td>', row.group(1))
    assert [int(v.replace(".", "")) for v in cells] == [*first["values"], first["total"]]


def test_small_cells_are_not_shown_in_the_heat_table_nor_on_the_map(
    client, exercise, analysed, analyst
):
    data = selectors_charts.themes_by_department(analysed)
    client.force_login(analyst)

    html = client.get(url(exercise)).content.decode()

    vaupes = next(r for r in data.rows if r.code == VAUPES)
    assert vaupes.total.contributions is None  # two people: suppressed
    assert all(c.contributions in (None, 0) for c in vaupes.cells)  # zeros reveal nothing
    shown = [c for r in data.rows for c in [*r.cells, r.total] if c.contributions is not None]
    assert shown and all(c.people == 0 or c.people >= data.min_cell for c in shown)
    heat = html.split('class="heat"', 1)[1].split("</table>", 1)[0]
    vaupes_row = re.search(r"<th scope=\"row\">Vaupés</th>(.*?)</tr>", heat, re.S).group(1)
    assert "&lt; 5" in vaupes_row and not re.search(r">\s*[1-4]\s*<", vaupes_row)
    (map_svg,) = [s for s in svgs(html) if s.find(f"{SVG}path[@data-code]") is not None]
    vaupes_path = map_svg.find(f"{SVG}path[@data-code='{VAUPES}']")
    assert "oculto" in vaupes_path.find(f"{SVG}title").text
    antioquia = next(r for r in data.rows if r.code == ANTIOQUIA)
    title = map_svg.find(f"{SVG}path[@data-code='{ANTIOQUIA}']").find(f"{SVG}title").text
    assert title == f"Antioquia: {antioquia.total.contributions} aportes"


def test_the_map_has_every_department_with_a_title(exercise, analysed):
    data = selectors_charts.themes_by_department(analysed)

    svg = ET.fromstring(str(data.map_svg))

    paths = svg.findall(f"{SVG}path[@data-code]")
    codes = {p.get("data-code") for p in paths}
    assert len(paths) == 33
    assert codes == set(Department.objects.values_list("code", flat=True))
    names = dict(Department.objects.values_list("code", "display_name"))
    for path in paths:
        assert path.find(f"{SVG}title").text.startswith(names[path.get("data-code")] + ":")
        assert path.get("d").startswith("M") and path.get("d").endswith("Z")


def test_the_map_table_alternative_lists_each_department_figure(
    client, exercise, analysed, analyst
):
    data = selectors_charts.themes_by_department(analysed)
    client.force_login(analyst)

    html = client.get(url(exercise)).content.decode()

    table = html.split('id="h-map"', 1)[1].split("</table>", 1)[0]
    for row in data.rows:
        if row.code and row.total.contributions is not None:
            assert f'<th scope="row">{row.name}</th><td class="num">{row.total.contributions}' in (
                table
            )


def test_the_largest_groups_link_to_their_pages_with_personal_data_masked(
    client, exercise, corpus, analyst
):
    letter = "Soy Pedro, escríbanme a pedro.gomez@example.com, queremos crédito para semillas ya"
    add_contributions(exercise, [letter] * 8)
    spread(exercise)
    analysis = run(exercise, analyst)
    client.force_login(analyst)

    html = client.get(url(exercise)).content.decode()

    bars, _svg = selectors_charts.largest_groups(analysis, slug=exercise.slug)
    assert bars == sorted(bars, key=lambda b: -b.size)
    assert {b.size for b in bars} >= {8, 12}  # the letter and the roads campaign
    assert "pedro.gomez@example.com" not in html
    for bar in bars:
        assert f'href="/analisis/{exercise.slug}/grupos/{bar.pk}/"' in html
    (groups_svg,) = [s for s in svgs(html) if s.find(f"{SVG}a") is not None]
    assert len(groups_svg.findall(f"{SVG}a")) == len(bars)


def test_the_query_count_does_not_grow_with_themes_groups_or_days(
    client, exercise, corpus, analyst, django_assert_max_num_queries
):
    campaigns = [f"Campaña número {n} exige arreglar la vía del puente" for n in range(25)]
    add_contributions(exercise, [text for text in campaigns for _ in range(3)])
    spread(exercise, days=120)
    run(exercise, analyst, k=8)
    client.force_login(analyst)

    with django_assert_max_num_queries(16):
        response = client.get(url(exercise))

    assert response.status_code == 200


def test_another_entity_gets_403_and_no_analysis_gets_404(
    client, exercise, corpus, analyst, outsider
):
    client.force_login(analyst)
    assert client.get(url(exercise)).status_code == 404
    run(exercise, analyst)
    client.force_login(outsider)
    assert client.get(url(exercise)).status_code == 403


def test_the_workspace_links_to_the_charts(client, exercise, analysed, analyst):
    client.force_login(analyst)

    html = client.get(f"/analisis/{exercise.slug}/").content.decode()

    assert f'href="/analisis/{exercise.slug}/graficos/"' in html
