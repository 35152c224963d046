"""Reads of the indicators' pages and API: the table of indicators and goals over several years,
the monthly series, the breakdowns by channel, for the platform, an entity or a department.

Computed figures come from the facts the engine keeps (``urna.indicators.engine.reads``), manual
figures and goals from their own small tables: a page costs the same handful of indexed queries
whatever the number of contributions, queries or contacts stored.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from urna.core.channels import Channel
from urna.core.errors import InvalidInput
from urna.entities.models import Entity
from urna.indicators.engine import reads
from urna.indicators.engine.definitions import GROUPS
from urna.indicators.models import IndicatorGoal, ManualIndicator, ManualValue
from urna.territory.models import Department

YEARS_SHOWN = 3
FILTER_CACHE_SECONDS = 600
FIRST_YEAR = 2000
# Less is better: the goal is a ceiling, and reaching it means staying under it.
LOWER_IS_BETTER = frozenset({"replies_median_days", "replies_p90_days", "replies_overdue"})
# The monthly series drawn on the dashboard, in this order.
SERIES_KEYS = ("people_reached", "interactions_total", "replies_received", "channel_inbound")
# Interactions broken down by channel: the columns of the channel table.
CHANNEL_KEYS = (
    "interactions_contributions",
    "interactions_votes",
    "interactions_deliberation",
    "interactions_queries",
    "interactions_total",
)
TRAFFIC_KEYS = ("channel_inbound", "channel_outbound")
MANUAL_GROUP_LABELS = dict(ManualIndicator.Group.choices)


@dataclass(frozen=True)
class Scope:
    """What the figures cover: the whole platform, one entity or one department."""

    kind: str = "all"  # "all", "entity" or "department"
    value: str = ""  # the entity's id or the department's DANE code
    name: str = ""
    entity: Entity | None = None
    department: Department | None = None

    @property
    def label(self) -> str:
        return self.name or _("Toda la plataforma")


def scope_resolve(*, entity: str | None = None, department: str | None = None) -> Scope:
    """The scope of a request's ``entity`` (acronym, slug or id) or ``department`` (DANE
    code); refuses an unknown one, or both at once, with a Spanish error naming the field."""
    entity, department = (entity or "").strip(), (department or "").strip()
    if entity and department:
        raise InvalidInput(
            _("Elija una entidad o un departamento, no los dos a la vez."), field="department"
        )
    if entity:
        match = Entity.objects.active().exclude(kind=Entity.Kind.PLATFORM)
        found = (
            match.filter(pk=int(entity)).first()
            if entity.isdigit()
            else match.filter(acronym__iexact=entity).first() or match.filter(slug=entity).first()
        )
        if found is None:
            raise InvalidInput(
                _("No existe la entidad «%(entity)s».") % {"entity": entity}, field="entity"
            )
        return Scope("entity", str(found.pk), found.name, entity=found)
    if department:
        if not (len(department) == 2 and department.isdigit()):
            raise InvalidInput(
                _("El departamento es su código DANE de dos dígitos (por ejemplo 05 o 17)."),
                field="department",
            )
        found_department = Department.objects.filter(code=department).first()
        if found_department is None:
            raise InvalidInput(
                _("No existe el departamento con código %(code)s.") % {"code": department},
                field="department",
            )
        return Scope(
            "department", department, found_department.display_name, department=found_department
        )
    return Scope()


def scope_for_entity(entity: Entity | None) -> Scope:
    if entity is None:
        return Scope()
    return Scope("entity", str(entity.pk), entity.name, entity=entity)


def years_available() -> list[int]:
    """Years a visitor may pick, most recent first: the current one and every year with
    computed facts or manual figures."""
    years = set(reads.years_with_data())
    years |= set(ManualValue.objects.order_by().values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def year_check(year: int, *, field: str = "year") -> None:
    current = timezone.localdate().year
    if not FIRST_YEAR <= year <= current:
        raise InvalidInput(
            _("El año va de %(first)s a %(last)s.") % {"first": FIRST_YEAR, "last": current},
            field=field,
        )


def years_for(year: int, available: list[int]) -> list[int]:
    """The columns of the table: up to three years ending at ``year``, none before the first
    year with data."""
    first = min([*available, year])
    return [y for y in range(year - YEARS_SHOWN + 1, year + 1) if y >= first]


# --- the table -----------------------------------------------------------------------------------


@dataclass
class Cell:
    year: int
    value: float | None
    goal: float | None = None
    goal_is_example: bool = False
    reached_pct: float | None = None
    change: float | None = None  # against the year before, in change_unit
    change_unit: str = "percent"  # "percent" (relative) or "points" (for percentages)
    trend: str = ""  # "up", "down", "same" or "" (nothing to compare with)

    @property
    def change_size(self) -> float | None:
        """The change without its sign (the trend says which way)."""
        return None if self.change is None else abs(self.change)


@dataclass
class Row:
    key: str
    label: str
    unit: str
    group: str
    group_label: str
    manual: bool = False
    is_example: bool = False
    source: str = ""
    help: str = ""
    cells: list[Cell] = field(default_factory=list)

    @property
    def cells_recent_first(self) -> list[Cell]:
        return self.cells[::-1]


def _number(value: Any) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def _reached(key: str, value: float | None, goal: float | None) -> float | None:
    if value is None or goal is None:
        return None
    if key in LOWER_IS_BETTER:
        if value <= 0:
            return 100.0
        return round(100 * goal / value, 1)
    if goal <= 0:
        return None
    return round(100 * value / goal, 1)


def _change(value: float | None, previous: float | None, unit: str) -> tuple[float | None, str]:
    """The change against the year before and its direction: in percentage points for a
    percentage, relative otherwise (none from zero). Nothing when either year has no figure or
    both are zero."""
    if value is None or previous is None or (value == 0 and previous == 0):
        return None, ""
    if value == previous:
        return 0.0, "same"
    trend = "up" if value > previous else "down"
    if unit == "percent":
        return round(value - previous, 1), trend
    if previous == 0:
        return None, trend
    return round(100 * (value - previous) / previous, 1), trend


def _manual_year_values(
    years: list[int], scope: Scope
) -> tuple[list[ManualIndicator], dict[tuple[str, int], float]]:
    """Each manual indicator's value per year for the scope: the whole-year figure when there
    is one, otherwise its months added up or the last month's, as the indicator says. Manual
    figures are entered for the platform or an entity, not for a department."""
    if scope.kind == "department":
        return [], {}
    indicators = list(ManualIndicator.objects.all())
    if not indicators:
        return [], {}
    rows = ManualValue.objects.filter(
        year__in=years, entity_id=scope.entity.pk if scope.entity else None
    )
    months: dict[tuple[int, int], list[tuple[int, float]]] = {}
    for indicator_id, year, month, value in rows.values_list(
        "indicator_id", "year", "month", "value"
    ):
        months.setdefault((indicator_id, year), []).append((month, float(value)))
    result: dict[tuple[str, int], float] = {}
    for indicator in indicators:
        for year in years:
            figures = sorted(months.get((indicator.pk, year), []))
            if not figures:
                continue
            if figures[0][0] == 0:
                result[(indicator.key, year)] = figures[0][1]
            elif indicator.aggregation == ManualIndicator.Aggregation.SUM:
                result[(indicator.key, year)] = sum(v for _m, v in figures)
            else:
                result[(indicator.key, year)] = figures[-1][1]
    return indicators, result


def _goals(years: list[int], scope: Scope) -> dict[tuple[str, int], tuple[float, bool]]:
    if scope.kind == "department":
        return {}
    rows = IndicatorGoal.objects.filter(year__in=years, entity=scope.entity)
    return {
        (key, year): (float(target), example)
        for key, year, target, example in rows.values_list("key", "year", "target", "is_example")
    }


def _rows(scope: Scope, manual_defs: list[ManualIndicator]) -> list[Row]:
    """The table's rows: computed indicators in their order, each manual one after the
    computed ones of its group (a group of its own otherwise)."""
    rows = [
        Row(d.key, str(d.label), d.unit, d.group, str(GROUPS[d.group]), help=str(d.help))
        for d in reads.definitions()
        if scope.kind in d.scopes
    ]
    for m in manual_defs:
        label = GROUPS.get(m.group) or MANUAL_GROUP_LABELS.get(m.group, m.group)
        rows.append(Row(m.key, m.label, m.unit, m.group, str(label), True, m.is_example, m.source))
    order = {group: k for k, group in enumerate(dict.fromkeys(row.group for row in rows))}
    return sorted(rows, key=lambda row: order[row.group])


def indicator_table(*, years: list[int], scope: Scope, first_year: int | None = None) -> list[Row]:
    """One row per indicator (computed and manual), one cell per year with its value, its goal,
    the percentage of the goal reached and the change against the year before. Years before
    ``first_year`` (the first with any data) have no figures to compare with."""
    asked = [years[0] - 1, *years]
    values: dict[tuple[str, int], float | None] = dict(
        reads.values(years=asked, scope_kind=scope.kind, scope=scope.value)
    )
    manual_defs, manual = _manual_year_values(asked, scope)
    values.update({(m.key, year): manual.get((m.key, year)) for m in manual_defs for year in asked})
    goals = _goals(years, scope)
    rows = _rows(scope, manual_defs)
    first = first_year or asked[0]
    for row in rows:
        for year in years:
            value = _number(values.get((row.key, year)))
            previous = _number(values.get((row.key, year - 1))) if year - 1 >= first else None
            goal, goal_example = goals.get((row.key, year), (None, False))
            change, trend = _change(value, previous, row.unit)
            row.cells.append(
                Cell(
                    year,
                    value,
                    goal,
                    goal_example,
                    _reached(row.key, value, goal),
                    change,
                    "points" if row.unit == "percent" else "percent",
                    trend,
                )
            )
    return rows


# --- series and breakdowns -----------------------------------------------------------------------


@dataclass
class Series:
    key: str
    label: str
    unit: str
    points: list[tuple[int, str, float | None]]  # (month, month name, value)


def monthly_series(*, year: int, scope: Scope, keys: tuple[str, ...] = SERIES_KEYS) -> list[Series]:
    """The twelve months of a few indicators in a year (None for months still to come)."""
    out = []
    for key in keys:
        d = reads.definition(key)
        if d is None or scope.kind not in d.scopes:
            continue
        values = reads.series(key=key, year=year, scope_kind=scope.kind, scope=scope.value)
        # A label starts a table row and a chart's axis: "Enero", though a date writes "enero".
        points = [(m, capfirst(str(MONTHS[m])), values[m - 1]) for m in range(1, 13)]
        out.append(Series(key, str(d.label), d.unit, points))
    return out


def channel_label(code: str) -> str:
    try:
        return str(Channel(code).label)
    except ValueError:
        return code


@dataclass
class ChannelRow:
    channel: str
    label: str
    values: dict[str, float]


def by_channel(
    *, year: int, scope: Scope, keys: tuple[str, ...] = CHANNEL_KEYS
) -> tuple[list[tuple[str, str]], list[ChannelRow]]:
    """Indicators broken down by channel: the columns (key, label) and one row per channel
    with a figure, the channel named in Spanish ("Presencial", "Televisión"), the busiest
    first."""
    columns, table = [], {}
    for key in keys:
        d = reads.definition(key)
        if d is None or scope.kind not in d.scopes or "channel" not in d.dims:
            continue
        columns.append((key, str(d.label)))
        split = reads.breakdown(key=key, year=year, scope_kind=scope.kind, scope=scope.value)
        for channel, value in split.items():
            table.setdefault(channel, {})[key] = value
    rows = [ChannelRow(code, channel_label(code), values) for code, values in table.items()]
    rows.sort(key=lambda r: (-sum(r.values.values()), r.label))
    return columns, rows


def _entities_with_data(years: list[int]) -> list[Entity]:
    ids = [int(s) for s in reads.scopes_with_data(scope_kind="entity", years=years) if s.isdigit()]
    return list(Entity.objects.filter(pk__in=ids).order_by("name").only("id", "name", "slug"))


def entities_with_data(years: list[int]) -> list[Entity]:
    """The entities that have computed figures in these years, by name (the filter's list).
    Cached for ten minutes: it reads the entities' slice of the facts (0.7 s with 1,100
    entities' facts of three years on SQLite), and every view of the dashboard asks; an entity
    new to the figures joins the list within that time."""
    key = "indicators:entities:" + ",".join(map(str, years))
    return cache.get_or_set(key, lambda: _entities_with_data(years), FILTER_CACHE_SECONDS)
