"""One answer for a whole selection: ticked rows, a campaign group, a theme, or every
contribution of the current filter. Up to ``INLINE_MAX`` members are answered in the request;
larger selections in a background job, ``CHUNK`` contributions per transaction in id order, the
keyset cursor moving with each chunk (a killed job resumes where it stopped)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.errors import InvalidInput
from urna.exercises.models import Contribution, Exercise, ResponseGroup
from urna.insights.models import Assignment
from urna.jobs.registry import enqueue
from urna.jobs.services import job_progress
from urna.results import selectors
from urna.results.models import AnswerBatch
from urna.results.services.answers import (
    RESPONDABLE_STATUSES,
    answer_clean,
    answers_write,
    title_clean,
)

INLINE_MAX = 2000
CHUNK = 1000
BATCH_TASK = "results.answer_batch"


def selection_queryset(exercise: Exercise, kind: str, selection: dict) -> QuerySet[Contribution]:
    """The answerable contributions of a selection, in id order."""
    qs = selectors.answerable(exercise)
    if kind == AnswerBatch.Kind.ROWS:
        qs = qs.filter(pk__in=[int(pk) for pk in selection.get("ids", [])])
    elif kind == AnswerBatch.Kind.THEME:
        members = Assignment.objects.filter(theme_id=selection["theme"])
        qs = qs.filter(pk__in=members.values("contribution_id"))
    elif kind == AnswerBatch.Kind.CAMPAIGN:
        members = Assignment.objects.filter(group_id=selection["group"])
        qs = qs.filter(pk__in=members.values("contribution_id"))
    elif kind == AnswerBatch.Kind.FILTER:
        filters = selectors.matrix_filters_from_json(selection.get("filters", {}))
        qs = selectors.matrix_queryset(exercise, filters, personal=bool(selection.get("personal")))
    else:
        raise InvalidInput(_("Elija qué aportes responder."), field="selection")
    return qs.order_by("id")


def answer_batch_start(
    *,
    exercise: Exercise,
    kind: str,
    selection: dict,
    title: str,
    decision: str,
    reason: str,
    by: Any,
    overwrite: bool = False,
    request: Any = None,
) -> AnswerBatch:
    """Answer every contribution of a selection with one answer (a new ``ResponseGroup`` named
    ``title``): in the request up to ``INLINE_MAX`` members, else queued for the job (the
    request only counts them). Contributions already answered keep their answer unless
    ``overwrite``."""
    require(by, "contribution.respond", exercise)
    reason = answer_clean(exercise, decision, reason)
    title = title_clean(title)
    total = selection_queryset(exercise, kind, selection).count()
    if not total:
        raise InvalidInput(_("No hay aportes por responder en esa selección."), field="selection")
    with transaction.atomic():
        group = ResponseGroup.objects.create(
            exercise=exercise, title=title, decision=decision, reason=reason, created_by=by
        )
        batch = AnswerBatch.objects.create(
            exercise=exercise,
            group=group,
            kind=kind,
            selection=selection,
            overwrite=overwrite,
            total=total,
            created_by=by,
        )
        audit_record(
            action="contribution.respond_group",
            obj=group,
            actor=by,
            entity=exercise.owner,
            after={
                "decision": decision,
                "reason": reason,
                "selection": kind,
                "members": total,
                "overwrite": overwrite,
            },
            ip=client_ip(request),
        )
        if total > INLINE_MAX:
            job = enqueue(
                BATCH_TASK,
                batch_id=batch.pk,
                unique_key=f"{BATCH_TASK}:{batch.pk}",
                entity_id=exercise.owner_id,
            )
            batch.job_id = job.pk if job else None
            batch.save(update_fields=["job_id"])
    if total <= INLINE_MAX:
        answer_batch_run(batch_id=batch.pk, ip=client_ip(request))
        batch.refresh_from_db()
    return batch


def _chunk(batch_id: int, ip: str | None) -> bool:
    """Answer the next chunk of a batch in one transaction; False once there is nothing left."""
    with transaction.atomic():
        batch = (
            AnswerBatch.objects.select_for_update(of=("self",))
            .select_related("exercise__owner", "group", "created_by")
            .get(pk=batch_id)
        )
        if batch.status != AnswerBatch.Status.RUNNING:
            return False
        exercise = batch.exercise
        if exercise.status not in RESPONDABLE_STATUSES:
            batch.status = AnswerBatch.Status.STOPPED
            batch.error = _("El ejercicio ya no recibe respuestas.")
            batch.finished_at = timezone.now()
            batch.save(update_fields=["status", "error", "finished_at"])
            return False
        ids = list(
            selection_queryset(exercise, batch.kind, batch.selection)
            .filter(pk__gt=batch.last_id)
            .values_list("id", flat=True)[:CHUNK]
        )
        if not ids:
            batch.status = AnswerBatch.Status.DONE
            batch.done = batch.total
            batch.finished_at = timezone.now()
            batch.save(update_fields=["status", "done", "finished_at"])
            return False
        written = answers_write(
            exercise=exercise,
            group=batch.group,
            ids=ids,
            overwrite=batch.overwrite,
            by=batch.created_by,
            ip=ip,
        )
        batch.last_id = ids[-1]
        # The selection may grow or shrink while it runs (new contributions, moderation).
        batch.done += len(ids)
        batch.total = max(batch.total, batch.done)
        batch.answered += len(written.answered)
        batch.skipped += written.skipped
        batch.notified += written.notified
        batch.save(update_fields=["last_id", "done", "total", "answered", "skipped", "notified"])
    return True


def answer_batch_run(*, batch_id: int, job_id: int | None = None, ip: str | None = None) -> dict:
    """Answer a batch to the end, chunk by chunk, reporting progress to the job. Safe to run
    twice or after a crash: each chunk commits with the cursor."""
    while _chunk(batch_id, ip):
        batch = AnswerBatch.objects.only("done", "total").get(pk=batch_id)
        job_progress(
            job_id=job_id,
            fraction=batch.fraction,
            note=f"{selectors.number_es(batch.done)} / {selectors.number_es(batch.total)}",
        )
    batch = AnswerBatch.objects.get(pk=batch_id)
    return {
        "status": batch.status,
        "answered": batch.answered,
        "skipped": batch.skipped,
        "notified": batch.notified,
    }


def contribution_respond_group(
    *,
    exercise: Exercise,
    contribution_ids: Iterable[int],
    title: str,
    decision: str,
    reason: str,
    by: Any,
    overwrite: bool = True,
    request: Any = None,
) -> ResponseGroup:
    """One answer for the contributions ticked in the matrix (a repeated idea): every id must
    be an answerable contribution of the exercise. Replaces earlier answers by default."""
    require(by, "contribution.respond", exercise)
    try:
        ids = sorted({int(pk) for pk in contribution_ids})
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("Elija aportes de este ejercicio."), field="contributions") from exc
    found = selection_queryset(exercise, AnswerBatch.Kind.ROWS, {"ids": ids}).count()
    if not ids or found != len(ids):
        raise InvalidInput(
            _(
                "Elija aportes de este ejercicio (las respuestas a preguntas cerradas no "
                "se agrupan)."
            ),
            field="contributions",
        )
    batch = answer_batch_start(
        exercise=exercise,
        kind=AnswerBatch.Kind.ROWS,
        selection={"ids": ids},
        title=title,
        decision=decision,
        reason=reason,
        by=by,
        overwrite=overwrite,
        request=request,
    )
    return batch.group
