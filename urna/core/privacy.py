"""Personal data typed into free text: the one detector every public output goes through.

Citizens write their name, cédula, phone, email and street address into contributions and
queries ("Soy Juan Carlos Pérez, cédula 1053778899, vivo en la Calle 23 #45-12…"). Before any of
that text is shown to the public — exercise pages, the public API, ``/r/<receipt>`` pages,
reports, insights quotes, open data — and before a log line leaves the process, it goes through
``mask_personal_data``; staff allowed to see personal data read the original.

- ``find_personal_data(text)`` returns ``Finding(kind, start, end)`` spans, kinds ``name``,
  ``document``, ``phone``, ``email``, ``address`` and ``handle``;
- ``mask_personal_data(text)`` replaces each span by a Spanish placeholder (``[nombre]``,
  ``[documento]``, ``[teléfono]``, ``[correo]``, ``[dirección]``, ``[usuario]``);
- ``personal_data_scan(text)`` does both at once for the intake (masked text and kinds found).

How each kind is recognised (regular expressions and word lists; no model is loaded):

- **email**: ``local@domain`` and the spelled forms people use to dodge filters,
  ``juan(at)gmail(dot)com``, ``carlos arroba gmail punto com``, ``mafe [at] hotmail [dot] com``;
- **phone and document**: every run of digits (with spaces, dots, dashes, parentheses) with 6 or
  more digits is classified by the words just before it ("C.C.", "cédula", "NIT", "TI", "PPT";
  "cel", "tel", "WhatsApp", "llámenme al") and then by its shape: Colombian mobiles
  (3xx xxx xxxx in any grouping, with or without +57/57), landlines (60X xxx xxxx, (60X) xxx xxxx),
  dotted document numbers (79.456.123, 1.053.778.899, NIT 900.765.432-1) and bare runs of 8 to 12
  digits. Amounts of money (``$``, ``COP``, "pesos", "millones") and counted quantities
  ("2.280.000 habitantes", "1.200 hectáreas") are left; so are dates, years, DANE codes
  (5 digits) and law numbers ("Decreto 1755 de 2015"), which have fewer than 6 digits;
- **address**: Colombian nomenclature, a street type (Calle, Cl, Cll, Carrera, Cra, Kr, CR, Avenida,
  Av, Ak, Ac, Diagonal, Dg, Transversal, Tv, Circular) with its number or name and a house number
  ``# 45-12`` / ``No. 45-12`` / ``N° 45-12`` / ``45-12``, and what follows it (apto, casa, torre,
  interior, local, oficina); ``Manzana B casa 7`` / ``Mz 4 Casa 12``; ``finca El Recreo``. A street
  without a house number ("la Carrera 7 está cerrada") is a public place and is left;
- **name**: a person's name after the words that introduce one ("soy", "me llamo", "mi nombre es",
  "les escribe", "atentamente", "att", "firma", "yo,", "mi hija", "doña", "el señor"…), in any
  case, and capitalised given-name + surname sequences checked against the lists of Colombian
  given names and surnames in ``urna/core/data`` (built from the ``names-dataset`` package; see
  its README). Names that are also ordinary words or places ("Paz", "Luz", "Rosa", "Mesa",
  "Valencia") count only next to an unambiguous one ("Luz Marina Zuluaga"); places whose name looks
  like a person's ("Santa Rosa de Cabal", "Don Matías", "María la Baja") and names after a saint's
  prefix or an institution ("Hospital San Juan de Dios", "barrio Simón Bolívar") are left;
- **handle**: ``@usuario`` of a social network.

The recall and false-positive figures on a labelled Spanish corpus are in docs/benchmarks.md
(``bench/personal_data.py``). The detector is cheap enough for the intake hot path (tens of
microseconds for a typical contribution): a contribution's masked text is stored with it when it
is submitted, so nothing is public before it is masked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "PLACEHOLDERS",
    "Finding",
    "find_personal_data",
    "mask_personal_data",
    "personal_data_scan",
]

KINDS = ("name", "document", "phone", "email", "address", "handle")
PLACEHOLDERS = {
    "name": "[nombre]",
    "document": "[documento]",
    "phone": "[teléfono]",
    "email": "[correo]",
    "address": "[dirección]",
    "handle": "[usuario]",
}
# How staff pages name each kind ("contiene datos personales: nombre, correo").
KIND_LABELS = {
    "name": gettext_lazy("nombre"),
    "document": gettext_lazy("documento"),
    "phone": gettext_lazy("teléfono"),
    "email": gettext_lazy("correo"),
    "address": gettext_lazy("dirección"),
    "handle": gettext_lazy("usuario de redes"),
}
DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True)
class Finding:
    """Personal data of one ``kind`` at ``text[start:end]``."""

    kind: str
    start: int
    end: int


# --- folding ---------------------------------------------------------------------------------

# Lower case without accents, one character for one (offsets in the folded text are offsets in
# the original): "Pérez" → "perez", "MUÑOZ" → "munoz".
_ACCENTED, _PLAIN = "áéíóúüàèìòùâêîôûäëïöñç", "aeiouuaeiouaeiouaeionc"
_UNACCENT = str.maketrans(_ACCENTED, _PLAIN)
# Most texts are Latin-1: translating their bytes is ten times faster than str.translate.
_UNACCENT_BYTES = bytes.maketrans(_ACCENTED.encode("latin-1"), _PLAIN.encode("latin-1"))


def _fold(text: str) -> str:
    folded = text.lower()
    # A few characters change length when lowered ("İ"): keep offsets aligned.
    if len(folded) != len(text):
        folded = "".join(ch.lower()[:1] or ch for ch in text)
    try:
        return folded.encode("latin-1").translate(_UNACCENT_BYTES).decode("latin-1")
    except UnicodeEncodeError:  # emoji, other scripts
        return folded.translate(_UNACCENT)


# --- emails and handles ----------------------------------------------------------------------

# Emails are found from their "@" (a literal the engine jumps to), then widened to the left over
# the local part.
# A comma typed for the last dot ("juan@gmail,com") is still an email.
_AT_DOMAIN = re.compile(
    r"@ ?[\w\-]+(?:\.[\w\-]+)*(?:\.[\w\-]+|,(?:com|co|net|org|edu|gov|es)(?![\w]))"
)
_TLD = (
    r"(?:com|co|net|org|edu|gov|mil|es|info|io|me|us|biz|mx|ec|pe|ve|ar|cl|br|uk|de|fr|it|ca"
    r"|eu|tv|online|app|site|tech|dev|xyz|cloud)"
)
_SPELLED_DOT = r"(?:\s*[(\[{]\s*(?:dot|punto)\s*[)\]}]\s*|\s+(?:dot|punto)\s+|\s?\.\s?)"
# Spelled emails are found from their "at" (rare), then the local part is matched backwards on
# the reversed text before it and the domain forwards.
_SPELLED_AT_RE = re.compile(
    r"\s*[(\[{]\s*(?:at|arroba|@|a)\s*[)\]}]\s*|\s+(?:at|arroba)\s+|\s?@\s?", re.IGNORECASE
)
_SPELLED_LOCAL_REVERSED = re.compile(
    r"\w[\w+\-]*(?:(?:\.|\s+(?:tod|otnup)\s+|\s*[)\]}]\s*(?:tod|otnup)\s*[(\[{]\s*)[\w+\-]+)*",
    re.IGNORECASE,
)
_SPELLED_DOMAIN = re.compile(
    r"[\w\-]+(?:" + _SPELLED_DOT + r"[\w\-]+)*?" + _SPELLED_DOT + _TLD + r"(?![\w])"
    r"(?:" + _SPELLED_DOT + _TLD + r"(?![\w]))?",
    re.IGNORECASE,
)
_SPELLED_WORDS = frozenset(["arroba", "at", "@"])
# With an "@" in the text: "juan@gmail punto com", "juan @ gmail . com".
_SPELLED_HINTS_AT = (" @", "@ ", "punto", "dot", " .", ". ")
_HANDLE = re.compile(r"@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")

_LOCAL_PART = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")


def _emails_and_handles(text: str, out: list[Finding]) -> None:
    at = text.find("@")
    while at >= 0:
        # "juan @ gmail.com": one space on each side of the "@" is still an email.
        start = at - 1 if at > 1 and text[at - 1] == " " and text[at - 2].isalnum() else at
        while start > 0 and (text[start - 1] in _LOCAL_PART or text[start - 1].isalnum()):
            start -= 1
        while start < at and text[start] in "._+- ":
            start += 1
        domain = _AT_DOMAIN.match(text, at)
        if domain is not None and start < at:
            out.append(Finding("email", start, domain.end()))
            at = text.find("@", domain.end())
            continue
        handle = _HANDLE.match(text, at)
        if handle is not None and (at == 0 or text[at - 1] not in _LOCAL_PART):
            out.append(Finding("handle", at, handle.end()))
        at = text.find("@", at + 1)


def _spelled_emails(text: str, out: list[Finding]) -> None:
    for at in _SPELLED_AT_RE.finditer(text):
        domain = _SPELLED_DOMAIN.match(text, at.end())
        if domain is None:
            continue
        window = text[max(0, at.start() - 80) : at.start()][::-1]
        local = _SPELLED_LOCAL_REVERSED.match(window)
        if local is None:
            continue
        out.append(Finding("email", at.start() - local.end(), domain.end()))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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

# --- addresses ---------------------------------------------------------------------------------

# Matched on the folded text (lower case, no accents), as a trie of literals: the engine then
# rejects most positions on their first letter.
_STREET_TYPE = (
    r"(?:av(?:enida|\.)?\s?(?:calle|carrera|cra|kr|cl|cll)\.?|a(?:v(?:enida)?|[ck]|utopista)"
    r"|c(?:alle|ll?|arrera|ra|r|irc(?:ular)?|q)|k(?:ra?|r)|d(?:iag(?:onal)?|g)"
    r"|t(?:rans(?:v(?:ersal)?)?|v|r)|avda|clle)\.?"
)
_STREET_ID = (
    r"(?:[0-9]{1,3}(?:[a-z]{1,2}(?![a-z])|\s[a-z](?![a-z]))?(?:\s?bis)?(?:\s?[a-z](?![a-z]))?"
    r"|(?:(?:el|la|los|las)\s)?[a-z]{3,}(?:\s[a-z]{3,}){0,2})"
)
_CARDINAL = r"(?:\s?(?:sur|norte|este|oeste)(?![a-z]))?"
_HOUSE_NUMBER = r"[0-9]{1,3}(?:\s?[a-z](?![a-z]))?(?:\s?bis)?"
_HOUSE = _HOUSE_NUMBER + r"(?:\s?(?:sur|norte|este))?\s?[-–]\s?[0-9]{1,3}(?![0-9])"
_COMPLEMENT = (
    r"(?:\s?,?\s?(?:apto|apartamento|apt|int|interior|torre|bloque|bl|casa|local|oficina|of"
    r"|piso|consultorio)\.?\s?(?:[0-9]{1,4}[a-z]?|[a-z])(?![a-z0-9]))*"
)
_ADDRESS = re.compile(
    _STREET_TYPE
    + r"\s?"
    + _STREET_ID
    + _CARDINAL
    # "# 45-12", "No. 45-12", "45-12", and after a number sign "# 45" alone.
    + r"(?:\s?(?:#|no\.?|nro\.?|n[°º.]\.?|numero)\s?(?:"
    + _HOUSE
    + "|"
    + _HOUSE_NUMBER
    + r"(?:\s[0-9]{1,3})?(?![0-9]))|\s?"
    + _HOUSE
    + ")"
    + _CARDINAL
    + _COMPLEMENT
)
# Where a house number may be ("# 45", "45-12"): the address regex runs only around these.
_HOUSE_HINT = re.compile(r"#|[0-9][ ]?[a-zA-Z]?[ ]?[-–][ ]?[0-9]|(?i:\b(?:no|nro|n°)\.?\s?[0-9])")


def _addresses(text: str, low: str, out: list[Finding]) -> None:
    last = -1
    for hint in _HOUSE_HINT.finditer(text):
        if hint.start() < last:
            continue
        pos, stop = max(0, hint.start() - 40), hint.end() + 50
        while True:
            match = _ADDRESS.search(low, pos, stop)
            if match is None or match.start() > hint.end():
                break
            if match.start() > 0 and low[match.start() - 1].isalnum():
                pos = match.start() + 1  # inside a word ("fiscal 12-3")
                continue
            out.append(Finding("address", *match.span()))
            last = match.end()
            break


_BLOCK_ID = r"(?:[0-9]{1,3}[a-z]?|[a-z]{1,2})(?![a-z0-9])"
_BLOCK_ADDRESS = re.compile(
    r"(?<![a-z])(?:(?:manzana|manz|mz)\.?\s?"
    + _BLOCK_ID
    + r"\s?,?\s?(?:casa|cs|lote|lt)\.?\s?[0-9]{1,4}"
    r"[a-z]?|(?:casa|lote)\s?[0-9]{1,4}[a-z]?\s?,?\s?(?:de\s(?:la\s)?)?(?:manzana|manz|mz)\.?\s?"
    + _BLOCK_ID
    + ")"
    r"(?![a-z0-9])" + _COMPLEMENT
)
# "Torre 2 apto 301", "Interior 3 apartamento 402": a flat without its street.
_FLAT = re.compile(
    r"(?<![a-z])(?:torre|bloque|interior|int)\.?\s?[a-z0-9]{1,3}\s?,?\s?"
    r"(?:apto|apartamento|apt|ap)\.?\s?[0-9]{2,4}[a-z]?(?![a-z0-9])"
)
_FARM = re.compile(
    r"\b(?i:finca|hacienda|parcela)\s(?:"
    r"(?:(?i:el|la|los|las)\s)?[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:\s[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+)?"
    # In a text without capitals (or all in capitals) the farm's name follows its article.
    r"|(?i:(?:el|la|los|las)\s[a-záéíóúñü]{3,}))"
)

# --- names -----------------------------------------------------------------------------------

# A capitalised word (or an all-capitals one): the candidates for a name. No assertion before
# it, so the regex engine jumps from capital to capital; the character before is checked after.
_CAPITALISED = re.compile(r"[A-ZÁÉÍÓÚÑÜ][^\W\d_]*")
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_WORD = re.compile(r"[a-z]+")
# Between two words of one name: a space (not a line break: signatures put the name on its own
# line) or a particle ("María del Pilar", "Ofelia Marín de Gallego", "Juan de Dios").
_JOIN = re.compile(r"[ \t]+(?:(?:de|del|de\s+la|de\s+las|de\s+los)[ \t]+)?$")
_PARTICLES = frozenset(["de", "del", "la", "las", "los"])
_PARTICLE_GAP = re.compile(r"(?:[ \t]+(?:de|del|la|las|los))*[ \t]+")
_PARTICLE_JOIN = re.compile(r"[ \t]+(?:de|del|de\s+la|de\s+las|de\s+los)[ \t]+$")
# The words just before a name that say it is one (folded). An introduction takes a run that
# starts with a listed name and may go on over capitalised words outside the lists (Yatacué,
# Epiayú, Pushaina); a title also takes a single ambiguous name ("doña Mercedes").
_INTRO_WORDS = _words(
    "soy yo llamo llama nombre escribe habla saluda atentamente cordialmente cordiales saludos "
    "gracias att atte "
    "firma firmo firmado firmamos firmante antemano respeto demandado demandada demandante "
    "peticionario peticionaria solicitante remitente"
)
_INTRO_PAIRS = frozenset(
    [
        ("nombre", "de"),
        ("reclamo", "de"),
        ("queja", "de"),
        ("pregunta", "de"),
        ("solicitud", "de"),
        ("notificar", "a"),
        ("comunicarse", "con"),
        ("llamen", "a"),
        ("llamar", "a"),
        ("preguntar", "por"),
        ("contactar", "a"),
        ("escribanle", "a"),
    ]
)
_RELATIVES = (
    "hijo hija esposo esposa mama papa madre padre hermano hermana vecino vecina abuelo abuela "
    "nieto nieta companero companera sobrino sobrina tio tia primo prima suegro suegra cunado "
    "cunada novio novia amigo amiga nino nina menor"
)
_TITLE_WORDS = _words(
    "senor senora sr sra srta don dona dr dra doctor doctora ingeniero ingeniera profesor "
    "profesora profe concejal concejala edil alcalde alcaldesa gobernador gobernadora ministro "
    "ministra presidente secretario gerente director directora coordinador coordinadora rector "
    "rectora personero personera inspector inspectora funcionario funcionaria agente patrullero "
    "sargento capitan teniente cabo"
)
# "mi hija", "el niño": a relative is a title after a possessive or an article only ("Soy
# Madre Cabeza de Familia" names no one).
_RELATIVE_WORDS = _words(_RELATIVES)
_POSSESSIVES = frozenset(
    ["mi", "mis", "su", "sus", "tu", "nuestro", "nuestra", "el", "la", "del", "al"]
)
# Trailing words skipped before looking for a trigger: "mi nombre es", "mi cédula es la".
_LINK_WORDS = frozenset(["es", "el", "la", "completo", "se"])
# Words right before a capitalised run that make it a place or an institution, not a person.
_PLACE_WORDS = _words(
    "ie instituto normal superior jardin villa puerto nueva nuevo bahia loma "
    "san santa santo santisima barrio vereda colegio escuela institucion educativa hospital "
    "clinica universidad parque plaza avenida av calle carrera municipio corregimiento "
    "fundacion hogar estadio coliseo biblioteca puente urbanizacion conjunto hacienda "
    "resguardo comuna edificio parroquia iglesia capilla aeropuerto terminal batallon teatro "
    "museo club liceo cooperativa asociacion corporacion empresa tienda drogueria restaurante "
    "hotel ciudadela centro sector localidad departamento ciudad rio quebrada laguna cerro "
    "valle via carretera troncal ruta sede programa plan ley premio catedra fondo red bloque "
    "frente avenue calle finca vereda"
)
# Introductions found anywhere, for names written in lower case ("soy juan perez cc …"); the
# search runs only when one of these words is in the text.
_LOWER_HINT_WORDS = _words(
    "soy llamo nombre llama att atte atentamente cordialmente firma firmo firmado firmamos "
    "escribe habla"
)
_LOWER_HINTS = (
    "soy",
    "me llamo",
    "mi nombre",
    "nombre:",
    "se llama",
    "att",
    "atentamente",
    "cordialmente",
    "firm",
    "le escribe",
    "les escribe",
    "le habla",
    "les habla",
)
_TRIGGER_ANY = re.compile(
    r"(?:soy|me\s+llamo|mi\s+nombre(?:\s+completo)?(?:\s+es)?|nombre|se\s+llama|atte?"
    r"|atentamente|cordialmente|firm(?:a|o|ado|amos)|(?:le|les)\s+(?:escribe|habla))"
    r"[ \t]*[,:.\-—–]*[ \t\n]*"
)
_PUNCTUATION = ",.;:!?¡¿()[]{}\"'«»“”‘’-—–/…"
_PUNCTUATION_BYTES = bytes.maketrans(
    ",.;:!?¡¿()[]{}\"'«»-/".encode("latin-1"), b" " * len(",.;:!?¡¿()[]{}\"'«»-/")
)


def _vocabulary(low: str) -> set[str]:
    """The words of a folded text, without punctuation (a set: one C call each step)."""
    try:
        return set(low.encode("latin-1").translate(_PUNCTUATION_BYTES).decode("latin-1").split())
    except UnicodeEncodeError:
        return {word.strip(_PUNCTUATION) for word in low.split()}


_MAX_NAME_WORDS = 6
# A lone capitalised given name ("Camila dijo") counts only among the most frequent ones: the
# tail of the source list holds words that are not names ("Key").
LONE_GIVEN_NAMES = 1500


@dataclass(frozen=True)
class _Lexicon:
    given: frozenset[str]
    # The most frequent given names (the list is by frequency): only these count on their own.
    given_frequent: frozenset[str]
    surnames: frozenset[str]
    common: frozenset[str]
    # First two folded words of a place → the folded places starting with them, longest first.
    places: dict[str, tuple[str, ...]]
    # One-word places ("Manizales", "Socorro").
    place_words: frozenset[str]
    # First words of the longer places ("santa", "maria").
    place_first: frozenset[str]


def _read_list(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    places: dict[str, list[str]] = {}
    place_words = set()
    for place in _read_list("places_co.txt"):
        folded = _fold(place)
        # One-word places that are also names ("Santiago", "Valencia") are in the ambiguous
        # list; only longer ones are matched as places.
        if " " in folded:
            places.setdefault(" ".join(folded.split()[:2]), []).append(folded)
        else:
            place_words.add(folded)
    given = _read_list("given_names_co.txt")
    return _Lexicon(
        given=frozenset(_fold(n) for n in given),
        given_frequent=frozenset(_fold(n) for n in given[:LONE_GIVEN_NAMES]),
        surnames=frozenset(_fold(n) for n in _read_list("surnames_co.txt")),
        common=frozenset(_fold(n) for n in _read_list("name_words_common.txt")),
        places={k: tuple(sorted(v, key=len, reverse=True)) for k, v in places.items()},
        place_words=frozenset(place_words),
        place_first=frozenset(k.split()[0] for k in places),
    )


# Word classes.
_OTHER, _WEAK, _STRONG = 0, 1, 2


def _classify(word: str, lex: _Lexicon) -> tuple[int, bool]:
    """(class, is a given name) of a folded word."""
    given = word in lex.given
    if not given and word not in lex.surnames:
        return _OTHER, False
    return (_WEAK if word in lex.common else _STRONG), given


_TWO_WORDS = re.compile(r"[a-z]+ [a-z]+")


def _place_end(low: str, start: int, lex: _Lexicon) -> int:
    """End of the known place of two or more words starting at ``start`` (folded), or -1."""
    pair = _TWO_WORDS.match(low, start)
    if pair is None:
        return -1
    candidates = lex.places.get(pair.group())
    if candidates:
        for place in candidates:
            stop = start + len(place)
            if low.startswith(place, start) and (stop == len(low) or not low[stop].isalpha()):
                return stop
    return -1


def _before(low: str, start: int) -> str | None:
    """'title', 'intro' or 'place' when the words just before ``start`` make the capitalised run
    there a name (after "soy", "doña") or a place ("barrio", "Hospital San"); else None."""
    words = _ASCII_WORD.findall(low, max(0, start - 40), start)
    if not words:
        return None
    last = words[-1]
    if last in _PLACE_WORDS or (
        last in ("de", "del") and len(words) > 1 and words[-2] in _PLACE_WORDS
    ):
        return "place"
    if last in _TITLE_WORDS or (
        last in _RELATIVE_WORDS and len(words) > 1 and words[-2] in _POSSESSIVES
    ):
        return "title"
    while len(words) > 1 and words[-1] in _LINK_WORDS:
        words.pop()
    tail = words[-4:]
    if tail[-1] in _INTRO_WORDS or tuple(tail[-2:]) in _INTRO_PAIRS:
        return "intro"
    # "Firma de la solicitante:", "Firma del peticionario:"
    if "firma" in tail or "firmado" in tail:
        return "intro"
    return None


def _join(gap: str) -> int:
    """0: the gap does not join two words of a name; 1: a space; 2: a particle ("de la")."""
    if gap == " " or gap == "-":
        return 1
    gap = gap.lower()
    if _JOIN.match(gap):
        return 2 if _PARTICLE_JOIN.match(gap) else 1
    return 0


def _names_from_capitals(text: str, low: str, lex: _Lexicon, out: list[Finding]) -> int:
    """Capitalised runs: given name + surname from the lists, or any name after a trigger.
    Returns how many capitalised words the text has."""
    words = []
    for m in _CAPITALISED.finditer(text):
        s, e = m.span()
        if s and (text[s - 1].isalnum() or text[s - 1] in "@._"):
            continue
        word = low[s:e]
        if (
            word in _PARTICLES
            and words
            and words[-1][3] != _OTHER
            and _PARTICLE_GAP.fullmatch(low, words[-1][1], s)
        ):
            continue  # "Ana María De La Hoz": a capitalised particle inside a name
        words.append((s, e, word, *_classify(word, lex)))
    n = len(words)
    i = 0
    while i < n:
        start, end, word, cls, given = words[i]
        if word in lex.place_first:
            place_end = _place_end(low, start, lex)
            if place_end > 0:
                while i < n and words[i][0] < place_end:
                    i += 1
                continue
        if cls == _OTHER:
            i += 1
            continue
        context = _before(low, start)
        if context == "place":
            # "Hospital San Juan de Dios", "barrio Simón Bolívar": skip the whole run.
            i += 1
            while i < n and words[i][3] != _OTHER and _join(text[words[i - 1][1] : words[i][0]]):
                i += 1
            continue
        # Grow the run: listed names joined by spaces or particles; after a trigger also
        # unlisted capitalised words joined by a space (surnames outside the lists).
        classes = [cls]
        j = i + 1
        run_end = end
        while j < n and len(classes) < _MAX_NAME_WORDS:
            s, e, w, c, _g = words[j]
            join = _join(text[run_end:s])
            if not join:
                break
            if e - s == 1 and join == 1 and e < len(text) and text[e] == ".":
                run_end = e + 1  # an initial: "Juan P. Gómez", "Carlos A."
                j += 1
                continue
            # Unlisted capitalised words (surnames outside the lists: Epiayú, Tunubalá) go on a
            # name after a trigger, or after an unambiguous given name ("Daniela Epiayú Uriana").
            if c == _OTHER and (
                not (context is not None or (given and cls == _STRONG))
                or join == 2
                or e - s < 3
                or w in lex.place_words
                or text[s:e].isupper()
            ):
                break
            if (
                join == 2
                and w in lex.place_words
                and not (
                    j + 1 < n
                    and words[j + 1][3] != _OTHER
                    and _join(text[e : words[j + 1][0]]) == 1
                )
            ):
                break  # "Juan de Manizales", but "Marina del Socorro Jiménez"
            classes.append(c)
            run_end = e
            j += 1
        if context == "title":
            accepted = True
        elif context == "intro":
            # All in capitals every word looks like a name: an unambiguous one is needed.
            accepted = cls == _STRONG or (
                len(classes) > 1 and (_STRONG in classes or not text[start:end].isupper())
            )
        else:
            strong = classes.count(_STRONG)
            if len(classes) == 1:
                # A lone unambiguous given name is a person: "Camila dijo", "pregúntele a
                # Wilson" (ambiguous ones, "Luz", "Rosa", "Mercedes", are ordinary words).
                # Not a one-word place ("de Silvia, Cauca", "el Cesar") nor an acronym ("JAC").
                accepted = (
                    given
                    and cls == _STRONG
                    and word in lex.given_frequent
                    and word not in lex.place_words
                    and not text[start:end].isupper()
                )
            else:
                accepted = (given and (cls == _STRONG or strong > 0)) or strong == len(classes)
        if accepted:
            out.append(Finding("name", start, run_end))
            i = j
        else:
            i += 1
    return n


def _lower_run(text: str, low: str, pos: int, lex: _Lexicon) -> tuple[int, int, list[int]]:
    """(start, end, classes) of the listed names written in lower case from ``pos`` on."""
    start = end = -1
    classes: list[int] = []
    for word in _WORD.finditer(low, pos, min(len(low), pos + 80)):
        s, e = word.span()
        if not text[s].islower():
            break
        gap = low[end:s].strip() if end >= 0 else low[pos:s].strip()
        w = word.group()
        if start >= 0 and w in ("de", "del", "la"):
            continue
        if gap not in ("", "de", "del", "de la"):
            break
        if gap and w in lex.place_words:
            break  # "yamile posada de neira"
        cls, _given = _classify(w, lex)
        if cls == _OTHER:
            break
        if start < 0:
            start = s
        end = e
        classes.append(cls)
    return start, end, classes


def _names_in_lower_case(
    text: str,
    low: str,
    lex: _Lexicon,
    out: list[Finding],
    *,
    few_capitals: bool,
    vocabulary: set[str],
) -> None:
    """Names written without capitals: after an introduction ("soy nelson enrique arias"),
    and, in a text written all in lower case, a given name with a surname ("hablé con maria
    gomez") or a name after a title ("doña mercedes", "mi hijo juan")."""
    positions = []
    for hint in _LOWER_HINTS if not vocabulary.isdisjoint(_LOWER_HINT_WORDS) else ():
        at = low.find(hint)
        while at >= 0:
            positions.append(at)
            at = low.find(hint, at + 1)
    for at in positions:
        trigger = _TRIGGER_ANY.match(low, at)
        if trigger is None or (at > 0 and low[at - 1].isalpha()):
            continue
        pos = trigger.end()
        if pos >= len(text) or not text[pos].islower():
            continue
        start, end, classes = _lower_run(text, low, pos, lex)
        # "soy didier", "soy luz stella hoyos"; not "soy rosa" alone (a colour as often).
        if start >= 0 and (classes[0] == _STRONG or len(classes) > 1):
            out.append(Finding("name", start, end))
    if not few_capitals:
        return
    # Most texts hold no listed given name and no title: one set operation says so.
    if vocabulary.isdisjoint(lex.given) and vocabulary.isdisjoint(_TITLE_WORDS):
        return
    covered = -1
    for word in _WORD.finditer(low):
        s = word.start()
        if s < covered or not text[s].islower():
            continue
        cls, given = _classify(word.group(), lex)
        if cls == _OTHER or not (given or cls == _STRONG):
            continue
        context = _before(low, s)
        if context == "place":
            continue
        previous = low.rfind(" ", 0, max(0, s - 1)) + 1
        if _place_end(low, previous, lex) > s:
            continue  # "don matías", "juan de acosta"
        start, end, classes = _lower_run(text, low, s, lex)
        if start < 0:
            continue
        frequent = given and word.group() in lex.given_frequent
        if (
            context == "title"
            or (len(classes) > 1 and frequent and cls == _STRONG)
            or (len(classes) > 1 and given and _STRONG in classes[1:])
        ):
            out.append(Finding("name", start, end))
            covered = end


# --- names after an unambiguous introduction -------------------------------------------------

# After these words a name follows almost always, whatever its case and whether or not the name
# lists know it ("me llamo yorbelis gutierrez", "le escribe maria auxiliadora vanegas",
# "pregunten por nohora"): up to four words are taken, stopping at punctuation, a digit or a
# Spanish function word ("me llamo la atención", "en nombre de la comunidad" take nothing).
_INTRODUCTION = re.compile(
    r"(?<![\w])(?:me\s+llamo|mi\s+nombre(?:\s+completo)?\s+es|(?:le|les)\s+escribe"
    r"|(?:a|en)\s+nombre\s+de|pregunt(?:en|ar|e)\s+por)[ \t]*[:,]?[ \t]*"
)
_INTRODUCTION_HINTS = frozenset(
    ["llamo", "nombre", "escribe", "pregunten", "preguntar", "pregunte"]
)
# Words that end a name after an introduction or before a document number: the function words
# of Spanish (stop-words), and the words that come next in such texts.
_NOT_NAME_EXTRA = (
    "cc cedula cedulas documento pasaporte pas ti nit ce tel telefono cel celular movil correo "
    "email whatsapp wsp vivo vive vivimos necesito necesita pido pide solicito solicita soy "
    "tengo tiene somos estoy radique radico presento presenta quiero quiere identificado "
    "identificada con numero no nro don dona senor senora sr sra dr dra doctor doctora ing "
    "ingeniero ingeniera profesor profesora profe"
)


@lru_cache(maxsize=1)
def _not_name_words() -> frozenset[str]:
    from stop_words import get_stop_words

    return frozenset(_fold(w) for w in get_stop_words("spanish")) | _words(_NOT_NAME_EXTRA)


def _name_run(low: str, start: int, *, backwards: bool = False) -> tuple[int, int, int]:
    """(start, end, words) of up to four name-like words from ``start`` (forwards) or ending at
    ``start`` (backwards), separated by single spaces only."""
    stops = _not_name_words()
    words: list[tuple[int, int]] = []
    pos = start
    while len(words) < 4:
        if backwards:
            end = pos
            while end > 0 and low[end - 1] == " ":
                end -= 1
            if words and pos - end != 1:
                break
            begin = end
            while begin > 0 and low[begin - 1].isalpha():
                begin -= 1
            word = low[begin:end]
            if not word or word in stops or (begin > 0 and low[begin - 1].isalnum()):
                break
            words.append((begin, end))
            pos = begin
        else:
            match = _WORD.match(low, pos)
            if match is None or match.group() in stops:
                break
            e = match.end()
            if e < len(low) and low[e].isdigit():
                break
            words.append(match.span())
            if low[e : e + 1] != " " or low[e + 1 : e + 2] in ("", " "):
                break
            pos = e + 1
    if not words:
        return -1, -1, 0
    span = sorted(words)
    return span[0][0], span[-1][1], len(words)


_DOCUMENT_MARK = re.compile(r"(?<![\w])(?:c\.?\s?c\.?|cedula)[\s.:#]*(?:no\.?\s*)?\d")


def _names_near_introductions(
    low: str, lex: _Lexicon, vocabulary: set[str], out: list[Finding]
) -> None:
    if not vocabulary.isdisjoint(_INTRODUCTION_HINTS):
        for intro in _INTRODUCTION.finditer(low):
            start, end, count = _name_run(low, intro.end())
            # One word alone must be a known given name ("pregunten por nohora"), not a noun
            # ("me llamo Comunidad porque hablo por todos").
            if count > 1 or (count == 1 and low[start:end] in lex.given):
                out.append(Finding("name", start, end))
    # "gustavo adolfo rangel cc 1090456789": two to four words right before a document number,
    # unless they name a place ("soy de san jacinto cc 23.456.789").
    if "cc" in vocabulary or "cedula" in vocabulary or "c.c" in low:
        for mark in _DOCUMENT_MARK.finditer(low):
            start, end, count = _name_run(low, mark.start(), backwards=True)
            if count >= 2 and _place_end(low, start, lex) <= start:
                out.append(Finding("name", start, end))


def _given_names(low: str, names: Iterable[str], out: list[Finding]) -> None:
    for name in names:
        for part in {name.strip(), *name.split()}:
            if len(part) >= 3:
                pattern = re.compile(r"(?<!\w)" + re.escape(_fold(part)) + r"(?!\w)")
                out.extend(Finding("name", m.start(), m.end()) for m in pattern.finditer(low))


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
_ODD_SPACES = "\u00a0\u2007\u2009\u200a\u202f"
_PLAIN_SPACES = str.maketrans(_ODD_SPACES, " " * len(_ODD_SPACES))


def _composed(text: str) -> tuple[str, list[int]]:
    """``text`` in NFC and, for each of its characters (and its end), the offset in ``text``."""
    pieces: list[str] = []
    starts: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        pieces.append(cluster)
        starts.extend([i] * len(cluster))
        i = j
    starts.append(n)
    return "".join(pieces), starts


def find_personal_data(text: str, *, names: Iterable[str] = ()) -> list[Finding]:
    """Spans of personal data in ``text``, in order, not overlapping.

    ``names``: names known to belong to the writer (a query's contact name), found in any case.
    """
    if not text:
        return []
    if not unicodedata.is_normalized("NFC", text):
        # Decomposed accents ("Pe\u0301rez", from some keyboards and copies): detect on the
        # composed text and give the spans back in the original's offsets.
        composed, starts = _composed(text)
        return [
            Finding(f.kind, starts[f.start], starts[f.end])
            for f in find_personal_data(composed, names=names)
        ]
    if any(space in text for space in _ODD_SPACES):
        text = text.translate(_PLAIN_SPACES)  # same length: offsets are unchanged
    low = _fold(text)
    found: list[Finding] = []
    vocabulary = _vocabulary(low)
    at = "@" in text
    if at:
        _emails_and_handles(text, found)
    if (
        not vocabulary.isdisjoint(_SPELLED_WORDS)
        or (at and any(hint in low for hint in _SPELLED_HINTS_AT))
        or "(a)" in low  # "ortiz.fernando(a)outlook.com"
    ):
        _spelled_emails(text, found)
    if "#" in text or "-" in text or "–" in text or " no " in low or "nro" in low or "n°" in low:
        _addresses(text, low, found)
    if "mz" in low or "manz" in low:
        found.extend(Finding("address", *m.span()) for m in _BLOCK_ADDRESS.finditer(low))
    if "apto" in low or "apartamento" in low or " apt" in low or " ap." in low:
        found.extend(Finding("address", *m.span()) for m in _FLAT.finditer(low))
    if "finca" in low or "hacienda" in low or "parcela" in low:
        found.extend(Finding("address", *m.span()) for m in _FARM.finditer(text))
    _numbers(text, low, found)
    lex = _lexicon()
    capitals = _names_from_capitals(text, low, lex, found)
    # A text written in lower case (SMS, chat) has at most a capital or two.
    _names_in_lower_case(text, low, lex, found, few_capitals=capitals <= 2, vocabulary=vocabulary)
    _names_near_introductions(low, lex, vocabulary, found)
    if names:
        _given_names(low, names, found)
    return _merge(found)


_PRIORITY = {"email": 0, "address": 1, "document": 2, "phone": 3, "handle": 4, "name": 5}


def _merge(found: list[Finding]) -> list[Finding]:
    """Overlapping spans become one, of the kind that covers more (email over a handle or a
    name inside it, an address over its numbers)."""
    if len(found) < 2:
        return found
    found.sort(key=lambda f: (f.start, -f.end, _PRIORITY[f.kind]))
    merged = [found[0]]
    for f in found[1:]:
        last = merged[-1]
        if f.start < last.end:
            if f.end > last.end:
                kind = last.kind if last.end - last.start >= f.end - f.start else f.kind
                merged[-1] = Finding(kind, last.start, f.end)
        else:
            merged.append(f)
    return merged


def _apply(text: str, findings: list[Finding]) -> str:
    pieces: list[str] = []
    cursor = 0
    for f in findings:
        pieces.append(text[cursor : f.start])
        pieces.append(PLACEHOLDERS[f.kind])
        cursor = f.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def mask_personal_data(text: str | None, *, names: Iterable[str] = ()) -> str:
    """``text`` with each piece of personal data replaced by its placeholder ("" for None)."""
    if not text:
        return ""
    findings = find_personal_data(text, names=names)
    return _apply(text, findings) if findings else text


def personal_data_scan(text: str | None, *, names: Iterable[str] = ()) -> tuple[str, str]:
    """The masked text and the kinds found, comma-joined in a fixed order ("" when none):
    what a contribution stores at intake."""
    if not text:
        return "", ""
    findings = find_personal_data(text, names=names)
    if not findings:
        return text, ""
    kinds = {f.kind for f in findings}
    return _apply(text, findings), ",".join(k for k in KINDS if k in kinds)
