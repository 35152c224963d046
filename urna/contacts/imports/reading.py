"""Reading an import's rows: each row of the file checked and normalised (phone, email,
territory, channel, language, topics, consent), or the reason it is rejected; duplicates within
the file are caught here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.text import slugify
from django.utils.translation import gettext as _

from urna.contacts.consent import bits as consent_bits
from urna.contacts.imports.values import (
    CHANNEL_WORDS,
    LANGUAGE_CODE,
    LANGUAGE_WORDS,
    PHONE_CHANNELS,
    YES,
    email_clean,
    header_key,
    phone_e164,
)
from urna.contacts.models import (
    ContactImport,
)
from urna.territory.models import Department, Municipality

CHUNK_ROWS = 5000
# A batch of values in one IN (...): under SQLite's oldest bound-parameter limit.
IN_BATCH = 900


@dataclass(slots=True)
class ImportRow:
    number: int
    phone: str | None
    email: str | None
    name: str
    department: str | None
    municipality: str | None
    topics: tuple[str, ...]
    preferred: str
    language: str
    scope: int
    evidence: str


class RowReader:
    """Turns a file row into a ``ImportRow`` or the reason it is rejected, and remembers the phones
    and emails of the rows accepted so far to tell duplicates in the file."""

    def __init__(self, contact_import: ContactImport):
        self.mapping = contact_import.mapping
        self.column_basis = contact_import.basis == ContactImport.Basis.COLUMN
        purposes = contact_import.purposes
        channels = contact_import.channels
        self.phone_scope = consent_bits(purposes, [c for c in channels if c in PHONE_CHANNELS])
        self.email_scope = consent_bits(purposes, [c for c in channels if c == "email"])
        self.municipalities = dict(Municipality.objects.values_list("code", "department_id"))
        self.departments = set(Department.objects.values_list("code", flat=True))
        self.seen_phones: set[int] = set()
        self.seen_emails: set[str] = set()
        self.reasons = {
            "empty": _("fila vacía"),
            "consent": _("sin autorización"),
            "phone": _("teléfono no válido"),
            "email": _("correo electrónico no válido"),
            "address": _("sin teléfono ni correo electrónico"),
            "municipality": _("código DANE de municipio desconocido"),
            "department": _("código DANE de departamento desconocido"),
            "territory": _("el municipio no pertenece al departamento"),
            "channel": _("canal preferido no válido"),
            "language": _("idioma no válido"),
            "scope": _("sin teléfono ni correo para los canales autorizados"),
            "duplicate": _(
                "duplicada: el teléfono o el correo ya está en una fila anterior del archivo"
            ),
        }

    def place(self, municipality: str, department: str) -> tuple[str | None, str | None] | str:
        """(department, municipality) DANE codes of a row, or the reason it is rejected."""
        found = None
        if municipality:
            if municipality.isdigit() and len(municipality) == 4:
                municipality = municipality.zfill(5)
            found = self.municipalities.get(municipality)
            if found is None:
                return self.reasons["municipality"]
        if department:
            code = (
                department.zfill(2) if department.isdigit() and len(department) == 1 else department
            )
            if code not in self.departments:
                return self.reasons["department"]
            if found is not None and found != code:
                return self.reasons["territory"]
            found = code
        return found, municipality or None

    def read(self, number: int, values: list[str]) -> ImportRow | str:
        if not any(values):
            return self.reasons["empty"]
        width = len(values)
        columns = self.mapping

        def get(_values: list[str], field: str) -> str:
            index = columns.get(field, width)
            return values[index] if index < width else ""

        evidence = ""
        if self.column_basis:
            if header_key(get(values, "consent")) not in YES:
                return self.reasons["consent"]
            evidence = get(values, "consent_evidence")
        raw_phone, raw_email = get(values, "phone"), get(values, "email")
        phone = email = None
        if raw_phone:
            phone = phone_e164(raw_phone)
            if phone is None:
                return self.reasons["phone"]
        if raw_email:
            email = email_clean(raw_email)
            if email is None:
                return self.reasons["email"]
        if phone is None and email is None:
            return self.reasons["address"]
        place = self.place(get(values, "municipality"), get(values, "department"))
        if isinstance(place, str):
            return place
        department, municipality = place
        preferred = ""
        raw = get(values, "preferred_channel")
        if raw:
            preferred = CHANNEL_WORDS.get(header_key(raw), "")
            if not preferred:
                return self.reasons["channel"]
        language = ""
        raw = get(values, "language").lower()
        if raw:
            language = LANGUAGE_WORDS.get(header_key(raw), raw)
            if not LANGUAGE_CODE.fullmatch(language):
                return self.reasons["language"]
        scope = (self.phone_scope if phone else 0) | (self.email_scope if email else 0)
        if not scope:
            return self.reasons["scope"]
        phone_key = int(phone[1:]) if phone else 0
        if (phone and phone_key in self.seen_phones) or (email and email in self.seen_emails):
            return self.reasons["duplicate"]
        if phone:
            self.seen_phones.add(phone_key)
        if email:
            self.seen_emails.add(email)
        topics: tuple[str, ...] = ()
        raw = get(values, "topics")
        if raw:
            topics = _topics(raw)
        return ImportRow(
            number,
            phone,
            email,
            get(values, "name")[:150],
            department,
            municipality,
            topics,
            preferred,
            language,
            scope,
            evidence,
        )


_TOPIC_SPLIT = re.compile(r"[|;]")


@lru_cache(maxsize=65536)
def _topics(raw: str) -> tuple[str, ...]:
    """The topics' slugs in a cell ("agua|Vías terciarias" → agua, vias-terciarias); a file
    repeats a few combinations on millions of rows."""
    slugs = (slugify(t)[:80] for t in _TOPIC_SPLIT.split(raw))
    return tuple(dict.fromkeys(s for s in slugs if s))
