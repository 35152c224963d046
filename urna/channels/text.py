"""Text helpers for small screens: keyword matching without accents, GSM-safe replies."""

from urna.core.text import ascii_plain


def plain(text: str) -> str:
    """'¿Cuál es el niño?' → 'Cual es el nino?' (ASCII, for USSD screens and SMS: GSM 7-bit
    routes carry no accents)."""
    return ascii_plain(text)


def fold(text: str) -> str:
    """Case- and accent-insensitive form for keyword matching: 'Pregúnta' → 'PREGUNTA'.

    Upper-case ASCII rather than ``urna.core.text.fold`` (lower case, non-ASCII kept): keywords
    are compared with what a keypad can type, '¿' and '¡' dropped as on a GSM screen."""
    return ascii_plain(text).upper()


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
