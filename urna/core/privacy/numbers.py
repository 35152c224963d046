"""Runs of digits: phones and document numbers, told apart from money, dates and quantities."""

from __future__ import annotations

import re

from urna.core.privacy.common import Finding, _words
from urna.core.privacy.lexicon import _ASCII_WORD

# --- numbers: phones and documents -----------------------------------------------------------

_SEP = r"[ .\-]?"
# Runs of digits with separators; only runs with 6+ digits are looked at.
_CANDIDATE = re.compile(r"[0-9(+][0-9 .\-()+]{4,}[0-9]")
_STRICT = re.compile(
    "|".join(
        f"(?P<{name}>{pattern})"
        for name, pattern in [
            # +57 / 0057 / (+57) then the number.
            (
                "phone_intl",
                r"(?:\+|\b00)\s?57\)?" + _SEP + r"\(?\d{1,3}\)?(?:" + _SEP + r"\d){7,9}\b"
                r"|\(\s?\+?57\s?\)" + _SEP + r"\d{3}(?:" + _SEP + r"\d){7}\b"
                r"|\b57" + _SEP + r"3\d{2}(?:" + _SEP + r"\d){7}\b",
            ),
            # Mobiles 3xx xxx xxxx (also (3xx) xxx xxxx).
            (
                "phone_mobile",
                r"(?:\b3\d{2}|\(3\d{2}\))" + _SEP + r"\d{3}" + _SEP + r"\d{2}" + _SEP + r"?\d{2}\b",
            ),
            # Landlines 60X xxx xxxx, (60X) xxx xxxx and the old (4) xxx xxxx.
            (
                "phone_land",
                r"(?:\(\s?60\d\s?\)|\b60\d)" + _SEP + r"\d{3}" + _SEP + r"\d{4}\b"
                r"|\(\s?0?\d\s?\)\s?\d{3}" + _SEP + r"\d{4}\b",
            ),
            # Dotted numbers: 1.023.456.789, 79.456.123, NIT 900.123.456-7.
            ("doc_dotted", r"\b\d{1,3}(?:\.\d{3}){2,3}(?:-\d)?\b"),
            # A bare run of 8 to 12 digits is an identifier (document, account), never prose.
            ("doc_bare", r"\b\d{8,12}(?:-\d)?\b"),
        ]
    )
)
_STRICT_KIND = {
    "phone_intl": "phone",
    "phone_mobile": "phone",
    "phone_land": "phone",
    "doc_dotted": "document",
    "doc_bare": "document",
}
# Context regexes run on folded text (no accents, lower case), anchored at the number.
_NUMBER_WORD = r"(?:(?:n[°º.o]?|no|nro|num|numero)[\s.:#°º\-]*)?"
_LINK = r"(?:(?:es|era|fue|sera)\s+)?(?:(?:el|la)\s+)?"
_DOC_CONTEXT = re.compile(
    r"\b(?:c\.?\s?c|cedula(?:\s+de\s+(?:ciudadania|extranjeria))?|documento(?:\s+de\s+identidad)?"
    r"|nit|t\.?\s?i|tarjeta\s+de\s+identidad|pasaporte|c\.?\s?e|doc|identificacion|nuip|dni|ppt"
    r"|pep|rut|registro\s+civil|identificad[oa]\s+con(?:\s+(?:la|el))?)(?![a-z])"
    r"(?:\s+(?:de\s+)?(?:mi\s+)?\w+)?"  # "cédula de mi mamá", "documento del solicitante"
    r"[\s.:#°º\-]*" + _NUMBER_WORD + _LINK + r"(?:[a-z]{1,3}\s?)?$"
)
_PHONE_CONTEXT = re.compile(
    r"\b(?:telefono|tel|cel|celular|movil|whats\s?app|wasap|wsp|wpp|fijo|contacto|numero"
    r"|llam(?:e|en|enme|ar|ame|eme|ame)(?:me)?(?:\s+al)?|responder\s+al|al)(?![a-z])"
    r"(?:\s+(?:de\s+)?(?:la\s+|mi\s+)?\w+)?"  # "teléfono de la casa", "número de mi mamá"
    r"[\s.:#\-]*" + _NUMBER_WORD + _LINK + r"$"
)
# The words one of which must be near a number for the context regexes above to be tried.
_DOC_KEYS = _words(
    "c cc cedula documento nit t ti tarjeta pasaporte e ce doc identificacion nuip dni ppt "
    "pep rut registro identificado identificada"
)
_PHONE_KEYS = _words(
    "telefono tel cel celular movil whats whatsapp app wasap wsp wpp fijo contacto numero "
    "llame llamen llamenme llamar llamame llameme responder al"
)
# Words just before a number (any of the last three) that make it an amount or a code, not a
# document: "un valor de 1.500.000", "código DANE 17001000", "radicado 2023-456789".
_NOT_PERSONAL_BEFORE = _words(
    "valor precio costo costo cuesta cuestan pague pagamos pagaron paga cobran cobraron cobro "
    "subsidio monto presupuesto deuda salario sueldo inversion multa tarifa arriendo cuota "
    "auxilio bono ingresos gastos dane divipola bpin smmlv"
)
_DIGITS = re.compile(r"[0-9]+")
_DATE = re.compile(
    r"\(?(?:\d{1,2}[-./ ]\d{1,2}[-./ ](?:19|20)\d{2}|(?:19|20)\d{2}[-./ ]\d{1,2}[-./ ]\d{1,2})\)?$"
)
_MONEY_BEFORE = re.compile(r"(?:\$|cop|usd)\s?$")
_MONEY_AFTER = re.compile(
    r"\s*(?:de\s+)?(?:pesos|millones|mil\b|cop\b|usd\b|dolares|euros|%|,\d|smmlv|uvt)"
)
# Counted things: "2.280.000 habitantes", "1.200 hectáreas", "52.215.503 personas".
_QUANTITY_AFTER = re.compile(
    r"\s*(?:de\s+)?(?:habitantes|personas|familias|hectareas|ha\b|metros|m2|km|kilometros"
    r"|toneladas|kilos|kg|litros|galones|estudiantes|ninos|ninas|jovenes|mujeres|hombres"
    r"|participantes|cupos|votos|firmas|usuarios|afiliados|beneficiarios|hogares|viviendas"
    r"|victimas|empleos|arboles|animales|cabezas|reses|bultos|unidades|casos|dosis|visitas"
    r"|ciudadanos|campesinos|productores|trabajadores|empresas|predios|registros)\b"
)


