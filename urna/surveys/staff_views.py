"""Staff pages of surveys: the entity's surveys, creating one from an XLSForm, translating its
labels, opening, closing and publishing it, its population margins and quotas, and the
operator's phone interview (one question a page through the answering engine).

Thin: each page calls a service (which checks the permission and writes the audit log). A
survey outside the user's entities is a 404 however its URL is typed. No JavaScript needed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from urna.accounts.permissions import entity_ids_for
from urna.accounts.permissions import staff_required as _staff_required
from urna.accounts.staff_tools import tool_required
from urna.core.channels import Channel
from urna.core.errors import NotFound
from urna.core.web import run_action
from urna.entities.models import Entity
from urna.surveys import engine, selectors, services
from urna.surveys.form import form_of
from urna.surveys.forms import ImportForm, InviteForm, LabelsForm, MarginsForm, QuotasForm
from urna.surveys.margins import survey_margins_upload, survey_quotas_set
from urna.surveys.models import Invitation, Quota, Response, Survey
from urna.surveys.permissions import EDIT, INTERVIEW, RESULTS, VIEW, can
from urna.surveys.problems import FileInvalid
from urna.surveys.services.invitations import CHANNELS, invitation_audience, invitation_send
from urna.surveys.views import field_context, form_values
from urna.surveys.xlsform import xlsform_write
from urna.territory.models import Department


def staff_required(view):
    return login_required(_staff_required(view))


def _survey(request: HttpRequest, pk: int, action: str = VIEW) -> Survey:
    try:
        return selectors.survey_get_staff(user=request.user, pk=pk, action=action)
    except NotFound as exc:
        raise Http404 from exc


def _entities(request: HttpRequest) -> list[Entity]:
    allowed = entity_ids_for(request.user, EDIT)
    entities = Entity.objects.active().order_by("level", "name")
    if allowed is not None:
        entities = entities.filter(pk__in=allowed)
    return list(entities)


def _problems(request: HttpRequest, form: Any, call: Any, success: str) -> tuple[Any, list]:
    """Run a service for an upload form: (its result or None, the file's problems)."""
    problems: list = []

    def keep_problems() -> Any:
        try:
            return call()
        except FileInvalid as invalid:
            problems.extend(invalid.problems)
            raise

    return run_action(request, keep_problems, success, form=form), problems


@staff_required
@tool_required("surveys:staff_list")
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/staff/list.html",
        {
            "surveys": selectors.survey_list_staff(request.user)[:200],
            "may_create": can(request.user, EDIT),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_import(request: HttpRequest) -> HttpResponse:
    entities = _entities(request)
    if not entities:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, entities=entities)
    problems: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        survey, problems = _problems(
            request,
            form,
            lambda: services.survey_import(
                entity=form.entities[form.cleaned_data["entity"]],
                file=upload,
                filename=upload.name,
                by=request.user,
            ),
            _("Encuesta creada como borrador."),
        )
        if survey:
            for warning in survey.import_warnings:
                messages.warning(request, warning)
            return redirect("surveys:staff_detail", pk=survey.pk)
    return render(
        request,
        "surveys/staff/import.html",
        {"form": form, "problems": problems},
        status=400 if form.errors else 200,
    )


@staff_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = form_of(survey)
    context = {
        "survey": survey,
        "questions": [(form.questions[n], form.label(form.questions[n].label)) for n in form.order],
        "counts": selectors.response_counts(survey),
        "quotas": Quota.objects.filter(survey=survey),
        "result": selectors.survey_result(survey),
        "may_edit": can(request.user, EDIT, survey),
        "may_interview": can(request.user, INTERVIEW, survey) and "phone" in survey.channels,
        "may_results": can(request.user, RESULTS, survey),
    }
    return render(request, "surveys/staff/detail.html", context)


@staff_required
@require_POST
def staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    survey = _survey(request, pk, EDIT)
    calls = {
        "abrir": (
            lambda: services.survey_transition(survey=survey, action="open", by=request.user),
            _("Encuesta abierta."),
        ),
        "cerrar": (
            lambda: services.survey_transition(survey=survey, action="close", by=request.user),
            _("Encuesta cerrada."),
        ),
        "publicar": (
            lambda: services.survey_publish(survey=survey, published=True, by=request.user),
            _("Resultados publicados."),
        ),
        "despublicar": (
            lambda: services.survey_publish(survey=survey, published=False, by=request.user),
            _("Los resultados vuelven a ser solo para el equipo."),
        ),
    }
    if action not in calls:
        raise Http404
    call, success = calls[action]
    run_action(request, call, success)
    return redirect("surveys:staff_detail", pk=survey.pk)


def _form_page(
    request: HttpRequest,
    survey: Survey,
    form: Any,
    template: str,
    call: Any,
    success: str,
    **context: Any,
) -> HttpResponse:
    """A survey's settings page: a POST whose form is valid calls ``call(form.cleaned_data)``
    (a service), then back to the survey; errors (and a file's problems) on the page."""
    problems: list = []
    if request.method == "POST" and form.is_valid():
        done, problems = _problems(request, form, lambda: call(form.cleaned_data), success)
        if done:
            return redirect("surveys:staff_detail", pk=survey.pk)
    return render(
        request,
        template,
        {"survey": survey, "form": form, "problems": problems, **context},
        status=400 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_labels(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, EDIT)
    language = request.GET.get("idioma") or survey.languages[0]
    if language not in survey.languages:
        raise Http404
    form = LabelsForm(request.POST or None, form=form_of(survey), language=language)

    def save(data: dict) -> Survey:
        questions, choices = form.labels()
        return services.survey_labels_update(
            survey=survey,
            language=language,
            labels=questions,
            choices=choices,
            title=data["title"],
            by=request.user,
        )

    return _form_page(
        request,
        survey,
        form,
        "surveys/staff/labels.html",
        save,
        _("Textos guardados."),
        language=language,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_margins(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, EDIT)
    return _form_page(
        request,
        survey,
        MarginsForm(request.POST or None, request.FILES or None),
        "surveys/staff/margins.html",
        lambda data: survey_margins_upload(
            survey=survey,
            file=data["file"],
            name=data["name"],
            source=data["source"],
            by=request.user,
        ),
        _("Márgenes guardados: los pesos se recalculan en unos segundos."),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_quotas(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, EDIT)
    current = "\n".join(
        f"{q.dimension},{q.category},{q.target}" for q in Quota.objects.filter(survey=survey)
    )
    return _form_page(
        request,
        survey,
        QuotasForm(request.POST or None, initial={"quotas": current}),
        "surveys/staff/quotas.html",
        lambda data: survey_quotas_set(survey=survey, text=data["quotas"], by=request.user),
        _("Cuotas guardadas."),
    )


# --- phone interviews -------------------------------------------------------------------------
@staff_required
@require_POST
def interview_start(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, INTERVIEW)
    response = run_action(
        request,
        lambda: services.interview_start(survey=survey, operator=request.user),
    )
    if not response:
        return redirect("surveys:staff_detail", pk=survey.pk)
    return redirect("surveys:interview", token=response.token)


@staff_required
@require_http_methods(["GET", "POST"])
def interview(request: HttpRequest, token: str) -> HttpResponse:
    """One question a page: the operator reads it out and types the answer."""
    response = Response.objects.select_related("survey").filter(token=token).first()
    if response is None or response.channel != "phone" or response.operator_id != request.user.pk:
        raise Http404
    survey = response.survey
    form = form_of(survey)
    question = (
        engine.next_question(form, response.answers)
        if response.status == Response.Status.PARTIAL
        else None
    )
    if question is None:
        return render(request, "surveys/staff/interview_done.html", {"survey": survey})
    errors: dict[str, str] = {}
    if request.method == "POST":
        found = run_action(
            request,
            lambda: services.response_answer(
                response=response, values=form_values(request, [question])
            ),
        )
        if found == {}:
            return redirect("surveys:interview", token=token)
        errors = found or {}
    done, total = engine.progress(form, response.answers)
    context = {
        "survey": survey,
        "f": field_context(form, question, response.language, response.answers, errors),
        "done": done + 1,
        "total": total,
        "errors": errors,
    }
    return render(request, "surveys/staff/interview.html", context)


@staff_required
def staff_xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey as an XLSForm workbook (to edit in a spreadsheet, or to load in ODK/Kobo)."""
    survey = _survey(request, pk, EDIT)
    response = HttpResponse(
        xlsform_write(form_of(survey)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{survey.code}.xlsx"'
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def staff_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the contacts who consented to surveys (by channel and department), with one
    reminder; the page shows how many each channel reaches before sending."""
    survey = _survey(request, pk, EDIT)
    departments = [(d.code, d.display_name) for d in Department.objects.order_by("display_name")]
    form = InviteForm(
        request.POST or None,
        channels=[(c, Channel(c).label) for c in CHANNELS],
        departments=departments,
    )
    chosen = form.data.getlist("departments") if form.is_bound else []
    reach = {
        Channel(c).label: invitation_audience(channel=c, departments=chosen).count()
        for c in CHANNELS
    }
    return _form_page(
        request,
        survey,
        form,
        "surveys/staff/invite.html",
        lambda data: invitation_send(
            survey=survey,
            channel=data["channel"],
            departments=data["departments"],
            remind_after_days=data["remind_after_days"],
            by=request.user,
        ),
        _("Invitación en envío."),
        reach=reach,
        invitations=Invitation.objects.filter(survey=survey)[:20],
    )
