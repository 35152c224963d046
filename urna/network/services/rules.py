"""How an entity receives and answers queries: its routing rules (ordered; the real routing
service ``queries.services.routing`` reads them in that order), its own terms for the types the
law lets it set, its non-working days and its answer templates. An entity's administrators
(``network.manage``) change their entity's; every change goes to the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from urna.accounts import permissions
from urna.audit.services import audit_record, client_ip
from urna.core.errors import InvalidInput
from urna.entities.models import Entity
from urna.queries import services as query_services
from urna.queries import terms
from urna.queries.models import (
    CONFIGURABLE_TYPES,
    TERM_DAYS,
    AnswerTemplate,
    EntityNonWorkingDay,
    EntityTerm,
    QueryType,
    RoutingRule,
)
from urna.queries.placeholders import placeholders_check
from urna.queries.services.routing import first_matching_rule
from urna.territory.models import Department, Municipality

MANAGE_NETWORK = "network.manage"
PRIORITY_MAX = 32767
TERM_MIN, TERM_MAX = 1, 30


def _audit(action: str, obj: Any, entity: Entity, by: Any, request: Any, **changes: Any) -> None:
    audit_record(action=action, obj=obj, actor=by, entity=entity, ip=client_ip(request), **changes)


def _rule_fields(rule: RoutingRule) -> dict[str, Any]:
    return {
        "priority": rule.priority,
        "keywords": rule.keywords,
        "query_type": rule.query_type,
        "department_id": rule.department_id,
        "municipality_id": rule.municipality_id,
        "active": rule.active,
    }


@transaction.atomic
def routing_rule_save(
    *,
    entity: Entity,
    by: Any,
    rule: RoutingRule | None = None,
    priority: int,
    keywords: str = "",
    query_type: str = "",
    department: Department | None = None,
    municipality: Municipality | None = None,
    active: bool = True,
    request: Any = None,
) -> RoutingRule:
    """Create ``entity``'s rule, or change ``rule``. A rule needs at least one condition (a rule
    without one would take every query); lower ``priority`` numbers are tried first."""
    permissions.require(by, MANAGE_NETWORK, entity)
    words = [w for w in (" ".join(k.split()) for k in (keywords or "").split(",")) if w]
    keywords = ", ".join(dict.fromkeys(words))
    if len(keywords) > 500:
        raise InvalidInput(
            _("Demasiadas palabras clave (máximo 500 caracteres)."), field="keywords"
        )
    if query_type and query_type not in QueryType.values:
        raise InvalidInput(_("Elija un tipo de solicitud."), field="query_type")
    if not (keywords or query_type or department or municipality):
        raise InvalidInput(
            _("Indique al menos una condición: palabras clave, tipo, departamento o municipio."),
            field="keywords",
        )
    if not 0 <= priority <= PRIORITY_MAX:
        raise InvalidInput(_("La prioridad va de 0 a 32767."), field="priority")
    before = _rule_fields(rule) if rule is not None else None
    rule = rule or RoutingRule(entity=entity)
    rule.priority, rule.keywords, rule.query_type = priority, keywords, query_type
    rule.department, rule.municipality, rule.active = department, municipality, active
    rule.save()
    after = _rule_fields(rule)
    action = "routing_rule.create" if before is None else "routing_rule.update"
    _audit(action, rule, entity, by, request, before=before, after=after)
    return rule


@transaction.atomic
def routing_rule_delete(*, rule: RoutingRule, by: Any, request: Any = None) -> None:
    permissions.require(by, MANAGE_NETWORK, rule.entity)
    _audit("routing_rule.delete", rule, rule.entity, by, request, before=_rule_fields(rule))
    rule.delete()


@transaction.atomic
def routing_rule_move(*, rule: RoutingRule, up: bool, by: Any, request: Any = None) -> None:
    """Swap ``rule`` with the entity's rule just before (``up``) or after it. The entity's rules
    keep the priority numbers they had between them, strictly increasing, so the order shown is
    the order the routing service tries them in."""
    permissions.require(by, MANAGE_NETWORK, rule.entity)
    rules = list(
        RoutingRule.objects.select_for_update()
        .filter(entity_id=rule.entity_id)
        .order_by("priority", "id")
    )
    index = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rules):
        return
    values = sorted(r.priority for r in rules)
    rules[index], rules[other] = rules[other], rules[index]
    previous = -1
    for position, item in enumerate(rules):
        value = max(values[position], previous + 1)
        previous = value
        if item.priority != value:
            item.priority = value
            item.save(update_fields=["priority"])
    _audit(
        "routing_rule.move",
        rule,
        rule.entity,
        by,
        request,
        after={"order": [r.pk for r in rules]},
    )


def routing_test(*, text: str, type: str, municipality: Municipality | None = None) -> Any:
    """The rule that would take a query with this text, type and place (None: the platform
    team's triage queue): the real routing service's own answer."""
    return first_matching_rule(text=text, type=type, municipality=municipality)


@transaction.atomic
def entity_term_set(
    *, entity: Entity, type: str, business_days: int | None, by: Any, request: Any = None
) -> None:
    """The entity's own term for a complaint, claim, suggestion or report (None: the law's).
    Only new queries take it; a query keeps the term it was filed with."""
    permissions.require(by, MANAGE_NETWORK, entity)
    if type not in CONFIGURABLE_TYPES:
        raise InvalidInput(_("El término de ese tipo lo fija la ley."), field=type)
    current = EntityTerm.objects.filter(entity=entity, type=type).first()
    before = current.business_days if current else None
    if business_days is not None and not TERM_MIN <= business_days <= TERM_MAX:
        raise InvalidInput(
            _("El término va de %(min)s a %(max)s días hábiles.")
            % {"min": TERM_MIN, "max": TERM_MAX},
            field=type,
        )
    if business_days == TERM_DAYS[type]:
        business_days = None  # the law's own term: nothing to keep
    if before == business_days:
        return
    if business_days is None:
        EntityTerm.objects.filter(pk=current.pk).delete()
        obj = current
    else:
        obj, _created = EntityTerm.objects.update_or_create(
            entity=entity, type=type, defaults={"business_days": business_days}
        )
    _audit(
        "entity_term.set",
        obj,
        entity,
        by,
        request,
        before={"type": type, "business_days": before},
        after={"type": type, "business_days": business_days},
    )


@transaction.atomic
def entity_terms_set(
    *, entity: Entity, days_by_type: Mapping[str, int | None], by: Any, request: Any = None
) -> None:
    """Several of the entity's own terms at once (``{type: business days or None}``), all or
    nothing: the calendar page's form and the API."""
    permissions.require(by, MANAGE_NETWORK, entity)
    for type_, business_days in days_by_type.items():
        entity_term_set(
            entity=entity, type=type_, business_days=business_days, by=by, request=request
        )


