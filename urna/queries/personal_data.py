"""A contact's queries (PQRSD), for the citizen's right of access (registered in ``apps.py``).

Erasing keeps them: a petition and its answer are public records the entity must archive. Once
the contact row is emptied the answer can no longer be sent to the person, and nothing links
the query to them; it stays readable at its receipt's status page.
"""

from typing import Any

from urna.contacts.models import Contact
from urna.queries.models import Query


def queries_export(contact: Contact | None, addresses: list[str]) -> list[dict[str, Any]]:
    if contact is None:
        return []
    rows = Query.objects.filter(contact=contact).order_by("created_at")
    return [
        {
            "receipt": q.receipt,
            "type": q.type,
            "created_at": q.created_at.isoformat(),
            "state": q.state,
            "text": q.text,
            "answer": q.answer,
        }
        for q in rows
    ]
