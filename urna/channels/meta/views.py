"""``GET|POST /channels/meta/`` — one webhook for WhatsApp Cloud API, Facebook and Instagram.

GET answers Meta's verification handshake; POST bodies are signed with
``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body keyed by the app secret>``.
"""

import hmac
import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urna.channels.devcredentials import credential
from urna.channels.meta.parser import Malformed, parse
from urna.channels.signatures import meta_verify, reject
from urna.channels.webhooks import accept, too_large
from urna.core.middleware import signed_webhook

MAX_BODY = 1024 * 1024


def _handshake(request: HttpRequest) -> HttpResponse:
    expected = credential("META_VERIFY_TOKEN")
    given = request.GET.get("hub.verify_token", "")
    if request.GET.get("hub.mode") != "subscribe" or not expected or not given:
        return reject(request, provider="meta", reason="bad handshake")
    if not hmac.compare_digest(expected.encode(), given.encode()):
        return reject(request, provider="meta", reason="bad verify token")
    return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")


@signed_webhook
@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _handshake(request)
    if too_large(request, MAX_BODY):
        return HttpResponse(status=413)
    reason = meta_verify(request)
    if reason:
        return reject(request, provider="meta", reason=reason)
    from urna.messaging.services import delivery_record

    try:
        items, statuses = parse(json.loads(request.body))
    except (ValueError, Malformed):
        return HttpResponse("Bad request", status=400, content_type="text/plain")
    raw = request.body.decode("utf-8", "replace")
    signature = {"X-Hub-Signature-256": request.headers.get("X-Hub-Signature-256", "")}
    for item in items:
        accept(
            provider=item.provider,
            provider_message_id=item.message_id,
            sender=item.sender,
            recipient=item.extra.get("to", ""),
            body=item.body,
            payload=raw,
            headers={**signature, **item.extra},
        )
    for status in statuses:
        delivery_record(
            backend="whatsapp",
            provider_message_id=status.message_id,
            status=status.status,
            detail=status.detail,
        )
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")