@transaction.atomic
def non_working_day_add(
    *, entity: Entity, day: date, reason: str, by: Any, request: Any = None
) -> EntityNonWorkingDay:
    """A day the entity does not work (queries' terms skip it from now on)."""
    permissions.require(by, MANAGE_NETWORK, entity)
    reason = " ".join((reason or "").split())
    if not 3 <= len(reason) <= 200:
        raise InvalidInput(_("Escriba el motivo (3 a 200 caracteres)."), field="reason")
    if day.weekday() >= 5:
        raise InvalidInput(_("Ese día es fin de semana: ya no cuenta."), field="date")
    if day in terms.national_holidays(day.year):
        raise InvalidInput(_("Ese día es festivo nacional: ya no cuenta."), field="date")
    try:
        with transaction.atomic():
            obj = EntityNonWorkingDay.objects.create(entity=entity, date=day, reason=reason)
    except IntegrityError as exc:
        raise InvalidInput(_("Ese día ya está en la lista."), field="date") from exc
    _audit(
        "non_working_day.create",
        obj,
        entity,
        by,
        request,
        after={"date": day.isoformat(), "reason": reason},
    )
    return obj


@transaction.atomic
def non_working_day_remove(*, day: EntityNonWorkingDay, by: Any, request: Any = None) -> None:
    permissions.require(by, MANAGE_NETWORK, day.entity)
    _audit(
        "non_working_day.delete",
        day,
        day.entity,
        by,
        request,
        before={"date": day.date.isoformat(), "reason": day.reason},
    )
    day.delete()


def _require_template_owner(by: Any, entity: Entity | None) -> None:
    # A template of every entity (no entity) is the platform team's.
    if entity is None:
        permissions.require(by, "entity.manage")
    else:
        permissions.require(by, MANAGE_NETWORK, entity)


def _template_clean(title: str, body: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    body = (body or "").strip()
    if not 3 <= len(title) <= 120:
        raise InvalidInput(_("Escriba un título de 3 a 120 caracteres."), field="title")
    if len(body) < 10:
        raise InvalidInput(_("Escriba el texto de la plantilla."), field="body")
    placeholders_check(body)
    return title, body


@transaction.atomic
def answer_template_save(
    *,
    entity: Entity | None,
    by: Any,
    title: str,
    body: str,
    template: AnswerTemplate | None = None,
    request: Any = None,
) -> AnswerTemplate:
    """Create ``entity``'s answer template, or change ``template``; with no entity, a template
    every entity may use (the platform team's). Placeholders such as ``{radicado}`` are filled
    from the query when a manager uses it."""
    _require_template_owner(by, entity)
    title, body = _template_clean(title, body)
    if template is None:
        return query_services.answer_template_create(entity=entity, title=title, body=body, by=by)
    if AnswerTemplate.objects.filter(entity=entity, title=title).exclude(pk=template.pk).exists():
        raise InvalidInput(_("Ya existe una plantilla con ese título."), field="title")
    before = {"title": template.title, "body": template.body}
    template.title, template.body = title, body
    template.save(update_fields=["title", "body"])
    _audit(
        "answer_template.update",
        template,
        entity,
        by,
        request,
        before=before,
        after={"title": title, "body": body},
    )
    return template


@transaction.atomic
def answer_template_delete(*, template: AnswerTemplate, by: Any, request: Any = None) -> None:
    _require_template_owner(by, template.entity)
    _audit(
        "answer_template.delete",
        template,
        template.entity,
        by,
        request,
        before={"title": template.title},
    )
    template.delete()
