"""The raw channel messages a contact sent, for the citizen's rights of access and suppression.

Registered with ``urna.contacts`` (see ``ChannelsConfig.ready``). Erasing keeps each row's status,
result and receipt (the trail of what was done with it) and removes the address, the text, the
provider's payload and headers, any attached files and the menu conversation.
"""

from datetime import datetime
from typing import Any

from django.db import transaction

from urna.channels.models import Conversation, InboundAttachment, InboundMessage
from urna.contacts.models import Contact
from urna.core.personal_data import address_match, in_chunks

ERASED_NOTE = "Datos borrados a petición del ciudadano (Ley 1581 de 2012)."


def inbound_export(contact: Contact | None, addresses: list[str]) -> list[dict[str, Any]]:
    if not addresses:
        return []
    rows = InboundMessage.objects.filter(address_match("sender", addresses)).order_by("received_at")
    return [
        {
            "received_at": m.received_at.isoformat(),
            "channel": m.channel,
            "text": m.body,
            "status": m.status,
            "receipt": m.result_receipt,
            "reply": m.reply,
        }
        for m in rows
    ]


def inbound_erase(contact: Contact | None, addresses: list[str]) -> int:
    if not addresses:
        return 0
    rows = InboundMessage.objects.filter(address_match("sender", addresses))
    # Not yet processed: nothing is left to process, so it is closed as ignored.
    rows.filter(status__in=[InboundMessage.Status.RECEIVED, InboundMessage.Status.FAILED]).update(
        status=InboundMessage.Status.IGNORED, last_error=ERASED_NOTE
    )
    Conversation.objects.filter(address__in=addresses).delete()
    return inbound_erase_rows(rows)


def inbound_expire(before: datetime) -> int:
    """Empty raw messages received before ``before`` that are done with (processed or
    ignored; failed and unrouted ones wait for staff), and forget idle menu conversations.
    Unparsable payloads expire too: no citizen's address could be read from them, so no
    request of access or erasure would ever find them."""
    Conversation.objects.filter(updated_at__lt=before).delete()
    done = InboundMessage.objects.filter(
        received_at__lt=before,
        status__in=[
            InboundMessage.Status.PROCESSED,
            InboundMessage.Status.IGNORED,
            InboundMessage.Status.UNPARSABLE,
        ],
    ).exclude(sender="", body="", payload="")
    return in_chunks(done, inbound_erase_rows)


def inbound_erase_rows(rows) -> int:
    attachments = InboundAttachment.objects.filter(message__in=rows)
    files = [(a.file.storage, a.file.name) for a in attachments if a.file]
    attachments.delete()
    # The files go once the erasure is committed (a rollback keeps rows and files together).
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return rows.update(sender="", body="", payload="", headers={}, reply="")
