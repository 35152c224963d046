"""Figures of the small tables: exercises carried out, partnerships between entities, campaigns
sent. Read whole for the year (they hold hundreds or thousands of rows, not millions)."""

from collections import defaultdict
from itertools import combinations

from django.db.models import Q

from urna.campaigns.models import Campaign
from urna.entities.models import Entity
from urna.exercises.models import Exercise
from urna.indicators.engine.facts import Facts
from urna.indicators.engine.periods import month_of, period_bounds

PAIR_KEYS = {
    ("national", "national"): "partnerships_national_national",
    ("national", "territorial"): "partnerships_national_territorial",
    ("territorial", "territorial"): "partnerships_territorial_territorial",
}


def entity_places() -> dict[int, tuple[str, str]]:
    """Entity id → (level, department code or "")."""
    rows = Entity.objects.values_list("id", "level", "department_id")
    return {pk: (level, department or "") for pk, level, department in rows}


def _bump(facts: Facts, key: str, year: int, month: int, scope_kind: str, scope: str) -> None:
    for period in (month, 0):
        facts[(key, year, period, scope_kind, scope, "")] += 1


def exercise_start(exercise: Exercise):
    """When an exercise was carried out: participation opened, or it was published."""
    return exercise.opens_at or exercise.published_at


def _exercises_of(year: int) -> list[Exercise]:
    low, high = period_bounds(year)
    started = Q(opens_at__gte=low, opens_at__lt=high) | Q(
        opens_at=None, published_at__gte=low, published_at__lt=high
    )
    results = Q(results_published_at__gte=low, results_published_at__lt=high)
    return list(
        Exercise.objects.public()
        .filter(started | results)
        .only("id", "owner_id", "department_id", "opens_at", "published_at", "results_published_at")
        .prefetch_related("partners")
        .order_by()
    )


def _carried_out(facts: Facts, exercise: Exercise, month: int, year: int, places) -> None:
    level, owner_department = places[exercise.owner_id]
    department = exercise.department_id or owner_department
    by_level = "exercises_national" if level == Entity.Level.NATIONAL else "exercises_territorial"
    entities = {exercise.owner_id} | {p.pk for p in exercise.partners.all()}
    for key in ("exercises_carried_out", by_level):
        _bump(facts, key, year, month, "all", "")
        for entity in entities:
            _bump(facts, key, year, month, "entity", str(entity))
        if department:
            _bump(facts, key, year, month, "department", department)


def _with_results(facts: Facts, exercise: Exercise, month: int, year: int, places) -> None:
    department = exercise.department_id or places[exercise.owner_id][1]
    _bump(facts, "exercises_with_results", year, month, "all", "")
    for entity in {exercise.owner_id} | {p.pk for p in exercise.partners.all()}:
        _bump(facts, "exercises_with_results", year, month, "entity", str(entity))
    if department:
        _bump(facts, "exercises_with_results", year, month, "department", department)


def _partnerships(facts: Facts, pairs: dict[int, set], year: int, places) -> None:
    """Distinct pairs of entities running an exercise together, per month and over the year."""
    pairs[0] = set().union(*pairs.values()) if pairs else set()
    for month, found in pairs.items():
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for pair in found:
            a, b = sorted(pair)
            levels = tuple(sorted(places[e][0] for e in (a, b)))
            for key in ("partnerships_total", PAIR_KEYS[levels]):
                counts[(key, "")] += 1
                counts[(key, str(a))] += 1
                counts[(key, str(b))] += 1
        for (key, entity), n in counts.items():
            facts.put(key, year, month, n, scope_kind="entity" if entity else "all", scope=entity)


def exercise_facts(year: int) -> Facts:
    """Exercises carried out (national, territorial), with results, and partnerships."""
    facts, places = Facts(), entity_places()
    pairs: dict[int, set] = defaultdict(set)
    for exercise in _exercises_of(year):
        start = month_of(exercise_start(exercise))
        if start and start[0] == year:
            _carried_out(facts, exercise, start[1], year, places)
            entities = {exercise.owner_id} | {p.pk for p in exercise.partners.all()}
            pairs[start[1]] |= {frozenset(p) for p in combinations(sorted(entities), 2)}
        results = month_of(exercise.results_published_at)
        if results and results[0] == year:
            _with_results(facts, exercise, results[1], year, places)
    _partnerships(facts, pairs, year, places)
    return facts


def campaign_facts(year: int) -> Facts:
    """Campaigns whose sending started in the period, by the campaign's entity."""
    facts, places = Facts(), entity_places()
    low, high = period_bounds(year)
    rows = Campaign.objects.filter(started_at__gte=low, started_at__lt=high).values_list(
        "entity_id", "started_at"
    )
    for entity, started in rows:
        month = month_of(started)[1]
        department = places.get(entity, ("", ""))[1] or None
        facts.add("campaigns_sent", year, month, 1, entity=entity, department=department)
    return facts
