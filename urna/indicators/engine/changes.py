"""What changed since the last refresh, source by source, as months to recompute.

Each source keeps a watermark (``IndicatorWatermark``): the highest id read for append-only
tables (new rows), the latest change stamp for small tables that change state, and a small
JSON state — each activity table's id span per month (``spans``), the replies roll-ups' sums
per month, the outbox's unsent counts of recent months. Every question asked here is a range of
ids, a range of an index or a read of a small table.
"""

from datetime import datetime, timedelta

from django.db.models import Count, Max, Min
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from urna.campaigns.models import Campaign
from urna.channels.selectors import UNSENT
from urna.exercises.models import Exercise
from urna.indicators.engine.activity import Spans
from urna.indicators.engine.catalog import exercise_start
from urna.indicators.engine.perception import perception_signature
from urna.indicators.engine.periods import (
    Month,
    current_month,
    label,
    month_of,
    months_between,
    parse,
)
from urna.indicators.engine.replies import rollup_signature
from urna.indicators.engine.sources import ACTIVITIES, Activity
from urna.indicators.models import IndicatorWatermark
from urna.messaging.models import OutboundMessage
from urna.queries.models import Query, QueryEvent
from urna.socialaccounts.models import SocialAccount, SocialFigure
from urna.surveys.models import Response as SurveyResponse

# A row may commit after one with a higher id was read (PostgreSQL hands out ids before
# commit): the watermark stops short of rows stamped within this many seconds, which the next
# refresh reads again.
SETTLE_SECONDS = 60
# Outbound messages change status (suppressed at sending, cancelled with their dispatch) within
# days of being queued; older months are final.
OUTBOX_SETTLE_DAYS = 62
# Query events that move a query to another entity (its month's per-entity figures change).
MOVING_EVENTS = (QueryEvent.Kind.ROUTED, QueryEvent.Kind.TRANSFERRED)


def watermark(source: str) -> IndicatorWatermark:
    mark, _ = IndicatorWatermark.objects.select_for_update().get_or_create(source=source)
    return mark


def load_spans() -> Spans:
    marks = IndicatorWatermark.objects.filter(source__in=[a.name for a in ACTIVITIES])
    return {
        mark.source: {parse(k): tuple(v) for k, v in mark.state.get("spans", {}).items()}
        for mark in marks
    }


def _base(activity: Activity):
    """Every row of the activity's table (spans cover rows whatever their status)."""
    return activity.rows().model._default_manager.all()


def _spans_of(queryset, stamp: str) -> dict[Month, tuple[int, int]]:
    rows = (
        queryset.annotate(_y=ExtractYear(stamp), _m=ExtractMonth(stamp))
        .values("_y", "_m")
        .annotate(lo=Min("pk"), hi=Max("pk"))
        .order_by()
    )
    return {(r["_y"], r["_m"]): (r["lo"], r["hi"]) for r in rows if r["_y"] is not None}


def _settled_id(queryset, stamp: str, top: int, now: datetime, settle: float) -> int:
    """The highest id up to which every row is surely committed and read."""
    if not settle:
        return top
    recent = queryset.filter(
        **{f"{stamp}__gte": now - timedelta(seconds=settle), f"{stamp}__lte": now}
    )
    first_recent = recent.aggregate(first=Min("pk"))["first"]
    return top if first_recent is None else first_recent - 1


def activity_advance(
    activity: Activity, *, now: datetime, settle: float, rebuild: bool = False
) -> set[Month]:
    """Months with rows added since the watermark; extends the spans and moves the mark. A
    rebuild reads every row (and replaces the spans)."""
    mark = watermark(activity.name)
    rows = _base(activity)
    if not rebuild:
        rows = rows.filter(pk__gt=mark.last_id)
    found = _spans_of(rows, activity.stamp)
    spans = {} if rebuild else {parse(k): v for k, v in mark.state.get("spans", {}).items()}
    for month, (lo, hi) in found.items():
        old = spans.get(month)
        spans[month] = (min(lo, old[0]), max(hi, old[1])) if old else (lo, hi)
    if found:
        top = max(hi for _, hi in found.values())
        mark.last_id = max(mark.last_id, _settled_id(rows, activity.stamp, top, now, settle))
    mark.state = {**mark.state, "spans": {label(m): list(v) for m, v in sorted(spans.items())}}
    mark.refreshed_at = now
    mark.save()
    return set(found)


