"""Gauges read from the database when Prometheus scrapes ``/metrics``.

Each read is bounded by what is waiting, not by what is done: the queue's queued, running and
failed jobs (``job_claim_idx``), the inbound messages still to process or to review
(``inbound_status_idx``), the outbox's queued and failed messages (``outbox_status_idx``) and the
overdue queries (``query_due_idx``). Processed messages and finished jobs, millions of rows
after a consultation, are never counted at scrape time: their flow shows as the request
counters of the webhooks and pages.
"""

import logging
import time
from collections.abc import Iterator
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from urna.channels.models import InboundMessage
from urna.entities.models import Entity
from urna.jobs.models import Job
from urna.messaging.backends import CHANNEL_SETTINGS
from urna.messaging.models import OutboundMessage
from urna.queries.selectors import overdue_counts

logger = logging.getLogger(__name__)

INBOUND_WAITING = (
    InboundMessage.Status.RECEIVED,
    InboundMessage.Status.FAILED,
    InboundMessage.Status.UNROUTED,
    InboundMessage.Status.UNPARSABLE,
)
OUTBOX_WAITING = (OutboundMessage.Status.QUEUED, OutboundMessage.Status.FAILED)
JOB_STATES = ("due", "scheduled", "running", "failed")


def _age(now: datetime, then: datetime | None) -> float:
    return max(0.0, (now - then).total_seconds()) if then else 0.0


def jobs(now: datetime) -> Iterator[Metric]:
    depth = GaugeMetricFamily(
        "urna_jobs",
        "Background jobs by task and state: due (queued, may run now), scheduled (queued for "
        "later), running, failed (after their last attempt, waiting for staff).",
        labels=["task", "state"],
    )
    oldest = GaugeMetricFamily(
        "urna_jobs_oldest_due_age_seconds",
        "How long the oldest due job of each task has waited to run.",
        labels=["task"],
    )
    # GROUP BY status first: SQLite then reads the waiting rows through job_claim_idx; by name
    # first it walks the name index over every finished job.
    rows = (
        Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.FAILED])
        .values("status", "name")
        .annotate(
            n=Count("id"),
            due=Count("id", filter=Q(run_at__lte=now)),
            first=Min("run_at", filter=Q(run_at__lte=now)),
        )
        .order_by()
    )
    tasks: dict[str, dict[str, int]] = {}
    firsts: dict[str, datetime] = {}
    for row in rows:
        states = tasks.setdefault(row["name"], dict.fromkeys(JOB_STATES, 0))
        if row["status"] == Job.Status.QUEUED:
            states["due"], states["scheduled"] = row["due"], row["n"] - row["due"]
            if row["first"]:
                firsts[row["name"]] = row["first"]
        else:
            states[row["status"]] = row["n"]
    for name, states in sorted(tasks.items()):
        for state, n in states.items():
            depth.add_metric([name, state], n)
        oldest.add_metric([name], _age(now, firsts.get(name)))
    yield depth
    yield oldest


def inbound(now: datetime) -> Iterator[Metric]:
    waiting = GaugeMetricFamily(
        "urna_inbound_messages",
        "Inbound channel messages waiting, by channel and status: received (to process), "
        "failed (to retry), unrouted and unparsable (for staff to review).",
        labels=["channel", "status"],
    )
    oldest = GaugeMetricFamily(
        "urna_inbound_oldest_received_age_seconds",
        "How long the oldest received, unprocessed message of each channel has waited.",
        labels=["channel"],
    )
    rows = (
        InboundMessage.objects.filter(status__in=INBOUND_WAITING)
        .values("status", "channel")  # status first: read through inbound_status_idx
        .annotate(n=Count("id"), first=Min("received_at"))
        .order_by()
    )
    for row in rows:
        waiting.add_metric([row["channel"], row["status"]], row["n"])
        if row["status"] == InboundMessage.Status.RECEIVED:
            oldest.add_metric([row["channel"]], _age(now, row["first"]))
    yield waiting
    yield oldest


def _backend(row: dict) -> str:
    """The backend a message went (or will go) through: its own record once it was tried, else
    the provider it must answer through, else its channel's setting."""
    setting = CHANNEL_SETTINGS.get(row["channel"], "")
    return row["backend"] or row["provider"] or getattr(settings, setting, "") or row["channel"]


def outbox(now: datetime) -> Iterator[Metric]:
    waiting = GaugeMetricFamily(
        "urna_outbox_messages",
        "Outbound messages waiting, by backend and status: queued (to send), failed.",
        labels=["backend", "status"],
    )
    oldest = GaugeMetricFamily(
        "urna_outbox_oldest_queued_age_seconds",
        "How long the oldest queued message of each backend has waited.",
        labels=["backend"],
    )
    rows = (
        OutboundMessage.objects.filter(status__in=OUTBOX_WAITING)
        .values("status", "channel", "provider", "backend")  # status first: outbox_status_idx
        .annotate(n=Count("id"), first=Min("created_at"))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    firsts: dict[str, datetime] = {}
    for row in rows:
        key = (_backend(row), row["status"])
        counts[key] = counts.get(key, 0) + row["n"]
        if row["status"] == OutboundMessage.Status.QUEUED:
            firsts[key[0]] = min(firsts.get(key[0], row["first"]), row["first"])
    for (backend, status), n in sorted(counts.items()):
        waiting.add_metric([backend, status], n)
    for backend, first in sorted(firsts.items()):
        oldest.add_metric([backend], _age(now, first))
    yield waiting
    yield oldest


def queries(now: datetime) -> Iterator[Metric]:
    overdue = GaugeMetricFamily(
        "urna_queries_overdue",
        "Citizen queries (PQRSD) past their legal term and still waiting for the entity, by "
        "entity acronym (empty: in triage, no entity yet).",
        labels=["entity"],
    )
    counts = overdue_counts()
    total = counts.pop(0, 0)
    acronyms = dict(Entity.objects.filter(pk__in=counts).values_list("pk", "acronym"))
    for pk, n in sorted(counts.items(), key=lambda item: acronyms.get(item[0], "")):
        overdue.add_metric([acronyms.get(pk, str(pk))], n)
    if triage := total - sum(counts.values()):
        overdue.add_metric([""], triage)
    yield overdue


SOURCES = {"jobs": jobs, "inbound": inbound, "outbox": outbox, "queries": queries}


class StateCollector:
    """prometheus-client collector of the gauges above; a source whose read fails is reported
    down (``urna_metrics_source_up``) and the others still answer."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        up = GaugeMetricFamily(
            "urna_metrics_source_up",
            "1 when the source's gauges were read from the database in this scrape, 0 if not.",
            labels=["source"],
        )
        seconds = GaugeMetricFamily(
            "urna_metrics_source_seconds",
            "Time spent reading each source's gauges in this scrape.",
            labels=["source"],
        )
        for name, read in SOURCES.items():
            started = time.perf_counter()
            try:
                families = list(read(now))
            except Exception:  # noqa: BLE001 - one source down must not hide the others
                logger.exception("metrics: reading %s failed", name)
                up.add_metric([name], 0)
            else:
                up.add_metric([name], 1)
                yield from families
            seconds.add_metric([name], time.perf_counter() - started)
        yield up
        yield seconds
