from urna.jobs.registry import task
from urna.meetings.cancellations import meeting_cancelled_tell
from urna.meetings.reminders import meeting_remind
from urna.meetings.services import CANCELLED_TASK, REMIND_TASK


@task(REMIND_TASK, max_attempts=5)
def remind(*, meeting_id: int, starts_at_iso: str) -> dict:
    return meeting_remind(meeting_id=meeting_id, starts_at_iso=starts_at_iso)


@task(CANCELLED_TASK, max_attempts=5)
def tell_cancelled(*, meeting_id: int) -> dict:
    return meeting_cancelled_tell(meeting_id=meeting_id)
