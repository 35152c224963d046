from django.core.management.base import BaseCommand

from urna.entities.services import entities_load_national


class Command(BaseCommand):
    help = "Create or refresh the national entities shipped with Urna (idempotent)."

    def handle(self, *args, **options):
        created = entities_load_national()
        self.stdout.write(f"{created} national entities created.")
