"""Recompute every computed indicator from scratch, in one transaction."""

import time

from django.core.management.base import BaseCommand

from urna.indicators.engine.refresh import indicators_rebuild


class Command(BaseCommand):
    help = "Recompute every computed indicator from the source tables (all years with data)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = indicators_rebuild()
        years = ", ".join(str(y) for y in sorted({y for y, _ in result.months})) or "no year"
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"indicators: {result.written} facts rebuilt for {years} in {elapsed:.1f} s"
        )
