"""Writes of the open-data app: an entity's choice of a preliminary edition."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.opendata.models import DatasetSettings


def dataset_settings_update(
    *, exercise: Any, preliminary: bool, by: Any, request: Any = None
) -> DatasetSettings:
    """Switch the exercise's preliminary open-data edition on or off (``opendata.publish``)."""
    require(by, "opendata.publish", exercise)
    with transaction.atomic():
        row, _created = DatasetSettings.objects.select_for_update().get_or_create(exercise=exercise)
        before = {"preliminary": row.preliminary}
        if row.preliminary == preliminary and not _created:
            return row
        row.preliminary = preliminary
        row.updated_by = by
        row.updated_at = timezone.now()
        row.save(update_fields=["preliminary", "updated_by", "updated_at"])
        audit_record(
            action="opendata.settings",
            obj=row,
            actor=by,
            entity=exercise.owner,
            before=before,
            after={"preliminary": preliminary},
            ip=client_ip(request),
        )
    return row
