"""Running an analysis: ``analysis_start`` queues it (one at a time per exercise); the
``insights.analyse`` task calls ``analysis_run``, which reads the exercise's visible and pending
contributions, runs the pipeline, stores its result in chunks (short write transactions, so that
on SQLite the site stays responsive while 100k rows go in), carries the analysts' edits over from
the previous analysis (``carry``) and flags likely insults, threats and personal data for the
moderators (``flags``)."""

from __future__ import annotations

import time
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.errors import Conflict, InvalidInput
from urna.insights import pipeline
from urna.insights.models import Analysis, Assignment, DuplicateGroup, Operation, Theme
from urna.insights.selectors import analysed_contributions, analysis_current
from urna.insights.selectors_charts import analysis_warm
from urna.insights.services.carry import carry_edits
from urna.insights.services.common import (
    CHUNK,
    K_MAX,
    K_MIN,
    LABEL_MAX,
    chunks,
    report_changed,
    stamps_changed,
)
from urna.insights.services.flags import flags_scan
from urna.jobs.registry import get_task
from urna.jobs.services import job_progress

ANALYSE_TASK = "insights.analyse"
# Share of the progress bar for the pipeline; the rest is storing and carrying edits.
PIPELINE_SHARE = 0.85


def analysis_start(
    *, exercise: Any, by: Any, k: int | None = None, request: Any = None
) -> Analysis:
    """Queue an analysis of the exercise. Raises Conflict when one is already queued or running."""
    require(by, "insights.run", exercise)
    if k is not None and not K_MIN <= k <= K_MAX:
        raise InvalidInput(
            _("El número de temas debe estar entre %(min)s y %(max)s.")
            % {"min": K_MIN, "max": K_MAX},
            field="k",
        )
    busy = Conflict(_("Ya hay un análisis en curso para este ejercicio."), code="busy")
    with transaction.atomic():
        try:
            with transaction.atomic():
                analysis = Analysis.objects.create(exercise=exercise, k=k, run_by=by)
        except IntegrityError:
            raise busy from None
        # By its registered name: the task (``insights.tasks``) calls this package.
        job = get_task(ANALYSE_TASK).enqueue(
            analysis_id=analysis.pk,
            unique_key=f"insights.analyse:{exercise.pk}",
            entity_id=exercise.owner_id,
        )
        if job is None:
            raise busy
        analysis.job_id = job.pk
        analysis.save(update_fields=["job_id"])
        audit_record(
            action="insights.run",
            obj=analysis,
            actor=by,
            entity=exercise.owner,
            after={"exercise": exercise.slug, "k": k},
            ip=client_ip(request),
        )
    return analysis


