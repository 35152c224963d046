"""Seed the daily retention job (it then reschedules itself). Run once after deploying; running
it again is harmless. ``--now`` applies the retention period at once instead."""

from django.core.management.base import BaseCommand

from urna.contacts.services import personal_data_expire, retention_days
from urna.contacts.tasks import retention_schedule
from urna.jobs.models import Job


class Command(BaseCommand):
    help = "Schedule the daily retention run over copies of citizens' addresses; --now runs it."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run the retention now")

    def handle(self, *args, **options):
        if options["now"]:
            emptied = personal_data_expire()
            self.stdout.write(f"contacts: retention ({retention_days()} days): {emptied}")
            return
        if Job.objects.filter(
            name="contacts.retention", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).exists():
            self.stdout.write("contacts: retention already scheduled")
        else:
            retention_schedule()
            self.stdout.write("contacts: retention scheduled")
