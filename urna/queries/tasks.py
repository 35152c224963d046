"""Background jobs of the queries app: the daily reminders and escalations."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from urna.jobs.registry import task
from urna.queries import reminders, terms

REMINDER_HOUR = time(7, 0)


def next_run_at(now: datetime | None = None) -> datetime:
    """Tomorrow at 07:00, Bogotá time."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return datetime.combine(tomorrow, REMINDER_HOUR, tzinfo=terms.BOGOTA)


@task("queries.reminders", max_attempts=3)
def send_reminders(*, reschedule: bool = True) -> dict:
    """Schedule tomorrow's run, then remind managers of due dates and escalate overdue queries.
    Scheduling first keeps the daily chain alive when this run fails for good; the unique key
    names the day, so seeding it twice or retrying never doubles it."""
    if reschedule:
        reminders_schedule(run_at=next_run_at())
    return reminders.reminders_send()


def reminders_schedule(*, run_at: datetime | None = None):
    run_at = run_at or timezone.now()
    day = timezone.localdate(run_at).isoformat()
    return send_reminders.enqueue(run_at=run_at, unique_key=f"queries.reminders:{day}")
