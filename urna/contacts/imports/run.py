"""The background run of an import: the file streamed chunk by chunk, each chunk written and
committed with the import's cursor."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.audit.services import audit_record
from urna.contacts.imports.files import file_rows, media_path
from urna.contacts.imports.reading import ImportRow, RowReader
from urna.contacts.models import (
    ConsentEvent,
    Contact,
    ContactImport,
    ContactInterest,
    ImportRejection,
    Source,
)
from urna.contacts.services import contact_merge
from urna.core.errors import InvalidInput
from urna.jobs.services import job_progress

CHUNK_ROWS = 5000
# A batch of values in one IN (...): under SQLite's oldest bound-parameter limit.
IN_BATCH = 900


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    withheld: int = 0
    merged: int = 0


class _Superseded(Exception):
    """Another run of the same import committed this chunk first (at-least-once jobs)."""


def batches(values: Sequence[Any], size: int = IN_BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


_FIELDS = (
    "id",
    "phone",
    "email",
    "name",
    "consents",
    "department_id",
    "municipality_id",
    "preferred_channel",
)


_LIVE = ("erased_at", "merged_into_id")


def _select_in(columns: Sequence[str], key: str, values: Sequence[Any]) -> Iterator[tuple]:
    """``columns`` of the contacts whose ``key`` is one of ``values``, in batches.

    Plain SQL: the ORM prepares each value of an IN list one by one, which on two million rows
    cost as much as the lookups themselves."""
    quote = connection.ops.quote_name
    fields = {f.attname: f.column for f in Contact._meta.concrete_fields}
    head = "SELECT {} FROM {} WHERE {} IN ".format(  # noqa: S608 - model names only
        ", ".join(quote(fields[c]) for c in columns),
        quote(Contact._meta.db_table),
        quote(fields[key]),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter however many values: nothing for the driver to split.
            cursor.execute(head[: -len(" IN ")] + " = ANY(%s)", [list(values)])
            yield from cursor.fetchall()
            return
        for batch in batches(values):
            cursor.execute(head + "(" + ", ".join(["%s"] * len(batch)) + ")", list(batch))
            yield from cursor.fetchall()


def _lookup(rows: list[ImportRow]) -> tuple[dict[str, dict], dict[str, dict]]:
    """The live contacts holding the chunk's phones and emails, by phone and by email.

    Selected on the address alone, so that the database reads its unique index: with
    ``live()``'s conditions SQLite (without ANALYZE statistics) walks the index of
    ``merged_into`` instead, every row of it. Merging and erasing blank the addresses, so only a
    live contact holds one; the check below is for safety."""
    by_phone: dict[str, dict] = {}
    by_email: dict[str, dict] = {}
    columns = (*_FIELDS, *_LIVE)
    for key, values, found in (
        ("phone", [r.phone for r in rows if r.phone], by_phone),
        ("email", [r.email for r in rows if r.email], by_email),
    ):
        for values_row in _select_in(columns, key, values):
            contact = dict(zip(columns, values_row, strict=True))
            if contact["erased_at"] is None and contact["merged_into_id"] is None:
                found[contact[key]] = contact
    return by_phone, by_email


def _insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: list[tuple],
    *,
    now: datetime,
    ignore_conflicts: bool = False,
) -> None:
    """INSERT ``rows`` (values of ``columns``, ready for the database: text, numbers, None):
    one prepared statement run by ``executemany`` on SQLite, COPY on PostgreSQL (or, for rows
    that may conflict, many rows a statement).

    Django's bulk_create builds and compiles the SQL of every batch, 45 rows of Contact a batch
    under SQLite's parameter limit: on two million contacts, with their interests and consent
    events, that alone took most of the import's time. The model's other columns get their
    default (``now`` for auto-dated ones), so a field added to the model later is filled too."""
    if not rows:
        return
    names = list(columns)
    extra: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in columns:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        names.append(field.attname)
        extra.append(field.get_db_prep_save(value, connection))
    quote = connection.ops.quote_name
    fields = {f.attname: f for f in model._meta.concrete_fields}
    # Only the model's own table and column names, quoted, go into the text; values are bound.
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(quote(fields[name].column) for name in names)
    )
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    tail = tuple(extra)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite runs one prepared statement per row at C speed.
            for batch in batches(rows, 5000):
                cursor.executemany(head + one + conflict, [row + tail for row in batch])
            return
        if not ignore_conflicts:
            # PostgreSQL's COPY: one stream for all the rows, no statement per row to parse.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(fields[n].column) for n in names)
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row + tail)
            return
        # Rows that may be there already (a few, for contacts that exist): many a statement.
        size = max(1, min(500, 30000 // len(names)))
        for batch in batches(rows, size):
            values = [value for row in batch for value in row + tail]
            cursor.execute(head + ", ".join([one] * len(batch)) + conflict, values)


def _ids_of(rows: list[ImportRow]) -> list[int]:
    """The ids of the contacts just inserted for ``rows`` (by their unique phone or email)."""
    ids: dict[str, int] = {}
    ids.update(_select_in(("phone", "id"), "phone", [r.phone for r in rows if r.phone]))
    ids.update(_select_in(("email", "id"), "email", [r.email for r in rows if not r.phone]))
    return [ids[r.phone or r.email] for r in rows]


_NEW_CONTACT = (
    "phone",
    "email",
    "name",
    "consent_at",
    "consent_channel",
    "consent_version",
    "consents",
    "preferred_channel",
    "language",
    "source",
    "source_detail",
    "department_id",
    "municipality_id",
    "created_at",
    "updated_at",
)
_INTEREST = ("contact_id", "kind", "value")
_TOPIC = ContactInterest.Kind.TOPIC.value
_GRANT = ConsentEvent.Action.GRANT.value
_VIA_IMPORT = ConsentEvent.Via.IMPORT.value
_EVENT = ("contact_id", "action", "scope", "via", "channel", "text_version", "evidence")
_EVENT += ("actor_id", "at")


class _Chunk:
    """One chunk of rows written in one transaction."""

    def __init__(self, contact_import: ContactImport, actor: Any, entity_acronym: str):
        self.imp = contact_import
        self.actor = actor
        self.entity_acronym = entity_acronym
        self.detail = f"import:{contact_import.pk}"
        self.general_evidence = contact_import.evidence
        self.actor_id = getattr(actor, "pk", None)
        self.entity_interest = (ContactInterest.Kind.ENTITY.value, entity_acronym)

    def _evidence(self, row: ImportRow) -> str:
        note = row.evidence or self.general_evidence
        text = f"{self.detail} fila {row.number}"
        return (f"{text} · {note}" if note else text)[:300]

    def _interests(self, row: ImportRow) -> list[tuple[str, str]]:
        return [self.entity_interest, *((_TOPIC, t) for t in row.topics)]

    def write(self, rows: list[ImportRow], rejections: list[ImportRejection]) -> _Counts:
        counts = _Counts(rejected=len(rejections))
        by_phone, by_email = _lookup(rows)
        # A phone and an email of one row on two contacts: they are one person.
        merged_rows: set[int] = set()
        for row in rows:
            a = by_phone.get(row.phone) if row.phone else None
            b = by_email.get(row.email) if row.email else None
            if a is not None and b is not None and a["id"] != b["id"]:
                contact_merge(
                    keep=Contact.objects.get(pk=a["id"]),
                    other=Contact.objects.get(pk=b["id"]),
                    by=self.actor,
                )
                counts.merged += 1
                merged_rows.add(row.number)
                by_phone, by_email = _lookup(rows)
        new: list[ImportRow] = []
        existing: list[tuple[ImportRow, dict]] = []
        for row in rows:
            found = (by_phone.get(row.phone) if row.phone else None) or (
                by_email.get(row.email) if row.email else None
            )
            if found is None:
                new.append(row)
            else:
                existing.append((row, found))
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now)
        events: list[tuple] = []
        interests: list[tuple] = []
        counts.created = len(new)
        if new:
            source, version = Source.IMPORT.value, self.imp.text_version
            _insert(
                Contact,
                _NEW_CONTACT,
                [
                    (
                        row.phone,
                        row.email,
                        row.name,
                        stamp,
                        "import",
                        version,
                        row.scope,
                        row.preferred,
                        row.language or "es",
                        source,
                        self.detail,
                        row.department,
                        row.municipality,
                        stamp,
                        stamp,
                    )
                    for row in new
                ],
                now=now,
            )
            for row, contact_id in zip(new, _ids_of(new), strict=True):
                events.append(self._event(contact_id, row.scope, row, stamp))
                interests += [(contact_id, k, v) for k, v in self._interests(row)]
        # A new contact's interests cannot be there yet; an existing contact's may have been
        # added since they were read.
        _insert(ContactInterest, _INTEREST, interests, now=now)
        interests = []
        if existing:
            self._existing(existing, merged_rows, counts, events, interests, now, stamp)
        _insert(ContactInterest, _INTEREST, interests, now=now, ignore_conflicts=True)
        _insert(ConsentEvent, _EVENT, events, now=now)
        if rejections:
            ImportRejection.objects.bulk_create(rejections, batch_size=500)
        return counts

    def _event(self, contact_id: int, scope: int, row: ImportRow, stamp: Any) -> tuple:
        return (
            contact_id,
            _GRANT,
            scope,
            _VIA_IMPORT,
            "import",
            self.imp.text_version,
            self._evidence(row),
            self.actor_id,
            stamp,
        )

    def _existing(
        self,
        existing: list[tuple[ImportRow, dict]],
        merged_rows: set[int],
        counts: _Counts,
        events: list[tuple],
        interests: list[tuple],
        now: datetime,
        stamp: Any,
    ) -> None:
        """Existing contacts: fill what they lack, OR the consent bits (except pairs the
        citizen revoked), add the interests they lack."""
        ids = [found["id"] for _row, found in existing]
        asking = [found["id"] for row, found in existing if row.scope & ~found["consents"]]
        revoked: dict[int, int] = {}
        for batch in batches(asking):
            for contact_id, scope in ConsentEvent.objects.filter(
                contact_id__in=batch, action=ConsentEvent.Action.REVOKE
            ).values_list("contact_id", "scope"):
                revoked[contact_id] = revoked.get(contact_id, 0) | scope
        held: set[tuple[int, str, str]] = set()
        kinds = (ContactInterest.Kind.ENTITY, ContactInterest.Kind.TOPIC)
        for batch in batches(ids):
            held.update(
                ContactInterest.objects.filter(contact_id__in=batch, kind__in=kinds).values_list(
                    "contact_id", "kind", "value"
                )
            )
        grants: dict[int, list[int]] = {}
        filled: list[Contact] = []
        fill_fields: set[str] = set()
        for row, found in existing:
            cid = found["id"]
            changed = row.number in merged_rows
            add = row.scope & ~found["consents"] & ~revoked.get(cid, 0)
            if row.scope & ~found["consents"] & revoked.get(cid, 0):
                counts.withheld += 1
            if add:
                grants.setdefault(add, []).append(cid)
                events.append(self._event(cid, add, row, stamp))
                changed = True
            for kind, value in self._interests(row):
                if (cid, kind, value) not in held:
                    interests.append((cid, kind, value))
                    changed = True
            fills = {
                field: value
                for field, value in (
                    ("phone", row.phone),
                    ("email", row.email),
                    ("name", row.name),
                    ("department_id", row.department),
                    ("municipality_id", row.municipality),
                    ("preferred_channel", row.preferred),
                )
                if value and not found[field]
            }
            if fills:
                contact = Contact(pk=cid, **{f: found[f] for f in _FIELDS if f != "id"})
                for field, value in fills.items():
                    setattr(contact, field, value)
                contact.updated_at = now
                filled.append(contact)
                fill_fields.update(fills)
                changed = True
            if changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
        if filled:
            fields = [*sorted(fill_fields), "updated_at"]
            Contact.objects.bulk_update(filled, fields, batch_size=200)
        for add, contact_ids in grants.items():
            for batch in batches(contact_ids):
                Contact.objects.filter(pk__in=batch).update(
                    consents=F("consents").bitor(add), updated_at=now
                )


def _commit_chunk(
    contact_import: ContactImport,
    chunk: _Chunk,
    start: int,
    rows: list[ImportRow],
    rejections: list[ImportRejection],
    read: int,
) -> None:
    """Write a chunk and move ``rows_done`` from ``start`` to ``start + read`` in one
    transaction; a run that finds ``rows_done`` moved already stops (another run has it)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The chunk and the import's cursor commit together, so a commit lost to a crash
            # of the server is a chunk the next run does again: no need to wait for the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        current = (
            ContactImport.objects.select_for_update()
            .filter(pk=contact_import.pk)
            .values_list("rows_done", "status")
            .get()
        )
        if current != (start, ContactImport.Status.RUNNING):
            raise _Superseded
        counts = chunk.write(rows, rejections)
        ContactImport.objects.filter(pk=contact_import.pk).update(
            rows_done=start + read,
            created=F("created") + counts.created,
            updated=F("updated") + counts.updated,
            unchanged=F("unchanged") + counts.unchanged,
            rejected=F("rejected") + counts.rejected,
            withheld=F("withheld") + counts.withheld,
            merged=F("merged") + counts.merged,
        )


