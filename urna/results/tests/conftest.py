"""Fixtures of the results matrix tests: an exercise with contributions, a finished analysis
with themes and a campaign group, staff of its entity."""

from datetime import timedelta

import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.contacts.consent import bits
from urna.contacts.models import Contact
from urna.exercises import services as exercise_services
from urna.exercises.models import Contribution, Exercise
from urna.insights.models import Analysis, Assignment, DuplicateGroup, Theme


@pytest.fixture
def manager(agriculture, make_staff):
    return make_staff(agriculture, Role.MANAGER, username="gestora")


@pytest.fixture
def make_exercise(manager, agriculture):
    def make(status="open", **fields):
        exercise = exercise_services.exercise_create(
            by=manager,
            owner=agriculture,
            title=fields.pop("title", "Pacto agrario: matriz de prueba"),
            summary="Resumen del ejercicio de prueba.",
            kind=fields.pop("kind", Exercise.Kind.POLICY),
            closes_at=timezone.now() + timedelta(days=30),
            **fields,
        )
        if status == "draft":
            return exercise
        exercise_services.exercise_transition(exercise=exercise, to="open", by=manager)
        if status == "analysis":
            exercise_services.exercise_transition(exercise=exercise, to="analysis", by=manager)
        return exercise

    return make


def submit(exercise, text, *, channel="web", contact=None, kind="opinion", **extra):
    contribution = exercise_services.contribution_submit(
        exercise=exercise, kind=kind, text=text, channel=channel, **extra
    ).contribution
    if contact is not None:
        Contribution.objects.filter(pk=contribution.pk).update(contact=contact)
        contribution.contact = contact
    return contribution


@pytest.fixture
def seeded(make_exercise):
    """An exercise in analysis: 6 road opinions (a campaign of 4 among them), 3 on credit, a
    finished analysis with two themes and the campaign group."""
    exercise = make_exercise(status="open")
    roads = [submit(exercise, f"Necesitamos vías terciarias en la vereda {i}") for i in range(2)]
    campaign = [
        submit(exercise, "Campaña: pedimos vías terciarias para sacar la cosecha", channel="sms")
        for _ in range(4)
    ]
    credit = [submit(exercise, f"Crédito barato para pequeños productores {i}") for i in range(3)]
    exercise_services.exercise_transition(exercise=exercise, to="analysis", by=exercise.created_by)
    exercise.refresh_from_db()
    analysis = Analysis.objects.create(exercise=exercise, status=Analysis.Status.DONE)
    road_theme = Theme.objects.create(analysis=analysis, key=0, label="vías terciarias", size=6)
    credit_theme = Theme.objects.create(analysis=analysis, key=1, label="crédito", size=3)
    group = DuplicateGroup.objects.create(
        analysis=analysis, key=0, size=4, representative=campaign[0], theme=road_theme
    )
    for c in roads:
        Assignment.objects.create(analysis=analysis, contribution=c, theme=road_theme)
    for c in campaign:
        Assignment.objects.create(analysis=analysis, contribution=c, theme=road_theme, group=group)
    for c in credit:
        Assignment.objects.create(analysis=analysis, contribution=c, theme=credit_theme)
    return {
        "exercise": exercise,
        "roads": roads,
        "campaign": campaign,
        "credit": credit,
        "road_theme": road_theme,
        "credit_theme": credit_theme,
        "group": group,
    }


@pytest.fixture
def consenting_contact(db):
    """A contact who consented to hear back ("answers") on every channel, or to nothing."""

    def make(*, phone=None, email=None, consent=True):
        return Contact.objects.create(
            phone=phone,
            email=email,
            consent_at=timezone.now() if consent else None,
            consents=bits(["answers"], ["sms", "whatsapp", "email"]) if consent else 0,
        )

    return make
