"""Fixtures of the exercises tests: entities, staff and exercises in each phase."""

from datetime import timedelta

import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.exercises import selectors, services
from urna.exercises.models import Exercise


@pytest.fixture(autouse=True)
def _fresh_submission_snapshots():
    # The per-process snapshots outlive a test's database transaction: start each test clean.
    selectors.submission_cache_clear()
    selectors._rules_cache.clear()
    selectors._municipality_codes.clear()
    yield


@pytest.fixture
def manager(agriculture, make_staff):
    return make_staff(agriculture, Role.MANAGER, username="gestora")


@pytest.fixture
def make_exercise(manager, agriculture):
    """make_exercise(status="open", kind=..., **fields) → an exercise moved through the real
    transitions to that status."""

    def make(status="open", kind=Exercise.Kind.POLICY, owner=None, by=None, days=30, **fields):
        by = by or manager
        exercise = services.exercise_create(
            by=by,
            owner=owner or agriculture,
            title=fields.pop("title", "Pacto agrario: ejercicio de prueba"),
            summary=fields.pop("summary", "Resumen del ejercicio de prueba."),
            kind=kind,
            closes_at=timezone.now() + timedelta(days=days),
            **fields,
        )
        if status == "draft":
            return exercise
        services.exercise_transition(exercise=exercise, to="open", by=by)
        if status == "open":
            return exercise
        services.exercise_transition(exercise=exercise, to="analysis", by=by)
        if status == "analysis":
            return exercise
        services.exercise_transition(exercise=exercise, to="results", by=by)
        return exercise

    return make
