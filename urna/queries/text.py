"""Text helpers of the queries app: search normalisation, keyword matching, redaction."""

import re
import unicodedata
from collections.abc import Iterable

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers and identity documents: runs of 6+ digits, allowing spaces, dots and dashes.
_DIGITS = re.compile(r"(?<!\w)\+?\d(?:[\s.\-]?\d){5,}(?!\w)")
_HANDLE = re.compile(r"(?<!\w)@\w{2,}")
REDACTED = "[dato personal retirado]"


def normalise(text: str) -> str:
    """Lower case without accents or punctuation: 'Educación, ¿CUÁNDO?' → 'educacion cuando'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def matches_any(normalised_text: str, keywords: Iterable[str]) -> bool:
    padded = f" {normalised_text} "
    return any(f" {word} " in padded for word in (normalise(k) for k in keywords) if word)


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    """Remove personal data from a text before it is published: emails, phone and document
    numbers, social handles and the given names."""
    result = _EMAIL.sub(REDACTED, text)
    result = _DIGITS.sub(REDACTED, result)
    result = _HANDLE.sub(REDACTED, result)
    for name in names:
        for part in {name.strip(), *name.split()}:
            if len(part) >= 3:
                result = re.sub(rf"(?i)\b{re.escape(part)}\b", REDACTED, result)
    return result
