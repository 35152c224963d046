"""Text helpers for small screens: keyword matching without accents, GSM-safe replies."""

import re
import unicodedata

# USSD gateways and many SMS routes only carry the GSM 7-bit alphabet reliably; accented
# letters would turn a 160-character SMS into a 70-character UCS-2 one.
_SPECIAL = str.maketrans({"¿": "", "¡": "", "“": '"', "”": '"', "‘": "'", "’": "'", "—": "-"})


def plain(text: str) -> str:
    """'¿Cuál es el niño?' → 'Cual es el nino?' (ASCII, for USSD screens and SMS)."""
    text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[ \t]+", " ", ascii_text).strip()


def fold(text: str) -> str:
    """Case- and accent-insensitive form for keyword matching: 'Pregúnta' → 'PREGUNTA'."""
    return plain(text).upper()


def clip(text: str, limit: int) -> str:
    """Cut to ``limit`` characters at a word boundary, with '...' when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if limit <= 3:
        return text[:limit]
    cut = text[: limit - 3]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "..."


def first_word(text: str) -> tuple[str, str]:
    """('PREGUNTA', 'the rest as typed') from 'pregunta  the rest as typed'."""
    stripped = text.strip()
    if not stripped:
        return "", ""
    head, _, rest = stripped.partition(" ")
    head, sep, tail = head.partition("\n")
    if sep:
        rest = f"{tail} {rest}".strip()
    return fold(head).strip(".,:;!?"), rest.strip()
