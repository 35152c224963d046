"""Public pages of surveys: the list of open ones, the form (one page per section, no
JavaScript needed) and the results page (public once published, else for the entity's staff).

The results page reads the stored aggregates only (``SurveyResult``, recomputed by the
``surveys.results`` job), so its queries do not grow with the number of responses; it labels
them in the reader's language from the survey's (cached) form.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from urna.core.charts import bar_chart
from urna.core.errors import DomainError, NotFound
from urna.surveys import engine, exports, selectors, services
from urna.surveys.form import form_of
from urna.surveys.models import Response, Survey
from urna.surveys.permissions import RESULTS, can
from urna.surveys.results import results_labelled

EXPORTS = {"resultados", "microdatos"}


def _language(survey: Survey) -> str:
    code = (get_language() or "es")[:2]
    return code if code in survey.languages else survey.languages[0]


def survey_list(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/list.html", {"surveys": selectors.surveys_open("web")})


def _survey(slug: str) -> Survey:
    try:
        return selectors.survey_public(slug)
    except NotFound as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
def survey_start(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    if request.method == "POST":
        try:
            response = services.response_start(
                survey=survey, channel="web", language=_language(survey)
            )
        except DomainError as error:
            return render(request, "surveys/closed.html", {"survey": survey, "error": error})
        return redirect("surveys:answer", token=response.token)
    return render(request, "surveys/start.html", {"survey": survey})


def form_values(request: HttpRequest, questions: list) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for q in questions:
        if q.kind in {"multiple"}:
            values[q.name] = request.POST.getlist(q.name)
        elif q.kind == "ranking":
            order = sorted((request.POST.get(f"{q.name}__{c.name}", ""), c.name) for c in q.choices)
            values[q.name] = [name for position, name in order if position]
        elif q.kind == "matrix":
            values[q.name] = {r.name: request.POST.get(f"{q.name}__{r.name}", "") for r in q.rows}
        else:
            values[q.name] = request.POST.get(q.name, "")
    return values


@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The page of the section holding the next question; a POST saves the page's answers."""
    response = Response.objects.select_related("survey").filter(token=token).first()
    if response is None:
        raise Http404
    if response.status != Response.Status.PARTIAL:
        return render(request, "surveys/thanks.html", {"survey": response.survey})
    form = form_of(response.survey)
    question = engine.next_question(form, response.answers)
    if question is None:
        return render(request, "surveys/thanks.html", {"survey": response.survey})
    section = form.section(question.section)
    errors: dict[str, str] = {}
    if request.method == "POST":
        questions = engine.section_questions(form, section.name, response.answers)
        errors = services.response_answer(response=response, values=form_values(request, questions))
        if not errors:
            return redirect("surveys:answer", token=token)
    questions = engine.section_questions(form, section.name, response.answers)
    position, total = engine.section_progress(form, section.name)
    language = response.language
    context = {
        "survey": response.survey,
        "section_label": form.label(section.label, language),
        "fields": [field_context(form, q, language, response.answers, errors) for q in questions],
        "position": position,
        "total": total,
        "errors": errors,
    }
    return render(request, "surveys/section.html", context)


def field_context(form, question, language: str, answers: dict, errors: dict) -> dict[str, Any]:
    return {
        "q": question,
        "label": form.label(question.label, language),
        "hint": form.label(question.hint, language) if question.hint else "",
        "choices": [(c.name, form.label(c.label, language)) for c in question.choices],
        "rows": [(r.name, form.label(r.label, language)) for r in question.rows],
        "value": answers.get(question.name),
        "error": errors.get(question.name, ""),
    }


def _charts(payload: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for question in payload.get("questions", []):
        chart = None
        if question.get("choices") and question["kind"] in {"single", "multiple"}:
            items = [
                (c["label"], round((c.get("value") or 0) * 100, 1)) for c in question["choices"]
            ]
            chart = bar_chart(items, title=question["label"], unit="%")
        out.append({**question, "chart": chart})
    return out


def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    if not survey.published and not can(request.user, RESULTS, survey):
        raise Http404
    result = selectors.survey_result(survey)
    payload = results_labelled(result.payload, form_of(survey), _language(survey)) if result else {}
    context = {
        "survey": survey,
        "result": result,
        "questions": _charts(payload),
        "quotas": payload.get("quotas", []),
        "staff": can(request.user, RESULTS, survey),
        "note": _("Estimaciones ponderadas con margen de error al 95 %."),
    }
    return render(request, "surveys/results.html", context)


@require_GET
def survey_export(request: HttpRequest, slug: str, what: str, fmt: str) -> HttpResponseBase:
    """The estimates or the anonymised microdata as CSV or XLSX: public once published, for
    the entity's staff before."""
    survey = _survey(slug)
    if what not in EXPORTS or fmt not in {"csv", "xlsx"}:
        raise Http404
    if not survey.published and not can(request.user, RESULTS, survey):
        raise Http404
    header, rows = exports.table(survey, what)
    filename = f"{survey.slug}-{what}.{fmt}"
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            exports.csv_lines(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes(header, rows, title=what),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
