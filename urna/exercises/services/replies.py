"""Replies: a participant answers a published contribution, and a thread grows below it.

A reply is a contribution like any other (an opinion with a ``parent``): it goes through the
same intake steps (every rule of an open exercise, the rate limits of its sender, the masked
public text, a receipt) and the same moderation (held when the exercise moderates before
publishing; shown, held or hidden by ``contribution_moderate`` with its audit entry). Threads
are two levels deep: a contribution's replies, and the replies to each of them; answering a
reply of the second level joins the conversation of its first-level reply.

``reply_count`` keeps, on each contribution, how many published replies are below it (for a
contribution its whole thread), so the "most commented" order and the lists count none.

When a reply is published (at once, or later by moderation), the author of the contribution it
answers is told once, on the channel they hear back by, if they left a contact and consented to
hear back there (purpose "answers"): ``reply_published_tell``. The message names no one: a
reply's author is never identified.
"""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.contacts.models import Purpose
from urna.contacts.services import ContactDetails
from urna.core.errors import Conflict
from urna.core.links import absolute_url
from urna.exercises.models import Contribution
from urna.exercises.services.intake import (
    SubmitResult,
    contribution_rate_limit,
    contribution_store,
    contribution_validate,
)
from urna.exercises.services.updates import reply_channel
from urna.messaging.services import message_queue


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
                reply_published_tell(reply=reply)
    return result


def reply_url(reply: Contribution) -> str:
    """The absolute link to ``reply`` on the page of the contribution it answers."""
    parent = reply.parent
    path = reverse("exercises:contribution", kwargs={"slug": parent.exercise.slug, "pk": parent.pk})
    return absolute_url(f"{path}#respuesta-{reply.pk}")


def reply_published_tell(*, reply: Contribution) -> bool:
    """Tell the author of the contribution ``reply`` answers that it was published: once per
    reply (stamped by a conditional UPDATE, in the caller's transaction, so a reply hidden and
    shown again, or moderated twice at once, is told once), never to the reply's own author,
    through the consent gate. Returns whether a message was queued (suppressed ones included)."""
    claimed = Contribution.objects.filter(pk=reply.pk, reply_told_at__isnull=True).update(
        reply_told_at=timezone.now()
    )
    parent = reply.parent
    contact = parent.contact if parent is not None else None
    if not claimed or contact is None or contact.erased_at is not None:
        return False
    if reply.contact_id is not None and reply.contact_id == contact.pk:
        return False
    channel = reply_channel(parent.channel, phone=contact.phone, email=contact.email)
    if not channel:
        return False
    exercise = parent.exercise
    message_queue(
        channel=channel,
        to=contact.email if channel == "email" else contact.phone,
        subject=_("Respondieron su aporte en «%(title)s»") % {"title": exercise.title},
        body=_("Alguien respondió su aporte %(receipt)s en «%(title)s». Lea la respuesta: %(url)s")
        % {"receipt": parent.receipt, "title": exercise.title, "url": reply_url(reply)},
        contact=contact,
        related=reply,
        purpose=Purpose.ANSWERS,
    )
    return True
