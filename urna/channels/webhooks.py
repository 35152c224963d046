"""The webhook every asynchronous provider shares (as Zulip's ``@webhook_view``).

``@webhook(INTEGRATION, answer=…)`` wraps a provider's reader and does, in order, what every
provider webhook does: refuse an oversized body (413), check the signature with the
integration's verifier (403, logged in ``urna.security`` with the provider, path and reason —
never the body or a phone number), let the reader turn the request into a ``Payload`` (a
``BadRequest`` is a 400), store each message raw (one short autocommitted INSERT, unique on
provider + provider message id, so a provider's retry stores and schedules nothing), record
delivery reports in the outbox, and answer the provider what it expects. Processing happens
afterwards, in the ``channels.drain`` job.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urna.channels.models import InboundMessage
from urna.channels.registry import Integration
from urna.channels.services import drain_schedule, inbound_store
from urna.core.middleware import signed_webhook
from urna.messaging.services import delivery_record

security_log = logging.getLogger("urna.security")


@dataclass(frozen=True)
class Received:
    """One provider message, to be stored raw as an ``InboundMessage``."""

    provider: str
    provider_message_id: str
    sender: str = ""
    recipient: str = ""
    body: str = ""
    payload: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    status: str = InboundMessage.Status.RECEIVED
    last_error: str = ""


@dataclass(frozen=True)
class Delivery:
    """A provider's report on a message the outbox sent through it."""

    backend: str
    provider_message_id: str
    status: str
    detail: str = ""


@dataclass
class Payload:
    messages: list[Received] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)


class BadRequest(ValueError):
    """A verified request without what the provider always sends (its id, its sender)."""


Reader = Callable[[HttpRequest, str], Payload]


def too_large(request: HttpRequest, limit: int) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


def reject(request: HttpRequest, *, provider: str, reason: str) -> HttpResponse:
    security_log.warning(
        "webhook rejected provider=%s path=%s reason=%s", provider, request.path, reason
    )
    return HttpResponse("Forbidden", status=403, content_type="text/plain")


def accept(message: Received) -> tuple[InboundMessage, bool]:
    """Store one message raw (committed before we answer the provider) and make sure a drain
    job will process it. A provider's retry stores nothing and schedules nothing."""
    stored, created = inbound_store(**vars(message))
    if created and stored.status == InboundMessage.Status.RECEIVED:
        drain_schedule()
    return stored, created


def payload_keep(payload: Payload) -> None:
    for message in payload.messages:
        accept(message)
    for delivery in payload.deliveries:
        delivery_record(
            backend=delivery.backend,
            provider_message_id=delivery.provider_message_id,
            status=delivery.status,
            detail=delivery.detail,
        )


def webhook(
    integration: Integration,
    *,
    answer: Callable[[], HttpResponse],
    on_get: Callable[[HttpRequest], HttpResponse] | None = None,
) -> Callable[[Reader], Callable[[HttpRequest], HttpResponse]]:
    """Make a provider's reader a webhook view (see the module's docstring). ``on_get``
    answers a GET (Meta's subscription handshake); without it only POST is allowed."""
    methods: Iterable[str] = ["GET", "POST"] if on_get else ["POST"]

    def decorator(read: Reader) -> Callable[[HttpRequest], HttpResponse]:
        @signed_webhook
        @csrf_exempt
        @require_http_methods(methods)
        @wraps(read)
        def view(request: HttpRequest) -> HttpResponse:
            if request.method == "GET" and on_get is not None:
                return on_get(request)
            if too_large(request, integration.max_body):
                return HttpResponse(status=413)
            raw = request.body.decode("utf-8", "replace")  # before the form parser consumes it
            reason = integration.verify(request) if integration.verify else "no verifier"
            if reason:
                return reject(request, provider=integration.name, reason=reason)
            try:
                payload = read(request, raw)
            except BadRequest:
                return HttpResponse("Bad request", status=400, content_type="text/plain")
            payload_keep(payload)
            return answer()

        return view

    return decorator
