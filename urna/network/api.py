"""Staff API of the response network (``/red/`` as an API): the entities a user administers and
the network's partners; an entity's staff (invite, change roles, mark the lead, deactivate),
its routing rules with the routing test, its terms and non-working days, its answer templates;
the territorial offices. Session or personal API token, as every staff endpoint.

Each endpoint calls the pages' own access rule (``urna.network.access``: 403 for a role without
the tool, 404 for another entity's object), selectors and services (which check the permission
again and write the audit log). Mounted by ``urna.api`` at /api/v1/network."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja import Query as QueryParams

from urna.accounts import permissions
from urna.accounts.api_auth import STAFF_AUTH
from urna.accounts.models import Membership, Role, User
from urna.core.errors import InvalidInput, NotFound
from urna.entities.models import Entity
from urna.network import access, selectors, services
from urna.network.services import MANAGE_ENTITIES, MANAGE_NETWORK
from urna.queries.models import AnswerTemplate, EntityNonWorkingDay, QueryType, RoutingRule
from urna.territory.models import Department, Municipality

router = Router(tags=["red de entidades"], auth=STAFF_AUTH)
LIST_MAX = 200

RoleIn = Literal[tuple(Role.values)]  # type: ignore[valid-type]
QueryTypeIn = Literal[tuple(QueryType.values)]  # type: ignore[valid-type]
KindIn = Literal[tuple(Entity.Kind.values)]  # type: ignore[valid-type]


# --- schemas ----------------------------------------------------------------------------------


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


class RuleIn(Schema):
    priority: int = Field(100, description="Se prueban de menor a mayor; gana la primera")
    keywords: str = Field("", max_length=2000, description="Separadas por comas")
    query_type: QueryTypeIn | Literal[""] = ""
    department: str | None = Field(None, max_length=2, description="Código DANE")
    municipality: str | None = Field(None, max_length=5, description="Código DANE")
    active: bool = True

    model_config = {"extra": "forbid"}


class RuleOut(Schema):
    id: int
    priority: int
    keywords: str
    query_type: str
    department: str | None
    municipality: str | None
    active: bool


class RoutingTestFilters(Schema):
    text: str = Field(..., min_length=1, max_length=2000)
    type: QueryTypeIn
    municipality: str | None = Field(None, max_length=5, description="Código DANE")


class EntityRefOut(Schema):
    id: int
    name: str
    acronym: str


class RoutingTestOut(Schema):
    entity: EntityRefOut | None = Field(
        description="La entidad que recibiría la consulta (null: la clasificación del equipo "
        "de la plataforma)"
    )
    priority: int | None = Field(description="Prioridad de la regla que gana")
    own_rule: bool = Field(description="La regla que gana es de esta entidad")
    rule: int | None = Field(description="La regla que gana, si es de esta entidad")


class TermOut(Schema):
    type: str
    label: str
    law_days: int
    own_days: int | None
    business_days: int
    configurable: bool


class TermsIn(Schema):
    terms: dict[str, int | None] = Field(
        ...,
        description="Días hábiles por tipo (queja, reclamo, sugerencia, denuncia); null: el de "
        "la ley",
    )

    model_config = {"extra": "forbid"}


class DayIn(Schema):
    date: date
    reason: str = Field(..., max_length=200)

    model_config = {"extra": "forbid"}


class DayOut(Schema):
    id: int
    date: date
    reason: str


class TemplateIn(Schema):
    title: str = Field(..., max_length=120)
    body: str = Field(..., max_length=20_000)

    model_config = {"extra": "forbid"}


class TemplateOut(Schema):
    id: int
    title: str
    body: str
    shared: bool = Field(description="Plantilla común del equipo de la plataforma")


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


# --- helpers ----------------------------------------------------------------------------------


def _entity_dict(e: Entity) -> dict[str, Any]:
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


def _member_dict(member: selectors.Member) -> dict[str, Any]:
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


def _member_out(entity: Entity, user: User) -> dict[str, Any]:
    member = next(m for m in selectors.entity_members(entity) if m.user.pk == user.pk)
    return _member_dict(member)


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


def _department(code: str | None) -> Department | None:
    if not code:
        return None
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise InvalidInput(_("No existe un departamento con ese código DANE."), field="department")
    return department


def _municipality(code: str | None) -> Municipality | None:
    if not code:
        return None
    municipality = Municipality.objects.select_related("department").filter(code=code).first()
    if municipality is None:
        raise InvalidInput(_("No existe un municipio con ese código DANE."), field="municipality")
    return municipality


def _rule_dict(rule: RoutingRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "priority": rule.priority,
        "keywords": rule.keywords,
        "query_type": rule.query_type,
        "department": rule.department_id,
        "municipality": rule.municipality_id,
        "active": rule.active,
    }


def _rule(entity: Entity, pk: int) -> RoutingRule:
    rule = selectors.entity_rules(entity).filter(pk=pk).first()
    if rule is None:
        raise NotFound(_("Esa regla no existe en la entidad."))
    return rule


def _template_dict(template: AnswerTemplate) -> dict[str, Any]:
    return {
        "id": template.pk,
        "title": template.title,
        "body": template.body,
        "shared": template.entity_id is None,
    }


def _template(entity: Entity | None, pk: int) -> AnswerTemplate:
    templates = selectors.entity_templates(entity) if entity else selectors.shared_templates()
    template = templates.filter(pk=pk).first()
    if template is None:
        raise NotFound(_("Esa plantilla no existe en la entidad."))
    return template


def _terms(entity: Entity) -> list[dict[str, Any]]:
    return [
        {
            "type": row.type,
            "label": row.label,
            "law_days": row.law_days,
            "own_days": row.own_days,
            "business_days": row.own_days or row.law_days,
            "configurable": row.configurable,
        }
        for row in selectors.entity_terms(entity)
    ]


def _network_entity(request: HttpRequest, pk: int) -> Entity:
    return access.entity_for(user=request.user, pk=pk, action=MANAGE_NETWORK)


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
    return [{**_entity_dict(e), "staff_count": e.staff_count} for e in rows]


@router.get("/entities/{pk}", response=EntityDetailOut, summary="Una entidad que administro")
def entity_detail(request: HttpRequest, pk: int):
    action = MANAGE_ENTITIES if permissions.can(request.user, MANAGE_ENTITIES) else MANAGE_NETWORK
    entity = access.entity_for(user=request.user, pk=pk, action=action)
    members = selectors.entity_members(entity)
    return {
        **_entity_dict(entity),
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
    return [_entity_dict(e) for e in selectors.partner_entities()[:LIST_MAX]]


# --- staff ------------------------------------------------------------------------------------


@router.get("/entities/{pk}/staff", response=list[MemberOut], summary="Equipo de la entidad")
def staff_list(request: HttpRequest, pk: int):
    """The entity's staff, one entry per person with their roles, by name. No emails."""
    entity = _network_entity(request, pk)
    return [_member_dict(m) for m in selectors.entity_members(entity)]


