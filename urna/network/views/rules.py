"""How an entity receives and answers queries: routing rules (with a test of a sample query),
terms and non-working days (beside Colombia's public holidays), answer templates (with their
placeholders and a preview)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from urna.core.web import run_action
from urna.network import selectors, services
from urna.network.forms import (
    NonWorkingDayForm,
    RoutingTestForm,
    RuleForm,
    TemplateForm,
    TermsForm,
)
from urna.network.services import MANAGE_ENTITIES
from urna.network.views.common import entity_for, network_staff, require_somewhere
from urna.queries import terms
from urna.queries.models import CONFIGURABLE_TYPES, AnswerTemplate, EntityNonWorkingDay
from urna.queries.placeholders import PLACEHOLDERS, placeholders_preview


def _rule(entity, pk: int):
    rule = selectors.entity_rules(entity).filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


def _rule_save(request: HttpRequest, entity, form: RuleForm, rule=None):
    return run_action(
        request,
        lambda: services.routing_rule_save(
            entity=entity, by=request.user, rule=rule, request=request, **form.cleaned_data
        ),
        _("Regla guardada."),
        form=form,
    )


@network_staff
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest, pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _rule_save(request, entity, form):
        return redirect("network:rules", pk=entity.pk)
    test_form = RoutingTestForm(
        request.GET if "texto" in request.GET else None, auto_id="prueba_%s"
    )
    tested, winner = False, None
    if test_form.is_bound and test_form.is_valid():
        data = test_form.cleaned_data
        tested = True
        winner = services.routing_test(
            text=data["texto"], type=data["tipo"], municipality=data["municipality"]
        )
    return render(
        request,
        "network/rules.html",
        {
            "entity": entity,
            "form": form,
            "rules": selectors.entity_rules(entity),
            "test_form": test_form,
            "tested": tested,
            "winner": winner,
        },
        status=422 if form.errors else 200,
    )


@network_staff
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    rule = _rule(entity, rule_pk)
    initial = {
        "priority": rule.priority,
        "keywords": rule.keywords,
        "query_type": rule.query_type,
        "department": rule.department_id or "",
        "municipality": rule.municipality_id or "",
        "active": rule.active,
    }
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _rule_save(request, entity, form, rule):
        return redirect("network:rules", pk=entity.pk)
    return render(
        request,
        "network/rule_form.html",
        {"entity": entity, "rule": rule, "form": form},
        status=422 if form.errors else 200,
    )


@network_staff
@require_POST
def rule_move(request: HttpRequest, pk: int, rule_pk: int, direction: str) -> HttpResponse:
    entity = entity_for(request, pk)
    rule = _rule(entity, rule_pk)
    if direction not in ("subir", "bajar"):
        raise Http404
    run_action(
        request,
        lambda: services.routing_rule_move(
            rule=rule, up=direction == "subir", by=request.user, request=request
        ),
        _("Orden de las reglas guardado."),
    )
    return redirect("network:rules", pk=entity.pk)


@network_staff
@require_POST
def rule_delete(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    rule = _rule(entity, rule_pk)
    run_action(
        request,
        lambda: services.routing_rule_delete(rule=rule, by=request.user, request=request),
        _("Regla borrada."),
    )
    return redirect("network:rules", pk=entity.pk)


def _terms_save(request: HttpRequest, entity, form: TermsForm) -> bool:
    saved = run_action(
        request,
        lambda: services.entity_terms_set(
            entity=entity,
            days_by_type={t: form.cleaned_data.get(t) for t in CONFIGURABLE_TYPES},
            by=request.user,
            request=request,
        ),
        form=form,
    )
    return bool(saved)


@network_staff
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """Terms per query type and non-working days, beside the national holidays."""
    entity = entity_for(request, pk)
    rows = selectors.entity_terms(entity)
    initial = {row.type: row.own_days for row in rows if row.configurable}
    posted = request.POST.get("form")
    terms_form = TermsForm(request.POST if posted == "terms" else None, initial=initial)
    day_form = NonWorkingDayForm(request.POST if posted == "day" else None)
    if posted == "terms" and terms_form.is_valid() and _terms_save(request, entity, terms_form):
        messages.success(request, _("Términos guardados: rigen para las consultas nuevas."))
        return redirect("network:calendar", pk=entity.pk)
    if posted == "day" and day_form.is_valid():
        data = day_form.cleaned_data
        saved = run_action(
            request,
            lambda: services.non_working_day_add(
                entity=entity,
                day=data["date"],
                reason=data["reason"],
                by=request.user,
                request=request,
            ),
            _("Día no hábil agregado."),
            form=day_form,
        )
        if saved:
            return redirect("network:calendar", pk=entity.pk)
    errors = terms_form.errors or day_form.errors
    return render(
        request,
        "network/calendar.html",
        {
            "entity": entity,
            "rows": rows,
            "terms_form": terms_form,
            "day_form": day_form,
            "days": selectors.entity_days(entity),
            "holidays": selectors.national_holidays_from(terms.local_today()),
        },
        status=422 if errors else 200,
    )


@network_staff
@require_POST
def day_delete(request: HttpRequest, pk: int, day_pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    day = EntityNonWorkingDay.objects.filter(pk=day_pk, entity=entity).first()
    if day is None:
        raise Http404
    run_action(
        request,
        lambda: services.non_working_day_remove(day=day, by=request.user, request=request),
        _("Día no hábil quitado."),
    )
    return redirect("network:calendar", pk=entity.pk)


def _template(entity, pk: int) -> AnswerTemplate:
    templates = selectors.entity_templates(entity) if entity else selectors.shared_templates()
    template = templates.filter(pk=pk).first()
    if template is None:
        raise Http404
    return template


def _template_page(request, entity, form, template, status=200) -> HttpResponse:
    body = form.data.get("body") if form.is_bound else (template.body if template else "")
    return render(
        request,
        "network/templates.html" if template is None else "network/template_form.html",
        {
            "entity": entity,
            "form": form,
            "template": template,
            "templates": selectors.entity_templates(entity)
            if entity
            else selectors.shared_templates(),
            "shared": selectors.shared_templates() if entity else [],
            "placeholders": PLACEHOLDERS,
            "preview": placeholders_preview(body) if body else "",
        },
        status=status,
    )


@network_staff
@require_http_methods(["GET", "POST"])
def templates(request: HttpRequest, pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    return _template_save_page(request, entity, None)


@network_staff
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int, template_pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    return _template_save_page(request, entity, _template(entity, template_pk))


def _template_save_page(request: HttpRequest, entity, template) -> HttpResponse:
    initial = {"title": template.title, "body": template.body} if template else None
    form = TemplateForm(request.POST or None, initial=initial)
    # "Vista previa" shows the filled text without saving; "Guardar" saves.
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        saved = run_action(
            request,
            lambda: services.answer_template_save(
                entity=entity,
                by=request.user,
                template=template,
                request=request,
                **form.cleaned_data,
            ),
            _("Plantilla guardada."),
            form=form,
        )
        if saved and entity is None:
            return redirect("network:shared_template", template_pk=saved.pk)
        if saved:
            return redirect("network:template", pk=entity.pk, template_pk=saved.pk)
    return _template_page(request, entity, form, template, status=422 if form.errors else 200)


@network_staff
@require_POST
def template_delete(request: HttpRequest, pk: int, template_pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    template = _template(entity, template_pk)
    run_action(
        request,
        lambda: services.answer_template_delete(
            template=template, by=request.user, request=request
        ),
        _("Plantilla borrada."),
    )
    return redirect("network:templates", pk=entity.pk)


@network_staff
@require_http_methods(["GET", "POST"])
def shared_templates(request: HttpRequest) -> HttpResponse:
    """Templates every entity may use: the platform team's."""
    require_somewhere(request, MANAGE_ENTITIES)
    return _template_save_page(request, None, None)


@network_staff
@require_http_methods(["GET", "POST"])
def shared_template_edit(request: HttpRequest, template_pk: int) -> HttpResponse:
    require_somewhere(request, MANAGE_ENTITIES)
    return _template_save_page(request, None, _template(None, template_pk))


@network_staff
@require_POST
def shared_template_delete(request: HttpRequest, template_pk: int) -> HttpResponse:
    require_somewhere(request, MANAGE_ENTITIES)
    template = _template(None, template_pk)
    run_action(
        request,
        lambda: services.answer_template_delete(
            template=template, by=request.user, request=request
        ),
        _("Plantilla borrada."),
    )
    return redirect("network:shared_templates")
