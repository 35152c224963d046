"""A contact's queries (PQRSD), for the citizen's right of access (registered in ``apps.py``).

Erasing keeps them: a petition and its answer are public records the entity must archive. Once
the contact row is emptied the answer can no longer be sent to the person, and nothing links
the query to them; it stays readable at its receipt's status page.
"""

from typing import Any

from urna.contacts.models import Contact
from urna.queries.models import Query


def _rows(queries: Any) -> list[dict[str, Any]]:
    return [
        {
            "receipt": q.receipt,
            "type": q.type,
            "created_at": q.created_at.isoformat(),
            "state": q.state,
            "text": q.text,
            "answer": q.answer,
        }
        for q in queries.order_by("created_at")
    ]


def queries_export(contact: Contact | None, addresses: list[str]) -> list[dict[str, Any]]:
    if contact is None:
        return []
    return _rows(Query.objects.filter(contact=contact))


def queries_of_account(user: Any) -> list[dict[str, Any]]:
    """The queries a citizen filed while logged in."""
    return _rows(Query.objects.filter(user=user))


def query_contact_links(
    *, user: Any = None, contact_ids: set[int] | None = None
) -> set[tuple[int, int | None]]:
    rows = Query.objects.filter(contact__isnull=False)
    if user is not None:
        rows = rows.filter(user=user)
    if contact_ids is not None:
        rows = rows.filter(contact_id__in=contact_ids)
    return set(rows.values_list("contact_id", "user_id").distinct())
