"""The government's answer to contributions: one at a time, or the same answer to many at once
(``answers_write``, which bulk answers run chunk by chunk). Every answer is audit-logged per
contribution and the citizen is told when they consented."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, audit_record_many, client_ip
from urna.core.errors import Conflict, InvalidInput
from urna.core.text import text_normalise
from urna.exercises.models import (
    Contribution,
    ContributionResponse,
    Decision,
    Exercise,
    ResponseGroup,
)
from urna.results.services.notices import answers_notify

RESPONDABLE_STATUSES = {Exercise.Status.OPEN, Exercise.Status.ANALYSIS}
REASON_MIN = 10


def answer_clean(exercise: Exercise, decision: str, reason: str) -> str:
    """Check the exercise takes answers and the decision and reason are valid; the clean
    reason."""
    if exercise.status not in RESPONDABLE_STATUSES:
        raise Conflict(
            _("Sólo se responden aportes mientras el ejercicio está abierto o en análisis.")
        )
    if decision not in Decision.values:
        raise InvalidInput(_("Elija una decisión."), field="decision")
    reason = text_normalise(reason)
    if len(reason) < REASON_MIN:
        raise InvalidInput(
            _("Explique la razón de la decisión (mínimo 10 caracteres)."), field="reason"
        )
    return reason


def title_clean(title: str) -> str:
    title = text_normalise(title)[:200]
    if len(title) < 3:
        raise InvalidInput(_("Dé un nombre al grupo."), field="title")
    return title


def contribution_respond(
    *, contribution: Contribution, decision: str, reason: str, by: Any, request: Any = None
) -> ContributionResponse:
    """Answer one contribution in the results matrix (creating or correcting its answer)."""
    require(by, "contribution.respond", contribution)
    reason = answer_clean(contribution.exercise, decision, reason)
    if contribution.kind == Contribution.Kind.ANSWER:
        raise InvalidInput(_("Las respuestas a preguntas cerradas se publican como conteos."))
    with transaction.atomic():
        existing = ContributionResponse.objects.filter(contribution=contribution).first()
        before = {"decision": existing.decision, "reason": existing.reason} if existing else None
        response, _created = ContributionResponse.objects.update_or_create(
            contribution=contribution,
            defaults={
                "decision": decision,
                "reason": reason,
                "group": None,
                "responded_by": by,
                "responded_at": timezone.now(),
            },
        )
        audit_record(
            action="contribution.respond",
            obj=contribution,
            actor=by,
            entity=contribution.exercise.owner,
            before=before,
            after={"decision": decision, "reason": reason},
            ip=client_ip(request),
        )
        answers_notify(
            exercise=contribution.exercise,
            contribution_ids=[contribution.pk],
            decision=decision,
            reason=reason,
        )
    return response


@dataclass(frozen=True)
class Written:
    answered: list[int]
    skipped: int
    notified: int


def answers_write(
    *,
    exercise: Exercise,
    group: ResponseGroup,
    ids: list[int],
    overwrite: bool,
    by: Any,
    ip: str | None = None,
) -> Written:
    """Give ``group``'s answer to the contributions ``ids`` of the exercise (already checked by
    the caller), inside the caller's transaction: one answer row and one audit entry each, in
    bulk; those already answered are left alone unless ``overwrite``. Answers to closed
    questions are skipped."""
    rows = list(
        Contribution.objects.filter(exercise=exercise, pk__in=ids)
        .exclude(kind=Contribution.Kind.ANSWER)
        .values_list("pk", "receipt")
    )
    existing = {
        pk: {"decision": decision, "reason": reason}
        for pk, decision, reason in ContributionResponse.objects.filter(
            contribution_id__in=[pk for pk, _r in rows]
        ).values_list("contribution_id", "decision", "reason")
    }
    targets = [(pk, receipt) for pk, receipt in rows if overwrite or pk not in existing]
    target_ids = [pk for pk, _r in targets]
    now = timezone.now()
    ContributionResponse.objects.filter(contribution_id__in=target_ids).delete()
    ContributionResponse.objects.bulk_create(
        (
            ContributionResponse(
                contribution_id=pk,
                decision=group.decision,
                reason=group.reason,
                group=group,
                responded_by=by,
                responded_at=now,
            )
            for pk in target_ids
        ),
        batch_size=500,
    )
    after = {"decision": group.decision, "reason": group.reason, "group": group.pk}
    audit_record_many(
        action="contribution.respond",
        entries=(
            (Contribution(pk=pk, receipt=receipt), existing.get(pk), after)
            for pk, receipt in targets
        ),
        actor=by,
        entity=exercise.owner,
        ip=ip,
    )
    notified = answers_notify(
        exercise=exercise, contribution_ids=target_ids, decision=group.decision, reason=group.reason
    )
    return Written(answered=target_ids, skipped=len(ids) - len(target_ids), notified=notified)