@router.post("/entities/{pk}/staff", response={201: MemberOut}, summary="Invitar a una persona")
def staff_invite(request: HttpRequest, pk: int, payload: InviteIn):
    """Give a person a role in the entity: an existing staff member by their email, or a new
    account that receives by email the link to set its own password."""
    entity = _network_entity(request, pk)
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
    return Status(201, _member_out(entity, membership.user))


@router.put("/entities/{pk}/staff/{user_pk}/roles", response=MemberOut, summary="Cambiar los roles")
def staff_roles(request: HttpRequest, pk: int, user_pk: int, payload: RolesIn):
    """Set exactly the roles the person holds in the entity (at least one)."""
    entity = _network_entity(request, pk)
    user = _member(entity, user_pk)
    services.staff_roles_set(
        user=user, entity=entity, roles=list(payload.roles), by=request.user, request=request
    )
    return _member_out(entity, user)


@router.put(
    "/entities/{pk}/memberships/{membership_pk}/lead",
    response=MemberOut,
    summary="Marcar o desmarcar al líder",
)
def staff_lead(request: HttpRequest, pk: int, membership_pk: int, payload: LeadIn):
    """Whether this role's holder receives the entity's escalations of overdue queries."""
    entity = _network_entity(request, pk)
    membership = _membership(entity, membership_pk)
    services.membership_set_lead(
        membership=membership, is_lead=payload.is_lead, by=request.user, request=request
    )
    return _member_out(entity, membership.user)


@router.post(
    "/entities/{pk}/staff/{user_pk}/deactivate",
    response=DeactivatedOut,
    summary="Retirar a una persona del equipo",
)
def staff_deactivate(request: HttpRequest, pk: int, user_pk: int):
    """Take every role the person has in the entity; with no role left anywhere, their account
    is deactivated."""
    entity = _network_entity(request, pk)
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
    entity = _network_entity(request, pk)
    user = _member(entity, user_pk)
    services.password_link_send(user=user, entity=entity, by=request.user, request=request)
    return Status(204, None)


