"""Contacts: created only with consent, opt-out, access and erasure (Ley 1581 de 2012)."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.services import phone_normalise
from urna.audit.services import audit_record
from urna.contacts.models import Contact
from urna.core.errors import InvalidInput

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


def contact_export(*, contact: Contact) -> dict[str, Any]:
    """Everything Urna holds about a contact (the citizen's right of access)."""
    return {
        "phone": contact.phone,
        "email": contact.email,
        "name": contact.name,
        "handle": contact.handle,
        "consent_at": contact.consent_at.isoformat() if contact.consent_at else None,
        "consent_channel": contact.consent_channel,
        "campaign_consent_at": (
            contact.campaign_consent_at.isoformat() if contact.campaign_consent_at else None
        ),
        "opted_out_at": contact.opted_out_at.isoformat() if contact.opted_out_at else None,
        "created_at": contact.created_at.isoformat(),
    }


def contact_erase(*, contact: Contact, by: Any = None) -> Contact:
    """Delete a citizen's personal data (right of suppression); history keeps an empty row."""
    with transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(
            phone=None,
            email=None,
            handle=None,
            name="",
            erased_at=timezone.now(),
            opted_out_at=timezone.now(),
        )
        audit_record(action="contact.erase", obj=contact, actor=by, actor_label="citizen")
    contact.refresh_from_db()
    return contact


def mask(address: str) -> str:
    """'+573001234567' → '+57300•••4567' for logs and staff lists."""
    if not address:
        return ""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}•••@{domain}"
    return f"{address[:6]}•••{address[-4:]}" if len(address) > 10 else "•••"
