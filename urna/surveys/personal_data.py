"""A citizen's personal data in the surveys: the responses linked to their contact (answered by
SMS, WhatsApp or USSD from their number, or by phone with an operator) and the sessions that
keep their number while a survey is answered one question a message.

Access exports both. Erasure deletes the sessions and unlinks the responses from the contact:
the answers stay, anonymous, in the survey's weighted results (as a contribution stays in its
exercise once its contact is emptied). Retention deletes sessions idle since before the cut.
"""

from datetime import datetime
from typing import Any

from urna.surveys.models import ChannelSession, Response


def _sessions(addresses: list[str]):
    return ChannelSession.objects.filter(address__in=addresses) if addresses else None


def responses_export(contact: Any, addresses: list[str]) -> list[dict[str, Any]]:
    rows = []
    if contact is not None:
        responses = Response.objects.filter(contact=contact).select_related("survey").order_by("pk")
        rows += [
            {
                "survey": r.survey.slug,
                "channel": r.channel,
                "status": r.status,
                "started_at": r.started_at.isoformat(),
                "completed_at": r.completed_at.isoformat() if r.completed_at else None,
                "answers": r.answers,
            }
            for r in responses
        ]
    sessions = _sessions(addresses)
    if sessions is not None:
        rows += [
            {
                "survey_session": s.channel,
                "address": s.address,
                "active": s.active,
                "updated_at": s.updated_at.isoformat(),
            }
            for s in sessions.order_by("pk")
        ]
    return rows


def responses_erase(contact: Any, addresses: list[str]) -> int:
    touched = 0
    sessions = _sessions(addresses)
    if sessions is not None:
        touched += sessions.delete()[0]
    if contact is not None:
        touched += Response.objects.filter(contact=contact).update(contact=None)
    return touched


def sessions_expire(before: datetime) -> int:
    """Sessions idle since before ``before`` (a survey answered by message long ago) go."""
    return ChannelSession.objects.filter(updated_at__lt=before).delete()[0]