def _parsed(
    contact_import: ContactImport, reader: RowReader, done: int, size: int
) -> Iterator[list[tuple[int, list[str], ImportRow | str]]]:
    """Chunks of (row number, values, row or rejection reason) from the first row not committed;
    the rows before it are read only for the reader to remember their phones and emails."""
    chunk: list[tuple[int, list[str], ImportRow | str]] = []
    for index, (number, values) in enumerate(file_rows(contact_import)):
        result = reader.read(number, values)
        if index < done:
            continue
        chunk.append((number, values, result))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def contact_import_run(
    *,
    import_id: int,
    job_id: int | None = None,
    chunk_rows: int = CHUNK_ROWS,
    after_chunk: Callable[[ContactImport], None] | None = None,
) -> dict:
    """Import the file to the end, from the first row not committed. Safe to run twice, or
    again after a crash; ``after_chunk`` is called after each committed chunk."""
    contact_import = ContactImport.objects.select_related("entity", "created_by").get(pk=import_id)
    if contact_import.status not in (ContactImport.Status.QUEUED, ContactImport.Status.RUNNING):
        return _summary(contact_import)
    ContactImport.objects.filter(pk=import_id, status=ContactImport.Status.QUEUED).update(
        status=ContactImport.Status.RUNNING, started_at=timezone.now()
    )
    contact_import.refresh_from_db()
    if not media_path(contact_import.path).exists():
        return _fail(contact_import, _("El archivo de la importación ya no está."))
    reader = RowReader(contact_import)
    chunk = _Chunk(contact_import, contact_import.created_by, contact_import.entity.acronym)
    start = contact_import.rows_done
    try:
        for parsed in _parsed(contact_import, reader, start, chunk_rows):
            rows: list[ImportRow] = []
            rejections: list[ImportRejection] = []
            for number, values, result in parsed:
                if isinstance(result, str):
                    rejections.append(
                        ImportRejection(
                            contact_import_id=import_id,
                            row_number=number,
                            reason=result,
                            values=values,
                        )
                    )
                else:
                    rows.append(result)
            _commit_chunk(contact_import, chunk, start, rows, rejections, len(parsed))
            start += len(parsed)
            _progress(contact_import, job_id, after_chunk)
    except _Superseded:
        contact_import.refresh_from_db()
        return _summary(contact_import)
    except (UnicodeDecodeError, csv.Error, InvalidInput) as exc:
        return _fail(contact_import, _("El archivo no se pudo leer: %(e)s") % {"e": exc})
    return _finish(contact_import)


