"""``GET|POST /channels/meta/`` — one webhook for WhatsApp Cloud API, Facebook and Instagram.

GET answers Meta's verification handshake; POST bodies are signed with
``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body keyed by the app secret>``.
"""

import hashlib
import hmac
import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urna.channels.devcredentials import credential
from urna.channels.meta.parser import parse
from urna.channels.models import InboundMessage
from urna.channels.services import inbound_store
from urna.channels.signatures import meta_verify, reject
from urna.channels.webhooks import accept, too_large
from urna.core.middleware import signed_webhook

logger = logging.getLogger(__name__)

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

    parsed = parse(request.body)
    raw = request.body.decode("utf-8", "replace")
    signature = {"X-Hub-Signature-256": request.headers.get("X-Hub-Signature-256", "")}
    for item in parsed.items:
        accept(
            provider=item.provider,
            provider_message_id=item.message_id,
            sender=item.sender,
            recipient=item.extra.get("to", ""),
            body=item.body,
            payload=raw,
            headers={**signature, **item.extra},
        )
    for status in parsed.statuses:
        delivery_record(
            backend="whatsapp",
            provider_message_id=status.message_id,
            status=status.status,
            detail=status.detail,
        )
    if parsed.problems:
        _store_unparsable(request, parsed.provider, raw, parsed.problems, signature)
    # Meta retries anything but a 200 for days: what we could not read is kept and flagged.
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


def _store_unparsable(
    request: HttpRequest, provider: str, raw: str, problems: list[str], headers: dict
) -> None:
    """Keep a signed body we could not (wholly) read, raw, for staff; a retry stores nothing."""
    digest = hashlib.sha256(request.body).hexdigest()[:40]
    reason = "; ".join(problems[:5]) + (f" (+{len(problems) - 5})" if len(problems) > 5 else "")
    inbound_store(
        provider=provider,
        provider_message_id=f"unparsable:{digest}",
        payload=raw,
        headers=headers,
        status=InboundMessage.Status.UNPARSABLE,
        last_error=f"Carga no reconocida: {reason}",
    )
    logger.warning("meta payload unparsable: %s", reason[:200])
