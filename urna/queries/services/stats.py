"""The SLA counters: bumped by every write that changes what the board shows, and rebuilt from
the queries after a bulk load (or to repair them).

``QueryStat`` counts received, answered (within term) and transferred queries per scope (entity
id; 0 = the platform) and month, for "all", each type and each channel; ``QueryDaysStat`` is the
histogram of business days taken to answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from urna.queries.models import Query, QueryDaysStat, QueryStat, QueryTransfer
from urna.queries.services.common import local_date, month_of


def _dims(type_: str, channel: str) -> tuple[tuple[str, str], ...]:
    return (("all", ""), ("type", type_), ("channel", channel))


def stat_bump(*, scopes: list[int], month: date, query: Query, **deltas: int) -> None:
    """Add ``deltas`` to the counters of each scope for "all", the query's type and channel."""
    updates = {name: F(name) + amount for name, amount in deltas.items()}
    for scope in scopes:
        for dim, value in _dims(query.type, query.channel):
            key = {"scope": scope, "month": month, "dim": dim, "value": value}
            if QueryStat.objects.filter(**key).update(**updates):
                continue
            try:
                with transaction.atomic():
                    QueryStat.objects.create(**key, **deltas)
            except IntegrityError:  # created concurrently
                QueryStat.objects.filter(**key).update(**updates)


def days_bump(*, scopes: list[int], month: date, query: Query, days: int) -> None:
    for scope in scopes:
        for dim, value in _dims(query.type, query.channel):
            key = {"scope": scope, "month": month, "dim": dim, "value": value, "days": days}
            if QueryDaysStat.objects.filter(**key).update(count=F("count") + 1):
                continue
            try:
                with transaction.atomic():
                    QueryDaysStat.objects.create(**key, count=1)
            except IntegrityError:
                QueryDaysStat.objects.filter(**key).update(count=F("count") + 1)


# --- rebuilding them ----------------------------------------------------------------------------


def _as_date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass
class _Tally:
    """Counter rows being rebuilt, keyed like the tables' unique constraints."""

    counters: dict[tuple, dict[str, int]] = field(default_factory=dict)
    days: dict[tuple, int] = field(default_factory=dict)

    def add(self, scope: int, month: date, type_: str, channel: str, name: str, n: int) -> None:
        if not n:
            return
        for dim, value in _dims(type_, channel):
            row = self.counters.setdefault((scope, month, dim, value), {})
            row[name] = row.get(name, 0) + n

    def add_days(self, scope: int, month: date, type_: str, channel: str, days: int, n: int):
        for dim, value in _dims(type_, channel):
            key = (scope, month, dim, value, days)
            self.days[key] = self.days.get(key, 0) + n


def _tally_received(tally: _Tally) -> None:
    """Received at the month of filing: by the platform always, and by the entity of every
    query never transferred (transferred ones count from their transfers)."""
    received = (
        Query.objects.annotate(m=TruncMonth("filed_at"))
        .values("m", "type", "channel")
        .annotate(n=Count("id"))
    )
    for row in received:
        tally.add(0, _as_date(row["m"]), row["type"], row["channel"], "received", row["n"])
    untransferred = (
        Query.objects.filter(transferred_at__isnull=True, entity__isnull=False)
        .annotate(m=TruncMonth("filed_at"))
        .values("entity_id", "m", "type", "channel")
        .annotate(n=Count("id"))
    )
    for row in untransferred:
        month = _as_date(row["m"])
        tally.add(row["entity_id"], month, row["type"], row["channel"], "received", row["n"])


def _tally_transfers(tally: _Tally) -> None:
    """A transferred query was received by its first entity at the month of filing, and by
    each destination on Urna at the month of the transfer, which counts as transferred for the
    platform and the entity it left."""
    transfers = (
        QueryTransfer.objects.select_related("query")
        .order_by("query_id", "at")
        .only(
            "query__type",
            "query__channel",
            "query__filed_at",
            "from_entity_id",
            "to_entity_id",
            "at",
        )
    )
    first_seen: set[int] = set()
    for transfer in transfers.iterator():
        q = transfer.query
        t_month = month_of(local_date(transfer.at))
        if q.pk not in first_seen:
            first_seen.add(q.pk)
            filed_month = month_of(local_date(q.filed_at))
            tally.add(transfer.from_entity_id, filed_month, q.type, q.channel, "received", 1)
        tally.add(0, t_month, q.type, q.channel, "transferred", 1)
        tally.add(transfer.from_entity_id, t_month, q.type, q.channel, "transferred", 1)
        if transfer.to_entity_id:
            tally.add(transfer.to_entity_id, t_month, q.type, q.channel, "received", 1)


def _tally_answered(tally: _Tally) -> None:
    """Answered (and within term) at the month of the answer, with the days it took."""
    answered = (
        Query.objects.filter(answered_at__isnull=False, entity__isnull=False)
        .annotate(m=TruncMonth("answered_at"))
        .values("entity_id", "m", "type", "channel", "business_days_taken")
        .annotate(n=Count("id"), within=Count("id", filter=Q(answered_within_term=True)))
    )
    for row in answered:
        month, type_, channel = _as_date(row["m"]), row["type"], row["channel"]
        for scope in (0, row["entity_id"]):
            tally.add(scope, month, type_, channel, "answered", row["n"])
            tally.add(scope, month, type_, channel, "answered_within_term", row["within"])
            days = row["business_days_taken"] or 0
            tally.add_days(scope, month, type_, channel, days, row["n"])


def _store(tally: _Tally) -> None:
    QueryStat.objects.bulk_create(
        [
            QueryStat(scope=s, month=m, dim=d, value=v, **fields)
            for (s, m, d, v), fields in tally.counters.items()
        ],
        batch_size=2000,
    )
    QueryDaysStat.objects.bulk_create(
        [
            QueryDaysStat(scope=s, month=m, dim=d, value=v, days=n_days, count=n)
            for (s, m, d, v, n_days), n in tally.days.items()
        ],
        batch_size=2000,
    )


@transaction.atomic
def query_stats_rebuild() -> int:
    """Recompute the SLA counters from the queries (after a bulk load or to repair them).

    Received counts at the month of filing for the first entity and at the month of the
    transfer for the entities a query was transferred to. Returns the number of counter rows.
    """
    QueryStat.objects.all().delete()
    QueryDaysStat.objects.all().delete()
    tally = _Tally()
    _tally_received(tally)
    _tally_transfers(tally)
    _tally_answered(tally)
    _store(tally)
    return len(tally.counters) + len(tally.days)
