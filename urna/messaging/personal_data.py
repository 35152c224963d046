"""The messages sent to a contact, for the citizen's rights of access and suppression.

Registered with ``urna.core.personal_data`` (see ``MessagingConfig.ready``). A message names its
contact by id; the holder matches that id and the contact's addresses, so it needs nothing of the
contacts app. Erasing keeps each row's channel, kind, status and dates (campaign reach and
delivery figures stay right) and removes the address and the text; a message still queued is not
sent.
"""

from datetime import datetime
from typing import Any

from django.db.models import Q

from urna.core.personal_data import address_match, in_chunks
from urna.messaging.models import OutboundMessage


def _to(contact: Any, addresses: list[str]) -> Q:
    """Messages to the contact (any row with a ``pk``; None for addresses alone) or to any of
    the addresses."""
    mine = Q(contact_id=contact.pk) if contact is not None else Q(pk__in=[])
    return mine | address_match("to", addresses)


def outbound_export(contact: Any, addresses: list[str]) -> list[dict[str, Any]]:
    rows = (
        OutboundMessage.objects.filter(_to(contact, addresses))
        .select_related("dispatch")
        .order_by("created_at")
    )
    return [
        {
            "created_at": m.created_at.isoformat(),
            "channel": m.channel,
            "kind": m.kind,
            # A dispatch's message keeps no text of its own: the template it was rendered from.
            "subject": m.subject or (m.dispatch.subject if m.dispatch else ""),
            "text": m.body or (m.dispatch.body if m.dispatch else ""),
            "status": m.status,
        }
        for m in rows
    ]


def outbound_erase(contact: Any, addresses: list[str]) -> int:
    rows = OutboundMessage.objects.filter(_to(contact, addresses))
    rows.filter(status=OutboundMessage.Status.QUEUED).update(
        status=OutboundMessage.Status.SUPPRESSED
    )
    return rows.update(to="", subject="", body="")


def outbound_expire(before: datetime) -> int:
    """Empty the address and text of messages created before ``before`` that are no longer
    waiting to be sent (their status and dates stay for the delivery figures)."""
    done = OutboundMessage.objects.filter(created_at__lt=before).exclude(
        status=OutboundMessage.Status.QUEUED
    )
    return in_chunks(
        done.exclude(to="", body=""), lambda rows: rows.update(to="", subject="", body="")
    )
