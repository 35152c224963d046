"""Meta's signing scheme: ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body keyed by
the app secret>``, compared in constant time."""

import hashlib
import hmac

from django.http import HttpRequest

from urna.channels.devcredentials import credential


def meta_signature(body: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def meta_verify(request: HttpRequest) -> str | None:
    """None when the body is signed by Meta; otherwise the reason it is not."""
    secret = credential("META_APP_SECRET")
    if not secret:
        return "not configured"
    given = request.headers.get("X-Hub-Signature-256", "")
    if not given:
        return "missing signature"
    expected = meta_signature(request.body, secret)
    if not hmac.compare_digest(expected.encode(), given.encode()):
        return "bad signature"
    return None
