"""Background work of the registry: the daily reading of followers from the networks' APIs."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from urna.jobs.registry import task
from urna.socialaccounts.fetchers import social_fetch

FETCH_TASK = "socialaccounts.fetch"
FETCH_HOUR = time(4, 0)


def next_run_at(now: datetime | None = None) -> datetime:
    """Tomorrow at 04:00, Bogotá time (TIME_ZONE)."""
    tomorrow = timezone.localdate(now or timezone.now()) + timedelta(days=1)
    return datetime.combine(tomorrow, FETCH_HOUR, tzinfo=timezone.get_default_timezone())


@task(FETCH_TASK, max_attempts=3, priority=200)
def fetch(*, reschedule: bool = True) -> dict:
    """Schedule tomorrow's run, then record today's followers of the accounts of every network
    with a token (running twice in a day records nothing new). Scheduling first keeps the daily
    chain alive when a run fails for good; the unique key names the day."""
    if reschedule:
        fetch_schedule(run_at=next_run_at())
    return {
        report.network: {
            "skipped": report.skipped,
            "recorded": report.recorded,
            "unchanged": report.unchanged,
            "not_found": len(report.not_found),
            "error": report.error,
        }
        for report in social_fetch()
    }


def fetch_schedule(*, run_at: datetime | None = None):
    """Queue a run (now by default); None when that day's run is already queued."""
    run_at = run_at or timezone.now()
    day = timezone.localdate(run_at).isoformat()
    return fetch.enqueue(run_at=run_at, unique_key=f"{FETCH_TASK}:{day}")
