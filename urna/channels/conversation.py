"""The SMS and WhatsApp conversation: keywords, numbered menus, and what each one does.

Keywords are matched without regard to case or accents:

- ``<CODE> <texto>`` contributes to the open exercise with that short code (``<CODE> <n>``
  answers its first closed question with option n);
- ``PREGUNTA <texto>`` puts a question (a petition) to the government;
- ``ESTADO <recibo>`` answers with the receipt's status;
- ``EJERCICIOS`` lists the open exercises; ``AYUDA`` says what to do;
- ``UNIRME`` subscribes the number to the government's information (campaigns) on the channel
  it wrote by, the message itself being the evidence; ``SALIR`` / ``STOP`` withdraws it (and
  surveys) on that channel;
- ``ENCUESTA <código>`` answers a perception survey one question a message
  (``urna.channels.surveys``; while it lasts every message is an answer, ``SALIR`` stops it);
- ``DELIBERAR <código>`` votes on a deliberation's statements one a message
  (``urna.channels.deliberation``; 1/2/3 while it lasts, ``SALIR`` stops it);
- ``BORRAR``, confirmed with ``SI``, erases what Urna holds for the number (Ley 1581 de 2012):
  the citizen's right of suppression from a basic phone, the phone itself proving who asks.

A keyword without its text (``PREGUNTA`` alone) asks for it, and the next message is taken as
that text. WhatsApp shows numbered menus (``1`` … ``5``) for the same actions; SMS accepts the
numbers too after a list. Anything else gets a short help reply and is kept for staff to route.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from urna.channels import intake
from urna.channels.addresses import contact_for, phone_e164
from urna.channels.deliberation import deliberation_turn
from urna.channels.models import Conversation, InboundMessage
from urna.channels.registry import Outcome
from urna.channels.services import reply_provider
from urna.channels.surveys import survey_turn
from urna.channels.text import clip, first_word, fold, plain
from urna.contacts.consent import bits as consent_bits
from urna.contacts.models import ConsentEvent, Contact, Purpose
from urna.contacts.services import (
    address_erase,
    consent_grant,
    contact_get_or_create,
    contact_opt_out,
)
from urna.core.channels import Channel
from urna.core.errors import DomainError

Result = InboundMessage.Result
Status = InboundMessage.Status

HELP_WORDS = {"AYUDA", "MENU", "HOLA", "INICIO", "INFO", "HELP", "BUENAS", "BUENOS"}
OPT_OUT_WORDS = {"SALIR", "STOP", "BAJA", "PARAR", "CANCELAR", "UNSUBSCRIBE"}
OPT_IN_WORDS = {"UNIRME", "UNIRSE", "SUSCRIBIR", "SUSCRIBIRME", "ALTA", "START"}
LIST_WORDS = {"EJERCICIOS", "CONSULTAS", "LISTA"}
ERASE_WORDS = {"BORRAR", "BORRARME", "ELIMINAR", "SUPRIMIR"}
YES_WORDS = {"SI", "S"}
STATE_TTL = timedelta(minutes=30)
LIST_SIZE = 9


def sms_text(text: str, channel: str) -> str:
    return plain(text) if channel in {Channel.SMS, Channel.USSD} else text


class Dialogue:
    def __init__(self, message: InboundMessage):
        self.message = message
        self.channel = message.channel
        self.menus = message.channel == Channel.WHATSAPP
        self.conversation, _created = Conversation.objects.get_or_create(
            channel=message.channel, address=message.sender[:254]
        )
        fresh = timezone.now() - self.conversation.updated_at < STATE_TTL
        self.state = self.conversation.state if fresh else ""
        self.data = dict(self.conversation.data) if fresh else {}

    def save(self, state: str = "", **data) -> None:
        Conversation.objects.filter(pk=self.conversation.pk).update(
            state=state, data=data, updated_at=timezone.now()
        )

    def outcome(self, reply: str, *, result: str, status: str = Status.PROCESSED, receipt=""):
        return Outcome(
            status=status, result=result, receipt=receipt, reply=sms_text(reply, self.channel)
        )

    # --- what the citizen asked for ---------------------------------------------------------
    def help(self, *, status: str = Status.PROCESSED) -> Outcome:
        if self.menus:
            self.save("menu")
            text = _(
                "Hola, esto es Urna. Responda con un número:\n1 Ver ejercicios abiertos\n"
                "2 Preguntar al gobierno\n3 Consultar un recibo\n4 No recibir más campañas\n"
                "5 Borrar mis datos"
            )
        else:
            self.save()
            text = _(
                "Urna: CODIGO y su opinión para opinar; PREGUNTA y su texto para preguntar; "
                "ESTADO y su recibo; EJERCICIOS para ver los abiertos; SALIR para no recibir "
                "campañas."
            )
        return self.outcome(text, result=Result.HELP, status=status)

    def list_open(self) -> Outcome:
        cards = intake.open_exercises()[:LIST_SIZE]
        if not cards:
            self.save()
            return self.outcome(_("No hay ejercicios abiertos ahora."), result=Result.MENU)
        self.save("list", ids=[card.id for card in cards])
        lines = [_("Ejercicios abiertos:")]
        lines += [f"{n} {card.code} {clip(card.title, 40)}" for n, card in enumerate(cards, 1)]
        lines.append(_("Responda con el número, o escriba CODIGO y su opinión."))
        return self.outcome("\n".join(lines), result=Result.MENU)

    def pick(self, card: intake.Card) -> Outcome:
        self.save("opinion", exercise=card.id)
        text = _("%(code)s: %(summary)s Escriba su opinión en un mensaje.") % {
            "code": card.code,
            "summary": clip(card.summary, 200),
        }
        return self.outcome(text, result=Result.MENU)

    def contribute(self, card: intake.Card, text: str) -> Outcome:
        self.save()
        kind, question_id, choice = "opinion", None, None
        if card.questions and text.strip().isdigit():
            kind, question_id, choice = "answer", card.questions[0].id, text.strip()
            text = ""
        try:
            result = intake.contribute(
                exercise_id=card.id,
                kind=kind,
                text=text,
                channel=self.channel,
                question_id=question_id,
                choice=choice,
                contact=contact_for(self.message),
                key=intake.idempotency_key(self.message.provider, self.message.provider_message_id),
            )
        except DomainError as error:
            return self.outcome(error.message, result=Result.REJECTED)
        receipt = result.contribution.receipt
        reply = _(
            "Gracias. Recibimos su aporte a %(code)s. Recibo: %(receipt)s. "
            "Consulte con ESTADO %(receipt)s."
        ) % {"code": card.code, "receipt": receipt}
        return self.outcome(reply, result=Result.CONTRIBUTION, receipt=receipt)

    def ask(self, text: str) -> Outcome:
        self.save()
        try:
            result = intake.ask(
                text=text,
                channel=self.channel,
                contact=contact_for(self.message),
                key=intake.idempotency_key(self.message.provider, self.message.provider_message_id),
                reply_provider=reply_provider(self.message.provider, self.message.channel),
            )
        except DomainError as error:
            return self.outcome(error.message, result=Result.REJECTED)
        receipt = result.query.receipt
        reply = _(
            "Recibimos su pregunta. Recibo: %(receipt)s. La entidad le responderá en el plazo "
            "de ley. Consulte con ESTADO %(receipt)s."
        ) % {"receipt": receipt}
        return self.outcome(reply, result=Result.QUERY, receipt=receipt)

    def status(self, code: str) -> Outcome:
        self.save()
        line = intake.receipt_status(code)
        if line is None:
            self.save("receipt")
            reply = _("No encontramos el recibo %(code)s. Revíselo y escríbalo otra vez.") % {
                "code": clip(code, 20)
            }
            return self.outcome(reply, result=Result.STATUS)
        return self.outcome(line, result=Result.STATUS)

    def opt_out(self) -> Outcome:
        self.save()
        phone = phone_e164(self.message.sender)
        contact = Contact.objects.filter(phone=phone).first() if phone else None
        if contact is not None:
            contact_opt_out(
                contact=contact, channel=self.channel, evidence=f"inbound:{self.message.pk}"
            )
        reply = _(
            "Listo: no recibirá más campañas de Urna. Las respuestas a sus preguntas le seguirán "
            "llegando."
        )
        return self.outcome(reply, result=Result.OPT_OUT)

    def opt_in(self) -> Outcome:
        """UNIRME: the number asks for the government's information by the channel it wrote
        by. The inbound message is the evidence of the consent (Ley 1581, art. 9)."""
        self.save()
        phone = phone_e164(self.message.sender)
        channel = self.channel if self.channel in (Channel.SMS, Channel.WHATSAPP) else Channel.SMS
        if phone:
            contact = contact_get_or_create(phone=phone, consent=True, channel=self.channel)
            consent_grant(
                contact=contact,
                scope=consent_bits([Purpose.CAMPAIGNS], [channel]),
                via=ConsentEvent.Via.KEYWORD,
                channel=self.channel,
                evidence=f"inbound:{self.message.pk}",
            )
        reply = _(
            "Listo: recibirá información del Gobierno por este medio. Para dejar de recibirla, "
            "responda SALIR en cualquier momento."
        )
        return self.outcome(reply, result=Result.OPT_IN)

    def erase_ask(self) -> Outcome:
        self.save("erase")
        reply = _(
            "Urna: para borrar su número y los mensajes que nos ha enviado (Ley 1581 de 2012), "
            "responda SI. Sus aportes y preguntas se conservan sin datos que lo identifiquen."
        )
        return self.outcome(reply, result=Result.MENU)

    def erase(self) -> Outcome:
        phone = phone_e164(self.message.sender)
        if not phone:
            return self.help()
        address_erase(address=phone, channel=self.channel, trail=self.message)
        reply = _(
            "Listo: borramos su número y sus mensajes de Urna. No recibirá respuestas ni "
            "campañas. Este es el último mensaje que le enviamos."
        )
        return self.outcome(reply, result=Result.ERASE)

    def ask_for(self, state: str, prompt: str, **data) -> Outcome:
        self.save(state, **data)
        return self.outcome(prompt, result=Result.MENU)

    # --- routing ----------------------------------------------------------------------------
    def handle(self) -> Outcome:
        text = self.message.body.strip()
        word, rest = first_word(text)
        if not text:
            return self.help(status=Status.UNROUTED)
        if (survey := survey_turn(self.message)) is not None:
            self.save()
            return survey
        if (turn := deliberation_turn(self.message, self.state, self.data)) is not None:
            self.save(turn.state, **turn.data)
            return turn.outcome
        if word in HELP_WORDS:
            return self.help()
        if word in OPT_OUT_WORDS:
            return self.opt_out()
        if word in OPT_IN_WORDS and not rest:
            return self.opt_in()
        if word in ERASE_WORDS:
            return self.erase_ask()
        if self.state == "erase" and word in YES_WORDS and not rest:
            return self.erase()
        if word in LIST_WORDS:
            return self.list_open()
        if word == "PREGUNTA":
            return self.ask(rest) if rest else self.ask_for("question", _("Escriba su pregunta."))
        if word == "ESTADO":
            if rest:
                return self.status(rest)
            return self.ask_for("receipt", _("Escriba el código de su recibo."))
        card = intake.card_by_code(word) if len(word) <= 12 else None
        if card is not None:
            return self.contribute(card, rest) if rest else self.pick(card)
        return self.by_state(text, word)

    def by_state(self, text: str, word: str) -> Outcome:
        state = self.state
        if state == "question":
            return self.ask(text)
        if state == "receipt":
            return self.status(text)
        if state == "opinion":
            card = intake.card_by_id(self.data.get("exercise", 0))
            if card is not None:
                return self.contribute(card, text)
        if word.isdigit() and state == "menu":
            choice = int(word)
            if choice == 1:
                return self.list_open()
            if choice == 2:
                return self.ask_for("question", _("Escriba su pregunta."))
            if choice == 3:
                return self.ask_for("receipt", _("Escriba el código de su recibo."))
            if choice == 4:
                return self.opt_out()
            if choice == 5:
                return self.erase_ask()
        if word.isdigit() and state == "list":
            ids = self.data.get("ids", [])
            index = int(word) - 1
            card = intake.card_by_id(ids[index]) if 0 <= index < len(ids) else None
            if card is not None:
                return self.pick(card)
        if fold(text)[:3] in {"UC-", "PQ-"}:
            return self.status(text)
        return self.help(status=Status.UNROUTED)


def conversation_handle(message: InboundMessage) -> Outcome:
    """The handler of SMS (Twilio, Africa's Talking) and WhatsApp messages."""
    return Dialogue(message).handle()
