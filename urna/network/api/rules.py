"""How an entity receives and answers queries: its routing rules with the routing service's own
test, its terms and non-working days, its answer templates (and the platform team's shared
ones), the placeholders checked by the same service as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja import Query as QueryParams

from urna.core.errors import NotFound
from urna.entities.models import Entity
from urna.network import access, selectors, services
from urna.network.api.common import department_by_code, municipality_by_code, network_entity
from urna.network.services import MANAGE_ENTITIES
from urna.queries.models import AnswerTemplate, EntityNonWorkingDay, QueryType, RoutingRule

router = Router()

QueryTypeIn = Literal[tuple(QueryType.values)]  # type: ignore[valid-type]


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


# --- routing rules ----------------------------------------------------------------------------


@router.get("/entities/{pk}/rules", response=list[RuleOut], summary="Reglas de reparto")
def rule_list(request: HttpRequest, pk: int):
    """The entity's routing rules in the order the routing service tries them."""
    entity = network_entity(request, pk)
    return [_rule_dict(r) for r in selectors.entity_rules(entity)]


def _rule_save(request: HttpRequest, entity: Entity, payload: RuleIn, rule=None) -> RoutingRule:
    return services.routing_rule_save(
        entity=entity,
        by=request.user,
        rule=rule,
        priority=payload.priority,
        keywords=payload.keywords,
        query_type=payload.query_type,
        department=department_by_code(payload.department),
        municipality=municipality_by_code(payload.municipality),
        active=payload.active,
        request=request,
    )


@router.post("/entities/{pk}/rules", response={201: RuleOut}, summary="Crear una regla")
def rule_create(request: HttpRequest, pk: int, payload: RuleIn):
    entity = network_entity(request, pk)
    return Status(201, _rule_dict(_rule_save(request, entity, payload)))


@router.get(
    "/entities/{pk}/rules/test",
    response=RoutingTestOut,
    summary="¿A qué entidad iría esta consulta?",
)
def rule_test(request: HttpRequest, pk: int, filters: QueryParams[RoutingTestFilters]):
    """The routing service's own answer for a sample query: the first active rule, of every
    entity, whose conditions hold; none means the platform team's triage queue."""
    entity = network_entity(request, pk)
    winner = services.routing_test(
        text=filters.text,
        type=filters.type,
        municipality=municipality_by_code(filters.municipality),
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
    entity = network_entity(request, pk)
    return _rule_dict(_rule_save(request, entity, payload, _rule(entity, rule_pk)))


@router.delete("/entities/{pk}/rules/{rule_pk}", response={204: None}, summary="Borrar una regla")
def rule_delete(request: HttpRequest, pk: int, rule_pk: int):
    entity = network_entity(request, pk)
    services.routing_rule_delete(rule=_rule(entity, rule_pk), by=request.user, request=request)
    return Status(204, None)


# --- terms and non-working days ---------------------------------------------------------------


@router.get("/entities/{pk}/terms", response=list[TermOut], summary="Términos por tipo")
def term_list(request: HttpRequest, pk: int):
    """Each query type's term at the entity in business days: the law's, and its own where the
    law lets it set one."""
    return _terms(network_entity(request, pk))


@router.put("/entities/{pk}/terms", response=list[TermOut], summary="Fijar términos propios")
def term_set(request: HttpRequest, pk: int, payload: TermsIn):
    """Set the entity's own terms (1 to 30 business days; null: the law's), all or none. Only
    new queries take them."""
    entity = network_entity(request, pk)
    services.entity_terms_set(
        entity=entity, days_by_type=payload.terms, by=request.user, request=request
    )
    return _terms(entity)


@router.get(
    "/entities/{pk}/non-working-days", response=list[DayOut], summary="Días no hábiles propios"
)
def day_list(request: HttpRequest, pk: int):
    """The entity's own non-working days (Colombia's holidays are already skipped)."""
    entity = network_entity(request, pk)
    return [{"id": d.pk, "date": d.date, "reason": d.reason} for d in selectors.entity_days(entity)]


@router.post(
    "/entities/{pk}/non-working-days", response={201: DayOut}, summary="Agregar un día no hábil"
)
def day_add(request: HttpRequest, pk: int, payload: DayIn):
    entity = network_entity(request, pk)
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
    entity = network_entity(request, pk)
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
    entity = network_entity(request, pk)
    rows = [*selectors.entity_templates(entity), *selectors.shared_templates()]
    return [_template_dict(t) for t in rows]


@router.post("/entities/{pk}/templates", response={201: TemplateOut}, summary="Crear una plantilla")
def template_create(request: HttpRequest, pk: int, payload: TemplateIn):
    """Placeholders such as ``{radicado}`` are checked: an unknown one is a 422."""
    entity = network_entity(request, pk)
    template = services.answer_template_save(
        entity=entity, by=request.user, title=payload.title, body=payload.body, request=request
    )
    return Status(201, _template_dict(template))


@router.put(
    "/entities/{pk}/templates/{template_pk}", response=TemplateOut, summary="Cambiar una plantilla"
)
def template_update(request: HttpRequest, pk: int, template_pk: int, payload: TemplateIn):
    entity = network_entity(request, pk)
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
    entity = network_entity(request, pk)
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
