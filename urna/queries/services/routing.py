"""Which entity a new query goes to: the exercise's owner, or the first routing rule whose every
condition holds (none: the platform team's triage queue)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from urna.core.text import search_normalise
from urna.queries.models import RoutingRule


def matches_any(normalised_text: str, keywords: Iterable[str]) -> bool:
    """Does one of ``keywords`` appear as whole words in ``normalised_text``?"""
    padded = f" {normalised_text} "
    return any(f" {word} " in padded for word in (search_normalise(k) for k in keywords) if word)


def _rule_matches(rule: RoutingRule, *, normalised: str, type: str, municipality: Any) -> bool:
    if not (rule.keywords or rule.query_type or rule.department_id or rule.municipality_id):
        return False
    if rule.query_type and rule.query_type != type:
        return False
    if rule.municipality_id and (municipality is None or municipality.code != rule.municipality_id):
        return False
    if rule.department_id and (
        municipality is None or municipality.department_id != rule.department_id
    ):
        return False
    return not rule.keywords or matches_any(normalised, rule.keywords.split(","))


def first_matching_rule(*, text: str, type: str, municipality: Any = None) -> RoutingRule | None:
    """The active rule (of an active entity) that wins for a query: the first, in ``priority``
    order, whose every condition holds. The network pages test sample texts with it."""
    normalised = search_normalise(text)
    rules = RoutingRule.objects.filter(active=True, entity__active=True).select_related("entity")
    for rule in rules:
        if _rule_matches(rule, normalised=normalised, type=type, municipality=municipality):
            return rule
    return None


def route_proposal(*, text: str, type: str, municipality: Any = None, exercise: Any = None) -> Any:
    """The entity the routing rules propose for a query, or None (the triage queue)."""
    if exercise is not None:
        return exercise.owner
    rule = first_matching_rule(text=text, type=type, municipality=municipality)
    return rule.entity if rule is not None else None