# --- routing rules ----------------------------------------------------------------------------


@router.get("/entities/{pk}/rules", response=list[RuleOut], summary="Reglas de reparto")
def rule_list(request: HttpRequest, pk: int):
    """The entity's routing rules in the order the routing service tries them."""
    entity = _network_entity(request, pk)
    return [_rule_dict(r) for r in selectors.entity_rules(entity)]


def _rule_save(request: HttpRequest, entity: Entity, payload: RuleIn, rule=None) -> RoutingRule:
    return services.routing_rule_save(
        entity=entity,
        by=request.user,
        rule=rule,
        priority=payload.priority,
        keywords=payload.keywords,
        query_type=payload.query_type,
        department=_department(payload.department),
        municipality=_municipality(payload.municipality),
        active=payload.active,
        request=request,
    )


@router.post("/entities/{pk}/rules", response={201: RuleOut}, summary="Crear una regla")
def rule_create(request: HttpRequest, pk: int, payload: RuleIn):
    entity = _network_entity(request, pk)
    return Status(201, _rule_dict(_rule_save(request, entity, payload)))


@router.get(
    "/entities/{pk}/rules/test",
    response=RoutingTestOut,
    summary="¿A qué entidad iría esta consulta?",
)
def rule_test(request: HttpRequest, pk: int, filters: QueryParams[RoutingTestFilters]):
    """The routing service's own answer for a sample query: the first active rule, of every
    entity, whose conditions hold; none means the platform team's triage queue."""
    entity = _network_entity(request, pk)
    winner = services.routing_test(
        text=filters.text, type=filters.type, municipality=_municipality(filters.municipality)
    )
    if winner is None:
        return {"entity": None, "priority": None, "own_rule": False, "rule": None}
    own = winner.entity_id == entity.pk
    return {
        "entity": {
            "id": winner.entity.pk,
            "name": winner.entity.name,
            "acronym": winner.entity.acronym,
        },
        "priority": winner.priority,
        "own_rule": own,
        "rule": winner.pk if own else None,
    }


@router.put("/entities/{pk}/rules/{rule_pk}", response=RuleOut, summary="Cambiar una regla")
def rule_update(request: HttpRequest, pk: int, rule_pk: int, payload: RuleIn):
    entity = _network_entity(request, pk)
    return _rule_dict(_rule_save(request, entity, payload, _rule(entity, rule_pk)))


@router.delete("/entities/{pk}/rules/{rule_pk}", response={204: None}, summary="Borrar una regla")
def rule_delete(request: HttpRequest, pk: int, rule_pk: int):
    entity = _network_entity(request, pk)
    services.routing_rule_delete(rule=_rule(entity, rule_pk), by=request.user, request=request)
    return Status(204, None)


# --- terms and non-working days ---------------------------------------------------------------


@router.get("/entities/{pk}/terms", response=list[TermOut], summary="Términos por tipo")
def term_list(request: HttpRequest, pk: int):
    """Each query type's term at the entity in business days: the law's, and its own where the
    law lets it set one."""
    return _terms(_network_entity(request, pk))


@router.put("/entities/{pk}/terms", response=list[TermOut], summary="Fijar términos propios")
def term_set(request: HttpRequest, pk: int, payload: TermsIn):
    """Set the entity's own terms (1 to 30 business days; null: the law's), all or none. Only
    new queries take them."""
    entity = _network_entity(request, pk)
    services.entity_terms_set(
        entity=entity, days_by_type=payload.terms, by=request.user, request=request
    )
    return _terms(entity)


@router.get(
    "/entities/{pk}/non-working-days", response=list[DayOut], summary="Días no hábiles propios"
)
def day_list(request: HttpRequest, pk: int):
    """The entity's own non-working days (Colombia's holidays are already skipped)."""
    entity = _network_entity(request, pk)
    return [{"id": d.pk, "date": d.date, "reason": d.reason} for d in selectors.entity_days(entity)]


@router.post(
    "/entities/{pk}/non-working-days", response={201: DayOut}, summary="Agregar un día no hábil"
)
def day_add(request: HttpRequest, pk: int, payload: DayIn):
    entity = _network_entity(request, pk)
    day = services.non_working_day_add(
        entity=entity, day=payload.date, reason=payload.reason, by=request.user, request=request
    )
    return Status(201, {"id": day.pk, "date": day.date, "reason": day.reason})


