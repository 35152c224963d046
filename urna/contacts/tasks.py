"""Background work of contacts: the daily retention run over copies of citizens' addresses, and
the import of a file of contacts."""

import logging
from datetime import datetime, time, timedelta

from django.utils import timezone

from urna.contacts import imports, services
from urna.contacts.models import ContactImport
from urna.jobs.models import Job
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


@task("contacts.import", max_attempts=5, priority=80)
def contact_import(*, import_id: int) -> dict:
    """Import a file of contacts to the end; a retry resumes after the last committed chunk."""
    job_id = ContactImport.objects.filter(pk=import_id).values_list("job_id", flat=True).get()
    try:
        return imports.contact_import_run(import_id=import_id, job_id=job_id)
    except Exception as exc:
        attempts = Job.objects.filter(pk=job_id).values_list("attempts", "max_attempts").first()
        final = attempts is None or attempts[0] >= attempts[1]
        imports.contact_import_error(import_id=import_id, error=exc, final=final)
        raise
