"""Choosing what to receive: the unsubscribe link (RFC 8058), the web preferences, subscribing
with a code, and consent recorded by an operator or an entity's system."""

from collections.abc import Iterable
from typing import Any

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from urna.accounts.services import phone_normalise
from urna.contacts.consent import CHANNELS as CONSENT_CHANNELS
from urna.contacts.consent import bit as consent_bit
from urna.contacts.consent import bits as consent_bits
from urna.contacts.models import (
    ConsentChannel,
    ConsentEvent,
    Contact,
    ContactInterest,
    Purpose,
)
from urna.contacts.selectors import contact_for_address
from urna.contacts.services.consents import consent_grant, consent_revoke
from urna.contacts.services.people import contact_get_or_create, email_normalise
from urna.core.errors import InvalidInput
from urna.core.links import absolute_url
from urna.territory.models import Department

# --- Choosing what to receive: the unsubscribe link, the web, an operator ----------------------

UNSUBSCRIBE_SALT = "urna.contacts.unsubscribe"


def unsubscribe_token(contact_id: int, channel: str, purpose: str) -> str:
    """A signed, non-expiring token naming one contact, channel and purpose: a link in an
    email from last year must still stop the next one."""
    return signing.dumps([contact_id, channel, purpose], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(contact_id: int, channel: str, purpose: str) -> str:
    token = unsubscribe_token(contact_id, channel, purpose)
    return absolute_url(reverse("contacts:unsubscribe", args=[token]))


def unsubscribe_read(token: str) -> tuple[Contact, str, str] | None:
    """(contact, channel, purpose) of a valid token; None when forged, or when the contact was
    erased or merged away (then nothing is left to stop, or the merged one's link is used)."""
    try:
        contact_id, channel, purpose = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if channel not in CONSENT_CHANNELS or purpose not in Purpose.values:
        return None
    contact = Contact.objects.filter(pk=contact_id, erased_at=None).first()
    while contact is not None and contact.merged_into_id:
        contact = Contact.objects.filter(pk=contact.merged_into_id, erased_at=None).first()
    if contact is None:
        return None
    return contact, channel, purpose


def unsubscribe_apply(token: str, *, one_click: bool = False) -> tuple[Contact, str, str] | None:
    """Withdraw the consent a link names (RFC 8058 one-click from a mail client, or the button
    on the page the link opens). Doing it twice changes nothing."""
    found = unsubscribe_read(token)
    if found is None:
        return None
    contact, channel, purpose = found
    scope = consent_bit(purpose, channel)
    if contact.consents & scope:
        consent_revoke(
            contact=contact,
            scope=scope,
            via=ConsentEvent.Via.LINK,
            channel=channel,
            evidence="List-Unsubscribe one-click" if one_click else "enlace de baja",
        )
    return found


def preferences_save(
    *, contact: Contact, chosen: set[tuple[str, str]], offered: list[tuple[str, str]]
) -> Contact:
    """Apply the boxes a verified citizen ticked on the web: grant what was added, withdraw
    what was removed, each as its own recorded act."""
    offered_bits = consent_bits_of(offered)
    wanted = consent_bits_of(chosen) & offered_bits
    now_bits = contact.consents & offered_bits
    evidence = _("código de verificación enviado a su dirección")
    if wanted & ~now_bits:
        contact = consent_grant(
            contact=contact,
            scope=wanted & ~now_bits,
            via=ConsentEvent.Via.WEB,
            channel="web",
            evidence=evidence,
        )
    if now_bits & ~wanted:
        contact = consent_revoke(
            contact=contact,
            scope=now_bits & ~wanted,
            via=ConsentEvent.Via.WEB,
            channel="web",
            evidence=evidence,
        )
    return contact


def consent_bits_of(chosen: Iterable[tuple[str, str]]) -> int:
    value = 0
    for purpose, channel in chosen:
        value |= consent_bit(purpose, channel)
    return value


def channels_of(contact: Contact) -> list[str]:
    """The channels Urna can reach this contact by."""
    channels = []
    if contact.phone:
        channels += [ConsentChannel.SMS.value, ConsentChannel.WHATSAPP.value]
    if contact.email:
        channels.append(ConsentChannel.EMAIL.value)
    return channels


def subscribe_confirmed(
    *,
    address: str,
    purposes: list[str],
    department_code: str = "",
    name: str = "",
    channel: str = "web",
) -> Contact:
    """A citizen who proved an address is theirs (a code sent to it) asks to receive the
    government's information there: the contact is created or found and the consent recorded
    with its evidence."""
    is_email = "@" in address
    contact = contact_get_or_create(
        phone="" if is_email else address,
        email=address if is_email else "",
        name=name,
        consent=True,
        channel=channel,
        answers=False,
    )
    target = [ConsentChannel.EMAIL] if is_email else [ConsentChannel.SMS]
    contact = consent_grant(
        contact=contact,
        scope=consent_bits(purposes, target),
        via=ConsentEvent.Via.WEB if channel == "web" else ConsentEvent.Via.API,
        channel=channel,
        evidence=_("código de verificación enviado a su dirección"),
    )
    if department_code:
        department = Department.objects.filter(code=department_code).first()
        if department is not None:
            Contact.objects.filter(pk=contact.pk, department=None).update(department=department)
            ContactInterest.objects.get_or_create(
                contact=contact, kind=ContactInterest.Kind.DEPARTMENT, value=department.code
            )
    return contact


def operator_consent_record(
    *,
    by: Any,
    action: str,
    purposes: list[str],
    channels: list[str],
    evidence: str,
    phone: str = "",
    email: str = "",
    via: str = ConsentEvent.Via.OPERATOR,
) -> Contact:
    """Consent given or withdrawn on a recorded call (or by an entity's system through the
    API), entered by a staff member: the recording's reference is the evidence, required."""
    if not evidence.strip():
        raise InvalidInput(
            _("Escriba la referencia de la grabación o del soporte de la autorización."),
            field="evidence",
        )
    scope = consent_bits(purposes, channels)
    if not scope:
        raise InvalidInput(_("Elija al menos un propósito y un canal."), field="purposes")
    if action == ConsentEvent.Action.GRANT:
        contact = contact_get_or_create(
            phone=phone,
            email=email,
            consent=True,
            channel="phone" if via == ConsentEvent.Via.OPERATOR else via,
            answers=False,
        )
        if contact is None:
            raise InvalidInput(_("Escriba el celular o el correo del ciudadano."), field="phone")
        return consent_grant(
            contact=contact, scope=scope, via=via, channel="phone", evidence=evidence, actor=by
        )
    phone = phone_normalise(phone) if phone.strip() else ""
    email = email_normalise(email) if email.strip() else ""
    contact = contact_for_address(phone) if phone else None
    contact = contact or (contact_for_address(email) if email else None)
    if contact is None:
        raise InvalidInput(_("No hay un contacto con ese celular o correo."), field="phone")
    return consent_revoke(
        contact=contact, scope=scope, via=via, channel="phone", evidence=evidence, actor=by
    )
