"""Pages of the informe global de observaciones: the staff draft (any phase, entity-scoped) and
the public informe (once the results are published), each as HTML, PDF and CSV."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from urna.accounts.permissions import can, staff_required
from urna.core.spreadsheets import csv_download
from urna.exercises.models import Contribution, Exercise
from urna.reports.informe import (
    decision_labels,
    informe_groups,
    informe_public_exercise,
    informe_rows,
    informe_stamp,
    informe_summary,
)
from urna.reports.services import (
    informe_current,
    informe_job,
    informe_regenerate,
)

ROWS_PER_PAGE = 100
RECEIPTS_SHOWN = 60
DOCUMENT_SECONDS = 600
CSV_HEADER = [
    "radicado",
    "fecha",
    "canal",
    "articulo",
    "observacion",
    "estado",
    "razon",
    "respuesta_comun",
]


def _staff_exercise(request: HttpRequest, slug: str) -> Exercise:
    exercise = Exercise.objects.select_related("owner").filter(slug=slug).first()
    if exercise is None or not can(request.user, "exercise.view_staff", exercise):
        raise Http404
    return exercise


def _public_exercise(slug: str) -> Exercise:
    exercise = informe_public_exercise(slug)
    if exercise is None:
        raise Http404
    return exercise


def _document(exercise: Exercise) -> dict[str, Any]:
    """The summary and common answers, cached while the informe's data stays the same (on a
    108,739-observation exercise they read every observation: about a second)."""
    key = f"reports:informe:{exercise.pk}:{informe_stamp(exercise)}"
    document = cache.get(key)
    if document is None:
        summary = informe_summary(exercise)
        summary.pop("exercise")
        summary.pop("entity")
        document = {**summary, "groups": informe_groups(exercise, receipts=RECEIPTS_SHOWN)}
        for group in document["groups"]:
            group["more"] = max(0, group["count"] - len(group["receipts"]))
        cache.set(key, document, DOCUMENT_SECONDS)
    return document


def _context(request: HttpRequest, exercise: Exercise, *, staff: bool) -> dict[str, Any]:
    document = _document(exercise)
    page = Paginator(range(document["individual"]), ROWS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    start = (page.number - 1) * ROWS_PER_PAGE
    labels = decision_labels()
    channels = dict(Contribution.Channel.choices)
    rows = [
        {
            **asdict(row),
            "channel_label": channels.get(row.channel, row.channel),
            "decision_label": labels.get(row.decision, row.decision),
        }
        for row in informe_rows(exercise, start=start, stop=start + ROWS_PER_PAGE)
    ]
    return {
        **document,
        "exercise": exercise,
        "entity": exercise.owner,
        "staff": staff,
        "page": page,
        "rows": rows,
    }


def _pdf_state(exercise: Exercise) -> dict[str, Any]:
    job = informe_job(exercise)
    return {
        "exercise": exercise,
        "pdf": informe_current(exercise),
        "job": job,
        "percent": round(100 * job.progress) if job else 0,
    }


@login_required
@staff_required
@require_safe
def staff_informe(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _staff_exercise(request, slug)
    context = _context(request, exercise, staff=True)
    return render(request, "reports/informe.html", {**context, **_pdf_state(exercise)})


@login_required
@staff_required
@require_safe
def staff_informe_progress(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _staff_exercise(request, slug)
    return render(request, "reports/_informe_pdf_state.html", _pdf_state(exercise))


@login_required
@staff_required
@require_POST
def staff_informe_build(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _staff_exercise(request, slug)
    if informe_current(exercise) is None:
        informe_regenerate(exercise=exercise)
    return redirect("reports:informe_staff", slug=exercise.slug)


def _pdf_response(stored: Any, exercise: Exercise) -> FileResponse:
    response = FileResponse(
        (Path(settings.MEDIA_ROOT) / stored.path).open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"informe-global-observaciones-{exercise.slug}.pdf",
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@staff_required
@require_safe
def staff_informe_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _staff_exercise(request, slug)
    stored = informe_current(exercise)
    if stored is None:
        return redirect("reports:informe_staff", slug=exercise.slug)
    return _pdf_response(stored, exercise)


def _csv(exercise: Exercise) -> StreamingHttpResponse:
    labels = decision_labels()
    channels = dict(Contribution.Channel.choices)

    def rows():
        yield CSV_HEADER
        for row in informe_rows(exercise, grouped=True):
            yield [
                row.receipt,
                timezone.localtime(row.created_at).isoformat(),
                str(channels.get(row.channel, row.channel)),
                row.article,
                row.text,
                labels.get(row.decision, row.decision),
                row.reason,
                row.group,
            ]

    return csv_download(
        rows(), filename=f"informe-global-observaciones-{exercise.slug}.csv", private=False
    )


@login_required
@staff_required
@require_safe
def staff_informe_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    return _csv(_staff_exercise(request, slug))


@require_safe
def informe(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _public_exercise(slug)
    return render(request, "reports/informe.html", _context(request, exercise, staff=False))


@require_safe
def informe_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The stored PDF; while it is (re)built, a page that says so (503, retry shortly)."""
    exercise = _public_exercise(slug)
    stored = informe_current(exercise)
    if stored is not None:
        response = _pdf_response(stored, exercise)
        response["Cache-Control"] = "public, max-age=300"
        return response
    if informe_job(exercise) is None:
        informe_regenerate(exercise=exercise)
    response = render(request, "reports/informe_generating.html", _pdf_state(exercise), status=503)
    response["Retry-After"] = "30"
    return response


@require_safe
def informe_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    return _csv(_public_exercise(slug))
