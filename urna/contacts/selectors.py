"""Reads of contacts: the contact for an address, and everything Urna holds about one."""

from typing import Any

from urna.contacts.consent import pairs
from urna.contacts.models import Contact
from urna.core.personal_data import address_forms, holders_export


def contact_for_address(address: str) -> Contact | None:
    """The (not erased) contact for a normalised address."""
    lookup = {"email": address} if "@" in address else {"phone": address}
    return Contact.objects.live().filter(**lookup).first()


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
        "consents": [
            {"purpose": purpose, "channel": channel} for purpose, channel in pairs(contact.consents)
        ],
        "consent_history": [
            {
                "action": event.action,
                "pairs": [f"{p}:{c}" for p, c in pairs(event.scope)],
                "via": event.via,
                "channel": event.channel,
                "text_version": event.text_version,
                "evidence": event.evidence,
                "at": event.at.isoformat(),
            }
            for event in contact.consent_events.all()
        ],
        "interests": [
            {"kind": kind, "value": value}
            for kind, value in contact.interests.values_list("kind", "value")
        ],
        "preferred_channel": contact.preferred_channel,
        "language": contact.language,
        "source": contact.source,
        "last_contribution_at": _iso(contact.last_contribution_at),
        "last_query_at": _iso(contact.last_query_at),
        "created_at": contact.created_at.isoformat(),
    }
    data.update(holders_export(contact, contact_addresses(contact)))
    return data


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def recipient_vars(contact_ids: list[int]) -> dict[int, dict[str, str]]:
    """The variables a message template is rendered with for each contact: the first name
    ("Amiga/Amigo" is not guessed: without a name, "ciudadano(a)") and the municipality."""
    rows = Contact.objects.filter(pk__in=contact_ids).values_list(
        "pk", "name", "municipality__display_name"
    )
    out: dict[int, dict[str, str]] = {}
    for pk, name, municipality in rows:
        first = (name or "").split()[0] if (name or "").strip() else ""
        out[pk] = {"nombre": first or "ciudadano(a)", "municipio": municipality or ""}
    return out
