"""The exercise state machine at work: ``exercise_transition`` is the one place a status changes.

Which transitions exist and which permission each needs is declared in ``phases.py``; here each
target status prepares the exercise (dates, the published results) before one save and one
audit entry.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.errors import Conflict, InvalidInput
from urna.core.text import text_normalise
from urna.exercises.models import Contribution, Exercise
from urna.exercises.phases import transition_action
from urna.exercises.services.base import exercise_touch, jsonable
from urna.exercises.services.updates import broadcast_queue
from urna.exercises.signals import results_changed

DRAFT_MIN_COMMENT_DAYS = 15


def draft_min_comment_days() -> int:
    return int(getattr(settings, "URNA_DRAFT_MIN_COMMENT_DAYS", DRAFT_MIN_COMMENT_DAYS))


def comment_days(start: datetime, end: datetime) -> int:
    """Calendar days a draft is open for comments, counted in Colombian local dates."""
    return (timezone.localdate(end) - timezone.localdate(start)).days


# --- what each target status does to the exercise before it is saved --------------------------
# Each step may refuse (InvalidInput, Conflict) and returns what it adds to the audit entry.


def _short_period(exercise: Exercise, now: datetime, justification: str) -> dict[str, Any]:
    """A draft regulation open for fewer days than the minimum needs a public justification."""
    days = comment_days(now, exercise.closes_at)
    minimum = draft_min_comment_days()
    justification = text_normalise(justification)
    if days >= minimum:
        exercise.short_period_justification = ""
        return {}
    if len(justification) < 20:
        raise InvalidInput(
            _(
                "El proyecto queda abierto %(days)s días, menos de los %(min)s días "
                "del plazo mínimo: escriba la justificación (mínimo 20 caracteres), "
                "que se publicará."
            )
            % {"days": days, "min": minimum},
            field="justification",
        )
    exercise.short_period_justification = justification
    return {"comment_days": days, "justification": justification}


def _to_open(exercise: Exercise, now: datetime, justification: str) -> dict[str, Any]:
    if exercise.closes_at is None or exercise.closes_at <= now:
        raise InvalidInput(
            _("Fije una fecha de cierre futura antes de abrir la participación."),
            field="closes_at",
        )
    if exercise.status != Exercise.Status.ANALYSIS or exercise.opens_at is None:
        exercise.opens_at = now
    extra: dict[str, Any] = {}
    if exercise.kind == Exercise.Kind.DRAFT_REGULATION:
        extra = _short_period(exercise, now, justification)
    if exercise.published_at is None:
        exercise.published_at = now
    return extra


def _to_information(exercise: Exercise, now: datetime, justification: str) -> dict[str, Any]:
    exercise.published_at = now
    return {}


def _to_analysis(exercise: Exercise, now: datetime, justification: str) -> dict[str, Any]:
    if exercise.closes_at is None or exercise.closes_at > now:
        exercise.closes_at = now
    return {}


def _to_results(exercise: Exercise, now: datetime, justification: str) -> dict[str, Any]:
    """Results are published only when every contribution has its answer."""
    unanswered = (
        Contribution.objects.filter(exercise=exercise, response__isnull=True)
        .exclude(kind=Contribution.Kind.ANSWER)
        .exclude(moderation=Contribution.Moderation.HIDDEN)
        .count()
    )
    if unanswered:
        raise Conflict(
            _(
                "Faltan %(n)s aportes por responder en la matriz de resultados: cada aporte "
                "recibe una respuesta antes de publicar."
            )
            % {"n": unanswered}
        )
    exercise.results_published_at = now
    return {}


_PREPARE: dict[str, Callable[[Exercise, datetime, str], dict[str, Any]]] = {
    Exercise.Status.OPEN: _to_open,
    Exercise.Status.INFORMATION: _to_information,
    Exercise.Status.ANALYSIS: _to_analysis,
    Exercise.Status.RESULTS: _to_results,
}


def _transition_permission(exercise: Exercise, to: str, by: Any) -> None:
    """Refuse a transition the state machine does not declare, or one ``by`` may not make."""
    action = transition_action(exercise.status, to)
    if action is None:
        target = Exercise.Status(to).label if to in Exercise.Status.values else to
        raise Conflict(
            _("No se puede pasar de «%(frm)s» a «%(to)s».")
            % {"frm": exercise.get_status_display(), "to": target}
        )
    if by is not None:
        require(by, action, exercise)


def _transition_save(
    exercise: Exercise,
    to: str,
    *,
    by: Any,
    before: dict[str, Any],
    after: dict[str, Any],
    actor_label: str,
    request: Any,
) -> None:
    """Save the new status with its audit entry; published results tell the apps above."""
    with transaction.atomic():
        exercise.status = to
        exercise.save()
        after.update(opens_at=jsonable(exercise.opens_at), closes_at=jsonable(exercise.closes_at))
        audit_record(
            action=f"exercise.{to}",
            obj=exercise,
            actor=by,
            actor_label=actor_label,
            entity=exercise.owner,
            before=before,
            after=after,
            ip=client_ip(request),
        )
        if to == Exercise.Status.RESULTS:
            # Published results: the report is built now, not for its first reader, and the
            # participants and followers are told (once per exercise, however often it is
            # published).
            results_changed.send(sender=Exercise, exercise=exercise)
            broadcast_queue(exercise=exercise)


def exercise_transition(
    *,
    exercise: Exercise,
    to: str,
    by: Any,
    justification: str = "",
    request: Any = None,
    actor_label: str = "",
) -> Exercise:
    """Move an exercise to its next phase: the one place its status changes.

    ``by=None`` is the system (the scheduled closing); any other actor needs the permission the
    transition declares. Opening a draft regulation for fewer calendar days than the minimum
    (15 by default) needs a recorded ``justification``, shown on the public page.
    """
    _transition_permission(exercise, to, by)
    now = timezone.now()
    before = {
        "status": exercise.status,
        "opens_at": jsonable(exercise.opens_at),
        "closes_at": jsonable(exercise.closes_at),
    }
    after: dict[str, Any] = {"status": to}
    prepare = _PREPARE.get(to)
    if prepare is not None:
        after.update(prepare(exercise, now, justification))
    _transition_save(
        exercise, to, by=by, before=before, after=after, actor_label=actor_label, request=request
    )
    exercise_touch(exercise)
    return exercise


def exercises_close_due() -> int:
    """Close (move to analysis) every open exercise whose closing date has passed."""
    closed = 0
    for exercise in Exercise.objects.filter(
        status=Exercise.Status.OPEN, closes_at__lte=timezone.now()
    ).select_related("owner"):
        exercise_transition(
            exercise=exercise, to=Exercise.Status.ANALYSIS, by=None, actor_label="system:cierre"
        )
        closed += 1
    return closed
