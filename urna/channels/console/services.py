"""The operator console's writes: opening a session and entering a contribution in it."""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from urna.audit.services import audit_record
from urna.channels import intake
from urna.channels.models import OperatorSession
from urna.contacts.services import ContactDetails


def operator_session_start(
    *, exercise: Any, channel: str, programme: str, date: date, by: Any
) -> OperatorSession:
    """Open a broadcast, call-in or meeting session on an exercise (audit-logged)."""
    with transaction.atomic():
        session = OperatorSession.objects.create(
            exercise=exercise, channel=channel, programme=programme, date=date, operator=by
        )
        audit_record(
            action="channels.console_session",
            obj=session,
            actor=by,
            entity=exercise.owner,
            after={"channel": session.channel, "exercise": exercise.slug},
        )
    return session


def operator_entry_submit(
    *,
    session: OperatorSession,
    text: str,
    kind: str,
    token: str,
    contact: ContactDetails | None = None,
    municipality_code: str | None = None,
    by: Any,
    request: Any = None,
) -> str:
    """Submit what a caller or participant said, through ``contribution_submit`` (which writes
    the audit log), and count it in the session. ``token`` is the entry form's: submitting the
    same form twice stores one contribution and counts it once. Returns the receipt; raises
    the service's ``DomainError``."""
    result = intake.contribute(
        exercise_id=session.exercise_id,
        kind=kind,
        text=text,
        channel=session.channel,
        key=f"console:{session.pk}:{token[:40]}",
        contact=contact,
        municipality_code=municipality_code,
        entered_by=by,
        request=request,
    )
    if result.created:
        OperatorSession.objects.filter(pk=session.pk).update(entries=F("entries") + 1)
    return result.contribution.receipt
