from django.core.management.base import BaseCommand

from urna.entities.services import entities_create_territorial


class Command(BaseCommand):
    help = "Create the governors' and mayors' offices from DIVIPOLA (all, or one department)."

    def add_arguments(self, parser):
        parser.add_argument("--department", help="DANE department code, e.g. 17 for Caldas")

    def handle(self, *args, **options):
        created = entities_create_territorial(department_code=options["department"])
        self.stdout.write(f"{created} territorial entities created.")
