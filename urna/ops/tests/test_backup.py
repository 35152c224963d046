"""Backups that restore: a populated database comes back table for table (row counts and a
checksum of every table), with its uploaded media; a restore refuses a database that holds data
unless forced, and an archive of another engine or of a newer Urna. The suite runs on SQLite and
again on PostgreSQL (DATABASE_URL), so both engines are covered."""

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from urna.audit.services import audit_record
from urna.jobs.models import Job
from urna.ops import databases
from urna.ops.backup import backup_create, backup_restore
from urna.ops.errors import BackupError
from urna.territory.models import Municipality

# pg_dump and SQLite's backup read through a connection of their own: the data must be committed.
populated_db = pytest.mark.django_db(transaction=True)


@pytest.fixture
def populated(national_entities, agriculture, make_staff):
    """Reference data (DIVIPOLA, the national entities), a staff user, a job and audit entries
    with JSON, dates and text that needs quoting."""
    staff = make_staff(agriculture, "manager", username="gestora")
    job = Job.objects.create(
        name="ops.test", kwargs={"ñ": "café", "n": [1, 2.5, None]}, run_at="2026-01-02T03:04:05Z"
    )
    audit_record(action="ops.tested", obj=job, actor=staff, after={"texto": "comillas ' y \""})
    return staff


@pytest.fixture
def media(tmp_path, settings):
    root = tmp_path / "media"
    (root / "exercises" / "docs").mkdir(parents=True)
    (root / "exercises" / "docs" / "decreto.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)))
    (root / "nota.txt").write_text("documento público", encoding="utf-8")
    settings.MEDIA_ROOT = root
    return root


def _fingerprints(settings_dict):
    with databases.open_database(settings_dict) as wrapper, databases.snapshot(wrapper):
        return databases.fingerprints(wrapper)


@populated_db
def test_a_backup_restores_into_an_empty_database_table_for_table(
    populated, media, scratch_database, tmp_path
):
    archive = tmp_path / "urna.tar.gz"
    manifest = backup_create(destination=archive)
    source = _fingerprints(databases.default_settings())

    target = scratch_database()
    restored_media = tmp_path / "restored-media"
    report = backup_restore(archive_path=archive, settings_dict=target, media_root=restored_media)

    assert manifest["engine"] == connection.vendor
    assert manifest["tables"] == source
    assert _fingerprints(target) == source
    assert source["territory_municipality"]["rows"] == Municipality.objects.count() > 1000
    assert source["audit_auditentry"]["rows"] >= 1
    assert "0001_initial" in manifest["migrations"]["jobs"]
    assert report.tables == len(source)
    assert report.media_files == 2
    assert (restored_media / "exercises" / "docs" / "decreto.pdf").read_bytes() == (
        media / "exercises" / "docs" / "decreto.pdf"
    ).read_bytes()
    assert (restored_media / "nota.txt").read_text(encoding="utf-8") == "documento público"


@populated_db
def test_a_restore_refuses_a_database_with_data_unless_forced(
    populated, scratch_database, tmp_path
):
    archive = tmp_path / "urna.tar"
    manifest = backup_create(destination=archive, media_root=tmp_path / "no-media")
    target = scratch_database()
    backup_restore(archive_path=archive, settings_dict=target, media_root=tmp_path / "m")
    with databases.open_database(target) as wrapper, wrapper.cursor() as cursor:
        cursor.execute("DELETE FROM jobs_job")

    with pytest.raises(BackupError, match="no está vacía"):
        backup_restore(archive_path=archive, settings_dict=target, media_root=tmp_path / "m")
    assert _fingerprints(target)["jobs_job"]["rows"] == 0  # untouched

    backup_restore(
        archive_path=archive, settings_dict=target, media_root=tmp_path / "m", force=True
    )
    assert _fingerprints(target) == manifest["tables"]


@populated_db
def test_the_restore_command_refuses_the_serving_database_when_it_holds_data(
    populated, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "urna.tar"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert f"Copia escrita en {archive}: {connection.vendor}" in out.getvalue()

    with pytest.raises(CommandError, match="no está vacía.*--force"):
        call_command("restore", str(archive))


def _rewrite_manifest(archive, out, **changes):
    with tarfile.open(archive) as original:
        manifest = json.load(original.extractfile("manifest.json"))
    manifest.update(changes)
    data = json.dumps(manifest).encode()
    with tarfile.open(out, "w") as rewritten:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        rewritten.addfile(info, io.BytesIO(data))
    return out


@pytest.fixture
def small_source(scratch_database):
    """A scratch database with one table of three rows, to back up."""
    source = scratch_database()
    with databases.open_database(source) as wrapper, wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text VARCHAR(20))")
        cursor.execute("INSERT INTO note (id, text) VALUES (1, 'uno'), (2, 'dos'), (3, 'tres')")
    return source


@pytest.mark.django_db
def test_a_restore_refuses_another_engine_and_a_newer_urna(
    small_source, scratch_database, tmp_path
):
    archive = tmp_path / "urna.tar"
    backup_create(destination=archive, settings_dict=small_source, media_root=tmp_path / "none")
    target = scratch_database()
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    with pytest.raises(BackupError, match=f"La copia es de {other}"):
        backup_restore(
            archive_path=_rewrite_manifest(archive, tmp_path / "a.tar", engine=other),
            settings_dict=target,
        )
    with pytest.raises(BackupError, match="más nueva.*jobs.9999_future"):
        backup_restore(
            archive_path=_rewrite_manifest(
                archive, tmp_path / "b.tar", migrations={"jobs": ["0001_initial", "9999_future"]}
            ),
            settings_dict=target,
        )
    with databases.open_database(target) as wrapper:
        assert databases.table_names(wrapper) == []


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_before_the_database_changes(
    small_source, scratch_database, tmp_path
):
    archive = tmp_path / "urna.tar"
    manifest = backup_create(
        destination=archive, settings_dict=small_source, media_root=tmp_path / "none"
    )
    member = manifest["database"]["member"]
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as original, tarfile.open(damaged, "w") as out:
        for info in original.getmembers():
            data = original.extractfile(info).read()
            if info.name == member:
                data = data[:-10] + b"X" * 10
            out.addfile(info, io.BytesIO(data))
    target = scratch_database()

    with pytest.raises(BackupError, match="dañada"):
        backup_restore(archive_path=damaged, settings_dict=target, media_root=tmp_path / "m")
    with databases.open_database(target) as wrapper:
        assert databases.table_names(wrapper) == []
    report = backup_restore(archive_path=archive, settings_dict=target, media_root=tmp_path / "m")
    assert report.rows == 3 and _fingerprints(target) == manifest["tables"]
