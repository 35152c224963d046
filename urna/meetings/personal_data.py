"""A citizen's meeting registrations, for their rights of access and suppression: the name
they gave and the contact the registration links. Erasing blanks the name and unlinks the
contact; the row stays (without personal data) so that a meeting's counts hold."""

from typing import Any

from urna.contacts.models import Contact
from urna.meetings.models import Registration


def registrations_export(contact: Contact | None, addresses: list[str]) -> list[dict[str, Any]]:
    if contact is None:
        return []
    return [
        {
            "meeting": r.meeting.title,
            "starts_at": r.meeting.starts_at.isoformat(),
            "code": r.code,
            "name": r.name,
            "channel": r.channel,
            "status": r.status,
            "created_at": r.created_at.isoformat(),
        }
        for r in Registration.objects.filter(contact=contact)
        .select_related("meeting")
        .order_by("created_at")
    ]


def registrations_erase(contact: Contact | None, addresses: list[str]) -> int:
    if contact is None:
        return 0
    return Registration.objects.filter(contact=contact).update(name="", contact=None)
