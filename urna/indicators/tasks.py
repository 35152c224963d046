"""Background work of the indicators: the periodic refresh of the computed facts."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from urna.indicators.engine.refresh import indicators_refresh
from urna.jobs.models import Job
from urna.jobs.registry import task

REFRESH_TASK = "indicators.refresh"
DEFAULT_REFRESH_SECONDS = 300


def refresh_every() -> timedelta:
    return timedelta(
        seconds=getattr(settings, "INDICATORS_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS)
    )


@task(REFRESH_TASK, max_attempts=3)
def refresh() -> dict:
    """Queue the next round, then bring the facts up to date (queueing first keeps the chain
    alive when this round fails for good)."""
    refresh_schedule(after=refresh_every())
    result = indicators_refresh()
    return {
        "months": sorted(f"{y:04d}-{m:02d}" for y, m in result.months),
        "written": result.written,
        "snapshots": result.snapshots,
    }


def refresh_schedule(*, after: timedelta = timedelta(0)) -> Job | None:
    """Make sure one refresh is queued (idempotent: returns None when one already is). The key
    names the slot, so the running job can queue the next one (keys are unique only among
    queued and running jobs)."""
    if Job.objects.filter(name=REFRESH_TASK, status=Job.Status.QUEUED).exists():
        return None
    run_at = (timezone.now() + after).replace(microsecond=0)
    return refresh.enqueue(run_at=run_at, unique_key=f"{REFRESH_TASK}:{run_at:%Y%m%d%H%M%S}")
