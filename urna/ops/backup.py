"""Backups that restore: one tar archive holding the database, the uploaded media and a
manifest that says what a good restore must give back.

SQLite is copied with its online backup API (the site keeps serving; the copy is one consistent
state), PostgreSQL with ``pg_dump -Fc`` in an exported snapshot. The manifest (``manifest.json``,
first in the archive) records the engine, the migrations applied, the time, the row count and a
SHA-256 of every table (read from that same state), and a checksum of the database file and of
every media file. ``backup_restore`` checks all of it: the engine, that the code knows every
migration of the backup, the checksums, and that it is not writing over a database that holds
data unless told to (``force``).
"""

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from urna.ops import databases, pgtools
from urna.ops.errors import BackupError

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"
_CHUNK = 1024 * 1024


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    # Migrations of the code the backup predates: `manage.py migrate` applies them.
    pending_migrations: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(media_root: Path) -> Iterator[Path]:
    if media_root.is_dir():
        yield from sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def _dump(wrapper: BaseDatabaseWrapper, settings_dict: dict, out: Path) -> dict[str, Any]:
    """Write the database file into ``out`` and read the manifest's database part, both from
    one state of the database."""
    if wrapper.vendor == "sqlite":
        databases.sqlite_copy(wrapper, out)
        copy_settings = databases.sqlite_file_settings(settings_dict, out)
        with databases.open_database(copy_settings) as copy, databases.snapshot(copy):
            return {
                "migrations": databases.applied_migrations(copy),
                "tables": databases.fingerprints(copy),
            }
    if wrapper.vendor != "postgresql":
        raise BackupError(f"Motor de base de datos no admitido: {wrapper.vendor}.")
    with databases.snapshot(wrapper):
        with wrapper.connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone()
        pgtools.run(
            [pgtools.tool("pg_dump"), "--format=custom", f"--snapshot={snapshot_id}", "-f", out],
            settings_dict,
        )
        return {
            "migrations": databases.applied_migrations(wrapper),
            "tables": databases.fingerprints(wrapper),
        }


def backup_create(
    *,
    destination: Path,
    settings_dict: dict[str, Any] | None = None,
    media_root: Path | None = None,
) -> dict[str, Any]:
    """Write the archive ``destination`` (``.tar``, or ``.tar.gz`` compressed) of the database
    (the default one unless ``settings_dict``) and ``media_root`` (MEDIA_ROOT); returns its
    manifest. The archive appears whole or not at all."""
    settings_dict = settings_dict or databases.default_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as work:
        with databases.open_database(settings_dict) as wrapper:
            engine = wrapper.vendor
            database_file = Path(work) / DATABASE_MEMBER.get(engine, "database")
            state = _dump(wrapper, settings_dict, database_file)
        media = [
            {
                "path": str(p.relative_to(media_root)),
                "bytes": p.stat().st_size,
                "sha256": _sha256(p),
            }
            for p in _media_files(media_root)
        ]
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            **state,
            "database": {
                "member": database_file.name,
                "bytes": database_file.stat().st_size,
                "sha256": _sha256(database_file),
            },
            "media": media,
        }
        manifest_file = Path(work) / MANIFEST
        manifest_file.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial = Path(work) / "archive.partial"
        mode = "w:gz" if destination.name.endswith((".gz", ".tgz")) else "w"
        with tarfile.open(partial, mode) as archive:
            archive.add(manifest_file, arcname=MANIFEST)
            archive.add(database_file, arcname=database_file.name)
            for entry in media:
                archive.add(media_root / entry["path"], arcname=MEDIA_PREFIX + entry["path"])
        os.replace(partial, destination)
    return manifest


def manifest_read(archive_path: Path) -> dict[str, Any]:
    """The manifest of a backup archive, checked to be one this code can restore."""
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            member = archive.extractfile(MANIFEST)
            manifest = json.load(member) if member else None
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{archive_path} no es una copia de seguridad de Urna: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path}: formato de copia desconocido.")
    return manifest


