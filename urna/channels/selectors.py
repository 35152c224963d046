"""Reads for staff pages and the indicators app."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from urna.channels.models import InboundMessage, OperatorSession
from urna.exercises.models import Contribution
from urna.messaging.models import OutboundMessage
from urna.queries.models import Query

# Outbound rows carry the outbox channel (sms/whatsapp/email); USSD replies are the screens.
TRAFFIC_FIELDS = ("inbound", "outbound", "contributions", "queries")


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


UNSENT = ("suppressed", "cancelled")


def channel_traffic(*, start: date, end: date) -> list[dict]:
    """Per channel and day (inclusive range, local dates): inbound messages, outbound
    messages, contributions and queries. Rows ``{"day", "channel", "inbound", "outbound",
    "contributions", "queries"}`` sorted by day then channel; days without traffic are omitted.

    Computed from the tables themselves (raw inbound, outbox, contributions, queries) with four
    grouped queries, so that the webhooks' hot path writes nothing extra.
    """
    low, high = _bounds(start, end)
    tz = timezone.get_current_timezone()
    table: dict[tuple[date, str], dict] = defaultdict(lambda: dict.fromkeys(TRAFFIC_FIELDS, 0))
    sources = [
        ("inbound", InboundMessage.objects, "received_at", "channel"),
        # Messages that went out: not those held back (no consent) nor a cancelled campaign's.
        ("outbound", OutboundMessage.objects.exclude(status__in=UNSENT), "created_at", "channel"),
        ("contributions", Contribution.objects, "created_at", "channel"),
        ("queries", Query.objects, "created_at", "channel"),
    ]
    for name, queryset, stamp, channel in sources:
        rows = (
            queryset.filter(**{f"{stamp}__gte": low, f"{stamp}__lt": high})
            .annotate(day=TruncDate(stamp, tzinfo=tz))
            .values("day", channel)
            .annotate(n=Count("id"))
        )
        for row in rows:
            table[(row["day"], row[channel])][name] += row["n"]
    return [
        {"day": day, "channel": channel, **counts}
        for (day, channel), counts in sorted(table.items(), key=lambda item: item[0])
    ]


def inbound_for_staff(*, status: str = ""):
    """Inbound messages for the staff list, newest first, without payloads; ``status`` filters
    when it is one of the statuses."""
    queryset = InboundMessage.objects.order_by("-id").only(
        "id",
        "provider",
        "channel",
        "sender",
        "body",
        "status",
        "received_at",
        "result",
        "result_receipt",
        "last_error",
        "attempts",
    )
    if status in InboundMessage.Status.values:
        queryset = queryset.filter(status=status)
    return queryset


def operator_sessions_for(user, *, limit: int = 20):
    return (
        OperatorSession.objects.filter(operator=user)
        .select_related("exercise")
        .order_by("-created_at")[:limit]
    )
