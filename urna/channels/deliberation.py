"""Deliberation (``urna.deliberation``) by SMS and WhatsApp: one statement a message.

``DELIBERAR <código>`` (the exercise's short code) starts or resumes the deliberation on that
exercise; ``DELIBERAR`` alone lists the open ones. Each reply shows one statement with its
number, and the citizen answers 1 (de acuerdo), 2 (en desacuerdo) or 3 (paso) — or the words.
While the session lasts (the conversation's state, 30 minutes without messages) every message is
a vote on the statement last shown, until no statement is left or ``SALIR``, which stops the
deliberation only (no campaigns opt-out). USSD (``urna.channels.ussd.deliberation``) shows the
same statements one a screen through ``statement_screen``/``vote_step`` here.

The participant is the number's contact (created with the authorisation the help texts
announce): a person who also votes on the web with an account is two participants there, as
Urna links no phone to an account on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from urna.channels.addresses import phone_e164
from urna.channels.models import InboundMessage
from urna.channels.registry import Outcome
from urna.channels.text import clip, first_word, plain
from urna.contacts.services import contact_get_or_create
from urna.core.channels import Channel
from urna.core.errors import DomainError
from urna.deliberation import services
from urna.deliberation.models import Deliberation, Participant, Statement
from urna.deliberation.selectors import deliberation_by_code, deliberations_open, progress_for

KEYWORDS = {"DELIBERAR", "DELIBERACION", "DELIBERACIONES"}
STOP_WORDS = {"SALIR", "STOP", "PARAR", "TERMINAR"}
STATE = "deliberation"
LIST_SIZE = 5
Result = InboundMessage.Result


@dataclass
class Turn:
    """A reply and the conversation state to keep (``STATE`` while the session lasts)."""

    outcome: Outcome
    state: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def participant_for(deliberation: Deliberation, message: InboundMessage) -> Participant | None:
    """The number's participant in the deliberation (its contact created on first use)."""
    phone = phone_e164(message.sender)
    if not phone:
        return None
    contact = contact_get_or_create(
        phone=phone, consent=True, channel=message.channel, activity="deliberation"
    )
    return services.participant_get_or_create(deliberation=deliberation, contact=contact)


def statement_screen(participant: Participant, statement: Statement, width: int) -> str:
    """ "#12 (3/30) text", the text clipped to ``width`` characters."""
    progress = progress_for(participant)
    return f"#{statement.pk} ({progress.voted + 1}/{progress.published}) " + clip(
        statement.public_text, width
    )


def finished_text() -> str:
    return _("Gracias: ya votó todas las afirmaciones. Vea los grupos de opinión en la web.")


def vote_step(participant: Participant, raw: str, channel: str) -> str:
    """Cast ``raw`` on the statement last shown: '' when stored, or the Spanish reason it was
    refused (a statement hidden meanwhile, a closed deliberation, an answer not 1/2/3)."""
    try:
        services.vote_shown(participant=participant, raw=raw, channel=channel)
    except DomainError as error:
        return error.message
    return ""


def _reply(message: InboundMessage, text: str, result: str = Result.MENU) -> Outcome:
    if message.channel == Channel.SMS:
        text = plain(text)
    return Outcome(reply=text, result=result)


def _list(message: InboundMessage) -> Turn:
    found = deliberations_open(LIST_SIZE)
    if not found:
        return Turn(_reply(message, _("No hay deliberaciones abiertas ahora.")))
    lines = [_("Deliberaciones abiertas:")]
    coded = [d for d in found if d.exercise.code]
    lines += [f"DELIBERAR {d.exercise.code}: {clip(d.exercise.title, 50)}" for d in coded]
    lines.append(_("Escriba DELIBERAR y el código para votar."))
    return Turn(_reply(message, "\n".join(lines)))


def _show(message: InboundMessage, participant: Participant, lead: str = "") -> Turn:
    statement = services.statement_show(participant)
    if statement is None:
        return Turn(_reply(message, f"{lead} {finished_text()}".strip()))
    text = "\n".join(
        line
        for line in (
            lead,
            statement_screen(participant, statement, 280),
            _("Responda 1 De acuerdo, 2 En desacuerdo o 3 Paso. SALIR para terminar."),
        )
        if line
    )
    data = {"deliberation": participant.deliberation_id}
    return Turn(_reply(message, text), state=STATE, data=data)


def _start(message: InboundMessage, code: str) -> Turn:
    deliberation = deliberation_by_code(code)
    if deliberation is None:
        missing = _("No hay una deliberación abierta con el código %(code)s.") % {
            "code": clip(code, 20)
        }
        return Turn(_reply(message, f"{missing} {_('Escriba DELIBERAR para ver las abiertas.')}"))
    participant = participant_for(deliberation, message)
    if participant is None:
        return Turn(_reply(message, _("Este canal no permite votar."), Result.REJECTED))
    intro = _("Deliberación: %(question)s") % {"question": clip(deliberation.question, 120)}
    return _show(message, participant, intro)


def _vote(message: InboundMessage, deliberation_id: int) -> Turn:
    deliberation = Deliberation.objects.select_related("exercise").filter(pk=deliberation_id)
    deliberation = deliberation.first()
    participant = participant_for(deliberation, message) if deliberation else None
    if participant is None:
        return Turn(_reply(message, _("Esta deliberación ya no está disponible.")))
    refused = vote_step(participant, message.body, message.channel)
    if refused and not services.deliberation_accepts_votes(deliberation):
        return Turn(_reply(message, refused, Result.REJECTED))
    turn = _show(message, participant, refused)
    if refused:
        turn.outcome = Outcome(reply=turn.outcome.reply, result=Result.REJECTED)
    return turn


def deliberation_turn(message: InboundMessage, state: str, data: dict[str, Any]) -> Turn | None:
    """The reply when the message starts a deliberation or votes in the number's session;
    None when it is not for a deliberation."""
    if message.channel not in (Channel.SMS, Channel.WHATSAPP):
        return None
    word, rest = first_word(message.body)
    if word in KEYWORDS:
        return _start(message, rest) if rest else _list(message)
    if state != STATE or not data.get("deliberation"):
        return None
    if word in STOP_WORDS and not rest:
        text = _(
            "Salió de la deliberación; sus votos quedan registrados. Escriba DELIBERAR y el "
            "código para seguir votando."
        )
        return Turn(_reply(message, text))
    return _vote(message, data["deliberation"])
