"""Contacts: created only with consent, opt-out, access and erasure (Ley 1581 de 2012).

A contact's address is also copied outside the ``Contact`` row: the raw channel messages it sent
(``channels``), the outbox (``messaging``), and the contributions and queries it is linked to.
Those apps register a ``PersonalDataHolder`` (``urna.core.personal_data``) in their
``AppConfig.ready()``, so the citizen's rights of access and suppression reach every copy without
this app importing them. The registry's names are re-exported here for the apps that always
found them here.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.services import phone_normalise
from urna.audit.services import audit_record
from urna.contacts.models import Contact
from urna.contacts.selectors import contact_addresses, contact_for_address
from urna.contacts.selectors import contact_export as contact_export
from urna.core import ratelimit
from urna.core.errors import InvalidInput, RateLimited
from urna.core.personal_data import PERSONAL_DATA_HOLDERS as PERSONAL_DATA_HOLDERS
from urna.core.personal_data import PersonalDataHolder as PersonalDataHolder
from urna.core.personal_data import address_forms, holders_erase
from urna.core.personal_data import address_match as address_match
from urna.core.personal_data import in_chunks as in_chunks
from urna.core.personal_data import mask as mask
from urna.core.personal_data import personal_data_expire as personal_data_expire
from urna.core.personal_data import register_personal_data as register_personal_data
from urna.core.personal_data import retention_days as retention_days
from urna.messaging.services import message_queue

CONSENT_VERSION = "2026-01"


@dataclass(frozen=True)
class ContactDetails:
    """Contact details a citizen gave with a submission, from any channel."""

    phone: str = ""
    email: str = ""
    handle: str = ""
    name: str = ""
    consent: bool = False
    # Separate, explicit opt-in to the CRM's campaigns (never implied by a submission).
    campaigns: bool = False

    @property
    def empty(self) -> bool:
        return not (self.phone.strip() or self.email.strip() or self.handle.strip())


def contact_from_details(details: "ContactDetails | None", *, channel: str) -> "Contact | None":
    """The Contact for details given with a submission (None when none were given)."""
    if details is None or details.empty:
        return None
    return contact_get_or_create(
        phone=details.phone,
        email=details.email,
        handle=details.handle,
        name=details.name,
        consent=details.consent,
        campaigns=details.campaigns,
        channel=channel,
    )


def email_normalise(raw: str) -> str:
    email = raw.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(_("El correo electrónico no es válido."), field="email") from exc
    return email


def contact_get_or_create(
    *,
    phone: str = "",
    email: str = "",
    handle: str = "",
    name: str = "",
    consent: bool,
    channel: str,
    campaigns: bool = False,
) -> Contact | None:
    """The contact for a phone, email or social handle, created or updated with consent.

    Returns None when no contact detail was given. Raises InvalidInput when details were given
    without consent: Urna never stores a citizen's contact without their authorisation.
    """
    phone = phone_normalise(phone) if phone and phone.strip() else ""
    email = email_normalise(email) if email and email.strip() else ""
    handle = handle.strip()
    if not (phone or email or handle):
        return None
    if not consent:
        raise InvalidInput(
            _(
                "Para guardar su contacto debe autorizar el tratamiento de sus datos personales "
                "(Ley 1581 de 2012)."
            ),
            field="consent",
        )
    lookup = {"phone": phone} if phone else {"email": email} if email else {"handle": handle}
    now = timezone.now()
    for _attempt in range(2):
        contact = Contact.objects.filter(**lookup).first()
        if contact is not None:
            updates = {"consent_at": now, "consent_channel": channel}
            if campaigns:
                updates["campaign_consent_at"] = now
            updates["consent_version"] = CONSENT_VERSION
            if email and not contact.email and not Contact.objects.filter(email=email).exists():
                updates["email"] = email
            if name and not contact.name:
                updates["name"] = name[:150]
            Contact.objects.filter(pk=contact.pk).update(**updates)
            return contact
        try:
            with transaction.atomic():
                return Contact.objects.create(
                    phone=phone or None,
                    email=email or None,
                    handle=handle or None,
                    name=name[:150],
                    consent_at=now,
                    consent_channel=channel,
                    consent_version=CONSENT_VERSION,
                    campaign_consent_at=now if campaigns else None,
                )
        except IntegrityError:  # a concurrent request created it; read it on the next turn
            continue
    return Contact.objects.get(**lookup)


def contact_opt_out(*, contact: Contact, channel: str = "") -> Contact:
    """Stop campaigns to this contact. Answers to the citizen's own requests still go out."""
    if contact.opted_out_at is None:
        with transaction.atomic():
            Contact.objects.filter(pk=contact.pk).update(opted_out_at=timezone.now())
            audit_record(
                action="contact.opt_out", obj=contact, actor_label=f"citizen:{channel or 'web'}"
            )
        contact.refresh_from_db()
    return contact


