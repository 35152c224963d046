"""The results matrix: the government's answer to each contribution, alone or for a group."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.errors import Conflict, InvalidInput
from urna.core.text import text_normalise
from urna.exercises.models import (
    Contribution,
    ContributionResponse,
    Decision,
    Exercise,
    ResponseGroup,
)

RESPONDABLE_STATUSES = {Exercise.Status.OPEN, Exercise.Status.ANALYSIS}


def _check_respondable(exercise: Exercise, decision: str, reason: str) -> str:
    if exercise.status not in RESPONDABLE_STATUSES:
        raise Conflict(
            _("Sólo se responden aportes mientras el ejercicio está abierto o en análisis.")
        )
    if decision not in Decision.values:
        raise InvalidInput(_("Elija una decisión."), field="decision")
    reason = text_normalise(reason)
    if len(reason) < 10:
        raise InvalidInput(
            _("Explique la razón de la decisión (mínimo 10 caracteres)."), field="reason"
        )
    return reason


def contribution_respond(
    *, contribution: Contribution, decision: str, reason: str, by: Any, request: Any = None
) -> ContributionResponse:
    """Answer one contribution in the results matrix (creating or correcting its answer)."""
    require(by, "contribution.respond", contribution)
    reason = _check_respondable(contribution.exercise, decision, reason)
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
    return response


def contribution_respond_group(
    *,
    exercise: Exercise,
    contribution_ids: Iterable[int],
    title: str,
    decision: str,
    reason: str,
    by: Any,
    request: Any = None,
) -> ResponseGroup:
    """One answer for many similar contributions of the exercise (a campaign, a repeated idea)."""
    require(by, "contribution.respond", exercise)
    reason = _check_respondable(exercise, decision, reason)
    title = text_normalise(title)[:200]
    if len(title) < 3:
        raise InvalidInput(_("Dé un nombre al grupo."), field="title")
    ids = sorted({int(pk) for pk in contribution_ids})
    rows = list(
        Contribution.objects.filter(exercise=exercise, pk__in=ids)
        .exclude(kind=Contribution.Kind.ANSWER)
        .values_list("pk", flat=True)
    )
    if not rows or len(rows) != len(ids):
        raise InvalidInput(
            _(
                "Elija aportes de este ejercicio (las respuestas a preguntas cerradas no "
                "se agrupan)."
            ),
            field="contributions",
        )
    now = timezone.now()
    with transaction.atomic():
        group = ResponseGroup.objects.create(
            exercise=exercise, title=title, decision=decision, reason=reason, created_by=by
        )
        ContributionResponse.objects.filter(contribution_id__in=rows).delete()
        ContributionResponse.objects.bulk_create(
            ContributionResponse(
                contribution_id=pk,
                decision=decision,
                reason=reason,
                group=group,
                responded_by=by,
                responded_at=now,
            )
            for pk in rows
        )
        audit_record(
            action="contribution.respond_group",
            obj=group,
            actor=by,
            entity=exercise.owner,
            after={"decision": decision, "reason": reason, "contributions": rows},
            ip=client_ip(request),
        )
    return group
