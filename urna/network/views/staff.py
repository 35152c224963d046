"""An entity's staff: invite, give and take roles, mark the lead, deactivate, send the link to
set a password again. Nobody's password is ever shown or set here."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from urna.accounts.models import Membership, User
from urna.core.web import run_action
from urna.network import selectors, services
from urna.network.forms import InviteForm, RoleForm
from urna.network.views.common import entity_for, network_staff


def _membership(entity, pk: int) -> Membership:
    membership = selectors.entity_membership(entity, pk)
    if membership is None:
        raise Http404
    return membership


def _member(entity, pk: int) -> User:
    user = selectors.entity_member(entity, pk)
    if user is None:
        raise Http404
    return user


def _back(entity) -> HttpResponse:
    return redirect("network:staff", pk=entity.pk)


@network_staff
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_action(
            request,
            lambda: services.staff_invite(entity=entity, by=request.user, request=request, **data),
            _("Rol asignado. Si la persona no tenía cuenta, recibió un enlace para entrar."),
            form=form,
        )
        if saved:
            return _back(entity)
    return render(
        request,
        "network/staff.html",
        {
            "entity": entity,
            "form": form,
            "role_form": RoleForm(),
            "members": selectors.entity_members(entity),
        },
        status=422 if form.errors else 200,
    )


@network_staff
@require_POST
def role_add(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    user = _member(entity, user_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _back(entity)
    run_action(
        request,
        lambda: services.membership_add(
            user=user,
            entity=entity,
            role=form.cleaned_data["role"],
            by=request.user,
            request=request,
        ),
        _("Rol asignado."),
    )
    return _back(entity)


@network_staff
@require_POST
def role_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    membership = _membership(entity, membership_pk)
    run_action(
        request,
        lambda: services.membership_remove(membership=membership, by=request.user, request=request),
        _("Rol retirado."),
    )
    return _back(entity)


@network_staff
@require_POST
def lead_set(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    membership = _membership(entity, membership_pk)
    is_lead = request.POST.get("is_lead") == "1"
    run_action(
        request,
        lambda: services.membership_set_lead(
            membership=membership, is_lead=is_lead, by=request.user, request=request
        ),
        _("Ahora recibe los escalamientos.") if is_lead else _("Ya no recibe los escalamientos."),
    )
    return _back(entity)


@network_staff
@require_POST
def member_deactivate(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    user = _member(entity, user_pk)
    run_action(
        request,
        lambda: services.staff_deactivate(
            user=user, entity=entity, by=request.user, request=request
        ),
        _("La persona ya no hace parte del equipo de la entidad."),
    )
    return _back(entity)


@network_staff
@require_POST
def password_link(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    entity = entity_for(request, pk)
    user = _member(entity, user_pk)
    run_action(
        request,
        lambda: services.password_link_send(
            user=user, entity=entity, by=request.user, request=request
        ),
        _("Enlace enviado a su correo."),
    )
    return _back(entity)
