"""Perception surveys by SMS and WhatsApp: one question a message, through the surveys app's
answering engine (``urna.surveys.services``).

``ENCUESTA <código>`` starts (or resumes) the survey with that code on the number's channel;
``ENCUESTA`` alone lists the open ones. While a survey session is active, every message is the
answer to the question last asked (so ``1`` is an option, not a menu), until the last question
or ``SALIR``, which stops the survey only (or a day without answers: then ``ENCUESTA <código>``
resumes it). The conversation calls ``survey_turn`` first; ``None`` means the message is not
for a survey.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from urna.channels.addresses import phone_e164
from urna.channels.models import InboundMessage
from urna.channels.registry import Outcome
from urna.channels.text import clip, first_word, plain
from urna.contacts.models import Contact
from urna.core.channels import Channel
from urna.core.errors import DomainError
from urna.surveys.models import Survey
from urna.surveys.selectors import surveys_open
from urna.surveys.services import (
    survey_answer,
    survey_next_prompt,
    survey_open_by_code,
    survey_session_active,
    survey_session_start,
    survey_stop,
)

KEYWORDS = {"ENCUESTA", "ENCUESTAS"}
# A survey left unanswered this long no longer takes every message as its answer (the number
# is back in the conversation); ENCUESTA <código> resumes it where it was.
SESSION_IDLE = timedelta(hours=24)
Result = InboundMessage.Result
LIST_SIZE = 5


def _reply(message: InboundMessage, text: str, result: str = Result.MENU) -> Outcome:
    if message.channel == Channel.SMS:
        text = plain(text)
    return Outcome(reply=text, result=result)


def _contact(message: InboundMessage) -> Contact | None:
    """The number's contact if Urna already has one (a survey never creates a contact)."""
    phone = phone_e164(message.sender)
    return Contact.objects.filter(phone=phone).first() if phone else None


def _list(message: InboundMessage) -> Outcome:
    surveys = surveys_open(message.channel)[:LIST_SIZE]
    if not surveys:
        return _reply(message, _("No hay encuestas abiertas ahora."))
    lines = [_("Encuestas abiertas:")]
    lines += [f"ENCUESTA {s.code.upper()}: {clip(s.label, 50)}" for s in surveys]
    lines.append(_("Escriba ENCUESTA y el código para responder."))
    return _reply(message, "\n".join(lines))


def _start(message: InboundMessage, code: str) -> Outcome:
    survey = survey_open_by_code(code, message.channel)
    if survey is None:
        missing = _("No hay una encuesta abierta con el código %(code)s.") % {
            "code": clip(code, 20)
        }
        return _reply(message, f"{missing} {_('Escriba ENCUESTA para ver las abiertas.')}")
    try:
        session = survey_session_start(
            survey=survey,
            channel=message.channel,
            address=message.sender,
            contact=_contact(message),
        )
    except DomainError as error:
        return _reply(message, error.message, Result.REJECTED)
    intro = _("Encuesta «%(title)s». Responda una pregunta por mensaje; SALIR para terminar.") % {
        "title": clip(survey.label, 60)
    }
    return _reply(message, f"{intro}\n{survey_next_prompt(session)}")


def survey_turn(message: InboundMessage) -> Outcome | None:
    """The reply when the message starts a survey or answers the number's active one."""
    if message.channel not in (Channel.SMS, Channel.WHATSAPP):
        return None
    word, rest = first_word(message.body)
    if word in KEYWORDS:
        return _start(message, rest) if rest else _list(message)
    session = survey_session_active(message.channel, message.sender)
    if session is None or timezone.now() - session.response.updated_at > SESSION_IDLE:
        return None
    if session.response.survey.status != Survey.Status.OPEN:
        survey_stop(session)
        return _reply(message, _("Esta encuesta ya cerró. Gracias por su tiempo."))
    try:
        return _reply(message, survey_answer(session, message.body))
    except DomainError:
        return None  # the survey had already ended: the message is for the conversation
