"""Text normalisation shared by every app: one place for Unicode forms, accents and case.

Apps keep their own specialised tokenisers (insights folds 100,000 texts in batches), but the
rules for what "the same word" means live here: NFKC for compatibility characters, accents
dropped after NFKD, case folded.
"""

import re
import unicodedata

# Combining marks (accents, tilde, diaeresis...) left behind by NFKD decomposition.
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
_BLANK_LINES = re.compile(r"\n{3,}")
_NON_WORD = re.compile(r"[^\w]+")
# Punctuation that GSM 7-bit routes (SMS, USSD) do not carry; accented letters would turn a
# 160-character SMS into a 70-character UCS-2 one.
_GSM_SPECIAL = str.maketrans({"¿": "", "¡": "", "“": '"', "”": '"', "‘": "'", "’": "'", "—": "-"})


def strip_accents(text: str) -> str:
    """'Educación Ñandú' → 'Educacion Nandu' (case kept)."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text)))


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Pregúnta  ¿CUÁL?' → 'pregunta  ¿cual?'."""
    return strip_accents(unicodedata.normalize("NFKC", text or "").casefold())


def search_normalise(text: str) -> str:
    """Folded, punctuation as spaces, one space between words: 'Educación, ¿CUÁNDO?' →
    'educacion cuando'."""
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def ascii_plain(text: str) -> str:
    """'¿Cuál es el niño?' → 'Cual es el nino?' (ASCII, for USSD screens and SMS)."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_GSM_SPECIAL))
    ascii_text = text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[ \t]+", " ", ascii_text).strip()


def text_normalise(raw: str) -> str:
    """What a citizen typed, stored: NFC, no control or zero-width characters, Unix newlines,
    at most one blank line, trimmed."""
    text = unicodedata.normalize("NFC", raw or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def code_normalise(raw: str) -> str:
    """'Agro ', 'agró' → 'AGRO': what a citizen types on a keypad matches a stored code."""
    return re.sub(r"[^A-Z0-9]", "", strip_accents(raw or "").upper())
