from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from urna.ops.backup import backup_create
from urna.ops.databases import default_settings
from urna.ops.errors import BackupError


class Command(BaseCommand):
    help = (
        "Copia de seguridad de la base de datos (SQLite en caliente, PostgreSQL con pg_dump) y "
        "de los archivos subidos, en un solo archivo tar con su manifiesto."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archivo",
            nargs="?",
            help="destino (.tar o .tar.gz); por omisión var/backups/urna-<fecha>.tar.gz",
        )
        parser.add_argument("--database", default="default", help="alias de DATABASES")

    def handle(self, *args, archivo=None, database="default", **options):
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        destination = Path(archivo or settings.VAR_DIR / "backups" / f"urna-{stamp}.tar.gz")
        try:
            manifest = backup_create(
                destination=destination, settings_dict=default_settings(database)
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Copia escrita en {destination}: {manifest['engine']}, "
            f"{len(manifest['tables'])} tablas, {rows} filas, "
            f"{len(manifest['media'])} archivos subidos."
        )
