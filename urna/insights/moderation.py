"""Flags for likely insults, threats and personal data in contributions.

It only flags, with a reason a moderator can read; it never hides or edits anything, because
deciding what a citizen's contribution may say is a human decision. Matching runs on folded
text (no case, no accents), so "IMBÉCIL" and "imbecil" are the same word. The lexicons are
deliberately small and aimed at unambiguous words: harsh criticism of the government
("corruptos", "ladrones del erario") is participation, not abuse, and is not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .text import fold

__all__ = ["REASONS", "flag", "flag_many"]

REASONS: dict[str, str] = {
    "insult": "Posible insulto o lenguaje ofensivo",
    "threat": "Posible amenaza",
    "phone": "Contiene un número de teléfono (dato personal)",
    "email": "Contiene un correo electrónico (dato personal)",
    "id_document": "Contiene un número de documento de identidad (dato personal)",
}

# Folded forms; a trailing "*" means "any ending" (plural, feminine, diminutive).
# Left out on purpose, despite being insults in some contexts, because their ordinary meaning
# is common in rural consultations: "basura" (waste collection), "cerdo" (pigs), "retrasado"
# (delayed), "inútil", "sapo" (toad), "chimba" (praise in Colombia), "hp" (horsepower).
_INSULTS = [
    "hijueputa*",
    "hijoeputa*",
    "hijodeputa*",
    "hpta",
    "hptas",
    "gonorrea*",
    "malparid*",
    "malnacid*",
    "imbecil*",
    "idiota*",
    "estupid*",
    "pendej*",
    "huevon*",
    "guevon*",
    "marica*",
    "maricon*",
    "perra*",
    "zorra*",
    "puta*",
    "puto*",
    "putos",
    "cabron*",
    "lambon*",
    "mierda*",
    "carechimba*",
    "careverga*",
    "subnormal*",
    "mongolic*",
    "malparidos",
]
# Words that start like an insult but are ordinary.
_INSULT_EXCEPTIONS = frozenset(["idiomas", "idioma", "estupidez"])

_THREATS = [
    r"\b(?:te|lo|la|los|las|les|le)\s+(?:voy|vamos|van)\s+a\s+"
    r"(?:matar|quemar|desaparecer|picar|joder|partir|reventar|dar\s+(?:plomo|bala))",
    r"\b(?:voy|vamos|van)\s+a\s+(?:matar(?:l[oa]s?|te)?|quemar(?:l[oa]s?|te)?|"
    r"desaparecer(?:l[oa]s?|te)?|acabar\s+con\s+(?:usted|ustedes|ellos|el|ella|vos|ti))",
    r"\bmuerte\s+a\b",
    r"\b(?:plomo|bala)\s+(?:para|a|es\s+lo\s+que\s+merece)",
    r"\bsabemos\s+donde\s+(?:vive|viven|vives|estudian?|trabajan?)\b",
    r"\b(?:se\s+va|se\s+van|te\s+vas)\s+a\s+morir\b",
    r"\bobjetivo\s+militar\b",
    r"\b(?:les|le|te)\s+(?:va|van)\s+a\s+pasar\s+algo\b",
    r"\bamenaza(?:mos)?\s+de\s+muerte\b",
]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# Colombian mobiles (10 digits starting with 3), with or without +57, spaced or not; landlines
# in the 60X + 7 digits numbering; and other international numbers written with "+".
_PHONES = [
    re.compile(r"(?<![\d])(?:\+?\s?57[\s.-]?)?3\d{2}[\s.-]?\d{3}[\s.-]?\d{2}[\s.-]?\d{2}(?!\d)"),
    re.compile(r"(?<![\d])(?:\+?\s?57[\s.-]?)?\(?60[1-8]\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)"),
    re.compile(r"(?<![\w+])\+\s?(?:[1-9]\d{0,2})[\s.-]?(?:\(?\d{1,4}\)?[\s.-]?){2,4}\d{2,4}(?!\d)"),
]
# A document number only counts next to a word that says it is one: bare numbers are far
# more often quantities, years or law numbers.
_ID_DOC = re.compile(
    r"(?:\bc\.?\s?c\b\.?|\bcedula(?:\s+de\s+ciudadania)?|\bdocumento(?:\s+de\s+identidad)?|"
    r"\bt\.?\s?i\b\.?|\btarjeta\s+de\s+identidad|\bcedula\s+de\s+extranjeria|\bc\.?\s?e\b\.?|"
    r"\bpasaporte|\bnuip|\bdni|\bidentificad[oa]\s+con)"
    r"[\s:#.,-]*(?:es\s+(?:el\s+)?)?"
    r"(?:(?:no|n|num|numero|nro)\b\.?[\s:#.-]*|n[°º][\s:#.-]*)?"
    r"(?:\d{1,3}(?:[.\s]\d{3}){1,3}|\d{5,11})(?!\d)"
)


def _lexicon_regex(words: Iterable[str]) -> re.Pattern[str]:
    parts = []
    for w in words:
        if w.endswith("*"):
            parts.append(re.escape(w[:-1]) + r"\w*")
        else:
            parts.append(re.escape(w))
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


_INSULT_RE = _lexicon_regex(_INSULTS)
_THREAT_RE = re.compile("|".join(f"(?:{p})" for p in _THREATS))


def flag(text: str) -> list[tuple[str, str]]:
    """Reasons (code, Spanish explanation) why ``text`` may need a moderator's look.

    An empty list means nothing was found; order is stable (REASONS order).
    """
    if not text:
        return []
    folded = fold(text)
    found: set[str] = set()
    if any(m.group(0) not in _INSULT_EXCEPTIONS for m in _INSULT_RE.finditer(folded)):
        found.add("insult")
    if _THREAT_RE.search(folded):
        found.add("threat")
    if _EMAIL.search(folded):
        found.add("email")
    if _ID_DOC.search(folded):
        found.add("id_document")
    # Document numbers also look like phone numbers; mask them before looking for phones.
    without_ids = _ID_DOC.sub(" ", folded)
    if any(p.search(without_ids) for p in _PHONES):
        found.add("phone")
    return [(code, REASONS[code]) for code in REASONS if code in found]


def flag_many(texts: Iterable[str]) -> list[list[tuple[str, str]]]:
    """:func:`flag` for each text."""
    return [flag(t) for t in texts]
