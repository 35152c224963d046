"""Background work of contacts: the daily retention run over copies of citizens' addresses."""

import logging
from datetime import datetime, time, timedelta

from django.utils import timezone

from urna.contacts import services
from urna.jobs.registry import task

RETENTION_HOUR = time(3, 30)
logger = logging.getLogger("urna.contacts")


def next_run_at(now: datetime | None = None) -> datetime:
    """Tomorrow at 03:30, Bogotá time (TIME_ZONE; a quiet hour for the database)."""
    tomorrow = timezone.localdate(now or timezone.now()) + timedelta(days=1)
    return datetime.combine(tomorrow, RETENTION_HOUR, tzinfo=timezone.get_default_timezone())


@task("contacts.retention", max_attempts=3, priority=90)
def retention(*, reschedule: bool = True) -> dict:
    """Schedule tomorrow's run, then empty the copies of citizens' addresses past the retention
    period. Scheduling first keeps the daily chain alive when this run fails for good; the
    unique key names the day, so a retry or seeding twice never doubles it."""
    if reschedule:
        retention_schedule(run_at=next_run_at())
    emptied = services.personal_data_expire()
    logger.info("retention: rows emptied %s", emptied)
    return emptied


def retention_schedule(*, run_at: datetime | None = None):
    run_at = run_at or timezone.now()
    day = timezone.localdate(run_at).isoformat()
    return retention.enqueue(run_at=run_at, unique_key=f"contacts.retention:{day}")
