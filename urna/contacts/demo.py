"""Demo set-up of contacts: the daily retention job is scheduled, as on a deployment."""

from urna.contacts.tasks import next_run_at, retention_schedule
from urna.jobs.models import Job


def demo_load(*, stdout) -> None:
    if not Job.objects.filter(name="contacts.retention", status="queued").exists():
        retention_schedule(run_at=next_run_at())
    stdout.write("contacts: daily retention scheduled\n")
