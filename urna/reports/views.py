"""Report pages: the exercise report (HTML and PDF), the annual report, staff takeaways."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from urna.accounts.permissions import can, entity_ids_for, staff_required
from urna.accounts.staff_tools import tool_required
from urna.core.errors import NotFound
from urna.core.web import run_action
from urna.exercises.models import Exercise
from urna.reports import selectors
from urna.reports.services import report_pdf_build, takeaways_save


class TakeawaysForm(forms.Form):
    """The takeaways page's one field, so a service's error shows on it (``run_action``)."""

    body = forms.CharField(required=False)


def _exercise_or_404(slug: str):
    try:
        return selectors.report_exercise(slug)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    exercises = list(selectors.reportable_exercises().order_by("-results_published_at", "-id")[:50])
    return render(
        request,
        "reports/index.html",
        {"exercises": exercises, "years": selectors.report_years()},
    )


@require_safe
def exercise_report(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _exercise_or_404(slug)
    return render(request, "reports/report.html", selectors.report_data(exercise))


@require_safe
def exercise_pdf(request: HttpRequest, slug: str) -> HttpResponseBase:
    exercise = _exercise_or_404(slug)
    stamp = selectors.report_stamp(exercise)
    etag = f'"report-{exercise.pk}-{int(stamp.timestamp())}"'
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(stamp.timestamp())
    )
    if not_modified is not None:
        return not_modified
    stored = report_pdf_build(exercise=exercise)
    response = FileResponse(
        (Path(settings.MEDIA_ROOT) / stored.path).open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"informe-participacion-{exercise.slug}.pdf",
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp.timestamp())
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def annual(request: HttpRequest, year: int) -> HttpResponse:
    if year < 2000 or year > timezone.localdate().year + 1:
        raise Http404
    return render(request, "reports/annual.html", selectors.annual_report(year))


@login_required
@staff_required
@tool_required("reports:staff_list")
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    exercises = list(
        Exercise.objects.public()
        .for_entities(entity_ids_for(request.user, "report.edit"))
        .select_related("owner", "report_takeaways")
        .order_by("-id")[:200]
    )
    return render(request, "reports/staff_list.html", {"exercises": exercises})


@login_required
@staff_required
@require_http_methods(["GET", "POST"])
def takeaways_edit(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = Exercise.objects.public().select_related("owner").filter(slug=slug).first()
    if exercise is None or not can(request.user, "report.edit", exercise):
        raise Http404
    takeaways = selectors.takeaways_of(exercise)
    body = takeaways.body if takeaways else ""
    error = None
    if request.method == "POST":
        form = TakeawaysForm(request.POST)
        body = request.POST.get("body", "")
        saved = run_action(
            request,
            lambda: takeaways_save(exercise=exercise, body=body, by=request.user, request=request),
            _("Se guardaron los aprendizajes del informe."),
            form=form,
        )
        if saved:
            return redirect("reports:takeaways", slug=exercise.slug)
        error = " ".join([*form.errors.get("body", []), *form.non_field_errors()])
    return render(
        request,
        "reports/takeaways_edit.html",
        {
            "exercise": exercise,
            "body": body,
            "error": error,
            "report_url": selectors.report_url_for(exercise),
        },
    )
