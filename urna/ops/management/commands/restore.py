from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from urna.ops.backup import backup_restore
from urna.ops.databases import default_settings
from urna.ops.errors import BackupError


class Command(BaseCommand):
    help = (
        "Restaura una copia de `manage.py backup` en una base de datos vacía (o, con --force, "
        "encima de una con datos) y comprueba cada tabla contra su manifiesto."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo", help="la copia (.tar o .tar.gz)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="sobrescribir una base de datos con datos y escribir sobre los archivos subidos",
        )
        parser.add_argument("--database", default="default", help="alias de DATABASES")

    def handle(self, *args, archivo, force=False, database="default", **options):
        try:
            report = backup_restore(
                archive_path=Path(archivo), settings_dict=default_settings(database), force=force
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restaurada la copia del {report.manifest['created_at']}: {report.tables} tablas "
            f"y {report.rows} filas comprobadas, {report.media_files} archivos subidos."
        )
        if report.pending_migrations:
            self.stdout.write(
                f"La copia es anterior a este código: ejecute `manage.py migrate` "
                f"({len(report.pending_migrations)} migraciones pendientes)."
            )
