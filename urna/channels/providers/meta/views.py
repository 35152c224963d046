"""``GET|POST /channels/meta/`` — one webhook for WhatsApp Cloud API, Facebook and Instagram.

GET answers Meta's verification handshake; POST bodies are signed with
``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body keyed by the app secret>``.
"""

import hashlib
import hmac
import logging

from django.http import HttpRequest, HttpResponse

from urna.channels.devcredentials import credential
from urna.channels.models import InboundMessage
from urna.channels.providers.meta.parser import parse
from urna.channels.providers.meta.provider import META
from urna.channels.webhooks import Delivery, Payload, Received, reject, webhook

logger = logging.getLogger(__name__)


def _handshake(request: HttpRequest) -> HttpResponse:
    expected = credential("META_VERIFY_TOKEN")
    given = request.GET.get("hub.verify_token", "")
    if request.GET.get("hub.mode") != "subscribe" or not expected or not given:
        return reject(request, provider=META.name, reason="bad handshake")
    if not hmac.compare_digest(expected.encode(), given.encode()):
        return reject(request, provider=META.name, reason="bad verify token")
    return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")


def _received() -> HttpResponse:
    # Meta retries anything but a 200 for days: what we could not read is kept and flagged.
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


@webhook(META, answer=_received, on_get=_handshake)
def meta_webhook(request: HttpRequest, raw: str) -> Payload:
    parsed = parse(request.body)
    signature = {"X-Hub-Signature-256": request.headers.get("X-Hub-Signature-256", "")}
    payload = Payload(
        messages=[
            Received(
                provider=item.provider,
                provider_message_id=item.message_id,
                sender=item.sender,
                recipient=item.extra.get("to", ""),
                body=item.body,
                payload=raw,
                headers={**signature, **item.extra},
            )
            for item in parsed.items
        ],
        deliveries=[
            Delivery(
                backend="whatsapp",
                provider_message_id=status.message_id,
                status=status.status,
                detail=status.detail,
            )
            for status in parsed.statuses
        ],
    )
    if parsed.problems:
        payload.messages.append(
            _unparsable(request.body, parsed.provider, raw, parsed.problems, signature)
        )
    return payload


def _unparsable(
    body: bytes, provider: str, raw: str, problems: list[str], headers: dict
) -> Received:
    """Keep a signed body we could not (wholly) read, raw, for staff; a retry stores nothing."""
    digest = hashlib.sha256(body).hexdigest()[:40]
    reason = "; ".join(problems[:5]) + (f" (+{len(problems) - 5})" if len(problems) > 5 else "")
    logger.warning("meta payload unparsable: %s", reason[:200])
    return Received(
        provider=provider,
        provider_message_id=f"unparsable:{digest}",
        payload=raw,
        headers=headers,
        status=InboundMessage.Status.UNPARSABLE,
        last_error=f"Carga no reconocida: {reason}",
    )
