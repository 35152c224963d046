"""How many SMS parts a text takes, after 3GPP TS 23.038 (the GSM 7-bit default alphabet and its
extension table) and TS 23.040 (concatenated messages: a user data header of 6 octets per part).

A text made only of the GSM-7 default alphabet goes as 7-bit septets: 160 in one message, 153 per
part when concatenated; the extension table's characters (``{ } [ ] ~ \\ | ^ €`` and form feed)
take two septets each (an escape and the character) and an escape pair is never split between
parts. Any other character sends the whole text as UCS-2: 70 UTF-16 units in one message, 67 per
part, a surrogate pair (an emoji) never split. "é" is GSM-7; "á" is not.
"""

GSM7 = "GSM-7"
UCS2 = "UCS-2"

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE = {GSM7: 160, UCS2: 70}
PER_PART = {GSM7: 153, UCS2: 67}


def _units(text: str) -> tuple[str, list[int]]:
    """The encoding and the size of each character in it (septets or UTF-16 units)."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        return GSM7, [2 if c in GSM7_EXTENSION else 1 for c in text]
    return UCS2, [2 if ord(c) > 0xFFFF else 1 for c in text]


def sms_parts(text: str) -> tuple[str, int, int]:
    """(encoding, parts, characters per part) of ``text``: ("GSM-7", 1, 160) for a short plain
    text, ("UCS-2", 2, 67) for 71 to 134 characters with an "á". An empty text is 0 parts."""
    encoding, units = _units(text)
    if not units:
        return encoding, 0, SINGLE[encoding]
    if sum(units) <= SINGLE[encoding]:
        return encoding, 1, SINGLE[encoding]
    limit = PER_PART[encoding]
    parts, used = 1, 0
    for size in units:
        if used + size > limit:  # an escape pair or a surrogate pair stays whole
            parts += 1
            used = 0
        used += size
    return encoding, parts, limit


def sms_length(text: str) -> int:
    """Septets (GSM-7) or UTF-16 units (UCS-2) ``text`` takes."""
    return sum(_units(text)[1])
