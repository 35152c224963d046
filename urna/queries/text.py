"""Text helpers of the queries app: search normalisation and keyword matching. Personal data is
removed by ``urna.core.privacy.mask_personal_data``, the one detector of every public output."""

import re
import unicodedata
from collections.abc import Iterable


def normalise(text: str) -> str:
    """Lower case without accents or punctuation: 'Educación, ¿CUÁNDO?' → 'educacion cuando'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def matches_any(normalised_text: str, keywords: Iterable[str]) -> bool:
    padded = f" {normalised_text} "
    return any(f" {word} " in padded for word in (normalise(k) for k in keywords) if word)
