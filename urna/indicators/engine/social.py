"""The government's social-network accounts (``urna.socialaccounts``): accounts tracked, active
and their followers, as of each month's end (today for the current month) and of the year's,
per entity and department, as the registry computes them (``indicator_figures``)."""

from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from urna.indicators.engine.facts import Facts
from urna.socialaccounts.selectors import indicator_figures


def _last_day(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def _put(facts: Facts, year: int, month: int, rows: list[dict]) -> None:
    totals: dict[tuple[str, str, str], float] = defaultdict(float)
    for row in rows:
        key, value = row["key"], row["value"]
        totals[(key, "all", "")] += value
        totals[(key, "entity", str(row["entity_id"]))] += value
        if row["department"]:
            totals[(key, "department", row["department"])] += value
    for (key, scope_kind, scope), value in totals.items():
        if value:
            facts.put(key, year, month, value, scope_kind=scope_kind, scope=scope)


def social_facts(year: int, today: date | None = None) -> Facts:
    facts = Facts()
    today = today or timezone.localdate()
    for month in range(1, 13):
        start = date(year, month, 1)
        if start > today:
            break
        end = min(_last_day(year, month), today)
        _put(facts, year, month, indicator_figures(start=start, end=end))
    if date(year, 1, 1) <= today:
        end = min(date(year, 12, 31), today)
        _put(facts, year, 0, indicator_figures(start=date(year, 1, 1), end=end))
    return facts
