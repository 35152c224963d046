"""Background work of exercises: closing exercises whose participation period has ended, and
telling participants and followers of published results and updates."""

from datetime import timedelta

from django.utils import timezone

from urna.exercises import services
from urna.jobs.models import Job
from urna.jobs.registry import task

CLOSE_EVERY = timedelta(minutes=5)


@task("exercises.close_due", max_attempts=3)
def close_due() -> int:
    """Schedule the next round, then move open exercises past their closing date to analysis
    (scheduling first keeps the chain alive when this round fails for good)."""
    close_due_schedule(after=CLOSE_EVERY)
    return services.exercises_close_due()


def close_due_schedule(*, after: timedelta = timedelta(0)) -> None:
    if Job.objects.filter(name="exercises.close_due", status=Job.Status.QUEUED).exists():
        return
    # The key names the slot, so the running job can queue the next one (keys must be unique
    # only among queued and running jobs).
    run_at = (timezone.now() + after).replace(second=0, microsecond=0)
    close_due.enqueue(run_at=run_at, unique_key=f"exercises.close_due:{run_at:%Y%m%d%H%M}")


@task(services.BROADCAST_TASK, max_attempts=5)
def broadcast(*, exercise_id: int, update_id: int | None = None) -> dict:
    """Tell an exercise's participants and followers of its results or of an update (once)."""
    return services.exercise_broadcast_run(exercise_id=exercise_id, update_id=update_id)
