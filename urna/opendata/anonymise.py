"""The one anonymisation step every open-data export goes through.

Three functions, used by every table (``urna.opendata.tables``) and therefore by every CSV,
JSON, data package, ZIP, CKAN upload and report download:

- ``anonymise_text(text)`` replaces emails, phone numbers, Colombian document numbers and
  social-network handles inside free text by placeholders (``[correo]``, ``[teléfono]``,
  ``[documento]``, ``[usuario]``). Names inside free text cannot be recognised reliably and are
  left; the published columns themselves never hold a name, a document, a phone, an email, a
  profile handle, a receipt, a user or a contact.
- ``anonymise_row(row, fields)`` applies the declared treatment of each column to one row: free
  text through ``anonymise_text``, timestamps cut to the day (Colombian calendar), internal ids
  turned into opaque stable ids. A column whose name looks personal is refused when the table is
  declared (``check_fields``), so a personal column cannot be added by mistake.
- ``suppress_small_cells(rows, ...)`` hides aggregated cells counting between 1 and 4 people
  (and, where a lone hidden cell could be recovered by subtraction from a published total, the
  next smallest cell of its group).

Trade-off, stated: numbers written like ``1.023.456.789`` are taken as document numbers unless a
currency sign or the word "pesos"/"millones" is next to them, so a few amounts lose their value;
a published document number would be worse.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

EMAIL = "[correo]"
PHONE = "[teléfono]"
DOCUMENT = "[documento]"
HANDLE = "[usuario]"

_SEP = r"[ .\-]?"
# Every phone or document number is a run of digits, so the text is scanned once for such runs
# (a pattern that starts with a digit class, which the regex engine skips to quickly); only the
# few runs with 6+ digits are then classified, looking at the words just before them ("C.C.",
# "celular"…). About ten times faster than trying every pattern at every position.
# Runs shorter than 6 characters cannot hold 6 digits: the pattern skips them itself.
_CANDIDATE = re.compile(r"[(+\d][\d .\-()+]{4,}\d")
_STRICT: list[tuple[str, str]] = [
    # +57 / 0057 / (+57) then a 10-digit number.
    (
        "phone_intl",
        r"(?:\+|\b00)\s?57\)?" + _SEP + r"\(?\d{1,3}\)?(?:" + _SEP + r"\d){7,9}\b"
        r"|\(\s?\+?57\s?\)" + _SEP + r"\d{3}(?:" + _SEP + r"\d){7}\b",
    ),
    # Mobiles 3xx xxx xxxx; landlines 60X xxx xxxx, (60X) xxx xxxx and the old (4) xxx xxxx.
    ("phone_mobile", r"\b3\d{2}" + _SEP + r"\d{3}" + _SEP + r"\d{2}" + _SEP + r"?\d{2}\b"),
    (
        "phone_land",
        r"(?:\(\s?60\d\s?\)|\b60\d)" + _SEP + r"\d{3}" + _SEP + r"\d{4}\b"
        r"|\(\s?0?\d\s?\)\s?\d{3}" + _SEP + r"\d{4}\b",
    ),
    # Dotted numbers: 1.023.456.789, 79.456.123 (amounts of money are left out before this).
    ("doc_dotted", r"\b\d{1,3}(?:\.\d{3}){2,3}(?:-\d)?\b"),
    # A bare run of 8 to 12 digits is an identifier (document, phone, account), never prose.
    ("doc_bare", r"\b\d{8,12}(?:-\d)?\b"),
]
_STRICT_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _STRICT))
_STRICT_PLACEHOLDER = {
    "phone_intl": PHONE,
    "phone_mobile": PHONE,
    "phone_land": PHONE,
    "doc_dotted": DOCUMENT,
    "doc_bare": DOCUMENT,
}
_NUMBER_WORD = r"(?:(?:n[°º.o]?|no|n[úu]mero)[\s.:#°º\-]*)?"
_DOC_CONTEXT = re.compile(
    r"\b(?:c\.?\s?c|c[ée]dula(?:\s+de\s+(?:ciudadan[íi]a|extranjer[íi]a))?|"
    r"documento(?:\s+de\s+identidad)?|nit|t\.?\s?i|tarjeta\s+de\s+identidad|pasaporte|"
    r"c\.?\s?e|doc|identificaci[óo]n|identificad[oa]\s+con)(?![a-záéíóúñ])"
    r"[\s.:#°º\-]*" + _NUMBER_WORD + r"(?-i:[A-Z]{1,3}\s?)?$",
    re.IGNORECASE,
)
_PHONE_CONTEXT = re.compile(
    r"\b(?:tel[ée]fono|tel|cel|celular|m[óo]vil|whats\s?app|wsp|fijo|contacto|n[úu]mero|"
    r"ll[áa]m(?:e|enme|ar|ame)(?:me)?(?:\s+al)?)(?![a-záéíóúñ])[\s.:#\-]*"
    + _NUMBER_WORD
    + r"(?:es\s+)?$",
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(r"(?:\$|COP|USD)\s?$", re.IGNORECASE)
_MONEY_AFTER = re.compile(
    r"\s*(?:pesos|millones|mil\b|cop\b|usd\b|d[óo]lares|%|,\d)", re.IGNORECASE
)
# Emails are found from their "@" (a literal the engine jumps to), then widened to the left over
# the local part; "(at)"/"[at]" spellings are rare and get the slower full pattern.
_AT_DOMAIN = re.compile(r"@[\w\-]+(?:\.[\w\-]+)+")
_SPELLED_EMAIL = re.compile(
    r"[\w.+\-]+\s?[(\[]at[)\]]\s?[\w\-]+(?:\s?(?:\.|[(\[]dot[)\]]|\bpunto\b)\s?[\w\-]+)+",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?\b")
_LOCAL_PART = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")


def _emails(text: str) -> str:
    pieces: list[str] = []
    cursor = 0
    for match in _AT_DOMAIN.finditer(text):
        start = match.start()
        while start > cursor and (text[start - 1] in _LOCAL_PART or text[start - 1].isalnum()):
            start -= 1
        if start == match.start():
            continue  # nothing before the "@": a handle, dealt with below
        pieces.append(text[cursor:start])
        pieces.append(EMAIL)
        cursor = match.end()
    pieces.append(text[cursor:])
    return "".join(pieces)


_DIGIT = re.compile(r"\d")


def _strict(match: re.Match) -> str:
    return _STRICT_PLACEHOLDER[match.lastgroup or "doc_bare"]


def _number(match: re.Match) -> str:
    run = match.group(0)
    if len(_DIGIT.findall(run)) < 6:
        return run
    text, start, end = match.string, match.start(), match.end()
    before = text[max(0, start - 40) : start]
    if _DOC_CONTEXT.search(before):
        return DOCUMENT
    if _PHONE_CONTEXT.search(before):
        return PHONE
    if _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(text, end):
        return run
    return _STRICT_RE.sub(_strict, run)


def anonymise_text(text: str | None) -> str:
    """Free text with emails, phones, document numbers and handles replaced by placeholders."""
    if not text:
        return ""
    if "@" in text:
        text = _HANDLE.sub(HANDLE, _emails(text))
    if "at)" in text or "at]" in text or "AT)" in text or "AT]" in text:
        text = _SPELLED_EMAIL.sub(EMAIL, text)
    return _CANDIDATE.sub(_number, text)


def _text_or_none(value: Any) -> str | None:
    return None if value is None else anonymise_text(value)


# --- Columns -----------------------------------------------------------------------------------

# Column kinds: how ``anonymise_row`` treats each value.
PLAIN = "plain"  # codes, counts, labels chosen from a list: published as they are
TEXT = "text"  # free text written by a person: through anonymise_text
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
        if f.kind not in {PLAIN, TEXT, DAY, OPAQUE_ID}:
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
