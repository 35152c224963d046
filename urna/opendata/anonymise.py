"""The one anonymisation step every open-data export goes through.

Three functions, used by every table (``urna.opendata.tables``) and therefore by every CSV,
JSON, data package, ZIP, CKAN upload and report download:

- ``anonymise_text(text)`` replaces personal data inside free text by placeholders
  (``[nombre]``, ``[documento]``, ``[teléfono]``, ``[correo]``, ``[dirección]``, ``[usuario]``)
  through ``urna.core.privacy``, the detector of every public output. Contributions carry that
  masked text already (``Contribution.public_text``, masked at intake), so their table publishes
  it as stored (``MASKED``) instead of running the detector over a million rows again; the
  published columns themselves never hold a name, a document, a phone, an email, a profile
  handle, a receipt, a user or a contact.
- ``anonymise_row(row, fields)`` applies the declared treatment of each column to one row: free
  text through ``anonymise_text``, timestamps cut to the day (Colombian calendar), internal ids
  turned into opaque stable ids. A column whose name looks personal is refused when the table is
  declared (``check_fields``), so a personal column cannot be added by mistake.
- ``suppress_small_cells(rows, ...)`` hides aggregated cells counting between 1 and 4 people
  (and, where a lone hidden cell could be recovered by subtraction from a published total, the
  next smallest cell of its group).

Trade-off, stated: numbers written like ``1.023.456.789`` are taken as document numbers unless a
currency sign, the word "pesos"/"millones" or a counted noun ("habitantes") is next to them, so a
few amounts lose their value; a published document number would be worse.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from urna.core.privacy import mask_personal_data


def anonymise_text(text: str | None) -> str:
    """Free text with personal data replaced by placeholders: the platform's one detector
    (``urna.core.privacy.mask_personal_data``), the same as every public page and log line."""
    return mask_personal_data(text)


def _text_or_none(value: Any) -> str | None:
    return None if value is None else anonymise_text(value)


# --- Columns -----------------------------------------------------------------------------------

# Column kinds: how ``anonymise_row`` treats each value.
PLAIN = "plain"  # codes, counts, labels chosen from a list: published as they are
TEXT = "text"  # free text written by a person: through anonymise_text
MASKED = "masked"  # free text stored already masked by the same detector: published as stored
DAY = "day"  # a timestamp: cut to its day in Colombia (America/Bogota)
OPAQUE_ID = "opaque_id"  # an internal primary key: replaced by a keyed hash, stable over time

# Column names that would carry personal data; no published table may declare them.
FORBIDDEN_NAMES = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "full_name",
        "nombre",
        "document",
        "document_number",
        "documento",
        "cedula",
        "phone",
        "telefono",
        "mobile",
        "email",
        "correo",
        "handle",
        "username",
        "user",
        "user_id",
        "contact",
        "contact_id",
        "receipt",
        "recibo",
        "ip",
        "address",
        "direccion",
        "idempotency_key",
        "age_range",
        "gender",
        "ethnic_group",
    }
)


@dataclass(frozen=True)
class Field:
    """One published column: its Table Schema type and description, and its treatment."""

    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date, datetime
    description: str
    kind: str = PLAIN
    title: str = ""
    enum: tuple[str, ...] | None = None
    required: bool = False


def check_fields(fields: Sequence[Field]) -> None:
    """Refuse a table that declares a personal column (raises ValueError)."""
    for f in fields:
        if f.name.lower() in FORBIDDEN_NAMES:
            raise ValueError(f"Column {f.name!r} would publish personal data.")
        if f.kind not in {PLAIN, TEXT, MASKED, DAY, OPAQUE_ID}:
            raise ValueError(f"Unknown column kind {f.kind!r}.")


def _id_key() -> bytes:
    # A separate key lets a deployment rotate SECRET_KEY without changing published ids.
    key = getattr(settings, "OPENDATA_ID_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(("urna.opendata.id:" + key).encode()).digest()


@lru_cache(maxsize=8)
def _opaque_hasher(key: bytes) -> Callable[[Any], str | None]:
    keyed = hashlib.blake2b(key=key, digest_size=8)

    def opaque(value: Any) -> str | None:
        if value is None:
            return None
        # Copying a keyed state is cheaper than keying a new one (a million times per export).
        digest = keyed.copy()
        digest.update(str(value).encode())
        return digest.hexdigest()

    return opaque


def opaque_id(value: Any) -> str | None:
    """The public id of an internal key: 16 hex characters, stable, not reversible."""
    return _opaque_hasher(_id_key())(value)


def _day(tz: ZoneInfo) -> Callable[[Any], str | None]:
    """Timestamp → its day in Colombia. Accepts datetimes (PostgreSQL, Django) and the UTC text
    SQLite returns when Django's converters are skipped (``tables.stream_rows``); the text form
    is cached per hour (per minute in a zone with a half-hour offset), since a million
    contributions share a few thousand hours."""
    cache: dict[str, str] = {}
    offset = datetime.now(tz).utcoffset()
    width = 13 if offset is not None and offset.total_seconds() % 3600 == 0 else 16

    def day(value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            key = value[:width]
            found = cache.get(key)
            if found is None:
                moment = datetime.fromisoformat(key if width == 16 else key + ":00")
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=UTC)
                found = moment.astimezone(tz).date().isoformat()
                if len(cache) < 500_000:
                    cache[key] = found
            return found
        if isinstance(value, datetime):
            # A naive timestamp from the database is UTC (Django stores UTC with USE_TZ).
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            return value.astimezone(tz).date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return str(value)[:10]

    return day


def _boolean(value: Any) -> bool | None:
    # SQLite returns 0/1 when Django's converters are skipped.
    return None if value is None else bool(value)


def _cached_text() -> Callable[[Any], str | None]:
    # Answers in the results matrix repeat (one reason for a whole group of contributions):
    # remembering the last few hundred texts makes the frequent ones free.
    @lru_cache(maxsize=256)
    def text(value: str) -> str:
        return anonymise_text(value)

    def treat(value: Any) -> str | None:
        return None if value is None else text(value)

    return treat


def row_anonymiser(fields: Sequence[Field]) -> Callable[[Sequence[Any]], tuple]:
    """The per-row function for ``fields``: what ``anonymise_row`` does, built once per table.

    Only the columns that need a treatment are visited per row (a loop over every column cost
    seconds on a million-row export); the others are copied as they are.
    """
    check_fields(fields)
    tz = ZoneInfo(settings.TIME_ZONE)
    treated: list[tuple[int, Callable[[Any], Any]]] = []
    for i, f in enumerate(fields):
        treat: Callable[[Any], Any] | None = None
        if f.kind == TEXT:
            treat = _cached_text()
        elif f.kind == DAY:
            treat = _day(tz)
        elif f.kind == OPAQUE_ID:
            treat = _opaque_hasher(_id_key())
        elif f.type == "boolean":
            treat = _boolean
        if treat is not None:
            treated.append((i, treat))

    def anonymise(row: Sequence[Any]) -> tuple:
        values = list(row)
        for i, treat in treated:
            values[i] = treat(values[i])
        return tuple(values)

    return anonymise


def anonymise_row(row: Sequence[Any], fields: Sequence[Field]) -> tuple:
    """One row of a published table, each value treated as its column declares."""
    return row_anonymiser(fields)(row)


# --- Aggregates --------------------------------------------------------------------------------

MIN_CELL = 5


def suppress_small_cells(
    rows: Iterable[dict[str, Any]],
    *,
    count_field: str = "count",
    group_fields: Sequence[str] = (),
    min_count: int = MIN_CELL,
    complementary: bool = True,
) -> list[dict[str, Any]]:
    """Hide counts of 1 to ``min_count - 1`` people: the count becomes None and the row's
    ``suppressed`` is True. Zero counts reveal nothing and stay.

    Within each group (rows sharing ``group_fields``), the group's total is public elsewhere, so
    a single hidden cell could be recovered by subtraction: the smallest other non-zero cell of
    the group is hidden too (``complementary``).
    """
    out = [dict(row) for row in rows]
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for row in out:
        count = row.get(count_field) or 0
        row["suppressed"] = 0 < count < min_count
        groups[tuple(row.get(f) for f in group_fields)].append(row)
    if complementary:
        for members in groups.values():
            hidden = [r for r in members if r["suppressed"]]
            if len(hidden) == 1:
                others = [r for r in members if not r["suppressed"] and (r[count_field] or 0) > 0]
                if others:
                    min(others, key=lambda r: r[count_field])["suppressed"] = True
    for row in out:
        if row["suppressed"]:
            row[count_field] = None
    return out
