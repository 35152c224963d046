"""Importing accounts and figures from a CSV or XLSX file: the run, who sees an import, and
its report of rejected rows.

The file is stored, inspected and read through the contacts import's general pieces
(``urna.contacts.imports``: storage with its fingerprint, encoding and delimiter detection, XLSX
reading, streamed rows). Each row ends as created, updated, unchanged or rejected with its reason
in Spanish, kept for a downloadable report: nothing is dropped silently. Importing the same file
again finds every account and figure as it left them: every row is unchanged.

Columns are found by their headers (without accents, case or punctuation):

- accounts: ``entidad`` (the entity's acronym), ``red``, ``cuenta`` and/or ``url``, and optional
  ``nombre``, ``verificada`` (sí/no), ``estado``, ``desde`` (the day it entered the registry);
- figures: ``red``, ``cuenta`` and/or ``url``, ``fecha``, ``seguidores`` and optional
  ``publicaciones`` (posts since the previous figure).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from urna.accounts.permissions import entity_ids_for
from urna.audit.services import audit_record
from urna.contacts.imports import file_inspect, file_rows, header_key
from urna.contacts.imports.files import IMPORT_DIR, media_path, store
from urna.core.errors import InvalidInput, PermissionDenied
from urna.socialaccounts.imports import values
from urna.socialaccounts.imports.rows import AccountRows, FigureRows
from urna.socialaccounts.models import SocialImport, SocialImportRejection
from urna.socialaccounts.services import MANAGE_ACTION, SYSTEM_LABEL

CHUNK_ROWS = 1000
OUTCOMES = ("created", "updated", "unchanged", "rejected")
REQUIRED = {
    SocialImport.Kind.ACCOUNTS: (("entity",), ("network",), ("handle", "profile_url")),
    SocialImport.Kind.FIGURES: (("network",), ("handle", "profile_url"), ("date",), ("followers",)),
}


@dataclass(frozen=True)
class FileRef:
    """What ``urna.contacts.imports.file_rows`` reads of an import: where and how to read it."""

    path: str
    kind: str
    encoding: str
    delimiter: str


def imports_visible(user: Any) -> QuerySet[SocialImport]:
    """A user's own imports; every import for the platform team."""
    imports = SocialImport.objects.select_related("created_by")
    if entity_ids_for(user, MANAGE_ACTION) is None:
        return imports
    return imports.filter(created_by=user)


def columns_find(headers: list[str], kind: str) -> dict[str, int]:
    """The column of each field, by header; InvalidInput naming what is missing."""
    keys = [header_key(h) for h in headers]
    found: dict[str, int] = {}
    for field, words in values.COLUMNS[kind].items():
        index = next((i for i, key in enumerate(keys) if key in words), None)
        if index is not None:
            found[field] = index
    missing = [
        " / ".join(str(values.COLUMN_LABELS[f]) for f in group)
        for group in REQUIRED[kind]
        if not any(f in found for f in group)
    ]
    if missing:
        raise InvalidInput(
            _("Faltan columnas en el archivo: %(cols)s.") % {"cols": ", ".join(missing)},
            field="file",
        )
    return found


def social_import_run(*, by: Any, upload: Any, name: str, kind: str) -> SocialImport:
    """Store an uploaded file, read it row by row and import each row; the stored file is
    removed at the end (the report keeps the rejected rows' values). ``by=None`` is the
    system (``manage.py socialaccounts_import``): every entity."""
    allowed = None if by is None else entity_ids_for(by, MANAGE_ACTION)  # None: the system
    if allowed is not None and not allowed:
        raise PermissionDenied(_("No tiene permiso para esta acción."))
    if kind not in SocialImport.Kind.values:
        raise InvalidInput(_("Tipo de importación no válido."), field="kind")
    relative = f"{IMPORT_DIR}/social/{uuid.uuid4().hex}"
    relative += ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    target = media_path(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        sha256, size, utf8 = store(upload, target)
        if not size:
            raise InvalidInput(_("El archivo está vacío."), field="file")
        info = file_inspect(target, utf8=utf8)
        columns = columns_find(info.headers, kind)
        social_import = SocialImport.objects.create(
            kind=kind,
            created_by=by,
            file_name=Path(name).name[:255],
            sha256=sha256,
            path=relative,
            file_kind=info.kind,
            encoding=info.encoding,
            delimiter=info.delimiter,
            headers=info.headers,
        )
        reader = AccountRows if kind == SocialImport.Kind.ACCOUNTS else FigureRows
        rows = reader(by=by, allowed=allowed, columns=columns)
        ref = FileRef(relative, info.kind, info.encoding, info.delimiter)
        for chunk in _chunks(file_rows(ref)):
            _import_chunk(social_import, rows, chunk)
    finally:
        target.unlink(missing_ok=True)
    audit_record(
        action=f"socialimport.{kind}",
        obj=social_import,
        actor=by,
        actor_label="" if by is not None else SYSTEM_LABEL,
        after={k: getattr(social_import, k) for k in OUTCOMES},
    )
    return social_import


def _chunks(rows: Iterator[tuple[int, list[str]]]) -> Iterator[list[tuple[int, list[str]]]]:
    chunk: list[tuple[int, list[str]]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@transaction.atomic
def _import_chunk(social_import: SocialImport, rows: Any, chunk: list) -> None:
    counts, rejections = rows.import_chunk(chunk)
    SocialImportRejection.objects.bulk_create(
        [
            SocialImportRejection(
                social_import=social_import, row_number=number, reason=reason, values=cells
            )
            for number, reason, cells in rejections
        ],
        batch_size=500,
    )
    for outcome in ("created", "updated", "unchanged"):
        setattr(social_import, outcome, getattr(social_import, outcome) + counts[outcome])
    social_import.rejected += len(rejections)
    social_import.save(update_fields=["created", "updated", "unchanged", "rejected"])


def rejection_rows(social_import: SocialImport) -> Iterator[list[str]]:
    """The rejected rows' report: the file's headers, then each row's number, reason and
    values (the writer makes text formula-safe)."""
    yield [_("fila"), _("motivo"), *social_import.headers]
    rows = social_import.rejections.order_by("row_number").values_list(
        "row_number", "reason", "values"
    )
    for number, reason, cells in rows.iterator(chunk_size=2000):
        yield [str(number), reason, *cells]
