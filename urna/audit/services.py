from collections.abc import Iterable
from typing import Any

from django.db import models

from urna.audit.models import AuditEntry
from urna.core.network import client_ip as client_ip  # where services have always found it


def audit_record(
    *,
    action: str,
    obj: models.Model,
    actor: Any = None,
    actor_label: str = "",
    before: dict | None = None,
    after: dict | None = None,
    entity: Any = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry to the audit log. Call it inside the service's transaction.

    ``before``/``after`` hold the changed fields only, never personal data (names, documents,
    phones, emails): the log is read by staff of the entity and kept forever.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        actor=user,
        actor_label=actor_label or (user.get_username() if user else "system"),
        before=before,
        after=after,
        entity=entity,
        ip=ip,
    )


def audit_record_many(
    *,
    action: str,
    entries: Iterable[tuple[models.Model, dict | None, dict | None]],
    actor: Any = None,
    actor_label: str = "",
    entity: Any = None,
    ip: str | None = None,
) -> int:
    """Append one entry per ``(obj, before, after)`` in one INSERT per batch (a bulk answer of
    thousands of contributions); the same rules as ``audit_record``. Returns how many."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (user.get_username() if user else "system")
    rows = [
        AuditEntry(
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            actor=user,
            actor_label=label,
            before=before,
            after=after,
            entity=entity,
            ip=ip,
        )
        for obj, before, after in entries
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)