def moved_queries(*, rebuild: bool = False) -> set[Month]:
    """Months of queries routed or transferred to another entity since the last refresh."""
    mark = watermark("query_events")
    events = QueryEvent.objects.filter(pk__gt=mark.last_id, kind__in=MOVING_EVENTS)
    last = QueryEvent.objects.aggregate(top=Max("pk"))["top"] or 0
    months: set[Month] = set()
    if not rebuild:
        query_ids = set(events.values_list("query_id", flat=True))
        ids = sorted(query_ids)
        for start in range(0, len(ids), 900):
            filed = Query.objects.filter(pk__in=ids[start : start + 900]).values_list(
                "filed_at", flat=True
            )
            months |= {month_of(stamp) for stamp in filed}
    mark.last_id = last
    mark.save()
    return months


def survey_completions(*, now: datetime, rebuild: bool = False) -> set[Month]:
    """Months (of their start) of survey responses completed since the last refresh: a
    response is stored when it starts and counts once complete, which may be after the id
    watermark passed it (an index range over ``updated_at``)."""
    mark = watermark("survey_completions")
    months: set[Month] = set()
    if not rebuild and mark.last_stamp is not None:
        done = SurveyResponse.objects.filter(
            updated_at__gte=mark.last_stamp - timedelta(seconds=SETTLE_SECONDS),
            status=SurveyResponse.Status.COMPLETE,
        )
        months = {month_of(stamp) for stamp in done.datetimes("started_at", "month")}
    mark.last_stamp = now
    mark.save()
    return months


def _dated_changes(source: str, model, months_of, *, now: datetime, rebuild: bool) -> set[Month]:
    """Months of rows of a small table changed since the last stamp, where they count now and
    where they counted before (kept in the mark's state)."""
    mark = watermark(source)
    rows = (
        model.objects.all()
        if rebuild or mark.last_stamp is None
        else model.objects.filter(updated_at__gte=mark.last_stamp)
    )
    before: dict[str, list[str]] = {} if rebuild else dict(mark.state.get("months", {}))
    dirty: set[Month] = set()
    for row in rows:
        now_months = {m for m in months_of(row) if m}
        dirty |= now_months | {parse(m) for m in before.get(str(row.pk), [])}
        before[str(row.pk)] = sorted(label(m) for m in now_months)
    mark.last_stamp, mark.state = now, {"months": before}
    mark.save()
    return dirty


def exercise_changes(*, now: datetime, rebuild: bool = False) -> set[Month]:
    return _dated_changes(
        "exercises",
        Exercise,
        lambda e: {month_of(exercise_start(e)), month_of(e.results_published_at)},
        now=now,
        rebuild=rebuild,
    )


def campaign_changes(*, now: datetime, rebuild: bool = False) -> set[Month]:
    return _dated_changes(
        "campaigns", Campaign, lambda c: {month_of(c.started_at)}, now=now, rebuild=rebuild
    )


def _signature_changes(source: str, signature: dict, *, since: str = "") -> set[Month]:
    mark = watermark(source)
    before = {k: v for k, v in mark.state.get("months", {}).items() if k >= since}
    dirty = {parse(m) for m in set(signature) | set(before) if signature.get(m) != before.get(m)}
    mark.state = {"months": signature}
    mark.save()
    return dirty


def perception_changes() -> set[Month]:
    """Months whose published perception waves moved (published, unpublished, recomputed)."""
    return _signature_changes("perception", perception_signature())


def reply_changes() -> set[Month]:
    """Months whose replies roll-ups moved."""
    return _signature_changes("replies", rollup_signature())


def outbox_changes(*, now: datetime) -> set[Month]:
    """Recent months whose count of messages held back or cancelled moved (index range)."""
    since = timezone.localtime(now) - timedelta(days=OUTBOX_SETTLE_DAYS)
    since = since.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    rows = (
        OutboundMessage.objects.filter(status__in=UNSENT, created_at__gte=since)
        .annotate(_y=ExtractYear("created_at"), _m=ExtractMonth("created_at"))
        .values("_y", "_m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    signature = {label((r["_y"], r["_m"])): r["n"] for r in rows}
    return _signature_changes("outbox", signature, since=label(month_of(since)))


def social_changes(*, now: datetime, rebuild: bool = False) -> set[Month]:
    """Months whose social-account figures may have moved: from the earliest date a new
    figure or a changed account touches (a follower count holds until the next one, an
    account's status is today's) to the current month."""
    mark = watermark("social")
    figures, accounts = SocialFigure.objects.all(), SocialAccount.objects.all()
    if not rebuild:
        figures = figures.filter(pk__gt=mark.last_id)
        if mark.last_stamp is not None:
            accounts = accounts.filter(updated_at__gte=mark.last_stamp)
    found = figures.aggregate(first=Min("date"), top=Max("pk"))
    listed = accounts.aggregate(first=Min("listed_on"))["first"]
    earliest = min((d for d in (found["first"], listed) if d), default=None)
    mark.last_id = max(mark.last_id, found["top"] or 0)
    mark.last_stamp = now
    mark.save()
    if earliest is None:
        return set()
    return set(months_between(month_of(earliest), current_month(now)))
