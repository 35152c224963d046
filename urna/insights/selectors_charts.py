"""Reads behind the analyst's charts page: themes over time, themes by department (a heat table
and a map) and the largest campaign groups.

Each read is a fixed number of aggregate queries whatever the number of contributions: the
figures are counted in SQL (``GROUP BY``), never by looping over contributions or themes. The
department figures come from ``selectors.breakdown``, so the small-cell rule is the workspace's:
a cell of fewer than ``min_cell`` people is never shown, on the map either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, DateField, F, Func, Value
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.core.charts import (
    SEQUENTIAL,
    SEQUENTIAL_DARK_FROM,
    bar_chart,
    choropleth_map,
    sequential_breaks,
    sequential_level,
    stacked_column_chart,
)
from urna.core.l10n import date_text
from urna.core.privacy import mask_personal_data
from urna.insights.models import Analysis, Assignment
from urna.insights.pipeline import MISSING_VALUE
from urna.insights.selectors import (
    MIN_CELL,
    breakdown,
    duplicate_groups,
    live_themes,
    staff_cached,
)
from urna.territory.models import Department

TOP_THEMES = 6
TOP_GROUPS = 15
# Up to this many days between the first and the last contribution the chart counts per day,
# beyond it per week (weeks start on Monday).
DAILY_UP_TO_DAYS = 45
GROUP_LABEL_CHARS = 60


@dataclass
class ThemesOverTime:
    periods: list[date]
    weekly: bool
    series: list[tuple[str, list[int]]]  # (theme, contributions per period), top themes first
    others_label: str
    svg: Any = None

    @property
    def table(self) -> list[dict[str, Any]]:
        """One row per period: ``{"period", "values", "total"}`` (the table alternative)."""
        return [
            {
                "period": period,
                "values": [values[i] for _label, values in self.series],
                "total": sum(values[i] for _label, values in self.series),
            }
            for i, period in enumerate(self.periods)
        ]


def themes_over_time(analysis: Analysis, *, top: int = TOP_THEMES) -> ThemesOverTime:
    """Contributions per day (or week) of the ``top`` largest live themes, the rest grouped
    (other themes and the unclassified). Two queries: the themes and one aggregate; cached
    until the analysis changes."""
    return staff_cached(analysis, f"over-time:{top}", lambda: _themes_over_time(analysis, top))


def _themes_over_time(analysis: Analysis, top: int) -> ThemesOverTime:
    themes = list(live_themes(analysis).values_list("pk", "analyst_label", "label")[:top])
    counts = (
        Assignment.objects.filter(analysis=analysis)
        .annotate(day=_local_date("contribution__created_at"))
        .values("theme_id", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [(c["theme_id"], c["day"], c["n"]) for c in counts]
    others = _("Otros temas y sin clasificar")
    if not rows:
        return ThemesOverTime(periods=[], weekly=False, series=[], others_label=others)
    first, last = min(r[1] for r in rows), max(r[1] for r in rows)
    weekly = (last - first).days > DAILY_UP_TO_DAYS

    def period_of(day: date) -> date:
        return day - timedelta(days=day.weekday()) if weekly else day

    step = timedelta(days=7 if weekly else 1)
    periods = [period_of(first)]
    while periods[-1] + step <= period_of(last):
        periods.append(periods[-1] + step)
    index = {p: i for i, p in enumerate(periods)}
    slot = {pk: k for k, (pk, _a, _l) in enumerate(themes)}
    values = [[0] * len(periods) for _ in range(len(themes) + 1)]
    for theme_id, day, n in rows:
        values[slot.get(theme_id, len(themes))][index[period_of(day)]] += n
    series = [(analyst or label, values[k]) for k, (_pk, analyst, label) in enumerate(themes)]
    if any(values[-1]):
        series.append((others, values[-1]))
    result = ThemesOverTime(periods=periods, weekly=weekly, series=series, others_label=others)
    result.svg = _time_chart(result)
    return result


def _local_date(field: str) -> Any:
    """The local calendar day of a datetime column, in SQL.

    On SQLite, Django's ``TruncDate`` calls a Python function per row (half a second over
    108,739 rows); SQLite's own ``date(column, '<offset> seconds')`` does the same in C, with
    the current time zone's offset now (exact for Colombia, which keeps no daylight saving
    time; elsewhere a day boundary may be off by the DST hour). Other databases truncate
    natively.
    """
    if connection.vendor != "sqlite":
        return TruncDate(field)
    offset = int(timezone.localtime().utcoffset().total_seconds())
    return Func(F(field), Value(f"{offset:+d} seconds"), function="DATE", output_field=DateField())


def _time_chart(data: ThemesOverTime) -> Any:
    unit = _("aportes por semana") if data.weekly else _("aportes por día")
    totals = "; ".join(f"{label}: {sum(values)}" for label, values in data.series)
    desc = _(
        "Columnas apiladas de %(unit)s, del %(first)s al %(last)s, por tema. Total por tema: "
        "%(totals)s."
    ) % {
        "unit": unit,
        "first": date_text(data.periods[0]),
        "last": date_text(data.periods[-1]),
        "totals": totals,
    }
    return stacked_column_chart(
        data.periods,
        data.series,
        title=_("Temas a lo largo del tiempo (%(unit)s)") % {"unit": unit},
        desc=desc,
        legend_others=data.others_label,
    )


@dataclass
class HeatCell:
    contributions: int | None  # None: suppressed (fewer than min_cell people)
    people: int | None
    level: int  # SEQUENTIAL step, -1 for zero or suppressed
    dark: bool  # white text on a dark step


@dataclass
class DepartmentRow:
    code: str | None  # None: contributions without a department
    name: str
    cells: list[HeatCell]  # one per theme (and the unclassified)
    total: HeatCell


@dataclass
class ThemesByDepartment:
    min_cell: int
    themes: list[str]
    rows: list[DepartmentRow] = field(default_factory=list)
    map_svg: Any = None
    mapped: int = 0  # departments with a figure shown on the map


def themes_by_department(analysis: Analysis, *, min_cell: int = MIN_CELL) -> ThemesByDepartment:
    """Themes × departments as a heat table (largest departments first) and a map of the
    departments' totals, both with cells of fewer than ``min_cell`` people suppressed (the
    workspace's breakdown does the counting and the suppression)."""
    table = breakdown(analysis, dimension="departamento", public=False, min_cell=min_cell)
    departments = list(Department.objects.values_list("code", "name", "display_name"))
    code_of = {name: code for code, name, _d in departments}
    display = {code: shown for code, _n, shown in departments}
    shown = [c.contributions for row in table.rows for c in row.cells if not c.suppressed]
    breaks = sequential_breaks(shown)
    total_breaks = sequential_breaks([c.contributions for c in table.totals if not c.suppressed])
    rows = []
    for col, value in enumerate(table.values):
        code = code_of.get(value)
        rows.append(
            DepartmentRow(
                code=code,
                name=display.get(code, str(MISSING_VALUE)) if code else str(value),
                cells=[_heat(row.cells[col], breaks) for row in table.rows],
                total=_heat(table.totals[col], total_breaks),
            )
        )
    rows.sort(key=lambda r: (r.code is None, -(r.total.contributions or 0), r.name))
    result = ThemesByDepartment(min_cell=min_cell, themes=[r.label for r in table.rows], rows=rows)
    figures = {r.code: r.total.contributions for r in rows if r.code}
    result.mapped = sum(1 for v in figures.values() if v)
    result.map_svg = choropleth_map(
        figures,
        names=display,
        title=_("Aportes por departamento"),
        unit=_("aportes"),
        hidden_label=_("menos de %(n)s personas: oculto") % {"n": min_cell},
        none_label=_("sin aportes"),
        credit=_(
            "Contornos: svg-maps / MapSVG (CC BY 4.0), simplificados. No son límites oficiales."
        ),
    )
    return result


