"""Fixtures of the deliberation tests: an open exercise of the Ministry of Agriculture with a
deliberation, its staff, statements in each moderation state, and participants."""

from datetime import timedelta

import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.deliberation import services
from urna.deliberation.models import Statement
from urna.exercises import services as exercise_services
from urna.exercises.models import Exercise


@pytest.fixture
def manager(agriculture, make_staff):
    return make_staff(agriculture, Role.MANAGER, username="gestora")


@pytest.fixture
def moderator(agriculture, make_staff):
    return make_staff(agriculture, Role.MODERATOR, username="moderadora")


@pytest.fixture
def outsider(education, make_staff):
    """A manager of another entity (Education)."""
    return make_staff(education, Role.MANAGER, username="ajena")


@pytest.fixture
def exercise(manager, agriculture):
    exercise = exercise_services.exercise_create(
        by=manager,
        owner=agriculture,
        title="Reforma rural: ¿qué piensa usted?",
        summary="Deliberación sobre la reforma rural.",
        kind=Exercise.Kind.POLICY,
        closes_at=timezone.now() + timedelta(days=30),
    )
    exercise_services.exercise_transition(exercise=exercise, to="open", by=manager)
    return exercise


@pytest.fixture
def deliberation(exercise, manager):
    return services.deliberation_create(
        exercise=exercise,
        question="¿Qué debe priorizar la reforma rural?",
        by=manager,
        recompute_seconds=60,
        min_votes=2,
    )


@pytest.fixture
def statements(deliberation, manager):
    """Three published statements, one pending proposal and one rejected one."""
    published = [
        services.statement_add(deliberation=deliberation, text=text, by=manager)
        for text in (
            "La tierra debe ser para quien la trabaja.",
            "Hay que construir vías terciarias antes que nada.",
            "El crédito agrario debe ser más barato.",
        )
    ]
    author = services.participant_get_or_create(deliberation=deliberation, anonymous_key="autor")
    pending = services.statement_propose(
        participant=author, text="Se necesitan más centros de acopio veredales."
    )
    rejected = Statement.objects.create(
        deliberation=deliberation,
        text="Afirmación retirada por moderación.",
        origin=Statement.Origin.PARTICIPANT,
        moderation=Statement.Moderation.REJECTED,
        rejected_reason="Insulta a otras personas.",
    )
    return {"published": published, "pending": pending, "rejected": rejected}


@pytest.fixture
def participant(deliberation):
    return services.participant_get_or_create(deliberation=deliberation, anonymous_key="navegador1")
