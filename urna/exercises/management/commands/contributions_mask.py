"""Fill the masked public text of contributions stored without it (bulk loads), or of every
contribution with ``--all`` after the personal-data detector (``urna.core.privacy``) changed."""

from django.core.management.base import BaseCommand

from urna.exercises.services import contributions_mask


class Command(BaseCommand):
    help = "Mask personal data in the public text of stored contributions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="every contribution, not only those without it"
        )

    def handle(self, *args, **options):
        written = contributions_mask(every=options["all"])
        self.stdout.write(f"{written} contributions masked.")
