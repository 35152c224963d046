"""Receipt codes given to citizens: ``UC-2026-7KQ4M9X``.

Codes are random (Crockford base32, no I/L/O/U), not sequential: a receipt opens a status page
without login, so it must not be guessable or enumerable. Uniqueness is enforced by a database
constraint on the model that stores it; a clash (1 in 34 billion per year) is retried.
"""

import re
import secrets

from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_RE = re.compile(r"^[A-Z]{2}-\d{4}-[0-9A-HJKMNP-TV-Z]{7}$")


def receipt_new(prefix: str) -> str:
    bits = secrets.randbits(35)  # one read of the system's randomness, 5 bits a character
    body = "".join(ALPHABET[(bits >> shift) & 31] for shift in range(0, 35, 5))
    return f"{prefix}-{timezone.localdate().year}-{body}"


def receipt_normalise(raw: str) -> str:
    """Accept what a citizen types on a phone keypad: lower case, spaces, O for 0, I/L for 1."""
    text = re.sub(r"[\s_.]", "", raw.upper())
    text = text.replace("—", "-").replace("–", "-")
    if "-" not in text and len(text) == 13:
        text = f"{text[:2]}-{text[2:6]}-{text[6:]}"
    head, sep, tail = text.rpartition("-")
    tail = tail.replace("O", "0").replace("I", "1").replace("L", "1")
    return f"{head}{sep}{tail}"


def receipt_is_valid(code: str) -> bool:
    return bool(RECEIPT_RE.match(code))


# Apps that hand out receipts register the view that shows a receipt's status page, by prefix
# (``UC`` for contributions, ``PQ`` for queries), in their AppConfig.ready().
STATUS_VIEWS: dict = {}


def register_status_view(prefix: str, view) -> None:
    STATUS_VIEWS[prefix] = view
