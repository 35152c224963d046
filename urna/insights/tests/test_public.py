"""What the results page, the report and open data read from the analysis."""

import pytest
from django.db.models import F

from urna.exercises.models import Contribution
from urna.insights import selectors, services
from urna.insights.tests.conftest import add_contributions
from urna.insights.tests.test_analysis import run, theme_of
from urna.opendata.analysis import analysis_columns, analysis_modified, analysis_themes

pytestmark = pytest.mark.django_db


def test_nothing_is_public_without_an_analysis(exercise, corpus):
    assert selectors.themes_public(exercise) == []
    assert selectors.findings_for_exercise(exercise) == []
    assert analysis_themes(exercise) == []
    assert analysis_modified(exercise) is None
    row = (
        Contribution.objects.filter(exercise=exercise)
        .annotate(**analysis_columns(exercise))
        .values_list("_theme_id", "_theme_label", "_duplicate_group")
        .first()
    )
    assert row == (None, None, None)


def test_public_quotes_are_anonymised_and_visible_only(exercise, corpus, analyst):
    (with_phone,) = add_contributions(
        exercise,
        [
            "Arreglen la carretera y el puente de la vereda, los derrumbes y huecos no dejan "
            "pasar el transporte; llamen al 310 555 1234 para coordinar la maquinaria."
        ],
    )
    analysis = run(exercise, analyst)
    roads = theme_of(analysis, corpus["roads-0"][0])
    hidden = corpus["roads-5"][0]
    services.quote_pin(theme=roads, contribution_id=with_phone.pk, pinned=True, by=analyst)
    services.quote_pin(theme=roads, contribution_id=hidden.pk, pinned=True, by=analyst)
    Contribution.objects.filter(pk=hidden.pk).update(moderation="hidden")

    themes = selectors.themes_public(exercise, quotes=3)

    public_roads = next(t for t in themes if t["id"] == roads.pk)
    assert public_roads["quotes"][0] == (
        "Arreglen la carretera y el puente de la vereda, los derrumbes y huecos no dejan "
        "pasar el transporte; llamen al [teléfono] para coordinar la maquinaria."
    )
    assert hidden.text not in public_roads["quotes"]
    assert len(public_roads["quotes"]) == 3
    assert [t["size"] for t in themes] == sorted((t["size"] for t in themes), reverse=True)


def test_findings_feed_the_report_and_open_data(exercise, corpus, analyst):
    analysis = run(exercise, analyst)
    stamp = analysis_modified(exercise)
    roads = theme_of(analysis, corpus["roads-0"][0])
    services.theme_rename(theme=roads, label="Vías terciarias", by=analyst)
    services.theme_finding(
        theme=roads, is_finding=True, conclusion="El campo pide vías terciarias.", by=analyst
    )

    findings = selectors.findings_for_exercise(exercise)
    report = analysis_themes(exercise)
    rows = dict(
        Contribution.objects.filter(exercise=exercise)
        .annotate(**analysis_columns(exercise))
        .values_list("pk", F("_theme_label"))
    )
    groups = set(
        Contribution.objects.filter(exercise=exercise)
        .annotate(**analysis_columns(exercise))
        .exclude(_duplicate_group=None)
        .values_list("pk", flat=True)
    )

    assert [(f["label"], f["conclusion"]) for f in findings] == [
        ("Vías terciarias", "El campo pide vías terciarias.")
    ]
    assert report[0]["label"] == "Vías terciarias"
    assert report[0]["finding"] == "El campo pide vías terciarias."
    assert [r["finding"] for r in report[1:]] == ["", ""]
    assert rows[corpus["roads-0"][0].pk] == "Vías terciarias"
    assert rows[corpus["short-1"][0].pk] is None
    assert groups == {corpus[f"camp-{i}"][0].pk for i in range(12)}
    assert analysis_modified(exercise) > stamp
