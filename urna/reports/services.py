"""Writes of the reports app: staff takeaways and the stored PDF of each report.

``report_regenerate(*, exercise)`` is what other apps call when an exercise's results change
(publication, answers, moderation, a new analysis): it queues the PDF's rebuild in the
background. The PDF view also checks the stamp and rebuilds a stale PDF itself, so a missed call
costs time, never a wrong report.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.exercises.services import markdown_render
from urna.jobs.models import Job
from urna.jobs.registry import get_task
from urna.jobs.services import job_progress
from urna.reports import pdf
from urna.reports.informe import informe_stamp
from urna.reports.informe_pdf import informe_pdf_write
from urna.reports.models import InformeFile, ReportFile, ReportTakeaways
from urna.reports.selectors import report_data, report_stamp

PDF_DIR = "informes"
PDF_TASK = "reports.pdf"
INFORME_DIR = "informes-observaciones"
INFORME_TASK = "reports.informe_pdf"


def report_regenerate(*, exercise: Any) -> None:
    """Queue the rebuild of the exercise's report PDF (after the caller's transaction)."""
    # By its registered name: the task (``reports.tasks``) calls this module, not the reverse.
    get_task(PDF_TASK).enqueue(
        exercise_id=exercise.pk,
        unique_key=f"reports.pdf:{exercise.pk}",
        entity_id=exercise.owner_id,
    )


def takeaways_save(*, exercise: Any, body: str, by: Any, request: Any = None) -> ReportTakeaways:
    """Write the report's takeaways (Markdown, sanitised) and queue the PDF's rebuild."""
    require(by, "report.edit", exercise)
    body = (body or "").strip()
    with transaction.atomic():
        row, _created = ReportTakeaways.objects.select_for_update().get_or_create(exercise=exercise)
        before = {"body": row.body} if row.body else None
        row.body = body
        row.body_html = markdown_render(body)
        row.updated_by = by
        row.updated_at = timezone.now()
        row.save(update_fields=["body", "body_html", "updated_by", "updated_at"])
        audit_record(
            action="report.takeaways",
            obj=row,
            actor=by,
            entity=exercise.owner,
            before=before,
            after={"body": body},
            ip=client_ip(request),
        )
        report_regenerate(exercise=exercise)
    return row


def report_pdf_html(exercise: Any, *, data: dict | None = None) -> str:
    """The HTML that becomes the PDF, always in Spanish (the report's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "reports/report_pdf.html",
            {
                **(data or report_data(exercise)),
                "pdf": True,
                "base_url": settings.PUBLIC_BASE_URL,
            },
        )


def report_pdf_render(exercise: Any, *, data: dict | None = None) -> bytes:
    """The report as PDF bytes (WeasyPrint, reading only the platform's own files; WeasyPrint
    is imported by the first render, see ``urna.reports.pdf``)."""
    return pdf.render_pdf(report_pdf_html(exercise, data=data))


def _stale_files(exercise: Any, keep: Path) -> list[Path]:
    folder = keep.parent
    if not folder.exists():
        return []
    prefix = f"{exercise.slug}-"
    return [
        p
        for p in folder.glob(f"{prefix}*.pdf")
        if p != keep and p.stem.removeprefix(prefix).isdigit()
    ]


def report_pdf_build(*, exercise: Any, force: bool = False) -> ReportFile:
    """The exercise's report PDF for its current data: the stored one when its stamp is
    current, else built now and stored in MEDIA_ROOT/informes/<slug>-<stamp>.pdf."""
    stamp = report_stamp(exercise)
    current = ReportFile.objects.filter(exercise=exercise).first()
    if (
        not force
        and current is not None
        and current.stamp == stamp
        and (Path(settings.MEDIA_ROOT) / current.path).exists()
    ):
        return current
    started = time.perf_counter()
    pdf = report_pdf_render(exercise)
    relative = f"{PDF_DIR}/{exercise.slug}-{int(stamp.timestamp())}.pdf"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(pdf)
    partial.replace(target)
    seconds = round(time.perf_counter() - started, 3)
    row, _created = ReportFile.objects.update_or_create(
        exercise=exercise,
        defaults={
            "stamp": stamp,
            "path": relative,
            "size": len(pdf),
            "seconds": seconds,
            "generated_at": timezone.now(),
        },
    )
    for old in _stale_files(exercise, target):
        old.unlink(missing_ok=True)
    return row


# --- informe global de observaciones ----------------------------------------------------------


def _informe_key(exercise: Any) -> str:
    return f"{INFORME_TASK}:{exercise.pk}"


def informe_current(exercise: Any) -> InformeFile | None:
    """The stored informe PDF when it is built from the current data, else None."""
    stored = InformeFile.objects.filter(exercise=exercise).first()
    if stored is None or stored.stamp != informe_stamp(exercise):
        return None
    if not (Path(settings.MEDIA_ROOT) / stored.path).exists():
        return None
    return stored


def informe_job(exercise: Any) -> Job | None:
    """The queued or running build of the exercise's informe PDF, if any."""
    return (
        Job.objects.filter(
            unique_key=_informe_key(exercise), status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        )
        .order_by("-id")
        .first()
    )


def informe_regenerate(*, exercise: Any) -> None:
    """Queue the build of the exercise's informe PDF (one at a time per exercise)."""
    get_task(INFORME_TASK).enqueue(
        exercise_id=exercise.pk, unique_key=_informe_key(exercise), entity_id=exercise.owner_id
    )


def informe_pdf_build(*, exercise: Any, job_id: int | None = None) -> InformeFile:
    """The informe PDF for the current data: the stored one when current, else built now and
    stored in MEDIA_ROOT/informes-observaciones/<slug>-<n>.pdf (progress on the job)."""
    current = informe_current(exercise)
    if current is not None:
        return current
    stamp = informe_stamp(exercise)
    started = time.perf_counter()

    def progress(fraction: float, note: str) -> None:
        job_progress(job_id=job_id, fraction=fraction, note=note)

    relative = f"{INFORME_DIR}/{exercise.slug}-{time.time_ns()}.pdf"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    with partial.open("wb") as output:
        pages = informe_pdf_write(exercise, output, progress=progress)
    partial.replace(target)
    row, _created = InformeFile.objects.update_or_create(
        exercise=exercise,
        defaults={
            "stamp": stamp,
            "path": relative,
            "size": target.stat().st_size,
            "pages": pages,
            "seconds": round(time.perf_counter() - started, 3),
            "generated_at": timezone.now(),
        },
    )
    for old in _stale_files(exercise, target):
        old.unlink(missing_ok=True)
    return row