def _heat(cell: Any, breaks: list[float]) -> HeatCell:
    if cell.suppressed:
        return HeatCell(contributions=None, people=None, level=-1, dark=False)
    level = sequential_level(cell.contributions, breaks)
    return HeatCell(
        contributions=cell.contributions,
        people=cell.people,
        level=level,
        dark=level >= SEQUENTIAL_DARK_FROM,
    )


def heat_colour(level: int) -> str:
    return SEQUENTIAL[level] if level >= 0 else "#ffffff"


@dataclass
class GroupBar:
    pk: int
    size: int
    text: str  # the representative's text, personal data masked
    theme: str
    url: str


def largest_groups(
    analysis: Analysis, *, slug: str, limit: int = TOP_GROUPS
) -> tuple[list[GroupBar], Any]:
    """The ``limit`` largest campaign and duplicate groups (size, theme, the representative's
    masked text) and their bar chart, each bar linking to the group's page (``slug``: the
    exercise's). One query."""
    bars = [
        GroupBar(
            pk=g.pk,
            size=g.size,
            text=g.representative.public_text or mask_personal_data(g.representative.text),
            theme=g.theme.name if g.theme else _("Sin clasificar"),
            url=reverse("insights:group", kwargs={"slug": slug, "pk": g.pk}),
        )
        for g in duplicate_groups(analysis)[:limit]
    ]
    svg = bar_chart(
        [(f"{b.text} ({b.theme})", b.size) for b in bars],
        title=_("Las %(n)s campañas o textos repetidos más grandes") % {"n": len(bars)},
        unit=_("aportes"),
        width=760,
        label_width=420,
        label_chars=GROUP_LABEL_CHARS,
        hrefs=[b.url for b in bars],
    )
    return bars, svg


def analysis_warm(analysis: Analysis) -> None:
    """Compute the workspace's and the charts page's aggregates of a finished analysis, so the
    analyst's first visit is as fast as the next ones."""
    themes_over_time(analysis)
    for dimension in ("canal", "departamento"):  # the workspace's default, the charts' map
        breakdown(analysis, dimension=dimension, public=False)
