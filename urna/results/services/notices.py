"""Telling citizens their contribution was answered, through the channel they used, when they
left a contact and consented to hear back there (purpose "answers"); at most once per
contribution and answer version. The channel is the one rule participants hear back by
(``urna.exercises.services.updates.reply_channel``), also used when an exercise's results or
updates are told to all its participants."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from urna.contacts.consent import consented_ids
from urna.core.links import absolute_url
from urna.exercises.models import Contribution, Decision, Exercise
from urna.exercises.services.updates import reply_channel
from urna.messaging.services import message_queue
from urna.results.models import AnswerNotice

SMS_MAX = 320


def answer_version(decision: str, reason: str) -> str:
    """A short digest naming one version of an answer (a new reason is a new version)."""
    return hashlib.sha256(f"{decision}\n{reason}".encode()).hexdigest()[:16]


def _route(contribution: Contribution) -> tuple[str, str]:
    """(channel, address) of the message (``reply_channel``); empty when there is no way."""
    contact = contribution.contact
    channel = reply_channel(contribution.channel, phone=contact.phone, email=contact.email)
    if not channel:
        return "", ""
    return channel, contact.phone if channel != "email" else contact.email


def result_url(contribution: Contribution) -> str:
    path = reverse("site:receipt", kwargs={"receipt": contribution.receipt})
    return absolute_url(path)


def notice_text(
    contribution: Contribution, exercise: Exercise, *, decision: str, reason: str, short: bool
) -> str:
    """The message in Spanish; ``short`` (SMS, WhatsApp) fits in ``SMS_MAX`` characters with the
    link to the contribution's public page, where the full answer is published."""
    values = {
        "receipt": contribution.receipt,
        "exercise": exercise.code or exercise.title,
        "decision": Decision(decision).label,
        "url": result_url(contribution),
    }
    if not short:
        return _(
            "La entidad respondió su aporte %(receipt)s al ejercicio «%(exercise)s».\n\n"
            "Decisión: %(decision)s.\n%(reason)s\n\nConsulte el resultado: %(url)s"
        ) % {**values, "exercise": exercise.title, "reason": reason}
    head = _("Respondimos su aporte %(receipt)s (%(exercise)s): %(decision)s.") % values
    tail = " " + _("Vea la respuesta: %(url)s") % values
    room = SMS_MAX - len(head) - len(tail) - 1
    body = reason if len(reason) <= room else reason[: max(room - 1, 0)].rstrip() + "…"
    return f"{head} {body}{tail}" if room > 10 else f"{head}{tail}"


def answers_notify(
    *, exercise: Exercise, contribution_ids: Iterable[int], decision: str, reason: str
) -> int:
    """Queue the message for each answered contribution whose contact consented to hear back on
    the channel (``consented_ids``, purpose "answers"; never an erased contact), unless this
    answer version was already sent. Call it in the answer's transaction
    (the messages go out once it commits). Returns how many were queued."""
    version = answer_version(decision, reason)
    ids = list(contribution_ids)
    already = set(
        AnswerNotice.objects.filter(contribution_id__in=ids, version=version).values_list(
            "contribution_id", flat=True
        )
    )
    targets = (
        Contribution.objects.filter(
            pk__in=[pk for pk in ids if pk not in already], contact__isnull=False
        )
        .select_related("contact")
        .order_by("id")
    )
    routed = [(contribution, *_route(contribution)) for contribution in targets]
    # Only those who consented to hear back on that channel (erased contacts never have).
    allowed = {
        channel: consented_ids(
            {c.contact_id for c, route, _to in routed if route == channel}, channel, "answers"
        )
        for channel in {route for _c, route, _to in routed if route}
    }
    notices = []
    subject = _("Respuesta a su aporte en Urna de Cristal")
    for contribution, channel, to in routed:
        if not channel or contribution.contact_id not in allowed[channel]:
            continue
        message = message_queue(
            channel=channel,
            to=to,
            body=notice_text(
                contribution, exercise, decision=decision, reason=reason, short=channel != "email"
            ),
            subject=subject,
            contact=contribution.contact,
            related=contribution,
            purpose="answers",
        )
        notices.append(
            AnswerNotice(contribution_id=contribution.pk, version=version, message_id=message.pk)
        )
    AnswerNotice.objects.bulk_create(notices, batch_size=500)
    return len(notices)


def notice_sent(contribution: Any, *, decision: str, reason: str) -> bool:
    return AnswerNotice.objects.filter(
        contribution=contribution, version=answer_version(decision, reason)
    ).exists()
