"""Replies to citizens, from the queries app's own on-write roll-ups (``QueryStat`` and
``QueryDaysStat``, read through ``urna.queries.selectors.sla_figures``): received by month of
receipt, answered by month of answer, the share answered within the legal term, the median and
90th percentile of business days taken. Per entity (the roll-ups' scopes); the roll-ups hold no
department. Overdue queries are a snapshot taken at each refresh (``snapshots``)."""

from datetime import date

from django.db.models import Sum

from urna.indicators.engine.facts import Facts
from urna.indicators.engine.periods import Month, label
from urna.queries.models import QueryDaysStat, QueryStat
from urna.queries.selectors import sla_figures


def reply_facts(year: int) -> Facts:
    facts = Facts()
    for month in range(0, 13):
        for scope, figures in sla_figures(year=year, month=month or None).items():
            where = {"scope_kind": "entity", "scope": str(scope)} if scope else {}
            values = {
                "replies_received": figures.received or None,
                "replies_answered": figures.answered or None,
                "replies_within_term_pct": figures.within_term_pct,
                "replies_median_days": figures.median_days,
                "replies_p90_days": figures.p90_days,
            }
            for key, value in values.items():
                facts.put(key, year, month, value, **where)
    return facts


def rollup_signature(since: date | None = None) -> dict[str, list[int]]:
    """Per month ("2025-03"), the sums of the roll-ups over every scope: a month whose sums
    moved has changed (a query received, answered, transferred). Reads the small roll-up
    tables only."""
    rows = QueryStat.objects.filter(dim="all")
    days = QueryDaysStat.objects.filter(dim="all")
    if since is not None:
        rows, days = rows.filter(month__gte=since), days.filter(month__gte=since)
    signature: dict[str, list[int]] = {}
    for row in (
        rows.values("month")
        .annotate(
            r=Sum("received"),
            a=Sum("answered"),
            w=Sum("answered_within_term"),
            t=Sum("transferred"),
        )
        .order_by()
    ):
        month: Month = (row["month"].year, row["month"].month)
        signature[label(month)] = [row["r"], row["a"], row["w"], row["t"], 0, 0]
    for row in days.values("month").annotate(n=Sum("count"), d=Sum("days")).order_by():
        slot = signature.setdefault(label((row["month"].year, row["month"].month)), [0] * 6)
        slot[4:] = [row["n"], row["d"]]
    return signature