@router.delete(
    "/entities/{pk}/non-working-days/{day_pk}",
    response={204: None},
    summary="Quitar un día no hábil",
)
def day_remove(request: HttpRequest, pk: int, day_pk: int):
    entity = _network_entity(request, pk)
    day = EntityNonWorkingDay.objects.filter(pk=day_pk, entity=entity).first()
    if day is None:
        raise NotFound(_("Ese día no está en la lista de la entidad."))
    services.non_working_day_remove(day=day, by=request.user, request=request)
    return Status(204, None)


# --- answer templates -------------------------------------------------------------------------


@router.get(
    "/entities/{pk}/templates", response=list[TemplateOut], summary="Plantillas de respuesta"
)
def template_list(request: HttpRequest, pk: int):
    """The entity's own answer templates, then the shared ones (the platform team's)."""
    entity = _network_entity(request, pk)
    rows = [*selectors.entity_templates(entity), *selectors.shared_templates()]
    return [_template_dict(t) for t in rows]


@router.post("/entities/{pk}/templates", response={201: TemplateOut}, summary="Crear una plantilla")
def template_create(request: HttpRequest, pk: int, payload: TemplateIn):
    """Placeholders such as ``{radicado}`` are checked: an unknown one is a 422."""
    entity = _network_entity(request, pk)
    template = services.answer_template_save(
        entity=entity, by=request.user, title=payload.title, body=payload.body, request=request
    )
    return Status(201, _template_dict(template))


@router.put(
    "/entities/{pk}/templates/{template_pk}", response=TemplateOut, summary="Cambiar una plantilla"
)
def template_update(request: HttpRequest, pk: int, template_pk: int, payload: TemplateIn):
    entity = _network_entity(request, pk)
    template = services.answer_template_save(
        entity=entity,
        by=request.user,
        template=_template(entity, template_pk),
        title=payload.title,
        body=payload.body,
        request=request,
    )
    return _template_dict(template)


@router.delete(
    "/entities/{pk}/templates/{template_pk}", response={204: None}, summary="Borrar una plantilla"
)
def template_delete(request: HttpRequest, pk: int, template_pk: int):
    entity = _network_entity(request, pk)
    services.answer_template_delete(
        template=_template(entity, template_pk), by=request.user, request=request
    )
    return Status(204, None)


@router.post(
    "/shared-templates",
    response={201: TemplateOut},
    summary="Crear una plantilla común (equipo de la plataforma)",
)
def shared_template_create(request: HttpRequest, payload: TemplateIn):
    access.require_somewhere(request.user, MANAGE_ENTITIES)
    template = services.answer_template_save(
        entity=None, by=request.user, title=payload.title, body=payload.body, request=request
    )
    return Status(201, _template_dict(template))


@router.put(
    "/shared-templates/{template_pk}",
    response=TemplateOut,
    summary="Cambiar una plantilla común (equipo de la plataforma)",
)
def shared_template_update(request: HttpRequest, template_pk: int, payload: TemplateIn):
    access.require_somewhere(request.user, MANAGE_ENTITIES)
    template = services.answer_template_save(
        entity=None,
        by=request.user,
        template=_template(None, template_pk),
        title=payload.title,
        body=payload.body,
        request=request,
    )
    return _template_dict(template)


# --- territorial offices ----------------------------------------------------------------------


@router.get("/offices", response=list[OfficeOut], summary="Oficinas territoriales")
def office_list(request: HttpRequest):
    """Mayors' and governors' offices that run their own exercises or have their own staff."""
    if not permissions.can(request.user, MANAGE_ENTITIES):
        access.require_somewhere(request.user, MANAGE_NETWORK)
    rows = selectors.territorial_offices().select_related("parent")[:LIST_MAX]
    return [
        {**_entity_dict(e), "staff_count": e.staff_count, "exercise_count": e.exercise_count}
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
        municipality=_municipality(payload.municipality),
        department=None if payload.municipality else _department(payload.department),
        admin={
            "email": payload.admin.email,
            "first_name": payload.admin.first_name,
            "last_name": payload.admin.last_name,
        },
        request=request,
    )
    office = membership.entity
    return Status(
        201, {"office": _entity_dict(office), "admin": _member_out(office, membership.user)}
    )
