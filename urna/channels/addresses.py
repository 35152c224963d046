"""A citizen's address as a provider gives it: the phone number behind it, the contact it makes."""

from urna.accounts.services import phone_normalise
from urna.channels.models import InboundMessage
from urna.contacts.services import ContactDetails
from urna.core.errors import DomainError


def phone_e164(raw: str) -> str:
    """E.164 for a provider's address ('whatsapp:+57…', '57300…'), or '' if not a phone."""
    value = raw.removeprefix("whatsapp:").strip()
    if value.isdigit() and len(value) > 10:
        value = f"+{value}"  # WhatsApp Cloud API sends numbers without '+'
    try:
        return phone_normalise(value)
    except DomainError:
        return ""


def contact_for(message: InboundMessage) -> ContactDetails | None:
    """The citizen's phone, kept to answer them: writing to Urna from it is the authorisation
    the help and confirmation texts announce (Ley 1581 de 2012)."""
    phone = phone_e164(message.sender)
    return ContactDetails(phone=phone, consent=True) if phone else None
