"""The analyst workspace pages: access, edits through the forms, progress, small cells."""

import re

import pytest
from django.core.cache import cache

from urna.exercises.models import Contribution
from urna.insights.models import Analysis, Assignment, ModerationFlag, Theme
from urna.insights.tests.conftest import add_contributions
from urna.insights.tests.test_analysis import run, theme_of
from urna.jobs.services import run_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed(exercise, corpus, analyst):
    return run(exercise, analyst)


def url(exercise, suffix=""):
    return f"/analisis/{exercise.slug}/{suffix}"


def test_the_list_shows_only_exercises_the_user_may_analyse(client, exercise, analyst, outsider):
    client.force_login(analyst)
    ours = client.get("/analisis/").content.decode()
    client.force_login(outsider)
    theirs = client.get("/analisis/").content.decode()

    assert "Pacto agrario de prueba" in ours
    assert "Pacto agrario de prueba" not in theirs


def test_the_workspace_shows_figures_themes_and_groups(
    client, exercise, analysed, analyst, django_assert_max_num_queries
):
    client.force_login(analyst)

    with django_assert_max_num_queries(22):
        response = client.get(url(exercise))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>105</strong> aportes en total" in html
    assert "<strong>94</strong> aportes distintos" in html
    for theme in Theme.objects.filter(analysis=analysed):
        assert f'href="/analisis/{exercise.slug}/temas/{theme.pk}/"' in html
    assert "Exigimos que arreglen la carretera" in html  # the campaign's representative


def test_the_query_count_does_not_grow_with_groups_or_themes(
    client, exercise, corpus, analyst, django_assert_max_num_queries
):
    campaigns = [
        f"Campaña número {n} exige arreglar la vía del puente en la vereda" for n in range(30)
    ]
    add_contributions(exercise, [text for text in campaigns for _ in range(3)])
    run(exercise, analyst, k=6)
    client.force_login(analyst)

    with django_assert_max_num_queries(22):
        response = client.get(url(exercise))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "suffix", ["", "progreso/", "sin-clasificar/", "alertas/", "temas/{theme}/", "grupos/{group}/"]
)
def test_another_entity_gets_403(client, exercise, analysed, outsider, suffix):
    theme = Theme.objects.filter(analysis=analysed).first()
    group = analysed.duplicate_groups.first()
    client.force_login(outsider)

    response = client.get(url(exercise, suffix.format(theme=theme.pk, group=group.pk)))

    assert response.status_code == 403


def test_another_entity_cannot_run_or_edit_and_nothing_changes(
    client, exercise, analysed, outsider, corpus
):
    theme = theme_of(analysed, corpus["roads-0"][0])
    other = theme_of(analysed, corpus["health-0"][0])
    client.force_login(outsider)

    responses = [
        client.post(url(exercise, "ejecutar/")),
        client.post(url(exercise, f"temas/{theme.pk}/nombre/"), {"label": "Robado"}),
        client.post(url(exercise, f"temas/{theme.pk}/fusionar/"), {"target": other.pk}),
        client.post(url(exercise, f"temas/{theme.pk}/dividir/")),
        client.post(
            url(exercise, f"temas/{theme.pk}/hallazgo/"),
            {"is_finding": "on", "conclusion": "Una conclusión ajena."},
        ),
        client.post(
            url(exercise, f"temas/{theme.pk}/citas/"),
            {"contribution": corpus["roads-1"][0].pk, "pinned": "1"},
        ),
        client.post(
            url(exercise, "mover/"),
            {"contributions": [corpus["roads-2"][0].pk], "target": other.pk},
        ),
    ]

    assert [r.status_code for r in responses] == [403] * 7
    assert Analysis.objects.count() == 1
    theme.refresh_from_db()
    assert (theme.analyst_label, theme.is_finding, theme.pinned_ids, theme.live) == (
        "",
        False,
        [],
        True,
    )
    assert theme_of(analysed, corpus["roads-2"][0]) == theme
    assert analysed.operations.count() == 0


