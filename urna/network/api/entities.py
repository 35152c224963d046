"""The entities a user administers, the network's partners, and the territorial offices (opened
by the platform team with their first administrator)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja import Query as QueryParams

from urna.accounts import permissions
from urna.entities.models import Entity
from urna.network import access, selectors, services
from urna.network.api.common import (
    LIST_MAX,
    EntityOut,
    ManagedEntityOut,
    MemberOut,
    department_by_code,
    entity_dict,
    member_out,
    municipality_by_code,
)
from urna.network.services import MANAGE_ENTITIES, MANAGE_NETWORK

router = Router()

KindIn = Literal[tuple(Entity.Kind.values)]  # type: ignore[valid-type]


class EntityDetailOut(ManagedEntityOut):
    rule_count: int
    non_working_day_count: int
    template_count: int
    exercise_count: int


class EntityFilters(Schema):
    q: str = Field("", max_length=100)
    kind: KindIn | None = None
    inactive: bool = Field(False, description="Incluir las desactivadas (equipo de la plataforma)")
    limit: int = Field(50, ge=1, le=LIST_MAX)
    offset: int = Field(0, ge=0, le=1_000_000)


class OfficeAdminIn(Schema):
    email: str = Field(..., max_length=254)
    first_name: str = Field(..., max_length=150)
    last_name: str = Field("", max_length=150)

    model_config = {"extra": "forbid"}


class OfficeIn(Schema):
    municipality: str | None = Field(None, max_length=5, description="Código DANE (alcaldía)")
    department: str | None = Field(None, max_length=2, description="Código DANE (gobernación)")
    admin: OfficeAdminIn

    model_config = {"extra": "forbid"}


class OfficeOut(ManagedEntityOut):
    exercise_count: int


class OfficeOpenedOut(Schema):
    office: EntityOut
    admin: MemberOut


# --- entities ---------------------------------------------------------------------------------


@router.get("/entities", response=list[ManagedEntityOut], summary="Entidades que administro")
def entity_list(request: HttpRequest, filters: QueryParams[EntityFilters]):
    """The entities whose network the caller runs: their own for an entity's administrators,
    every one for the platform team, by level and name."""
    access.require_somewhere(request.user, MANAGE_NETWORK)
    rows = selectors.entities_managed(
        user=request.user, q=filters.q, kind=filters.kind or "", inactive=filters.inactive
    ).select_related("parent")
    rows = rows[filters.offset : filters.offset + filters.limit]
    return [{**entity_dict(e), "staff_count": e.staff_count} for e in rows]


@router.get("/entities/{pk}", response=EntityDetailOut, summary="Una entidad que administro")
def entity_detail(request: HttpRequest, pk: int):
    action = MANAGE_ENTITIES if permissions.can(request.user, MANAGE_ENTITIES) else MANAGE_NETWORK
    entity = access.entity_for(user=request.user, pk=pk, action=action)
    members = selectors.entity_members(entity)
    return {
        **entity_dict(entity),
        "staff_count": sum(1 for m in members if m.user.is_active),
        "rule_count": selectors.entity_rules(entity).count(),
        "non_working_day_count": selectors.entity_days(entity).count(),
        "template_count": selectors.entity_templates(entity).count(),
        "exercise_count": entity.exercises_owned.count(),
    }


@router.get("/partners", response=list[EntityOut], summary="Entidades aliadas de la red")
def partner_list(request: HttpRequest):
    """The network's active partner entities (universities, chambers of commerce…), by name."""
    access.require_somewhere(request.user, MANAGE_NETWORK)
    return [entity_dict(e) for e in selectors.partner_entities()[:LIST_MAX]]


# --- territorial offices ----------------------------------------------------------------------


@router.get("/offices", response=list[OfficeOut], summary="Oficinas territoriales")
def office_list(request: HttpRequest):
    """Mayors' and governors' offices that run their own exercises or have their own staff."""
    if not permissions.can(request.user, MANAGE_ENTITIES):
        access.require_somewhere(request.user, MANAGE_NETWORK)
    rows = selectors.territorial_offices().select_related("parent")[:LIST_MAX]
    return [
        {**entity_dict(e), "staff_count": e.staff_count, "exercise_count": e.exercise_count}
        for e in rows
    ]


@router.post(
    "/offices",
    response={201: OfficeOpenedOut},
    summary="Abrir una oficina territorial (equipo de la plataforma)",
)
def office_open(request: HttpRequest, payload: OfficeIn):
    """A municipality's mayor's office (or a department's governor's office) with its first
    administrator, who receives by email the link to set a password."""
    access.require_somewhere(request.user, MANAGE_ENTITIES)
    membership = services.territorial_office_open(
        by=request.user,
        municipality=municipality_by_code(payload.municipality),
        department=None if payload.municipality else department_by_code(payload.department),
        admin={
            "email": payload.admin.email,
            "first_name": payload.admin.first_name,
            "last_name": payload.admin.last_name,
        },
        request=request,
    )
    office = membership.entity
    return Status(
        201, {"office": entity_dict(office), "admin": member_out(office, membership.user)}
    )
