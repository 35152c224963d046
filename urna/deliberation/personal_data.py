"""A person's part in deliberations (their votes and proposals), for the citizen's rights of
access and suppression (registered in ``apps.py``).

A participant is a contact (SMS, WhatsApp, USSD), an account (the web, signed in) or an
anonymous browser. Erasing a contact detaches its participant rows from it and keeps the votes
under the participant's opaque number: the groups, the counts and the published vote matrix
stay as they were (they never named anyone), while nothing links them to the person any more.
The original text of the person's proposals, which the public never read, is replaced by its
masked public text.
"""

from typing import Any

from django.db import transaction

from urna.deliberation.models import Participant, Statement, Vote


def _rows(participants: Any) -> list[dict[str, Any]]:
    rows = []
    for participant in participants.select_related("deliberation__exercise").order_by("id"):
        votes = (
            Vote.objects.filter(participant=participant)
            .select_related("statement")
            .order_by("created_at", "id")
        )
        proposals = Statement.objects.filter(author=participant).order_by("id")
        rows.append(
            {
                "exercise": participant.deliberation.exercise.title,
                "deliberation": participant.deliberation.question,
                "participant": str(participant),
                "votes": [
                    {
                        "statement": v.statement.public_text,
                        "value": str(Vote.Value(v.value).label),
                        "channel": v.channel,
                        "voted_at": v.updated_at.isoformat(),
                    }
                    for v in votes
                ],
                "proposals": [
                    {
                        "text": s.text,
                        "moderation": s.moderation,
                        "created_at": s.created_at.isoformat(),
                    }
                    for s in proposals
                ],
            }
        )
    return rows


def participation_export(contact: Any, addresses: list[str]) -> list[dict[str, Any]]:
    if contact is None:
        return []
    return _rows(Participant.objects.filter(contact=contact))


def participation_of_account(user: Any) -> list[dict[str, Any]]:
    """What an account voted and proposed while signed in."""
    return _rows(Participant.objects.filter(user=user))


def participation_erase(contact: Any, addresses: list[str]) -> int:
    """Detach the contact's participants (their votes stay, under the opaque number) and keep
    only the masked text of their proposals."""
    if contact is None:
        return 0
    participants = Participant.objects.filter(contact=contact)
    with transaction.atomic():
        for statement in Statement.objects.filter(author__in=participants).exclude(public_text=""):
            if statement.text != statement.public_text:
                statement.text = statement.public_text
                statement.save(update_fields=["text"])
        return participants.update(contact=None, shown_statement=None)
