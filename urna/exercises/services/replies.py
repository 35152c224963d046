"""Replies: a participant answers a published contribution, and a thread grows below it.

A reply is a contribution like any other (an opinion with a ``parent``): it goes through the
same intake steps (every rule of an open exercise, the rate limits of its sender, the masked
public text, a receipt) and the same moderation (held when the exercise moderates before
publishing; shown, held or hidden by ``contribution_moderate`` with its audit entry). Threads
are two levels deep: a contribution's replies, and the replies to each of them; answering a
reply of the second level joins the conversation of its first-level reply.

``reply_count`` keeps, on each contribution, how many published replies are below it (for a
contribution its whole thread), so the "most commented" order and the lists count none.
"""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from urna.contacts.services import ContactDetails
from urna.core.errors import Conflict
from urna.exercises.models import Contribution
from urna.exercises.services.intake import (
    SubmitResult,
    contribution_rate_limit,
    contribution_store,
    contribution_validate,
)


def reply_target(parent: Contribution) -> Contribution:
    """The contribution a reply to ``parent`` is stored under: ``parent`` itself, or the
    first-level reply it belongs to when ``parent`` is already a reply to a reply."""
    if parent.parent_id is not None and parent.parent.parent_id is not None:
        return parent.parent
    return parent


def reply_counts_adjust(*, reply: Contribution, delta: int) -> None:
    """Count a reply in (``delta`` 1) or out (-1) of the published replies above it: its
    parent's and, for a second-level reply, the thread's first contribution."""
    parent = reply.parent
    ids = [parent.pk] if parent.parent_id is None else [parent.pk, parent.parent_id]
    rows = Contribution.objects.filter(pk__in=ids)
    if delta < 0:
        rows = rows.filter(reply_count__gte=-delta)
    rows.update(reply_count=F("reply_count") + delta)


def reply_submit(
    *,
    parent: Contribution,
    text: str,
    channel: str = Contribution.Channel.WEB,
    user: Any = None,
    contact: ContactDetails | None = None,
    municipality_code: str | None = None,
    idempotency_key: str | None = None,
    request: Any = None,
) -> SubmitResult:
    """Store a reply to a published contribution of an open exercise and give its author a
    receipt. Raises Conflict (the contribution is not published, or the exercise does not
    take contributions now), InvalidInput (the text) or RateLimited; stores nothing then."""
    if parent.moderation != Contribution.Moderation.VISIBLE:
        raise Conflict(_("Ese aporte no está publicado: no se puede responder."), code="hidden")
    target = reply_target(parent)
    clean = contribution_validate(
        exercise=target.exercise,
        kind=Contribution.Kind.OPINION,
        text=text,
        channel=channel,
        municipality_code=municipality_code,
        contact=contact,
        user=user,
        idempotency_key=idempotency_key,
    )
    contribution_rate_limit(clean, request=request)
    with transaction.atomic():
        result = contribution_store(clean, request=request)
        reply = result.contribution
        if result.created:
            Contribution.objects.filter(pk=reply.pk).update(parent=target)
            reply.parent = target
            if reply.moderation == Contribution.Moderation.VISIBLE:
                reply_counts_adjust(reply=reply, delta=1)
    return result
