from django.core.management.base import BaseCommand

from urna.territory.services import divipola_load


class Command(BaseCommand):
    help = "Load or refresh Colombia's departments and municipalities (DANE DIVIPOLA)."

    def handle(self, *args, **options):
        result = divipola_load()
        self.stdout.write(
            f"DIVIPOLA: {result.departments_created} departments created, "
            f"{result.departments_updated} updated; {result.municipalities_created} municipalities "
            f"created, {result.municipalities_updated} updated."
        )
