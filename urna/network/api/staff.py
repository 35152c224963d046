"""An entity's staff: the list, inviting a person (the set-password link by email), setting their
roles, marking the lead, deactivating, sending the link again."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from urna.accounts.models import Membership, Role, User
from urna.core.errors import NotFound
from urna.entities.models import Entity
from urna.network import selectors, services
from urna.network.api.common import MemberOut, member_dict, member_out, network_entity

router = Router()

RoleIn = Literal[tuple(Role.values)]  # type: ignore[valid-type]


class InviteIn(Schema):
    email: str = Field(..., max_length=254)
    first_name: str = Field(..., max_length=150)
    last_name: str = Field("", max_length=150)
    role: RoleIn
    is_lead: bool = False

    model_config = {"extra": "forbid"}


class RolesIn(Schema):
    roles: list[RoleIn] = Field(..., description="Los roles que la persona tendrá en la entidad")

    model_config = {"extra": "forbid"}


class LeadIn(Schema):
    is_lead: bool

    model_config = {"extra": "forbid"}


class DeactivatedOut(Schema):
    account_deactivated: bool = Field(
        description="La cuenta quedó desactivada (la persona no tiene rol en ninguna entidad)"
    )


def _member(entity: Entity, pk: int) -> User:
    user = selectors.entity_member(entity, pk)
    if user is None:
        raise NotFound(_("Esa persona no hace parte del equipo de la entidad."))
    return user


def _membership(entity: Entity, pk: int) -> Membership:
    membership = selectors.entity_membership(entity, pk)
    if membership is None:
        raise NotFound(_("Ese rol no existe en la entidad."))
    return membership


@router.get("/entities/{pk}/staff", response=list[MemberOut], summary="Equipo de la entidad")
def staff_list(request: HttpRequest, pk: int):
    """The entity's staff, one entry per person with their roles, by name. No emails."""
    entity = network_entity(request, pk)
    return [member_dict(m) for m in selectors.entity_members(entity)]


@router.post("/entities/{pk}/staff", response={201: MemberOut}, summary="Invitar a una persona")
def staff_invite(request: HttpRequest, pk: int, payload: InviteIn):
    """Give a person a role in the entity: an existing staff member by their email, or a new
    account that receives by email the link to set its own password."""
    entity = network_entity(request, pk)
    membership = services.staff_invite(
        entity=entity,
        by=request.user,
        email=payload.email,
        first_name=payload.first_name,
        last_name=payload.last_name,
        role=payload.role,
        is_lead=payload.is_lead,
        request=request,
    )
    return Status(201, member_out(entity, membership.user))


@router.put("/entities/{pk}/staff/{user_pk}/roles", response=MemberOut, summary="Cambiar los roles")
def staff_roles(request: HttpRequest, pk: int, user_pk: int, payload: RolesIn):
    """Set exactly the roles the person holds in the entity (at least one)."""
    entity = network_entity(request, pk)
    user = _member(entity, user_pk)
    services.staff_roles_set(
        user=user, entity=entity, roles=list(payload.roles), by=request.user, request=request
    )
    return member_out(entity, user)


@router.put(
    "/entities/{pk}/memberships/{membership_pk}/lead",
    response=MemberOut,
    summary="Marcar o desmarcar al líder",
)
def staff_lead(request: HttpRequest, pk: int, membership_pk: int, payload: LeadIn):
    """Whether this role's holder receives the entity's escalations of overdue queries."""
    entity = network_entity(request, pk)
    membership = _membership(entity, membership_pk)
    services.membership_set_lead(
        membership=membership, is_lead=payload.is_lead, by=request.user, request=request
    )
    return member_out(entity, membership.user)


@router.post(
    "/entities/{pk}/staff/{user_pk}/deactivate",
    response=DeactivatedOut,
    summary="Retirar a una persona del equipo",
)
def staff_deactivate(request: HttpRequest, pk: int, user_pk: int):
    """Take every role the person has in the entity; with no role left anywhere, their account
    is deactivated."""
    entity = network_entity(request, pk)
    user = _member(entity, user_pk)
    deactivated = services.staff_deactivate(
        user=user, entity=entity, by=request.user, request=request
    )
    return {"account_deactivated": deactivated}


@router.post(
    "/entities/{pk}/staff/{user_pk}/password-link",
    response={204: None},
    summary="Enviar de nuevo el enlace para definir la contraseña",
)
def staff_password_link(request: HttpRequest, pk: int, user_pk: int):
    entity = network_entity(request, pk)
    user = _member(entity, user_pk)
    services.password_link_send(user=user, entity=entity, by=request.user, request=request)
    return Status(204, None)
