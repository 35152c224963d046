from datetime import timedelta

from django.utils import timezone

from urna.channels.services import SWEEP_SECONDS, inbound_process_pending
from urna.jobs.registry import task


@task("channels.drain", max_attempts=20, priority=20)
def drain() -> int:
    """Process every inbound message still waiting (scheduled by the webhooks)."""
    return inbound_process_pending()


@task("channels.sweep", max_attempts=3, priority=90)
def sweep() -> int:
    """Periodic safety net: messages whose drain was lost in a crash are processed here. The
    next sweep is queued first, so a sweep that fails for good does not end the chain."""
    run_at = timezone.now() + timedelta(seconds=SWEEP_SECONDS)
    sweep.enqueue(
        run_at=run_at, unique_key=f"channels:sweep:{int(run_at.timestamp()) // SWEEP_SECONDS}"
    )
    return inbound_process_pending()
