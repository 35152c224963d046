"""Staff pages of the indicators: the dashboard of an entity, and the platform team's manual
figures and goals.

A manager (or analyst, or campaign officer) sees the dashboard of their own entities only;
another entity's, asked for by its address, is a 404. Platform staff pick any entity or the
whole platform, and they alone enter manual figures and goals (every change audit-logged by
the services).
"""

from collections.abc import Callable
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urna.accounts.permissions import entity_ids_for, is_platform_staff, staff_required
from urna.accounts.staff_tools import staff_tool, tool_allows, tool_required
from urna.core.web import run_action
from urna.entities.models import Entity
from urna.indicators import selectors, services
from urna.indicators.dashboard import dashboard_build, page_context
from urna.indicators.forms import (
    GoalForm,
    ManualIndicatorForm,
    ManualValueEditForm,
    ManualValueForm,
    StaffScope,
)
from urna.indicators.models import IndicatorGoal, ManualIndicator, ManualValue


def _staff(view: Callable) -> Callable:
    return login_required(staff_required(view))


def _submit(request: HttpRequest, form, service: Callable, success: str, **bound) -> object:
    """A POSTed form, when valid, to its service (the form's fields are the service's keyword
    arguments); the service's domain errors go on the form's fields. None when not done."""
    if request.method != "POST" or not form.is_valid():
        return None
    call = partial(service, by=request.user, **bound, **form.cleaned_data)
    return run_action(request, call, success, form=form)


@_staff
@tool_required("indicators:staff_dashboard")
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    allowed = entity_ids_for(request.user, "indicators.view")
    entities = Entity.objects.active().exclude(kind=Entity.Kind.PLATFORM).order_by("name")
    if allowed is not None:
        entities = entities.filter(pk__in=allowed)
    entities = list(entities.only("id", "name", "slug", "acronym"))
    asked = request.GET.get("entidad", "")
    if asked and not any(str(e.pk) == asked for e in entities):
        raise Http404  # another entity's figures, asked for by tampering with the address
    available = selectors.years_available()
    form = StaffScope(
        request.GET or None, years=available, entities=entities, everything=allowed is None
    )
    year = available[0]
    entity = entities[0] if allowed is not None else None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["anio"] or year
        entity = next((e for e in entities if str(e.pk) == asked), entity)
    scope = selectors.scope_for_entity(entity)
    board = dashboard_build(year=year, scope=scope, available=available)
    return render(
        request,
        "indicators/staff/dashboard.html",
        {
            "form": form,
            **page_context(board),
            "platform": is_platform_staff(request.user),
        },
    )


# --- manual indicators ---------------------------------------------------------------------------


def _may_open_dashboard(request: HttpRequest) -> bool:
    """A platform moderator enters goals and manual figures but holds no dashboard: the pages
    link to it only for those it opens for."""
    return tool_allows(request.user, staff_tool("indicators:staff_dashboard"))


@_staff
def manual_list(request: HttpRequest) -> HttpResponse:
    """The manual indicators, their latest figures and the form to record one."""
    form = ManualValueForm(request.POST or None)
    if _submit(request, form, services.manual_value_create, _("Dato registrado.")):
        return redirect("indicators:manual_list")
    values = ManualValue.objects.select_related("indicator", "entity", "entered_by").order_by(
        "-year", "-month", "indicator__label"
    )[:200]
    return render(
        request,
        "indicators/staff/manual_list.html",
        {
            "form": form,
            "indicators": ManualIndicator.objects.all(),
            "values": values,
            "may_open_dashboard": _may_open_dashboard(request),
        },
    )


@_staff
def manual_indicator_edit(request: HttpRequest, key: str | None = None) -> HttpResponse:
    indicator = get_object_or_404(ManualIndicator, key=key) if key else None
    initial = None
    if indicator is not None:
        initial = {name: getattr(indicator, name) for name in services.MANUAL_FIELDS}
    form = ManualIndicatorForm(request.POST or None, initial=initial, editing=indicator is not None)
    if indicator is None:
        done = _submit(request, form, services.manual_indicator_create, _("Indicador guardado."))
    else:
        done = _submit(
            request,
            form,
            services.manual_indicator_update,
            _("Indicador guardado."),
            indicator=indicator,
        )
    if done:
        return redirect("indicators:manual_list")
    return render(
        request, "indicators/staff/manual_indicator.html", {"form": form, "indicator": indicator}
    )


@_staff
@require_POST
def manual_indicator_delete(request: HttpRequest, key: str) -> HttpResponse:
    indicator = get_object_or_404(ManualIndicator, key=key)
    done = run_action(
        request,
        lambda: services.manual_indicator_delete(by=request.user, indicator=indicator),
        _("Indicador borrado."),
    )
    if done:
        return redirect("indicators:manual_list")
    return redirect("indicators:manual_indicator_edit", key=key)


@_staff
def manual_value_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(ManualValue.objects.select_related("indicator", "entity"), pk=pk)
    form = ManualValueEditForm(
        request.POST or None,
        initial={"value": row.value.normalize(), "source": row.source, "note": row.note},
    )
    if _submit(request, form, services.manual_value_update, _("Dato corregido."), row=row):
        return redirect("indicators:manual_list")
    return render(request, "indicators/staff/manual_value.html", {"form": form, "row": row})


@_staff
@require_POST
def manual_value_delete(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(ManualValue.objects.select_related("indicator", "entity"), pk=pk)
    run_action(
        request,
        lambda: services.manual_value_delete(by=request.user, row=row),
        _("Dato borrado."),
    )
    return redirect("indicators:manual_list")


# --- goals ---------------------------------------------------------------------------------------


@_staff
def goals(request: HttpRequest) -> HttpResponse:
    """The goals of a year (for the platform and per entity) and the form to set one."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("anio") or today.year)
    except ValueError:
        year = today.year
    if not services.FIRST_YEAR <= year <= today.year + 1:
        year = today.year
    form = GoalForm(request.POST or None, initial={"year": year})
    if _submit(request, form, services.goal_set, _("Meta guardada.")):
        return redirect(f"{request.path}?anio={form.cleaned_data['year']}")
    labels = dict(pair for _group, pairs in form.fields["key"].choices for pair in pairs)
    rows = [
        (goal, labels.get(goal.key, goal.key))
        for goal in IndicatorGoal.objects.filter(year=year)
        .select_related("entity")
        .order_by("entity__name", "key")
    ]
    return render(
        request,
        "indicators/staff/goals.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "years": range(today.year + 1, today.year - 4, -1),
            "may_open_dashboard": _may_open_dashboard(request),
        },
    )


@_staff
@require_POST
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(IndicatorGoal, pk=pk)
    year = goal.year
    run_action(
        request, lambda: services.goal_delete(by=request.user, goal=goal), _("Meta borrada.")
    )
    return redirect(f"{reverse('indicators:goals')}?anio={year}")
