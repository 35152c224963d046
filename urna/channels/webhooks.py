"""What every asynchronous webhook does after verification: store raw, schedule, acknowledge."""

from django.http import HttpRequest

from urna.channels.models import InboundMessage
from urna.channels.services import drain_schedule, inbound_store


def too_large(request: HttpRequest, limit: int) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


def accept(**fields) -> tuple[InboundMessage, bool]:
    """Store one message raw (committed before we answer the provider) and make sure a drain
    job will process it. A provider's retry stores nothing and schedules nothing."""
    message, created = inbound_store(**fields)
    if created:
        drain_schedule()
    return message, created
