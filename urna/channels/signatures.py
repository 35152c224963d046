"""Webhook authenticity: providers' signing schemes, compared in constant time.

A request that fails verification gets 403 and is stored nowhere; the only trace is one line in
the ``urna.security`` log with the provider, the path and the reason — never the body, never a
phone number.
"""

import base64
import hashlib
import hmac
import logging
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from urna.channels.devcredentials import at_token, credential

security_log = logging.getLogger("urna.security")


def reject(request: HttpRequest, *, provider: str, reason: str) -> HttpResponse:
    security_log.warning(
        "webhook rejected provider=%s path=%s reason=%s", provider, request.path, reason
    )
    return HttpResponse("Forbidden", status=403, content_type="text/plain")


def twilio_signature(url: str, params: Iterable[tuple[str, str]], auth_token: str) -> str:
    """Twilio's scheme (RequestValidator): the full URL followed by every POST parameter's name
    and value, sorted by name, HMAC-SHA1 keyed by the auth token, Base64."""
    data = url + "".join(f"{key}{value}" for key, value in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def request_url(request: HttpRequest) -> str:
    """The URL the provider called: PUBLIC_BASE_URL + path (+ query) when configured, else the
    URL Django sees (which honours X-Forwarded-Proto/Host only behind a TRUSTED_PROXY)."""
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


def meta_signature(body: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def meta_verify(request: HttpRequest) -> str | None:
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


def africastalking_verify(request: HttpRequest) -> str | None:
    """Africa's Talking does not sign callbacks: its callback URLs carry a secret token."""
    expected = at_token()
    if not expected:
        return "not configured"
    given = request.GET.get("token", "")
    if not given:
        return "missing token"
    if not hmac.compare_digest(expected.encode(), given.encode()):
        return "bad token"
    return None
