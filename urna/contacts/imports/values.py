"""What a cell of an imported file means: phones, emails, headers and the fields they fill."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy
from phonenumbers import PhoneMetadata

from urna.contacts.models import (
    ConsentChannel,
)

# The fields a file's columns can fill, with the headers that usually hold them (compared
# without accents, case or punctuation).
TARGETS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "phone": (
        gettext_lazy("Celular o teléfono"),
        ("celular", "telefono", "movil", "cel", "tel", "whatsapp", "phone", "mobile", "numero"),
    ),
    "email": (
        gettext_lazy("Correo electrónico"),
        ("correo", "email", "mail", "correoelectronico", "e-mail"),
    ),
    "name": (gettext_lazy("Nombre"), ("nombre", "nombres", "nombrecompleto", "name")),
    "department": (
        gettext_lazy("Código DANE del departamento"),
        ("coddepartamento", "coddepto", "coddpto", "departamento", "depto", "dpto"),
    ),
    "municipality": (
        gettext_lazy("Código DANE del municipio"),
        ("coddane", "codigodane", "codmunicipio", "codmpio", "divipola", "dane", "municipio"),
    ),
    "topics": (gettext_lazy("Temas (separados por | o ;)"), ("temas", "tema", "intereses")),
    "preferred_channel": (
        gettext_lazy("Canal preferido"),
        ("canalpreferido", "canal", "medio", "preferredchannel"),
    ),
    "language": (gettext_lazy("Idioma"), ("idioma", "lengua", "language")),
    "consent": (
        gettext_lazy("Autorización (sí/no)"),
        ("autorizacion", "autoriza", "consentimiento", "acepta", "habeasdata", "consent"),
    ),
    "consent_evidence": (
        gettext_lazy("Soporte de la autorización"),
        ("soporte", "evidencia", "prueba", "soporteautorizacion"),
    ),
}
YES = frozenset({"si", "sí", "s", "yes", "y", "1", "true", "verdadero", "x", "acepto", "autorizo"})
CHANNEL_WORDS = {
    "sms": ConsentChannel.SMS,
    "mensaje": ConsentChannel.SMS,
    "mensajedetexto": ConsentChannel.SMS,
    "celular": ConsentChannel.SMS,
    "whatsapp": ConsentChannel.WHATSAPP,
    "wa": ConsentChannel.WHATSAPP,
    "email": ConsentChannel.EMAIL,
    "correo": ConsentChannel.EMAIL,
    "correoelectronico": ConsentChannel.EMAIL,
    "mail": ConsentChannel.EMAIL,
}
LANGUAGE_WORDS = {"espanol": "es", "castellano": "es", "ingles": "en", "english": "en"}
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z]{2})?")
PHONE_CHANNELS = (ConsentChannel.SMS, ConsentChannel.WHATSAPP)


_SEPARATORS = str.maketrans("", "", " -.()/\t\u00a0")
# phonenumbers' own pattern of Colombian mobile numbers: a number it matches is valid for
# phonenumbers too, so the fast path below agrees with the library (tested on a sample).
_CO_MOBILE = re.compile(PhoneMetadata.metadata_for_region("CO").mobile.national_number_pattern)


def phone_e164(raw: str) -> str | None:
    """A phone as E.164 (region CO), or None when it is not a valid number.

    The common Colombian mobile forms (3001234567, 300 123 4567, +57 300-123-4567,
    573001234567) are read without phonenumbers' parser, which costs ~30 µs a number: two
    million rows would spend a minute there. Anything else goes through phonenumbers."""
    compact = raw.translate(_SEPARATORS)
    plus = compact.startswith("+")
    digits = compact[1:] if plus else compact
    if digits.isdigit():
        if len(digits) == 12 and digits.startswith("57"):
            national = digits[2:]
        elif len(digits) == 10 and not plus:
            national = digits
        else:
            national = ""
        if national and _CO_MOBILE.fullmatch(national):
            return "+57" + national
    try:
        number = phonenumbers.parse(raw, "CO")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# The everyday address (ana.perez_2@correo.gov.co): a strict subset of what Django's validator
# accepts, checked in one compiled match; anything else goes through the validator.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)


def email_clean(raw: str) -> str | None:
    """An email lower-cased when Django's validator accepts it, else None."""
    email = raw.strip().lower()
    if len(email) > 254:
        return None
    if _PLAIN_EMAIL.fullmatch(email):
        return email
    try:
        validate_email(email)
    except ValidationError:
        return None
    return email


def header_key(text: str) -> str:
    """A header compared without accents, case, spaces or punctuation ("Cód. DANE" → coddane)."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def mapping_guess(headers: Sequence[str]) -> dict[str, int]:
    """The column each target field most likely comes from: an exact header first (in the
    order of each field's usual headers), then a header that contains one; a column serves one
    field at most."""
    keys = [header_key(h) for h in headers]
    guess: dict[str, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for field, (_label, words) in TARGETS.items():
            if field in guess:
                continue
            for word in (header_key(w) for w in words):
                match = next(
                    (
                        i
                        for i, key in enumerate(keys)
                        if i not in used and key and (key == word if exact else word in key)
                    ),
                    None,
                )
                if match is not None:
                    guess[field] = match
                    used.add(match)
                    break
    return guess


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person sees (3001234567, not 3001234567.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()
