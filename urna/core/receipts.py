"""Receipt codes given to citizens: ``UC-2026-7KQ4M9X``.

Codes are random (Crockford base32, no I/L/O/U), not sequential: a receipt opens a status page
without login, so it must not be guessable or enumerable. Uniqueness is enforced by a database
constraint on the model that stores it; a clash (1 in 34 billion per year) is retried.
"""

import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.core import ratelimit
from urna.core.errors import RateLimited
from urna.core.network import client_network

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


# --- lookups, limited per network ---------------------------------------------------------------
# A receipt opens a status page (a query's answer) and takes a completion without login. Every
# lookup counts against the client's network; those of receipts that do not exist count against
# a much tighter limit, which stops a network that guesses codes (even for real ones). A lookup is
# counted as a miss before it runs and given back when the receipt exists, so concurrent guesses
# cannot pass the limit.

RECEIPT_LOOKUP_RATE = "3000/3600"  # as many as the contributions one network may send
RECEIPT_MISS_RATE = "100/3600"


def _lookup_count(request: HttpRequest) -> str:
    network = client_network(request)
    if not (
        ratelimit.hit("receipt", network, RECEIPT_LOOKUP_RATE)
        and ratelimit.hit("receipt-miss", network, RECEIPT_MISS_RATE)
    ):
        raise RateLimited(
            _(
                "Demasiadas consultas de recibos desde esta red. Espere unos minutos e intente "
                "de nuevo."
            )
        )
    return network


def receipt_lookup(view: Callable) -> Callable:
    """Decorate a view or API endpoint that looks up a receipt: counts the lookup, raising
    RateLimited (the API answers it as a 429) over the network's limits. A 404, Http404 or
    NotFound is a miss."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        network = _lookup_count(request)
        response = view(request, *args, **kwargs)  # Http404 or NotFound: the miss stays counted
        if getattr(response, "status_code", 200) != 404:
            ratelimit.undo("receipt-miss", network, RECEIPT_MISS_RATE)
        return response

    return wrapper


def receipt_page(view: Callable) -> Callable:
    """``receipt_lookup`` for a page: over the limit, a 429 page that says why."""
    counted = receipt_lookup(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return counted(request, *args, **kwargs)
        except RateLimited as exc:
            return render(request, "429.html", {"detail": exc.message}, status=429)

    return wrapper
