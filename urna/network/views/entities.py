"""The list of entities, an entity's page, creating, editing and deactivating entities (the
platform team), and the territorial offices."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from urna.accounts.staff_tools import tool_required
from urna.core.web import run_action
from urna.entities.models import Entity
from urna.network import selectors, services
from urna.network.forms import EntityFilterForm, EntityForm, OfficeForm
from urna.network.services import MANAGE_ENTITIES, MANAGE_NETWORK
from urna.network.views.common import (
    can_manage_entities,
    entity_for,
    network_staff,
    require_somewhere,
)

PAGE_SIZE = 50


@network_staff
@tool_required("network:index")
def index(request: HttpRequest) -> HttpResponse:
    platform = can_manage_entities(request)
    form = EntityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    entities = selectors.entities_managed(
        user=request.user,
        q=data.get("q", ""),
        kind=data.get("tipo", ""),
        inactive=bool(data.get("inactivas")),
    )
    page = Paginator(entities, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "network/index.html",
        {"form": form, "page": page, "extra": query.urlencode(), "platform": platform},
    )


def _entity_fields(form: EntityForm) -> dict:
    data = form.cleaned_data
    return {
        key: data[key]
        for key in ("name", "acronym", "kind", "sector", "parent", "department", "municipality")
    }


@network_staff
@require_http_methods(["GET", "POST"])
def entity_create(request: HttpRequest) -> HttpResponse:
    require_somewhere(request, MANAGE_ENTITIES)
    form = EntityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entity = run_action(
            request,
            lambda: services.entity_create(
                by=request.user, request=request, **_entity_fields(form)
            ),
            _("Entidad creada. Ahora puede invitar a su equipo."),
            form=form,
        )
        if entity:
            return redirect("network:entity", pk=entity.pk)
    return render(
        request,
        "network/entity_form.html",
        {"form": form, "entity": None},
        status=422 if form.errors else 200,
    )


def _initial(entity: Entity) -> dict:
    return {
        "name": entity.name,
        "acronym": entity.acronym,
        "kind": entity.kind,
        "sector": entity.sector,
        "parent": entity.parent_id,
        "department": entity.department_id or "",
        "municipality": entity.municipality_id or "",
    }


@network_staff
def entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = MANAGE_ENTITIES if can_manage_entities(request) else MANAGE_NETWORK
    entity = entity_for(request, pk, action)
    return render(
        request,
        "network/entity.html",
        {
            "entity": entity,
            "platform": action == MANAGE_ENTITIES,
            "members": selectors.entity_members(entity),
            "rule_count": selectors.entity_rules(entity).count(),
            "day_count": selectors.entity_days(entity).count(),
            "template_count": selectors.entity_templates(entity).count(),
            "exercise_count": entity.exercises_owned.count(),
            "exercises": selectors.entity_exercises(entity),
        },
    )


@network_staff
@require_http_methods(["GET", "POST"])
def entity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entity = entity_for(request, pk, MANAGE_ENTITIES)
    form = EntityForm(request.POST or None, initial=_initial(entity), exclude_pk=entity.pk)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            request,
            lambda: services.entity_update(
                entity=entity, by=request.user, request=request, **_entity_fields(form)
            ),
            _("Entidad guardada."),
            form=form,
        )
        if saved:
            return redirect("network:entity", pk=entity.pk)
    return render(
        request,
        "network/entity_form.html",
        {"form": form, "entity": entity},
        status=422 if form.errors else 200,
    )


@network_staff
@require_POST
def entity_active(request: HttpRequest, pk: int) -> HttpResponse:
    entity = entity_for(request, pk, MANAGE_ENTITIES)
    active = request.POST.get("active") == "1"
    run_action(
        request,
        lambda: services.entity_set_active(
            entity=entity, active=active, by=request.user, request=request
        ),
        _("Entidad reactivada.") if active else _("Entidad desactivada: su equipo ya no entra."),
    )
    return redirect("network:entity", pk=entity.pk)


@network_staff
@tool_required("network:offices")
@require_http_methods(["GET", "POST"])
def offices(request: HttpRequest) -> HttpResponse:
    """Mayors' and governors' offices that run their own exercises with their own staff, and
    opening a new one with its administrator."""
    form = OfficeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = run_action(
            request,
            lambda: services.territorial_office_open(
                by=request.user,
                municipality=data["municipality"],
                department=None if data["municipality"] else data["department"],
                admin={
                    "email": data["email"],
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                },
                request=request,
            ),
            _("Oficina territorial lista: su administrador recibió el enlace para entrar."),
            form=form,
        )
        if membership:
            return redirect("network:entity", pk=membership.entity_id)
    return render(
        request,
        "network/offices.html",
        {"form": form, "offices": selectors.territorial_offices()},
        status=422 if form.errors else 200,
    )