def contact_import_error(*, import_id: int, error: Exception, final: bool) -> None:
    """A run stopped on an unexpected error: keep its kind for the import's page (never the
    message, which may quote a citizen's data) and, when no retry is left, end the import as
    failed. Otherwise the next attempt resumes after the last committed chunk."""
    contact_import = ContactImport.objects.select_related("entity", "created_by").get(pk=import_id)
    if final:
        _fail(contact_import, _("Falló sin más reintentos (%(e)s).") % {"e": type(error).__name__})
        return
    note = _("Se interrumpió (%(e)s); se reintentará desde la última fila guardada.")
    ContactImport.objects.filter(pk=import_id).update(error=note % {"e": type(error).__name__})


def _progress(
    contact_import: ContactImport,
    job_id: int | None,
    after_chunk: Callable[[ContactImport], None] | None,
) -> None:
    contact_import.refresh_from_db(fields=["rows_done", "rows_estimate", "status"])
    job_progress(
        job_id=job_id, fraction=contact_import.fraction, note=f"{contact_import.rows_done}"
    )
    if after_chunk is not None:
        after_chunk(contact_import)


def _finish(contact_import: ContactImport) -> dict:
    with transaction.atomic():
        finished = ContactImport.objects.filter(
            pk=contact_import.pk, status=ContactImport.Status.RUNNING
        ).update(status=ContactImport.Status.DONE, finished_at=timezone.now(), error="")
        contact_import.refresh_from_db()
        if finished:
            audit_record(
                action="contact.import_finish",
                obj=contact_import,
                actor=contact_import.created_by,
                entity=contact_import.entity,
                after=_summary(contact_import),
            )
    _file_delete(contact_import)
    return _summary(contact_import)


def _fail(contact_import: ContactImport, error: str) -> dict:
    with transaction.atomic():
        ContactImport.objects.filter(pk=contact_import.pk).update(
            status=ContactImport.Status.FAILED, finished_at=timezone.now(), error=error[:300]
        )
        contact_import.refresh_from_db()
        audit_record(
            action="contact.import_finish",
            obj=contact_import,
            actor=contact_import.created_by,
            entity=contact_import.entity,
            after=_summary(contact_import),
        )
    _file_delete(contact_import)
    return _summary(contact_import)


def _file_delete(contact_import: ContactImport) -> None:
    """The uploaded file holds citizens' data: it goes once the import ends (the rejected rows
    stay in the report)."""
    if contact_import.path:
        media_path(contact_import.path).unlink(missing_ok=True)
        ContactImport.objects.filter(pk=contact_import.pk).update(path="")
        contact_import.path = ""


def _summary(contact_import: ContactImport) -> dict:
    return {
        "status": contact_import.status,
        "rows": contact_import.rows_done,
        "created": contact_import.created,
        "updated": contact_import.updated,
        "unchanged": contact_import.unchanged,
        "rejected": contact_import.rejected,
        "withheld": contact_import.withheld,
        "merged": contact_import.merged,
    }