# --- the detector ------------------------------------------------------------------------------


def _numbers(text: str, low: str, out: list[Finding]) -> None:
    for run in _CANDIDATE.finditer(text):
        start, end = run.span()
        digits = sum(ch.isdigit() for ch in run.group())
        if digits < 6:
            continue
        before = low[max(0, start - 48) : start]
        listed = _ASCII_WORD.findall(before)
        words = set(listed)
        if words & _DOC_KEYS and _DOC_CONTEXT.search(before):
            start, end = _trim(text, start, end)
            # Letters of a passport or an alien's card glued to the number: "AB123456".
            letters = start
            while letters > start - 3 and letters > 0 and "A" <= text[letters - 1] <= "Z":
                letters -= 1
            if letters == 0 or not text[letters - 1].isalnum():
                start = letters
            out.append(Finding("document", start, end))
            continue
        if words & _PHONE_KEYS and _PHONE_CONTEXT.search(before):
            out.append(Finding("phone", *_trim(text, start, end)))
            continue
        if (
            _MONEY_BEFORE.search(before)
            or not _NOT_PERSONAL_BEFORE.isdisjoint(listed[-3:])
            or _MONEY_AFTER.match(low, end)
            or _QUANTITY_AFTER.match(low, end)
        ):
            continue
        found = False
        for match in _STRICT.finditer(text, start, end):
            out.append(Finding(_STRICT_KIND[match.lastgroup or "doc_bare"], *match.span()))
            found = True
        if not found and not _DATE.match(run.group()):
            kind = _by_digits(run.group())
            if kind:
                out.append(Finding(kind, *_trim(text, start, end)))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " .-":
        start += 1
    return start, end


def _by_digits(run: str) -> str | None:
    """A number written in an unusual grouping ("32 05 55 01 47"), by its digits alone; never
    a list or a range of years ("2018-2022", "1998 2005")."""
    groups = _DIGITS.findall(run)
    if all(len(g) == 4 and g[:2] in ("19", "20") for g in groups):
        return None
    digits = "".join(groups)
    if digits.startswith("57") and len(digits) == 12:
        digits = digits[2:]
    if len(digits) == 10 and (digits[0] == "3" or digits.startswith("60")):
        return "phone"
    if 8 <= len(digits) <= 10 and digits[0] != "0":
        return "document"
    return None


# No-break and thin spaces (a name or a phone may be written with them) read as spaces.
