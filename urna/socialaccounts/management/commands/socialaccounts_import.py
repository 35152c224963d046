"""Import a CSV or XLSX file of accounts or of figures as the platform team (every entity), for
the first load of a registry; rejected rows go to a CSV beside the file or to --report."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from urna.core.errors import DomainError
from urna.core.spreadsheets import UTF8_BOM, formula_safe
from urna.socialaccounts.imports import rejection_rows, social_import_run
from urna.socialaccounts.models import SocialImport


class Command(BaseCommand):
    help = "Importa un archivo de cuentas o de cifras de redes sociales oficiales."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--kind", choices=SocialImport.Kind.values, required=True)
        parser.add_argument("--report", type=Path, help="Dónde escribir las filas rechazadas.")

    def handle(self, *args, path: Path, kind: str, report: Path | None = None, **options):
        try:
            with path.open("rb") as upload:
                done = social_import_run(by=None, upload=upload, name=path.name, kind=kind)
        except (OSError, DomainError) as exc:
            raise CommandError(str(getattr(exc, "message", exc))) from exc
        self.stdout.write(
            f"{done.created} nuevas, {done.updated} actualizadas, {done.unchanged} sin cambios, "
            f"{done.rejected} rechazadas."
        )
        if done.rejected:
            report = report or path.with_name(f"{path.stem}-rechazos.csv")
            with report.open("w", encoding="utf-8", newline="") as out:
                out.write(UTF8_BOM)
                writer = csv.writer(out)
                for row in rejection_rows(done):
                    writer.writerow([formula_safe(v) for v in row])
            self.stdout.write(f"Filas rechazadas en {report}.")
