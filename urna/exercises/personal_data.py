"""A contact's contributions, for the citizen's right of access (registered in ``apps.py``).

Erasing keeps them: a contribution is part of a consultation's public record. Once the contact
row is emptied nothing links it to the person any more.
"""

from typing import Any

from urna.contacts.models import Contact
from urna.exercises.models import Contribution


def contributions_export(contact: Contact | None, addresses: list[str]) -> list[dict[str, Any]]:
    if contact is None:
        return []
    rows = (
        Contribution.objects.filter(contact=contact)
        .select_related("exercise")
        .order_by("created_at")
    )
    return [
        {
            "receipt": c.receipt,
            "exercise": c.exercise.title,
            "created_at": c.created_at.isoformat(),
            "kind": c.kind,
            "channel": c.channel,
            "text": c.text,
        }
        for c in rows
    ]