def test_running_from_the_page_shows_a_polling_progress_bar(client, exercise, corpus, analyst):
    client.force_login(analyst)

    client.post(url(exercise, "ejecutar/"), {"k": "3"})
    analysis = Analysis.objects.get()
    page = client.get(url(exercise)).content.decode()
    fragment = client.get(url(exercise, f"progreso/?analisis={analysis.pk}"))

    assert analysis.status == Analysis.Status.QUEUED and analysis.k == 3
    assert f'hx-get="/analisis/{exercise.slug}/progreso/?analisis={analysis.pk}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert f'<a href="/analisis/{exercise.slug}/">Actualizar</a>' in page
    assert "HX-Refresh" not in fragment.headers
    run_pending()
    done = client.get(url(exercise, f"progreso/?analisis={analysis.pk}"))
    assert done.headers["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_edits_through_the_forms(client, exercise, analysed, analyst, corpus):
    roads = theme_of(analysed, corpus["roads-0"][0])
    health = theme_of(analysed, corpus["health-0"][0])
    credit = theme_of(analysed, corpus["credit-0"][0])
    client.force_login(analyst)

    client.post(url(exercise, f"temas/{roads.pk}/nombre/"), {"label": "  Vías   rurales "})
    client.post(
        url(exercise, f"temas/{roads.pk}/hallazgo/"),
        {"is_finding": "on", "conclusion": "Las vías terciarias son la prioridad."},
    )
    client.post(
        url(exercise, f"temas/{roads.pk}/citas/"),
        {"contribution": corpus["roads-4"][0].pk, "pinned": "1"},
    )
    client.post(url(exercise, f"temas/{credit.pk}/fusionar/"), {"target": health.pk})
    client.post(
        url(exercise, "mover/"),
        {"contributions": [corpus["short-1"][0].pk, corpus["short-2"][0].pk], "target": roads.pk},
    )

    roads.refresh_from_db()
    health.refresh_from_db()
    credit.refresh_from_db()
    assert roads.name == "Vías rurales"
    assert roads.is_finding and roads.conclusion == "Las vías terciarias son la prioridad."
    assert roads.pinned_ids == [corpus["roads-4"][0].pk]
    assert (roads.size, health.size, credit.live, credit.merged_into_id) == (
        44,
        60,
        False,
        health.pk,
    )
    assert Assignment.objects.filter(analysis=analysed, analyst_moved=True).count() == 2
    page = client.get(url(exercise, f"temas/{roads.pk}/")).content.decode()
    assert "Vías rurales" in page and "Las vías terciarias son la prioridad." in page


def test_a_finding_without_conclusion_is_refused_with_a_message(
    client, exercise, analysed, analyst, corpus
):
    roads = theme_of(analysed, corpus["roads-0"][0])
    client.force_login(analyst)

    response = client.post(
        url(exercise, f"temas/{roads.pk}/hallazgo/"),
        {"is_finding": "on", "conclusion": "corta"},
        follow=True,
    )

    roads.refresh_from_db()
    assert roads.is_finding is False
    assert "Escriba la conclusión del hallazgo (mínimo 10 caracteres)." in response.content.decode()


def test_small_cells_are_suppressed_on_the_breakdown(client, exercise, analysed, analyst, corpus):
    # Three contributions of the health theme came by SMS: a cell of 3 people.
    sms = [corpus[f"health-{n}"][0].pk for n in range(3)]
    Contribution.objects.filter(pk__in=sms).update(channel="sms")
    # A contribution's channel never changes once received; rewriting it under a finished
    # analysis leaves the analysis' cached aggregates behind, so drop them.
    cache.clear()
    health = theme_of(analysed, corpus["health-0"][0])
    client.force_login(analyst)

    html = client.get(url(exercise, "?dimension=canal")).content.decode()

    row = re.search(rf"<tr><th scope=\"row\">{re.escape(health.name)}</th>(.*?)</tr>", html, re.S)
    cells = re.findall(r'<td class="num">(.*?)</td>', row.group(1), re.S)
    # Columns are sorted: SMS, Web.
    assert "&lt; 5" in cells[0] and "3" not in cells[0]
    assert "27" in cells[1]  # staff views do not hide the complementary cell


def test_public_breakdown_hides_a_complementary_cell(exercise, analysed, corpus):
    from urna.insights.selectors import breakdown

    Contribution.objects.filter(pk__in=[corpus[f"health-{n}"][0].pk for n in range(3)]).update(
        channel="sms"
    )
    health = theme_of(analysed, corpus["health-0"][0])

    table = breakdown(analysed, dimension="canal", public=True)

    row = next(r for r in table.rows if r.theme_id == health.pk)
    assert table.values == ["SMS", "Web"]
    assert [(c.suppressed, c.reason, c.people) for c in row.cells] == [
        (True, "small_cell", None),
        (True, "complementary", None),
    ]
    assert [(c.value, c.people) for c in table.totals] == [("SMS", None), ("Web", 102)]


def test_flags_are_resolved_by_moderators_only(client, exercise, corpus, analyst, moderator):
    (phone,) = add_contributions(
        exercise, ["Mi celular es 311 222 3344, llámenme por lo del crédito."]
    )
    run(exercise, analyst)
    flag = ModerationFlag.objects.get(contribution=phone)

    client.force_login(analyst)
    page = client.get(url(exercise, "alertas/")).content.decode()
    refused = client.post(url(exercise, "alertas/"), {"flag": flag.pk})
    flag.refresh_from_db()
    assert "Contiene un número de teléfono (dato personal)" in page
    assert refused.status_code == 403 and flag.resolved_at is None

    client.force_login(moderator)
    client.post(url(exercise, "alertas/"), {"flag": flag.pk})
    flag.refresh_from_db()
    assert flag.resolved_by == moderator
    assert Contribution.objects.get(pk=phone.pk).moderation == "visible"
