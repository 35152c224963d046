"""Fixtures of the queries tests: a settable clock, entities, managers and a query factory."""

from datetime import datetime

import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.contacts.services import ContactDetails
from urna.entities.models import Entity
from urna.exercises.models import Contribution, Exercise
from urna.queries import services
from urna.queries.terms import BOGOTA


class Clock:
    def __init__(self, monkeypatch):
        self.now = datetime(2026, 3, 2, 10, 0, tzinfo=BOGOTA)  # a Monday, business day
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, *args) -> None:
        self.now = datetime(*args, tzinfo=BOGOTA)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def exercise_question(agri):
    """exercise_question(channel, receipt) → (exercise, contribution): a question to the
    government left in an exercise of the Ministry of Agriculture."""

    def make(channel: str, receipt: str):
        exercise = Exercise.objects.create(
            title="Política de desarrollo rural",
            slug="rural",
            code="RURAL",
            summary="Resumen",
            owner=agri,
            kind=Exercise.Kind.choices[0][0],
        )
        contribution = Contribution.objects.create(
            exercise=exercise,
            kind="question",
            text="¿Cuándo se aplicará la política en Caldas?",
            channel=channel,
            receipt=receipt,
        )
        return exercise, contribution

    return make


@pytest.fixture
def ant(national_entities):
    return Entity.objects.get(acronym="ANT")


@pytest.fixture
def platform(national_entities):
    return Entity.objects.get(acronym="URNA")


@pytest.fixture
def manager(make_staff, agri):
    user = make_staff(agri, Role.MANAGER, username="gestora", is_lead=False)
    user.email = "gestora@agri.gov.co"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def lead(make_staff, agri):
    user = make_staff(agri, Role.MANAGER, username="jefa", is_lead=True)
    user.email = "jefa@agri.gov.co"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def edu_manager(make_staff, edu):
    return make_staff(edu, Role.MANAGER, username="gestor-edu")


@pytest.fixture
def triager(make_staff, platform):
    return make_staff(platform, Role.MANAGER, username="equipo")


@pytest.fixture
def submit(clock):
    counter = {"n": 0}

    def make(entity=None, *, type="peticion", channel="web", email=None, **kwargs):
        counter["n"] += 1
        contact = None
        if email is not False:
            contact = ContactDetails(email=email or f"c{counter['n']}@example.org", consent=True)
        return services.query_submit(
            type=type,
            text=kwargs.pop("text", "Solicito información sobre el programa de vivienda rural."),
            channel=channel,
            entity=entity,
            contact=contact,
            **kwargs,
        ).query

    return make
