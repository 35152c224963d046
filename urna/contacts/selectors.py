"""Reads of contacts: the contact for an address, and everything Urna holds about one."""

from typing import Any

from urna.contacts.models import Contact
from urna.core.personal_data import address_forms, holders_export


def contact_for_address(address: str) -> Contact | None:
    """The (not erased) contact for a normalised address."""
    lookup = {"email": address} if "@" in address else {"phone": address}
    return Contact.objects.filter(erased_at__isnull=True, **lookup).first()


def contact_addresses(contact: Contact) -> list[str]:
    return address_forms(contact.phone, contact.email, contact.handle)


def contacts_live(ids: set[int]) -> Any:
    """The contacts among ``ids`` that are not erased."""
    return Contact.objects.filter(pk__in=ids, erased_at__isnull=True)


def contact_export(*, contact: Contact) -> dict[str, Any]:
    """Everything Urna holds about a contact (the citizen's right of access)."""
    data: dict[str, Any] = {
        "phone": contact.phone,
        "email": contact.email,
        "name": contact.name,
        "handle": contact.handle,
        "consent_at": contact.consent_at.isoformat() if contact.consent_at else None,
        "consent_channel": contact.consent_channel,
        "consent_version": contact.consent_version,
        "campaign_consent_at": (
            contact.campaign_consent_at.isoformat() if contact.campaign_consent_at else None
        ),
        "opted_out_at": contact.opted_out_at.isoformat() if contact.opted_out_at else None,
        "created_at": contact.created_at.isoformat(),
    }
    data.update(holders_export(contact, contact_addresses(contact)))
    return data
