"""Seed the daily reminders job (it then reschedules itself) and, optionally, rebuild the SLA
counters from the queries. Run once after deploying; running it again is harmless."""

from django.core.management.base import BaseCommand

from urna.jobs.models import Job
from urna.queries.services import query_stats_rebuild
from urna.queries.tasks import reminders_schedule


class Command(BaseCommand):
    help = "Schedule the daily query reminders; --rebuild-stats recomputes the SLA counters."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild-stats", action="store_true")

    def handle(self, *args, **options):
        if Job.objects.filter(
            name="queries.reminders", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).exists():
            self.stdout.write("queries: reminders already scheduled")
        else:
            reminders_schedule()
            self.stdout.write("queries: reminders scheduled")
        if options["rebuild_stats"]:
            rows = query_stats_rebuild()
            self.stdout.write(f"queries: {rows} SLA counter rows rebuilt")
