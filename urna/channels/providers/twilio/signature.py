"""Twilio's signing scheme (``X-Twilio-Signature``), compared in constant time."""

import base64
import hashlib
import hmac
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

from urna.channels.devcredentials import credential


def twilio_signature(url: str, params: Iterable[tuple[str, str]], auth_token: str) -> str:
    """Twilio's scheme (RequestValidator): the full URL followed by every POST parameter's name
    and value, sorted by name, HMAC-SHA1 keyed by the auth token, Base64."""
    data = url + "".join(f"{key}{value}" for key, value in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def request_url(request: HttpRequest) -> str:
    """The URL Twilio called: PUBLIC_BASE_URL + path (+ query) when configured, else the URL
    Django sees (which honours X-Forwarded-Proto/Host only behind a TRUSTED_PROXY)."""
    if settings.PUBLIC_BASE_URL:
        query = request.META.get("QUERY_STRING", "")
        return settings.PUBLIC_BASE_URL + request.path + (f"?{query}" if query else "")
    return request.build_absolute_uri()


def twilio_verify(request: HttpRequest) -> str | None:
    """None when the request is Twilio's; otherwise the reason it is not."""
    token = credential("TWILIO_AUTH_TOKEN")
    if not token:
        return "not configured"
    given = request.headers.get("X-Twilio-Signature", "")
    if not given:
        return "missing signature"
    params = [(key, value) for key in request.POST for value in request.POST.getlist(key)]
    expected = twilio_signature(request_url(request), params, token)
    if not hmac.compare_digest(expected.encode(), given.encode()):
        return "bad signature"
    return None
