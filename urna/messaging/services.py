"""Queueing and sending outbound messages."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from urna.jobs.registry import enqueue
from urna.messaging.backends import backend_for, backend_name_for, backend_source
from urna.messaging.hooks import consent_allowed
from urna.messaging.models import DeliveryEvent, OutboundMessage

# The job that sends one message (``tasks.send_message``), queued by name: the task module
# imports this one.
SEND_TASK = "messaging.send"


def message_queue(
    *,
    channel: str,
    to: str,
    body: str,
    subject: str = "",
    contact: Any = None,
    kind: str = OutboundMessage.Kind.TRANSACTIONAL,
    provider: str = "",
    related: Any = None,
    purpose: str = "",
) -> OutboundMessage:
    """Store a message and send it from a background job once the caller's transaction commits.

    ``purpose`` ("answers", "campaigns", "surveys") is what the citizen must have consented to
    receive on ``channel``; "" is a transactional message (a reply, a code the citizen asked
    for), never held back. A message with a purpose passes the consent gate the contacts app
    registers (``urna.messaging.hooks``): one to a contact it refuses, to no contact, or sent
    while no gate is registered, is stored as suppressed and never sent. ``kind=CAMPAIGN``
    without a purpose means the purpose "campaigns".
    """
    if not purpose and kind == OutboundMessage.Kind.CAMPAIGN:
        purpose = "campaigns"
    if purpose and kind == OutboundMessage.Kind.TRANSACTIONAL and purpose != "answers":
        kind = OutboundMessage.Kind.CAMPAIGN
    suppressed = bool(purpose) and (
        contact is None or contact.pk not in consent_allowed([contact.pk], channel, purpose)
    )
    message = OutboundMessage.objects.create(
        channel=channel,
        to=to,
        body=body,
        subject=subject[:200],
        contact=contact,
        kind=kind,
        provider=provider,
        status=OutboundMessage.Status.SUPPRESSED if suppressed else OutboundMessage.Status.QUEUED,
        related_type=related._meta.label_lower if related is not None else "",
        related_id=str(related.pk) if related is not None else "",
    )
    if not suppressed:
        enqueue(SEND_TASK, message_id=message.pk, unique_key=f"outbox:{message.pk}")
    return message


def message_send(*, message_id: int) -> str:
    """Hand one message to its backend. Safe to run twice: a sent message is not resent."""
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().get(pk=message_id)
        if message.status != OutboundMessage.Status.QUEUED:
            return message.status
        name = message.provider or backend_name_for(message)
        OutboundMessage.objects.filter(pk=message.pk).update(attempts=message.attempts + 1)
    try:
        provider_id = backend_for(name, source=backend_source(message))(message)
    except Exception as exc:
        OutboundMessage.objects.filter(pk=message.pk).update(
            last_error=f"{exc.__class__.__name__}: {str(exc)[:400]}", backend=name
        )
        raise
    OutboundMessage.objects.filter(pk=message.pk, status=OutboundMessage.Status.QUEUED).update(
        status=OutboundMessage.Status.SENT,
        backend=name,
        provider_message_id=provider_id,
        sent_at=timezone.now(),
        last_error="",
    )
    return OutboundMessage.Status.SENT


def message_mark_failed(*, message_id: int, error: str) -> None:
    OutboundMessage.objects.filter(pk=message_id).update(
        status=OutboundMessage.Status.FAILED, last_error=error[:500]
    )


def delivery_record(
    *, backend: str, provider_message_id: str, status: str, detail: str = ""
) -> bool:
    """Record a provider's delivery report; returns False for an unknown message."""
    message = OutboundMessage.objects.filter(
        backend=backend, provider_message_id=provider_message_id
    ).first()
    if message is None:
        return False
    DeliveryEvent.objects.create(message=message, status=status[:30], detail=detail[:300])
    normalised = status.lower()
    if normalised in {"delivered", "read", "success"}:
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundMessage.Status.DELIVERED, delivered_at=timezone.now()
        )
    elif normalised in {"failed", "undelivered", "rejected"}:
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundMessage.Status.FAILED, last_error=detail[:500] or normalised
        )
    return True
