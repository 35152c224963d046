"""An inbound email becomes a contribution (an exercise's code in the subject or the address)
or, otherwise, a question to the government; the citizen gets an email with the receipt."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from urna.channels import intake
from urna.channels.models import InboundAttachment, InboundMessage, Provider
from urna.channels.providers.email.parser import exercise_code, parse_mail
from urna.channels.registry import Outcome
from urna.channels.services import inbound_process, inbound_store
from urna.contacts.services import ContactDetails
from urna.core.channels import Channel
from urna.core.errors import DomainError

Result = InboundMessage.Result
Status = InboundMessage.Status


def mail_store(raw: bytes) -> tuple[InboundMessage, bool]:
    """Store one raw email (and its accepted attachments); a second copy stores nothing."""
    parsed = parse_mail(raw)
    message_id = parsed.message_id or hashlib.sha256(raw).hexdigest()
    with transaction.atomic():
        message, created = inbound_store(
            provider=Provider.EMAIL,
            provider_message_id=message_id,
            sender=parsed.sender,
            recipient=parsed.recipient,
            body=parsed.text,
            payload=raw.decode("utf-8", "replace"),
            headers={"subject": parsed.subject, "refused": ", ".join(parsed.refused)},
            status=Status.IGNORED if parsed.auto_reply or not parsed.sender else Status.RECEIVED,
        )
        if created:
            for attachment in parsed.attachments:
                record = InboundAttachment(
                    message=message,
                    filename=attachment.filename,
                    content_type=attachment.content_type,
                    size=len(attachment.content),
                )
                record.file.save(attachment.filename, ContentFile(attachment.content), save=True)
    return message, created


def mail_receive(raw: bytes) -> InboundMessage:
    message, _created = mail_store(raw)
    if message.status == Status.RECEIVED:
        inbound_process(message_id=message.pk)
        message.refresh_from_db()
    return message


def email_handle(message: InboundMessage) -> Outcome:
    subject = message.headers.get("subject", "")
    text = message.body.strip() or subject
    contact = ContactDetails(email=message.sender, consent=True)
    key = intake.idempotency_key(message.provider, message.provider_message_id)
    reply_subject = _("Re: %(subject)s") % {"subject": subject} if subject else _("Urna")
    card = next(
        (c for c in map(intake.card_by_code, exercise_code(subject, message.recipient)) if c),
        None,
    )
    try:
        if card is not None:
            result = intake.contribute(
                exercise_id=card.id,
                kind="opinion",
                text=text,
                channel=Channel.EMAIL,
                key=key,
                contact=contact,
            )
            receipt, kind = result.contribution.receipt, Result.CONTRIBUTION
            reply = _(
                "Gracias por su aporte al ejercicio «%(title)s». Su recibo es %(receipt)s: "
                "con él puede consultar su estado en Urna."
            ) % {"title": card.title, "receipt": receipt}
        else:
            result = intake.ask(text=text, channel=Channel.EMAIL, key=key, contact=contact)
            # The queries app acknowledges email queries itself, with the receipt.
            return Outcome(result=Result.QUERY, receipt=result.query.receipt)
    except DomainError as error:
        return Outcome(reply=error.message, subject=reply_subject, result=Result.REJECTED)
    refused = message.headers.get("refused", "")
    if refused:
        reply += "\n\n" + _("No guardamos estos adjuntos (tipo, tamaño o cantidad): %(names)s.") % {
            "names": refused
        }
    return Outcome(reply=reply, subject=reply_subject, result=kind, receipt=receipt)
