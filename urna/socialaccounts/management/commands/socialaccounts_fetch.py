"""Read the followers of the registry's accounts from the networks' APIs (YouTube, X) where a
token is configured, and record today's figures. ``--schedule`` starts the daily job instead
(each run queues the next one, at 04:00)."""

from django.core.management.base import BaseCommand

from urna.socialaccounts.fetchers import FETCHERS, social_fetch
from urna.socialaccounts.tasks import FETCH_TASK, fetch_schedule


class Command(BaseCommand):
    help = "Cifras de seguidores desde las API de las redes con token configurado."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Encolar el trabajo diario en vez de correrlo ahora.",
        )

    def handle(self, *args, schedule=False, **options):
        if schedule:
            job = fetch_schedule()
            state = "encolado" if job is not None else "ya estaba encolado"
            self.stdout.write(f"Trabajo diario {FETCH_TASK}: {state}.")
            return
        for report in social_fetch():
            setting = FETCHERS[report.network][0]
            if report.skipped:
                self.stdout.write(f"{report.network}: omitida, no hay token ({setting} vacío).")
                continue
            line = (
                f"{report.network}: {report.recorded} cifras registradas, "
                f"{report.unchanged} sin cambios, {len(report.not_found)} cuentas no encontradas"
            )
            if report.hidden:
                line += f", {len(report.hidden)} con el conteo oculto"
            if report.error:
                line += f"; detenida: {report.error}"
            self.stdout.write(line + ".")
