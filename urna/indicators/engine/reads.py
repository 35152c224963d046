"""What pages and the API read: facts only, a handful of indexed queries, never a source table.

Missing facts: a count of a period that has begun reads 0 (the engine stores no zero rows); a
percent or a number of days with nothing to measure, and any period still to come, reads None.
"""

from django.db.models import Q
from django.utils import timezone

from urna.indicators.engine.definitions import BY_KEY, COUNT, DEFINITIONS, IndicatorDef
from urna.indicators.models import IndicatorFact

Value = float | None


def definitions() -> list[IndicatorDef]:
    """Every computed indicator, in the order of the public table."""
    return list(DEFINITIONS)


def definition(key: str) -> IndicatorDef | None:
    return BY_KEY.get(key)


def _default(definition: IndicatorDef, year: int, month: int) -> Value:
    """The value of a period with no stored fact: 0 for a count of a period that has begun."""
    if definition.unit != COUNT:
        return None
    today = timezone.localdate()
    begun = year < today.year or (year == today.year and month <= today.month)
    return 0.0 if begun else None


def _facts(*, scope_kind: str, scope: str):
    return IndicatorFact.objects.filter(scope_kind=scope_kind, scope=str(scope))


def values(
    *, years: list[int], scope_kind: str = "all", scope: str = "", month: int | None = None
) -> dict[tuple[str, int], Value]:
    """Every indicator's value for each year (or one month of each year), for one scope:
    ``scope_kind`` "all" (``scope`` ""), "entity" (the entity's id) or "department" (its DANE
    code). Keys are (indicator key, year); indicators not computed for the scope kind are left
    out."""
    period = month or 0
    rows = _facts(scope_kind=scope_kind, scope=scope).filter(year__in=years, month=period, dim="")
    stored = {(key, year): value for key, year, value in rows.values_list("key", "year", "value")}
    result: dict[tuple[str, int], Value] = {}
    for d in DEFINITIONS:
        if scope_kind not in d.scopes:
            continue
        for year in years:
            result[(d.key, year)] = stored.get((d.key, year), _default(d, year, max(period, 1)))
    return result


def series(*, key: str, year: int, scope_kind: str = "all", scope: str = "") -> list[Value]:
    """The twelve monthly values of one indicator in a year (January first)."""
    d = BY_KEY[key]
    rows = _facts(scope_kind=scope_kind, scope=scope).filter(
        key=key, year=year, month__gte=1, dim=""
    )
    stored = dict(rows.values_list("month", "value"))
    return [stored.get(m, _default(d, year, m)) for m in range(1, 13)]


def breakdown(
    *, key: str, year: int, scope_kind: str = "all", scope: str = "", month: int | None = None
) -> dict[str, float]:
    """One indicator by its dimension (channel code → value) for a year or one of its months,
    largest first; values that are 0 are left out. Labels: ``urna.core.channels.Channel``."""
    rows = (
        _facts(scope_kind=scope_kind, scope=scope)
        .filter(key=key, year=year, month=month or 0)
        .exclude(dim="")
        .order_by("-value", "dim")
    )
    return dict(rows.values_list("dim", "value"))


def scopes_with_data(*, scope_kind: str, years: list[int]) -> list[str]:
    """The entity ids or department codes that have any fact in these years."""
    rows = (
        IndicatorFact.objects.filter(scope_kind=scope_kind, year__in=years, month=0)
        .values_list("scope", flat=True)
        .distinct()
    )
    return sorted(rows)


def years_with_data() -> list[int]:
    """The years that have any computed fact, most recent first."""
    years = IndicatorFact.objects.filter(Q(month=0), scope_kind="all").values_list(
        "year", flat=True
    )
    return sorted(set(years), reverse=True)