class _Progress:
    """Writes progress to the analysis row and its job, at most every 1% or every second."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.last_fraction = -1.0
        self.last_time = 0.0

    def __call__(self, note: str, fraction: float, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and fraction - self.last_fraction < 0.01 and now - self.last_time < 1:
            return
        self.last_fraction, self.last_time = fraction, now
        note = str(note)[:200]
        Analysis.objects.filter(pk=self.analysis.pk).update(progress=fraction, progress_note=note)
        job_progress(job_id=self.analysis.job_id, fraction=fraction, note=note)


STAGE_NOTES = {
    "text": gettext_lazy("Preparando los textos"),
    "duplicates": gettext_lazy("Buscando campañas y textos repetidos"),
    "themes": gettext_lazy("Agrupando en temas"),
    "done": gettext_lazy("Guardando los resultados"),
}


def _clear_results(analysis: Analysis) -> None:
    """Remove what a failed or interrupted run of this analysis stored (safe to run twice)."""
    Operation.objects.filter(analysis=analysis).delete()
    Assignment.objects.filter(analysis=analysis).delete()
    DuplicateGroup.objects.filter(analysis=analysis).delete()
    Theme.objects.filter(analysis=analysis).delete()


def analysis_run(*, analysis_id: int) -> dict[str, Any]:
    """Run a queued analysis now (the task's body; the demo calls it directly)."""
    analysis = Analysis.objects.select_related("exercise").get(pk=analysis_id)
    if analysis.status == Analysis.Status.DONE:
        return {"analysis": analysis.pk, "skipped": True}
    exercise = analysis.exercise
    _clear_results(analysis)
    analysis.status = Analysis.Status.RUNNING
    analysis.started_at = timezone.now()
    analysis.error = ""
    analysis.save(update_fields=["status", "started_at", "error"])
    progress = _Progress(analysis)
    try:
        items = list(analysed_contributions(exercise).values_list("id", "text").iterator(5000))
        progress(STAGE_NOTES["text"], 0.0, force=True)
        result = pipeline.analyse(
            items,
            k=analysis.k,
            progress=lambda stage, f: progress(
                str(STAGE_NOTES.get(stage, stage)), f * PIPELINE_SHARE
            ),
        )
        _store(analysis, result, progress)
        previous = analysis_current(exercise)
        if previous is not None:
            progress(_("Conservando los cambios de los analistas"), 0.95, force=True)
            carry_edits(previous, analysis)
        flags_scan(exercise=exercise, items=items)
    except Exception as exc:
        _clear_results(analysis)
        Analysis.objects.filter(pk=analysis.pk).update(
            status=Analysis.Status.FAILED,
            error=f"{exc.__class__.__name__}: {str(exc)[:400]}",
            finished_at=timezone.now(),
        )
        raise
    now = timezone.now()
    with transaction.atomic():
        Analysis.objects.filter(pk=analysis.pk).update(
            status=Analysis.Status.DONE,
            progress=1,
            progress_note="",
            statistics=_statistics_json(result.to_dict()["statistics"]),
            previous=previous,
            finished_at=now,
            updated_at=now,
        )
        audit_record(
            action="insights.done",
            obj=analysis,
            actor_label="system",
            entity=exercise.owner,
            after={"themes": len(result.themes), "contributions": len(items)},
        )
        transaction.on_commit(lambda: report_changed(exercise))
        stamps_changed()
    _prune(exercise, keep=analysis.pk)
    analysis.updated_at = now
    analysis_warm(analysis)
    return {"analysis": analysis.pk, "themes": len(result.themes), "contributions": len(items)}


def _statistics_json(stats: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in stats.items() if key != "seconds"} | {
        "seconds": stats.get("seconds", {})
    }


def _store(analysis: Analysis, result: Any, progress: _Progress) -> None:
    themes = Theme.objects.bulk_create(
        [
            Theme(
                analysis=analysis,
                key=t.id,
                label=t.label[:LABEL_MAX],
                terms=t.terms,
                size=t.size,
                distinct_size=t.distinct_size,
                quote_ids=[q.id for q in t.quotes],
            )
            for t in result.themes
        ]
    )
    theme_pk = {t.key: t.pk for t in themes}
    group_of: dict[int, int] = {}
    for chunk in chunks(result.duplicate_groups, CHUNK):
        with transaction.atomic():
            rows = DuplicateGroup.objects.bulk_create(
                [
                    DuplicateGroup(
                        analysis=analysis,
                        key=g.id,
                        size=g.size,
                        representative_id=g.representative_id,
                        exact=g.exact,
                        theme_id=theme_pk.get(g.theme_id),
                    )
                    for g in chunk
                ]
            )
        for group, row in zip(chunk, rows, strict=True):
            group_of.update(dict.fromkeys(group.member_ids, row.pk))
    theme_of = result.theme_of()
    ids = list(theme_of)
    for n, chunk in enumerate(chunks(ids, CHUNK)):
        rows = []
        for contribution_id in chunk:
            theme = theme_pk.get(theme_of[contribution_id])
            rows.append(
                Assignment(
                    analysis=analysis,
                    contribution_id=contribution_id,
                    theme_id=theme,
                    base_theme_id=theme,
                    group_id=group_of.get(contribution_id),
                )
            )
        with transaction.atomic():
            Assignment.objects.bulk_create(rows)
        done = min(1.0, (n + 1) * CHUNK / max(len(ids), 1))
        progress(STAGE_NOTES["done"], PIPELINE_SHARE + (0.95 - PIPELINE_SHARE) * done)


def _prune(exercise: Any, *, keep: int) -> None:
    """Older analyses keep their themes (a small record) but not their 100k-row memberships."""
    old = list(
        Analysis.objects.filter(exercise=exercise, status=Analysis.Status.DONE)
        .exclude(pk=keep)
        .filter(Q(assignments__isnull=False) | Q(duplicate_groups__isnull=False))
        .values_list("pk", flat=True)
        .distinct()
    )
    for pk in old:
        Assignment.objects.filter(analysis_id=pk).delete()
        DuplicateGroup.objects.filter(analysis_id=pk).delete()
