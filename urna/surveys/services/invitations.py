"""Inviting contacts to answer a survey, with one reminder.

The audience is the contacts who consented to surveys (purpose ``surveys`` of
``urna.contacts.consent``) by the invitation's channel, in some departments or all. The
campaigns app's segments cannot be used from here (campaigns and surveys are sibling apps of
one layer, which must not import each other), so the invitation goes straight through the
dispatch engine campaigns themselves use (``urna.messaging.dispatch``): one audited dispatch,
queued in batches, every message passing the consent gate again as it is sent.

``remind_after_days`` later the ``surveys.invitation_remind`` job sends one reminder to the
invited contacts whose response is not complete. A response is tied to a contact when it comes
by SMS, WhatsApp or USSD from the invited number; web answers are anonymous, so an e-mail
invitee who answered on the web still gets the reminder (its text says to ignore it then).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.audit.services import audit_record
from urna.contacts.consent import ADDRESS_FIELD, consented
from urna.contacts.models import Contact, Purpose
from urna.core.errors import Conflict, InvalidInput
from urna.core.links import absolute_url
from urna.jobs.registry import enqueue
from urna.messaging.dispatch import dispatch_create, dispatch_enqueue
from urna.messaging.models import OutboundMessage
from urna.surveys.models import Invitation, Response, Survey
from urna.surveys.permissions import EDIT, require

REMIND_TASK = "surveys.invitation_remind"
CHANNELS = ("sms", "whatsapp", "email")
MAX_REMIND_DAYS = 30


def invitation_audience(*, channel: str, departments: list[str]) -> QuerySet:
    """The contacts an invitation by ``channel`` reaches (consented to surveys there)."""
    contacts = consented(Contact.objects.all(), channel, Purpose.SURVEYS)
    if departments:
        contacts = contacts.filter(department_id__in=departments)
    return contacts


def _text(survey: Survey, channel: str, *, reminder: bool) -> tuple[str, str]:
    """(subject, body) of the invitation or its reminder; no braces (the body is a template)."""
    values = {"title": survey.label, "entity": survey.entity.name, "code": survey.code.upper()}
    if reminder:
        lead = _("Recordatorio: %(entity)s espera su opinión en la encuesta «%(title)s».")
    else:
        lead = _("%(entity)s le invita a responder la encuesta «%(title)s».")
    if channel == "email":
        how = _("Respóndala en la página de encuestas de Urna: %(url)s") % {
            "url": absolute_url(reverse("surveys:list"))
        }
    else:
        how = _("Responda ENCUESTA %(code)s a este número.")
    tail = _("Si ya respondió, ignore este mensaje. SALIR para no recibir más.")
    body = " ".join(part % values for part in (lead, how, tail))
    return (_("Encuesta: %(title)s") % values)[:200], body


def _send(invitation: Invitation, recipients: QuerySet, *, reminder: bool, by: Any) -> tuple:
    survey = invitation.survey
    subject, body = _text(survey, invitation.channel, reminder=reminder)
    dispatch = dispatch_create(
        channel=invitation.channel,
        purpose=Purpose.SURVEYS,
        body=body,
        subject=subject if invitation.channel == "email" else "",
        related=invitation,
        entity=survey.entity,
        by=by,
    )
    field = ADDRESS_FIELD[invitation.channel]
    added = dispatch_enqueue(
        dispatch=dispatch, recipients=recipients.values_list("id", field), by=by
    )
    return dispatch, added


def invitation_send(
    *, survey: Survey, channel: str, departments: list[str], remind_after_days: int, by: Any
) -> Invitation:
    """Invite the consented contacts to an open survey; a reminder is scheduled if asked."""
    require(by, EDIT, survey)
    if survey.status != Survey.Status.OPEN:
        raise Conflict(_("Abra la encuesta antes de invitar."), code="survey_closed")
    if channel not in CHANNELS:
        raise InvalidInput(_("Canal de envío no válido."), field="channel")
    if not 0 <= remind_after_days <= MAX_REMIND_DAYS:
        raise InvalidInput(
            _("El recordatorio va de 1 a %(n)s días (0: sin recordatorio).")
            % {"n": MAX_REMIND_DAYS},
            field="remind_after_days",
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            survey=survey,
            channel=channel,
            departments=sorted(departments),
            remind_after_days=remind_after_days,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audience = invitation_audience(channel=channel, departments=departments)
        dispatch, added = _send(invitation, audience, reminder=False, by=by)
        invitation.dispatch, invitation.invited = dispatch, added
        invitation.save(update_fields=["dispatch", "invited"])
        audit_record(
            action="survey.invite",
            obj=survey,
            actor=by,
            entity=survey.entity,
            after={
                "channel": channel,
                "departments": invitation.departments,
                "invited": added,
                "remind_after_days": remind_after_days,
            },
        )
        if remind_after_days:
            enqueue(
                REMIND_TASK,
                invitation_id=invitation.pk,
                unique_key=f"{REMIND_TASK}:{invitation.pk}",
                run_at=timezone.now() + timedelta(days=remind_after_days),
            )
    return invitation


def invitation_remind(*, invitation_id: int) -> dict[str, int]:
    """The reminder: once, to the invited contacts without a complete response (the job's
    body; safe to run twice)."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("survey__entity")
            .get(pk=invitation_id)
        )
        if invitation.reminded_at or invitation.survey.status != Survey.Status.OPEN:
            return {"reminded": 0}
        invited = OutboundMessage.objects.filter(dispatch_id=invitation.dispatch_id).values(
            "contact_id"
        )
        done = Response.objects.filter(
            survey=invitation.survey, status=Response.Status.COMPLETE, contact__isnull=False
        ).values("contact_id")
        pending = Contact.objects.filter(pk__in=invited).exclude(pk__in=done)
        dispatch, added = _send(invitation, pending, reminder=True, by=None)
        invitation.reminder, invitation.reminded, invitation.reminded_at = (
            dispatch,
            added,
            timezone.now(),
        )
        invitation.save(update_fields=["reminder", "reminded", "reminded_at"])
    return {"reminded": added}
