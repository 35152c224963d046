"""Bring the computed indicators up to date (only what changed since the last refresh), or,
with --schedule, queue the periodic refresh job (it then requeues itself)."""

from django.core.management.base import BaseCommand

from urna.indicators.engine.refresh import indicators_refresh
from urna.indicators.tasks import refresh_schedule


class Command(BaseCommand):
    help = "Refresh the computed indicators incrementally; --schedule queues the periodic job."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the periodic refresh job instead."
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            job = refresh_schedule()
            self.stdout.write(
                "indicators: refresh scheduled" if job else "indicators: already scheduled"
            )
            return
        result = indicators_refresh()
        months = ", ".join(f"{y:04d}-{m:02d}" for y, m in sorted(result.months)) or "none"
        self.stdout.write(
            f"indicators: months recomputed: {months}; {result.written} facts written"
        )
