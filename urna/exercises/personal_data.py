"""A contact's contributions and the exercises it follows, for the citizen's rights of access
and suppression (registered in ``apps.py``).

Erasing keeps the contributions: a contribution is part of a consultation's public record. Once
the contact row is emptied nothing links it to the person any more. The follows are the
person's own choice, not a public record: erasing deletes them.
"""

from typing import Any

from urna.contacts.models import Contact
from urna.exercises.models import Contribution, ExerciseFollower


def _rows(contributions: Any) -> list[dict[str, Any]]:
    return [
        {
            "receipt": c.receipt,
            "exercise": c.exercise.title,
            "created_at": c.created_at.isoformat(),
            "kind": c.kind,
            "channel": c.channel,
            "text": c.text,
        }
        for c in contributions.select_related("exercise").order_by("created_at")
    ]


def contributions_export(contact: Contact | None, addresses: list[str]) -> list[dict[str, Any]]:
    if contact is None:
        return []
    return _rows(Contribution.objects.filter(contact=contact))


def contributions_of_account(user: Any) -> list[dict[str, Any]]:
    """The contributions a citizen sent while logged in."""
    return _rows(Contribution.objects.filter(user=user))


def contribution_contact_links(
    *, user: Any = None, contact_ids: set[int] | None = None
) -> set[tuple[int, int | None]]:
    rows = Contribution.objects.filter(contact__isnull=False)
    if user is not None:
        rows = rows.filter(user=user)
    if contact_ids is not None:
        rows = rows.filter(contact_id__in=contact_ids)
    return set(rows.values_list("contact_id", "user_id").distinct())


def follows_export(contact: Contact | None, addresses: list[str]) -> list[dict[str, Any]]:
    if contact is None:
        return []
    return [
        {
            "exercise": f.exercise.title,
            "channel": f.channel,
            "created_at": f.created_at.isoformat(),
            "stopped_at": f.stopped_at.isoformat() if f.stopped_at else None,
        }
        for f in ExerciseFollower.objects.filter(contact=contact)
        .select_related("exercise")
        .order_by("created_at")
    ]


def follows_erase(contact: Contact | None, addresses: list[str]) -> int:
    if contact is None:
        return 0
    deleted, _by_model = ExerciseFollower.objects.filter(contact=contact).delete()
    return deleted
