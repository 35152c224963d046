"""What the network API's modules share: the entity and member shapes, DIVIPOLA codes, and the
entity of a path (the pages' access rule: 403 for a role without the tool, 404 for another
entity's)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema

from urna.accounts.models import User
from urna.core.errors import InvalidInput
from urna.entities.models import Entity
from urna.network import access, selectors
from urna.network.services import MANAGE_NETWORK
from urna.territory.models import Department, Municipality

LIST_MAX = 200


class EntityOut(Schema):
    id: int
    name: str
    acronym: str
    kind: str
    level: str
    sector: str
    parent: str | None = Field(description="Sigla de la entidad de la que depende")
    department: str | None = Field(description="Código DANE del departamento")
    municipality: str | None = Field(description="Código DANE del municipio")
    active: bool


class ManagedEntityOut(EntityOut):
    staff_count: int


class RoleOut(Schema):
    membership: int
    role: str
    role_label: str
    is_lead: bool


class MemberOut(Schema):
    id: int
    username: str
    full_name: str
    active: bool
    is_lead: bool
    roles: list[RoleOut]


def entity_dict(e: Entity) -> dict[str, Any]:
    return {
        "id": e.pk,
        "name": e.name,
        "acronym": e.acronym,
        "kind": e.kind,
        "level": e.level,
        "sector": e.sector,
        "parent": e.parent.acronym if e.parent_id else None,
        "department": e.department_id,
        "municipality": e.municipality_id,
        "active": e.active,
    }


def member_dict(member: selectors.Member) -> dict[str, Any]:
    user = member.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "active": user.is_active,
        "is_lead": member.is_lead,
        "roles": [
            {
                "membership": m.pk,
                "role": m.role,
                "role_label": m.get_role_display(),
                "is_lead": m.is_lead,
            }
            for m in member.memberships
        ],
    }


def member_out(entity: Entity, user: User) -> dict[str, Any]:
    member = next(m for m in selectors.entity_members(entity) if m.user.pk == user.pk)
    return member_dict(member)


def department_by_code(code: str | None) -> Department | None:
    if not code:
        return None
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise InvalidInput(_("No existe un departamento con ese código DANE."), field="department")
    return department


def municipality_by_code(code: str | None) -> Municipality | None:
    if not code:
        return None
    municipality = Municipality.objects.select_related("department").filter(code=code).first()
    if municipality is None:
        raise InvalidInput(_("No existe un municipio con ese código DANE."), field="municipality")
    return municipality


def network_entity(request: HttpRequest, pk: int) -> Entity:
    return access.entity_for(user=request.user, pk=pk, action=MANAGE_NETWORK)
