"""Tracked links: a message's link goes through ``/l/<token>/``, which counts the click and
redirects.

The token signs the message id and the destination together (``django.core.signing``, salt
``urna.messaging.link``), so the redirect only ever goes where Urna itself pointed: a token that
does not verify is a 404, never a redirect (no open redirect). A click records when and which
link; not the address, the browser or anything else about who clicked.
"""

from django.core import signing
from django.db import transaction
from django.utils import timezone

from urna.core.links import absolute_url
from urna.messaging.models import LinkClick, OutboundMessage

LINK_SALT = "urna.messaging.link"


class InvalidLink(Exception):
    """The token is not one Urna signed."""


def tracked_url(message_id: int, url: str) -> str:
    """``<site>/l/<token>/`` (absolute): ``url`` counted as a click of message ``message_id``."""
    token = signing.dumps([message_id, url], salt=LINK_SALT, compress=True)
    return absolute_url(f"/l/{token}/")


def link_destination(token: str) -> tuple[int, str]:
    """The (message id, url) a token was signed for; ``InvalidLink`` otherwise."""
    try:
        message_id, url = signing.loads(token, salt=LINK_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise InvalidLink(token) from exc
    if not isinstance(message_id, int) or not isinstance(url, str):
        raise InvalidLink(token)
    if not url.startswith(("https://", "http://")):
        raise InvalidLink(token)
    return message_id, url


def link_click(*, token: str) -> str:
    """Record a click on a tracked link (the message's first click, and one ``LinkClick``) and
    return where to send the citizen. ``InvalidLink`` for a token Urna did not sign."""
    message_id, url = link_destination(token)
    with transaction.atomic():
        if OutboundMessage.objects.filter(pk=message_id).exists():
            OutboundMessage.objects.filter(pk=message_id, clicked_at=None).update(
                clicked_at=timezone.now()
            )
            LinkClick.objects.create(message_id=message_id, url=url[:1000])
    return url
