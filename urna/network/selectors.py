"""Reads of the response network's pages: the entities a user manages, an entity's members,
rules, terms and days, and the territorial offices with their staff and exercises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import holidays
from django.db.models import Count, Q, QuerySet
from django.utils import translation

from urna.accounts import permissions
from urna.accounts.models import Membership, User
from urna.entities.models import Entity
from urna.network.services import MANAGE_ENTITIES, MANAGE_NETWORK
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


def entities_managed(
    *, user: Any, q: str = "", kind: str = "", inactive: bool = False
) -> QuerySet[Entity]:
    """The entities whose network pages ``user`` opens: every one for the platform team, their
    own for an entity's administrators; with how many active members each has."""
    qs = Entity.objects.select_related("department", "municipality").annotate(
        staff_count=Count("members__user", filter=Q(members__user__is_active=True), distinct=True)
    )
    if permissions.entity_ids_for(user, MANAGE_ENTITIES) is None:
        if not inactive:
            qs = qs.filter(active=True)
    else:
        qs = permissions.scope_queryset(qs.filter(active=True), user, MANAGE_NETWORK, field="pk")
    if q:
        qs = qs.search(q)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("level", "name")


@dataclass
class Member:
    user: User
    memberships: list[Membership] = field(default_factory=list)

    @property
    def is_lead(self) -> bool:
        return any(m.is_lead for m in self.memberships)


def entity_members(entity: Entity) -> list[Member]:
    """The entity's staff, one row per person with their roles, by name."""
    rows = (
        Membership.objects.filter(entity=entity)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username", "role")
    )
    members: dict[int, Member] = {}
    for membership in rows:
        members.setdefault(membership.user_id, Member(user=membership.user)).memberships.append(
            membership
        )
    return list(members.values())


def entity_member(entity: Entity, pk: int) -> User | None:
    """A person with a role in ``entity`` (None: nobody of the entity has that id)."""
    return User.objects.filter(pk=pk, memberships__entity=entity).distinct().first()


def entity_membership(entity: Entity, pk: int) -> Membership | None:
    return Membership.objects.select_related("user", "entity").filter(pk=pk, entity=entity).first()


def partner_entities() -> QuerySet[Entity]:
    """The network's active partner entities (universities, chambers of commerce…): public facts
    every entity's administrators may read, to know who else answers in their field."""
    return (
        Entity.objects.active()
        .filter(kind=Entity.Kind.PARTNER)
        .select_related("parent", "department", "municipality")
        .order_by("name")
    )


def entity_rules(entity: Entity) -> QuerySet[RoutingRule]:
    return RoutingRule.objects.filter(entity=entity).select_related(
        "department", "municipality__department"
    )


@dataclass
class TermRow:
    type: str
    label: str
    law_days: int
    own_days: int | None
    configurable: bool


def entity_terms(entity: Entity) -> list[TermRow]:
    """Every query type's term at the entity: the law's, and its own where it set one."""
    own = dict(EntityTerm.objects.filter(entity=entity).values_list("type", "business_days"))
    return [
        TermRow(
            type=value,
            label=str(label),
            law_days=TERM_DAYS[value],
            own_days=own.get(value),
            configurable=value in CONFIGURABLE_TYPES,
        )
        for value, label in QueryType.choices
    ]


def entity_days(entity: Entity) -> QuerySet[EntityNonWorkingDay]:
    return EntityNonWorkingDay.objects.filter(entity=entity).order_by("date")


def national_holidays_from(today: date) -> list[tuple[date, str]]:
    """Colombia's public holidays (the ``holidays`` package, after the Ley Emiliani moves, the
    very days ``queries.terms`` skips) of this year and the next, from ``today`` on, named in
    the page's language."""
    language = "en_US" if (translation.get_language() or "").startswith("en") else "es"
    rows: list[tuple[date, str]] = []
    for year in (today.year, today.year + 1):
        names = holidays.country_holidays("CO", years=year, language=language)
        for day in sorted(terms.national_holidays(year)):
            if day >= today:
                rows.append((day, names.get(day, "")))
    return rows


def entity_exercises(entity: Entity, *, limit: int = 10) -> list[Any]:
    """The entity's own exercises, newest first (a territorial office runs its own)."""
    return list(
        entity.exercises_owned.order_by("-created_at").only("slug", "title", "status")[:limit]
    )


def entity_templates(entity: Entity) -> QuerySet[AnswerTemplate]:
    return AnswerTemplate.objects.filter(entity=entity).order_by("title")


def shared_templates() -> QuerySet[AnswerTemplate]:
    """Templates every entity may use (the platform team's)."""
    return AnswerTemplate.objects.filter(entity__isnull=True).order_by("title")


def territorial_offices() -> QuerySet[Entity]:
    """Mayors' and governors' offices that have staff or exercises (the others exist only to
    receive routed queries), with their counts."""
    return (
        Entity.objects.filter(kind__in=[Entity.Kind.MAYORALTY, Entity.Kind.GOVERNORATE])
        .select_related("department", "municipality")
        .annotate(
            staff_count=Count(
                "members__user", filter=Q(members__user__is_active=True), distinct=True
            ),
            exercise_count=Count("exercises_owned", distinct=True),
        )
        .filter(Q(staff_count__gt=0) | Q(exercise_count__gt=0))
        .order_by("-active", "name")
    )