def contact_erase(*, contact: Contact, by: Any = None, channel: str = "web") -> Contact:
    """Delete a citizen's personal data (right of suppression), in the contact row and in every
    registered copy (raw messages, the outbox). Contributions and queries stay, without the
    link to the person: they are part of a public record. History keeps an empty row."""
    with transaction.atomic():
        touched = holders_erase(contact, contact_addresses(contact))
        now = timezone.now()
        Contact.objects.filter(pk=contact.pk).update(
            phone=None,
            email=None,
            handle=None,
            name="",
            erased_at=now,
            opted_out_at=contact.opted_out_at or now,
        )
        audit_record(
            action="contact.erase",
            obj=contact,
            actor=by,
            actor_label="" if by is not None else f"citizen:{channel}",
            after={"rows": touched},
        )
    contact.refresh_from_db()
    return contact


def address_erase(*, address: str, channel: str, trail: Any) -> dict[str, int]:
    """Erase what Urna holds for a normalised phone or email, asked from that address itself
    (an SMS from the phone). A citizen who only wrote in has raw messages but no contact row;
    ``trail`` is the object the audit entry hangs on then (the message that asked)."""
    contact = contact_for_address(address)
    if contact is not None:
        contact_erase(contact=contact, channel=channel)
        return {}
    with transaction.atomic():
        touched = holders_erase(None, address_forms(address))
        audit_record(
            action="contact.erase",
            obj=trail,
            actor_label=f"citizen:{channel}",
            after={"rows": touched},
        )
    return touched


# --- The rights of a citizen without an account ------------------------------------------------
# A one-time code sent to the phone or email proves the address is theirs. Nothing is stored
# server-side: the code is an HMAC of the address and a random nonce kept in the citizen's session.

RIGHTS_CODE_MINUTES = 15
RIGHTS_CODE_ATTEMPTS = 5
RIGHTS_CODE_RATE = "3/3600"  # codes sent to one address in an hour (each SMS costs money)
# Codes asked from one network address in an hour: generous (carrier NAT, a community internet
# point), but it stops one machine from pumping SMS to a list of numbers.
RIGHTS_CODE_NETWORK_RATE = "30/3600"


def address_normalise(raw: str) -> str:
    """A phone (E.164) or an email typed by a citizen, normalised; InvalidInput otherwise."""
    raw = (raw or "").strip()
    if not raw:
        raise InvalidInput(_("Escriba su celular o su correo electrónico."), field="address")
    try:
        return email_normalise(raw) if "@" in raw else phone_normalise(raw)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="address") from exc


def rights_code(address: str, nonce: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"contact-rights:{address}:{nonce}".encode(), hashlib.sha256
    ).digest()
    return f"{int.from_bytes(digest[:8]) % 1_000_000:06d}"


def rights_code_send(*, address: str, ip: str | None = None) -> str:
    """Send a one-time code to the address when Urna holds a contact for it, and return the
    nonce for the citizen's session. The answer is the same whether or not a contact exists,
    so the form does not reveal who took part."""
    if ip and not ratelimit.hit("contact-rights-ip", ip, RIGHTS_CODE_NETWORK_RATE):
        raise RateLimited(
            _("Se han pedido muchos códigos desde esta red. Espere una hora."), field="address"
        )
    if not ratelimit.hit("contact-rights", address, RIGHTS_CODE_RATE):
        raise RateLimited(
            _("Ya le enviamos varios códigos. Espere una hora antes de pedir otro."),
            field="address",
        )
    nonce = secrets.token_urlsafe(16)
    contact = contact_for_address(address)
    if contact is not None:
        body = _(
            "Urna: su código para consultar o borrar sus datos personales es %(code)s. Vence en "
            "%(minutes)s minutos. Si usted no lo pidió, ignore este mensaje."
        ) % {"code": rights_code(address, nonce), "minutes": RIGHTS_CODE_MINUTES}
        message_queue(
            channel="email" if "@" in address else "sms",
            to=address,
            body=body,
            subject=_("Su código para consultar sus datos en Urna"),
            contact=contact,
        )
    return nonce


def rights_code_check(*, address: str, nonce: str, code: str) -> Contact | None:
    """The contact when the code is right for this address and nonce, else None.

    Each try is counted against the code (its nonce) before it is checked, in one atomic step
    of the rate-limit store: concurrent requests of one session cannot get more than
    ``RIGHTS_CODE_ATTEMPTS`` tries. Past them, RateLimited, even for the right code.
    """
    tries = f"{RIGHTS_CODE_ATTEMPTS}/{RIGHTS_CODE_MINUTES * 60}"
    if not ratelimit.hit("contact-rights-try", nonce, tries):
        raise RateLimited(_("El código venció o se agotaron los intentos. Pida otro."))
    expected = rights_code(address, nonce)
    if not hmac.compare_digest(expected, "".join((code or "").split())):
        return None
    return contact_for_address(address)
