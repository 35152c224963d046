"""Staff pages of the results matrix: the filtered, paged list of an exercise's contributions
with their answers, answering one, ticked rows, a campaign, a theme or a whole filter result,
the progress of bulk answers, and the entity's answer templates."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urna.accounts.permissions import can, entity_ids_for, staff_required
from urna.core.errors import InvalidInput, NotFound
from urna.core.web import run_action
from urna.entities.models import Entity
from urna.exercises.models import Contribution, Exercise
from urna.exercises.selectors import staff_exercise_get
from urna.results import selectors, services
from urna.results.forms import BulkAnswerForm, ResponseForm, TemplateForm
from urna.results.models import AnswerBatch, AnswerTemplate
from urna.results.selectors import MatrixFilters, number_es


def _staff(view):
    return login_required(staff_required(view))


def _exercise(request: HttpRequest, slug: str) -> Exercise:
    try:
        return staff_exercise_get(user=request.user, slug=slug, action="contribution.respond")
    except NotFound as exc:
        raise Http404 from exc


def _personal(request: HttpRequest, exercise: Exercise) -> bool:
    return can(request.user, "contribution.view_personal_data", exercise)


def matrix_url(exercise: Exercise, filters: MatrixFilters, page: Any = None, **extra: Any) -> str:
    params = filters.as_params()
    if page and str(page) != "1":
        params["pagina"] = str(page)
    params.update({k: str(v) for k, v in extra.items() if v})
    query = urlencode(params)
    return reverse("results:matrix", args=[exercise.slug]) + (f"?{query}" if query else "")


def _template_for(request: HttpRequest) -> AnswerTemplate | None:
    pk = selectors.positive_int(request.GET.get("plantilla"))
    return selectors.templates_for(request.user).filter(pk=pk).first() if pk else None


@_staff
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _exercise(request, slug)
    filters = selectors.matrix_filters_parse(request.GET)
    personal = _personal(request, exercise)
    page = selectors.matrix_page(
        exercise, filters, page=request.GET.get("pagina"), personal=personal
    )
    progress = selectors.matrix_progress(exercise)
    template = _template_for(request)
    theme = selectors.theme_get(exercise, filters.theme)
    campaign = selectors.campaign_get(exercise, filters.group)
    initial = {"keep": True, "selection": "rows"}
    if template is not None:
        initial.update(decision=template.decision, reason=template.reason, title=template.title)
    return render(
        request,
        "results/matrix.html",
        {
            "exercise": exercise,
            "filters": filters,
            "params": urlencode(filters.as_params()),
            "filter_fields": filters.as_params().items(),
            "page": page,
            "count_es": number_es(page.count),
            "progress": progress,
            "answered_es": number_es(progress.answered),
            "total_es": number_es(progress.total),
            "choices": selectors.filter_choices(exercise, filters),
            "theme": theme,
            "campaign": campaign,
            "batches": selectors.batches_running(exercise),
            "templates": list(selectors.templates_for(request.user)),
            "template": template,
            "bulk_form": BulkAnswerForm(initial=initial),
            "response_form": ResponseForm(),
            "respondable": exercise.status in services.RESPONDABLE_STATUSES,
            "sees_personal_data": personal,
            "inline_max": number_es(services.INLINE_MAX),
        },
    )


@_staff
@require_POST
def answer_one(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _exercise(request, slug)
    filters = selectors.matrix_filters_parse(request.POST)
    contribution = (
        Contribution.objects.filter(exercise=exercise, pk=request.POST.get("contribution") or 0)
        .select_related("exercise__owner")
        .first()
    )
    if contribution is None:
        raise Http404
    form = ResponseForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.contribution_respond(
                contribution=contribution, by=request.user, request=request, **form.cleaned_data
            ),
            _("Respuesta guardada."),
        )
    else:
        messages.error(request, _("Elija la decisión y escriba la razón."))
    return redirect(matrix_url(exercise, filters, request.POST.get("pagina")))


def _selection(
    request: HttpRequest, exercise: Exercise, kind: str, filters: MatrixFilters
) -> tuple[dict, str]:
    """The selection a bulk answer names, and the group title it suggests."""
    if kind == AnswerBatch.Kind.ROWS:
        ids = [pk for pk in request.POST.getlist("contributions") if pk.isdigit()]
        if not ids:
            raise InvalidInput(_("Marque al menos un aporte."), field="selection")
        return {"ids": [int(pk) for pk in ids]}, ""
    if kind == AnswerBatch.Kind.THEME:
        theme = selectors.theme_get(exercise, filters.theme)
        if theme is None:
            raise InvalidInput(_("Filtre primero por un tema."), field="selection")
        return {"theme": theme.pk}, _("Tema: %(name)s") % {"name": theme.name}
    if kind == AnswerBatch.Kind.CAMPAIGN:
        group = selectors.campaign_get(exercise, filters.group)
        if group is None:
            raise InvalidInput(_("Filtre primero por una campaña."), field="selection")
        text = group.representative.masked_text[:80]
        return {"group": group.pk}, _("Campaña (%(n)s aportes): %(text)s") % {
            "n": number_es(group.size),
            "text": text,
        }
    return {"filters": filters.as_json(), "personal": _personal(request, exercise)}, ""


def _bulk_message(batch: AnswerBatch) -> str:
    if batch.status == AnswerBatch.Status.RUNNING:
        return _(
            "Se están respondiendo %(n)s aportes en segundo plano: el avance se muestra arriba."
        ) % {"n": number_es(batch.total)}
    return _("Respuesta «%(title)s» dada a %(n)s aportes (%(skipped)s ya tenían respuesta).") % {
        "title": batch.group.title,
        "n": number_es(batch.answered),
        "skipped": number_es(batch.skipped),
    }


@_staff
@require_POST
def answer_many(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _exercise(request, slug)
    filters = selectors.matrix_filters_parse(request.POST)
    page = request.POST.get("pagina")
    if "usar_plantilla" in request.POST:
        # Without JavaScript, "use template" reloads the page with the template's text filled in.
        return redirect(
            matrix_url(exercise, filters, page, plantilla=request.POST.get("plantilla"))
            + "#responder"
        )
    form = BulkAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija a qué aportes responder, la decisión y la razón."))
        return redirect(matrix_url(exercise, filters, page) + "#responder")
    data = form.cleaned_data

    def start() -> AnswerBatch:
        selection, suggested = _selection(request, exercise, data["selection"], filters)
        return services.answer_batch_start(
            exercise=exercise,
            kind=data["selection"],
            selection=selection,
            title=data["title"] or suggested,
            decision=data["decision"],
            reason=data["reason"],
            overwrite=not data["keep"],
            by=request.user,
            request=request,
        )

    batch = run_action(request, start)
    if batch is not None:
        messages.success(request, _bulk_message(batch))
    return redirect(matrix_url(exercise, filters, page))


@_staff
def batches(request: HttpRequest, slug: str) -> HttpResponse:
    """The running bulk answers and the progress (polled by htmx; a page of its own without)."""
    exercise = _exercise(request, slug)
    context = {
        "exercise": exercise,
        "batches": selectors.batches_running(exercise),
        "progress": selectors.matrix_progress(exercise),
    }
    context["answered_es"] = number_es(context["progress"].answered)
    context["total_es"] = number_es(context["progress"].total)
    if request.headers.get("HX-Request"):
        return render(request, "results/_progress.html", context)
    return render(request, "results/progress.html", context)


# --- answer templates ----------------------------------------------------------------------------


def _template_entities(request: HttpRequest) -> list[Entity]:
    ids = entity_ids_for(request.user, "contribution.respond")
    qs = Entity.objects.active().order_by("name")
    return list(qs if ids is None else qs.filter(pk__in=ids))


@_staff
def template_list(request: HttpRequest) -> HttpResponse:
    entities = _template_entities(request)
    if not entities:
        raise Http404
    form = TemplateForm(request.POST or None, entities=entities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entity = next(e for e in entities if e.pk == data["entity"])
        created = run_action(
            request,
            lambda: services.answer_template_create(
                entity=entity,
                title=data["title"],
                decision=data["decision"],
                reason=data["reason"],
                by=request.user,
                request=request,
            ),
            _("Plantilla creada."),
            form=form,
        )
        if created is not None:
            return redirect("results:templates")
    return render(
        request,
        "results/templates.html",
        {"form": form, "templates": selectors.templates_for(request.user)},
        status=400 if form.errors else 200,
    )


def _template(request: HttpRequest, pk: int) -> AnswerTemplate:
    template = selectors.templates_for(request.user).filter(pk=pk).first()
    if template is None:
        raise Http404
    return template


@_staff
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    form = TemplateForm(
        request.POST or None,
        entities=[template.entity],
        initial={
            "entity": template.entity_id,
            "title": template.title,
            "decision": template.decision,
            "reason": template.reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_action(
            request,
            lambda: services.answer_template_update(
                template=template,
                title=data["title"],
                decision=data["decision"],
                reason=data["reason"],
                by=request.user,
                request=request,
            ),
            _("Plantilla guardada."),
            form=form,
        )
        if saved is not None:
            return redirect("results:templates")
    return render(
        request,
        "results/template_form.html",
        {"form": form, "template": template},
        status=400 if form.errors else 200,
    )


@_staff
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    run_action(
        request,
        lambda: services.answer_template_delete(
            template=template, by=request.user, request=request
        ),
        _("Plantilla eliminada."),
    )
    return redirect("results:templates")
