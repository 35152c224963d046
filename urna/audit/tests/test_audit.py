import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from urna.audit.models import AppendOnlyError, AuditEntry
from urna.audit.services import audit_record
from urna.entities.models import Entity


@pytest.fixture
def entry(national_entities):
    entity = Entity.objects.get(acronym="MINTIC")
    return audit_record(
        action="entity.test", obj=entity, entity=entity, before={"a": 1}, after={"a": 2}
    )


def test_record_holds_actor_object_and_change(entry):
    assert entry.object_type == "entities.entity"
    assert entry.actor_label == "system"
    assert entry.before == {"a": 1} and entry.after == {"a": 2}


def test_model_refuses_update_and_delete(entry):
    entry.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "entity.test"


def test_database_refuses_raw_update_and_delete(entry):
    table = AuditEntry._meta.db_table
    for sql in (f"UPDATE {table} SET action = 'x'", f"DELETE FROM {table}"):
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).action == "entity.test"


def test_no_code_path_updates_or_deletes_audit_rows():
    """Static check: outside this app, nothing calls update/delete on AuditEntry."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "audit" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("AuditEntry.objects.filter(", "AuditEntry.objects.all("):
            for line in text.splitlines():
                if needle in line and (".update(" in line or ".delete(" in line):
                    offenders.append(f"{path}: {line.strip()}")
    assert offenders == []
