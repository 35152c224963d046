"""The demo: from a fresh site, the dashboard shows two years with goals, every manual figure
and goal marked as an example; loading it again changes nothing."""

import io

from django.utils import timezone

from urna.accounts import demo as accounts_demo
from urna.audit.models import AuditEntry
from urna.entities import demo as entities_demo
from urna.exercises.models import Contribution, Exercise
from urna.indicators import demo
from urna.indicators.engine import reads
from urna.indicators.models import IndicatorGoal, ManualValue

YEAR = timezone.localdate().year


def _load() -> str:
    out = io.StringIO()
    demo.demo_load(stdout=out)
    return out.getvalue()


def test_the_demo_shows_two_years_with_goals_and_loads_once(client, national_entities):
    entities_demo.demo_load(stdout=io.StringIO())
    accounts_demo.demo_load(stdout=io.StringIO())

    first = _load()
    counts = (
        Exercise.objects.count(),
        Contribution.objects.count(),
        ManualValue.objects.count(),
        IndicatorGoal.objects.count(),
        AuditEntry.objects.count(),
    )
    second = _load()

    assert f"3 example exercises of {YEAR - 1}" in first
    assert second.startswith(
        f"indicators: 0 example exercises of {YEAR - 1}, 0 example manual figures, 0 example goals"
    )
    assert counts == (
        Exercise.objects.count(),
        Contribution.objects.count(),
        ManualValue.objects.count(),
        IndicatorGoal.objects.count(),
        AuditEntry.objects.count(),
    )
    last_year = reads.values(years=[YEAR - 1])
    assert last_year[("exercises_carried_out", YEAR - 1)] == 3
    assert last_year[("exercises_with_results", YEAR - 1)] == 1
    assert last_year[("interactions_contributions", YEAR - 1)] == 300
    assert last_year[("partnerships_national_territorial", YEAR - 1)] == 2
    assert set(IndicatorGoal.objects.values_list("year", flat=True)) == {YEAR - 1, YEAR}
    assert not IndicatorGoal.objects.filter(is_example=False).exists()
    assert not ManualValue.objects.filter(is_example=False).exists()
    assert set(ManualValue.objects.values_list("year", flat=True)) == {YEAR - 1, YEAR}
    assert set(Exercise.objects.values_list("is_example", flat=True)) == {True}

    html = client.get("/indicadores/").content.decode()
    assert f'id="y{YEAR - 1}">{YEAR - 1}</th>' in html and f'id="y{YEAR}">{YEAR}</th>' in html
    assert html.count("Meta de ejemplo") >= 2 * 10
    assert "Dato de ejemplo" in html
