"""Upload, column mapping and the consent basis of an import, who sees it, and its report of
rejected rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from urna.accounts.permissions import entity_ids_for, require
from urna.audit.services import audit_record
from urna.contacts.consent import CHANNELS, PURPOSES
from urna.contacts.imports.files import IMPORT_DIR, file_inspect, media_path, store
from urna.contacts.imports.values import TARGETS, mapping_guess
from urna.contacts.models import (
    ContactImport,
    ImportRejection,
)
from urna.contacts.services import CONSENT_VERSION
from urna.core.errors import Conflict, InvalidInput
from urna.jobs.registry import enqueue

IMPORT_TASK = "contacts.import"
IMPORT_ACTION = "contacts.import"
VIEW_ACTION = "contacts.view"


def imports_visible(user: Any) -> QuerySet[ContactImport]:
    """The imports of the entities in which ``user`` may see contacts or import them."""
    imports = ContactImport.objects.select_related("entity", "created_by")
    viewing = entity_ids_for(user, VIEW_ACTION)
    importing = entity_ids_for(user, IMPORT_ACTION)
    if viewing is None or importing is None:
        return imports
    return imports.filter(entity__in=viewing | importing)


def contact_import_upload(*, entity: Any, by: Any, upload: Any, name: str) -> ContactImport:
    """Store an uploaded CSV/XLSX under MEDIA_ROOT/imports/ (never served) and read its
    headers; the import waits for its column mapping."""
    require(by, IMPORT_ACTION, entity)
    suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    relative = f"{IMPORT_DIR}/{uuid.uuid4().hex}{suffix}"
    target = media_path(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        sha256, size, utf8 = store(upload, target)
        if not size:
            raise InvalidInput(_("El archivo está vacío."), field="file")
        info = file_inspect(target, utf8=utf8)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return ContactImport.objects.create(
        entity=entity,
        created_by=by,
        file_name=Path(name).name[:255],
        path=relative,
        sha256=sha256,
        size=size,
        kind=info.kind,
        encoding=info.encoding,
        delimiter=info.delimiter,
        headers=info.headers,
        rows_estimate=info.rows_estimate,
        mapping=mapping_guess(info.headers),
    )


def previous_import(contact_import: ContactImport) -> ContactImport | None:
    """An earlier import of the same file by the same entity (importing it again is harmless,
    but staff should know)."""
    return (
        ContactImport.objects.filter(sha256=contact_import.sha256, entity=contact_import.entity)
        .exclude(pk=contact_import.pk)
        .order_by("-created_at")
        .first()
    )


def _editable(contact_import: ContactImport, by: Any) -> None:
    require(by, IMPORT_ACTION, contact_import.entity)
    if contact_import.status != ContactImport.Status.MAPPING:
        raise Conflict(_("Esta importación ya empezó: no se puede cambiar."))


def contact_import_map(
    *, contact_import: ContactImport, mapping: dict[str, int | None], by: Any
) -> ContactImport:
    """Save which column fills which field. A phone or an email column is required; a column
    fills one field at most."""
    _editable(contact_import, by)
    clean: dict[str, int] = {}
    for field, column in mapping.items():
        if field not in TARGETS:
            raise InvalidInput(_("Campo desconocido."), field=field)
        if column is None or column == "":
            continue
        column = int(column)
        if not 0 <= column < len(contact_import.headers):
            raise InvalidInput(_("Esa columna no está en el archivo."), field=field)
        if column in clean.values():
            raise InvalidInput(_("Esa columna ya está elegida para otro campo."), field=field)
        clean[field] = column
    if "phone" not in clean and "email" not in clean:
        raise InvalidInput(
            _("Elija la columna del celular o la del correo electrónico."), field="phone"
        )
    contact_import.mapping = clean
    contact_import.save(update_fields=["mapping"])
    return contact_import


def _basis_check(
    contact_import: ContactImport,
    basis: str,
    purposes: list[str],
    channels: list[str],
    evidence: str,
    text_version: str,
) -> None:
    """InvalidInput, in Spanish and naming the field, for a consent basis that cannot stand."""
    if basis not in ContactImport.Basis.values:
        raise InvalidInput(_("Elija cómo consta la autorización."), field="basis")
    if not purposes:
        raise InvalidInput(_("Elija al menos un propósito."), field="purposes")
    if not channels:
        raise InvalidInput(_("Elija al menos un canal."), field="channels")
    if not text_version or len(text_version) > 20:
        raise InvalidInput(
            _("Indique la versión del texto de autorización (hasta 20 caracteres)."),
            field="text_version",
        )
    if basis == ContactImport.Basis.COLUMN and "consent" not in contact_import.mapping:
        raise InvalidInput(
            _("Elija en el paso anterior la columna que dice si cada persona autorizó."),
            field="basis",
        )
    if basis == ContactImport.Basis.DECLARATION and len(evidence) < 10:
        raise InvalidInput(
            _(
                "Describa el soporte de la autorización de todas las personas del archivo "
                "(por ejemplo: formulario físico, jornada, fecha, archivo escaneado)."
            ),
            field="evidence",
        )
    if len(evidence) > 300:
        raise InvalidInput(_("El soporte no puede pasar de 300 caracteres."), field="evidence")


def contact_import_start(
    *,
    contact_import: ContactImport,
    basis: str,
    purposes: Iterable[str],
    channels: Iterable[str],
    evidence: str,
    by: Any,
    text_version: str = CONSENT_VERSION,
) -> ContactImport:
    """Record the consent basis and queue the import (audit-logged). With a declaration, the
    evidence that every person in the file authorised is required."""
    _editable(contact_import, by)
    purposes = [p for p in PURPOSES if p in set(purposes)]
    channels = [c for c in CHANNELS if c in set(channels)]
    evidence = (evidence or "").strip()
    text_version = (text_version or "").strip()
    _basis_check(contact_import, basis, purposes, channels, evidence, text_version)
    with transaction.atomic():
        contact_import.basis = basis
        contact_import.purposes = purposes
        contact_import.channels = channels
        contact_import.text_version = text_version
        contact_import.evidence = evidence
        contact_import.status = ContactImport.Status.QUEUED
        fields = ["basis", "purposes", "channels", "text_version", "evidence", "status"]
        contact_import.save(update_fields=fields)
        audit_record(
            action="contact.import_start",
            obj=contact_import,
            actor=by,
            entity=contact_import.entity,
            after={
                "file": contact_import.sha256,
                "rows_estimate": contact_import.rows_estimate,
                "basis": basis,
                "purposes": purposes,
                "channels": channels,
                "text_version": text_version,
                "fields": sorted(contact_import.mapping),
            },
        )
        job = enqueue(
            IMPORT_TASK,
            import_id=contact_import.pk,
            unique_key=f"{IMPORT_TASK}:{contact_import.pk}",
            entity_id=contact_import.entity_id,
        )
        if job is not None:
            contact_import.job_id = job.pk
            contact_import.save(update_fields=["job_id"])
    return contact_import


def rejection_rows(contact_import: ContactImport) -> Iterator[list[str]]:
    """The rejected rows' report: the file's headers, then each row's number, reason and
    values (formula-safe text for spreadsheets is the writer's job)."""
    yield [_("fila"), _("motivo"), *contact_import.headers]
    rows = (
        ImportRejection.objects.filter(contact_import=contact_import)
        .order_by("row_number")
        .values_list("row_number", "reason", "values")
    )
    for number, reason, values in rows.iterator(chunk_size=2000):
        yield [str(number), reason, *values]
