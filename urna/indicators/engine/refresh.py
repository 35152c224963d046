"""Keeping the facts fresh: ``indicators_refresh`` recomputes only what changed since the last
run, ``indicators_rebuild`` everything from scratch. Both give the same facts (a test says so).

The facts come in parts, each computed a year at a time from its own sources: activity (the big
tables, read by id ranges month by month), exercises and partnerships, campaigns sent, replies
(the queries' roll-ups) and social accounts. A refresh asks each part's sources which months
changed (``changes``), recomputes that part for the years holding them — a year's distinct
counts need all its months — and writes the facts of the changed months and of those years only,
and only where a value differs. The snapshots (contacts who receive information, overdue
queries) are retaken for the current month at every refresh.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from urna.audit.models import AuditEntry
from urna.contacts.models import ConsentEvent, Contact
from urna.indicators.engine import changes
from urna.indicators.engine.activity import Spans, activity_facts
from urna.indicators.engine.catalog import campaign_facts, exercise_facts
from urna.indicators.engine.facts import Facts
from urna.indicators.engine.perception import KEYS as PERCEPTION_KEYS
from urna.indicators.engine.perception import perception_facts
from urna.indicators.engine.periods import Month, current_month, label
from urna.indicators.engine.replies import reply_facts
from urna.indicators.engine.snapshots import SNAPSHOT_KEYS, crm_facts, overdue_facts
from urna.indicators.engine.social import social_facts
from urna.indicators.engine.sources import ACTIVITIES
from urna.indicators.engine.store import facts_insert, facts_replace
from urna.indicators.models import IndicatorFact

CONTACT_ACTIONS = ("contact.erase", "contact.merge")


@dataclass(frozen=True)
class Part:
    name: str
    keys: tuple[str, ...]
    compute: Callable[[int, Spans], Facts]
    # Months changed since the last refresh (``rebuild``: read everything, reset the marks).
    changed: Callable[[datetime, float, bool], set[Month]]


def _activity_changes(now: datetime, settle: float, rebuild: bool) -> set[Month]:
    months: set[Month] = set()
    for activity in ACTIVITIES:
        months |= changes.activity_advance(activity, now=now, settle=settle, rebuild=rebuild)
    months |= changes.moved_queries(rebuild=rebuild)
    months |= changes.survey_completions(now=now, rebuild=rebuild)
    return months | changes.outbox_changes(now=now)


PARTS: tuple[Part, ...] = (
    Part(
        "activity",
        (
            "people_reached",
            "interactions_total",
            "interactions_contributions",
            "interactions_votes",
            "interactions_supports",
            "interactions_queries",
            "interactions_surveys",
            "interactions_deliberation",
            "campaigns_people_reached",
            "channel_inbound",
            "channel_outbound",
        ),
        activity_facts,
        _activity_changes,
    ),
    Part(
        "exercises",
        (
            "exercises_carried_out",
            "exercises_national",
            "exercises_territorial",
            "exercises_with_results",
            "partnerships_total",
            "partnerships_national_national",
            "partnerships_national_territorial",
            "partnerships_territorial_territorial",
        ),
        lambda year, spans: exercise_facts(year),
        lambda now, settle, rebuild: changes.exercise_changes(now=now, rebuild=rebuild),
    ),
    Part(
        "campaigns",
        ("campaigns_sent",),
        lambda year, spans: campaign_facts(year),
        lambda now, settle, rebuild: changes.campaign_changes(now=now, rebuild=rebuild),
    ),
    Part(
        "replies",
        (
            "replies_received",
            "replies_answered",
            "replies_within_term_pct",
            "replies_median_days",
            "replies_p90_days",
        ),
        lambda year, spans: reply_facts(year),
        lambda now, settle, rebuild: changes.reply_changes(),
    ),
    Part(
        "social",
        ("social_accounts_tracked", "social_accounts_active", "social_followers"),
        lambda year, spans: social_facts(year),
        lambda now, settle, rebuild: changes.social_changes(now=now, rebuild=rebuild),
    ),
    Part(
        "perception",
        PERCEPTION_KEYS,
        lambda year, spans: perception_facts(year),
        lambda now, settle, rebuild: changes.perception_changes(),
    ),
)


@dataclass
class RefreshResult:
    months: set[Month] = field(default_factory=set)  # months recomputed, any part
    by_part: dict[str, set[Month]] = field(default_factory=dict)
    written: int = 0  # fact rows inserted, updated or deleted
    snapshots: list[str] = field(default_factory=list)  # snapshot keys retaken


def _crm_state(now: datetime) -> dict:
    def top(queryset) -> int:
        return queryset.aggregate(top=Max("pk"))["top"] or 0

    return {
        "month": label(current_month(now)),
        "consent_event": top(ConsentEvent.objects),
        "contact": top(Contact.objects),
        "erased": top(AuditEntry.objects.filter(action__in=CONTACT_ACTIONS)),
    }


def _snapshots(now: datetime, *, force: bool) -> tuple[int, list[str]]:
    """Retake the overdue count, and the CRM count when contacts or consents changed (or the
    month did). Returns the rows written and the keys retaken."""
    year, month = current_month(now)
    periods = [(year, month), (year, 0)]
    written = facts_replace(overdue_facts(now), periods=periods, keys=["replies_overdue"])
    taken = ["replies_overdue"]
    mark = changes.watermark("crm")
    state = _crm_state(now)
    if force or mark.state != state:
        keys = ["crm_contacts_informed"]
        written += facts_replace(crm_facts(now), periods=periods, keys=keys)
        mark.state, mark.refreshed_at = state, now
        mark.save()
        taken += keys
    return written, taken


def indicators_refresh(
    *, now: datetime | None = None, settle_seconds: float = changes.SETTLE_SECONDS
) -> RefreshResult:
    """Recompute the months changed since the last refresh, their years, and the snapshots."""
    now = now or timezone.now()
    result = RefreshResult()
    with transaction.atomic():
        changed = {
            part.name: {
                m for m in part.changed(now, settle_seconds, False) if m <= current_month(now)
            }
            for part in PARTS
        }
        spans = changes.load_spans()
        for part in PARTS:
            by_year: dict[int, set[Month]] = defaultdict(set)
            for year, month in changed[part.name]:
                by_year[year].add((year, month))
            for year, months in sorted(by_year.items()):
                facts = part.compute(year, spans)
                periods = months | {(year, 0)}
                result.written += facts_replace(facts, periods=periods, keys=part.keys)
            result.by_part[part.name] = changed[part.name]
            result.months |= changed[part.name]
        written, result.snapshots = _snapshots(now, force=False)
        result.written += written
    return result


def indicators_rebuild(*, now: datetime | None = None) -> RefreshResult:
    """Recompute every computed fact from the source tables, in one transaction, for every year
    with data. The snapshots' past months are kept (they cannot be recomputed afterwards); the
    current month's are retaken."""
    now = now or timezone.now()
    today = current_month(now)
    result = RefreshResult()
    with transaction.atomic():
        found = {part.name: part.changed(now, changes.SETTLE_SECONDS, True) for part in PARTS}
        spans = changes.load_spans()
        years = {y for months in found.values() for y, _ in months}
        years |= {y for by_month in spans.values() for y, _ in by_month}
        IndicatorFact.objects.exclude(key__in=SNAPSHOT_KEYS).delete()
        for year in sorted(y for y in years if y <= today[0]):
            for part in PARTS:
                result.written += facts_insert(part.compute(year, spans))
            result.months |= {(year, m) for m in range(1, 13) if (year, m) <= today}
        written, result.snapshots = _snapshots(now, force=True)
        result.written += written
    return result