def _check_migrations(manifest: dict[str, Any]) -> list[str]:
    """Refuse a backup taken by a newer Urna (migrations this code lacks); return the code's
    migrations the backup predates."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_backup = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(in_backup - known)
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"La copia viene de una versión más nueva de Urna (migraciones desconocidas: "
            f"{names}). Instale esa versión antes de restaurar."
        )
    return sorted(f"{app}.{name}" for app, name in known - in_backup)


def _check_target(wrapper: BaseDatabaseWrapper, media_root: Path, force: bool) -> None:
    if force:
        return
    populated = databases.populated_tables(wrapper)
    if populated:
        raise BackupError(
            f"La base de datos de destino no está vacía ({len(populated)} tablas con datos, "
            f"p. ej. {', '.join(populated[:3])}). Use --force para sobrescribirla."
        )
    if any(_media_files(media_root)):
        raise BackupError(
            f"La carpeta de archivos subidos {media_root} no está vacía. "
            "Use --force para escribir encima."
        )


def _compare(expected: dict[str, Any], found: dict[str, Any]) -> None:
    differ = sorted(t for t in expected.keys() | found.keys() if expected.get(t) != found.get(t))
    if differ:
        raise BackupError(
            f"La base restaurada no coincide con el manifiesto en {len(differ)} tablas "
            f"({', '.join(differ[:5])})."
        )


def _extract(archive: tarfile.TarFile, name: str, sha256: str, into: Path) -> Path:
    member = archive.extractfile(name)
    if member is None:
        raise BackupError(f"Falta {name} en la copia.")
    target = into / Path(name).name
    with target.open("wb") as out:
        shutil.copyfileobj(member, out, _CHUNK)
    if _sha256(target) != sha256:
        raise BackupError(f"{name}: la suma de comprobación no coincide (copia dañada).")
    return target


def _restore_media(archive: tarfile.TarFile, manifest: dict, media_root: Path, work: Path) -> int:
    for entry in manifest["media"]:
        relative = Path(entry["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise BackupError(f"Ruta no válida en la copia: {relative}.")
        extracted = _extract(archive, MEDIA_PREFIX + entry["path"], entry["sha256"], work)
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(extracted, target)
    return len(manifest["media"])


def backup_restore(
    *,
    archive_path: Path,
    settings_dict: dict[str, Any] | None = None,
    media_root: Path | None = None,
    force: bool = False,
) -> RestoreReport:
    """Restore the archive into the database (the default one unless ``settings_dict``) and
    ``media_root``, after checking it; then check every table against the manifest."""
    settings_dict = settings_dict or databases.default_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = manifest_read(archive_path)
    with databases.open_database(settings_dict) as wrapper:
        if manifest["engine"] != wrapper.vendor:
            raise BackupError(
                f"La copia es de {manifest['engine']} y la base de destino es {wrapper.vendor}."
            )
        report = RestoreReport(manifest, pending_migrations=_check_migrations(manifest))
        _check_target(wrapper, media_root, force)
        with (
            tempfile.TemporaryDirectory(prefix="urna-restore-") as work,
            tarfile.open(archive_path, "r:*") as archive,
        ):
            database = manifest["database"]
            dump = _extract(archive, database["member"], database["sha256"], Path(work))
            if wrapper.vendor == "sqlite":
                _restore_sqlite(dump, settings_dict, manifest, wrapper)
            else:
                _restore_postgresql(dump, settings_dict)
                with databases.snapshot(wrapper):
                    _compare(manifest["tables"], databases.fingerprints(wrapper))
            report.media_files = _restore_media(archive, manifest, media_root, Path(work))
    report.tables = len(manifest["tables"])
    report.rows = sum(table["rows"] for table in manifest["tables"].values())
    return report


def _restore_sqlite(
    dump: Path, settings_dict: dict, manifest: dict, wrapper: BaseDatabaseWrapper
) -> None:
    """Check the copy (its integrity, every table against the manifest) before a page of the
    target changes, then load it whole: the backup API copies it page for page."""
    if (verdict := databases.sqlite_check(dump)) != "ok":
        raise BackupError(f"La base de la copia está dañada: {verdict}")
    copy_settings = databases.sqlite_file_settings(settings_dict, dump)
    with databases.open_database(copy_settings) as copy, databases.snapshot(copy):
        _compare(manifest["tables"], databases.fingerprints(copy))
    databases.sqlite_load(dump, wrapper)


def _restore_postgresql(dump: Path, settings_dict: dict) -> None:
    """pg_restore in one transaction: an error leaves the target as it was. --clean drops what
    the dump will create (a database ``migrate`` already set up, or --force). The tables are
    checked against the manifest after."""
    pgtools.run(
        [
            pgtools.tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            settings_dict["NAME"],
            str(dump),
        ],
        settings_dict,
    )
