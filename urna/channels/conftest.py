"""Fixtures shared by every channel's tests (one webhook test base for all providers)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from urna.channels.tests import base
from urna.entities.models import Entity
from urna.exercises.models import ClosedQuestion, Exercise, QuestionOption


@pytest.fixture(autouse=True)
def _provider_settings(settings):
    settings.TWILIO_AUTH_TOKEN = base.TWILIO_TOKEN
    settings.META_APP_SECRET = base.META_SECRET
    settings.META_VERIFY_TOKEN = base.META_VERIFY
    settings.AFRICASTALKING_API_KEY = base.AT_KEY
    settings.AFRICASTALKING_USERNAME = "urna"
    settings.PUBLIC_BASE_URL = ""
    settings.MESSAGING_SMS_BACKEND = "file"
    settings.MESSAGING_WHATSAPP_BACKEND = "file"
    settings.CHANNELS_DRAIN_DELAY_SECONDS = 0.5


@pytest.fixture
def entity(national_entities):
    return Entity.objects.get(acronym="MINAGRICULTURA")


@pytest.fixture
def world(entity):
    """Six open exercises (AGRO has a closed question with three options) and one closed one."""
    now = timezone.now()
    exercises = []
    titles = [
        ("AGRO", "Proyecto de decreto de tierras rurales para la agricultura familiar"),
        ("AGUA", "Plan decenal de agua potable y saneamiento basico"),
        ("EDU", "Politica de educacion rural y conectividad en las escuelas"),
        ("SALUD", "Lineamientos de salud mental para adolescentes"),
        ("VIAS", "Plan de vias terciarias para sacar las cosechas"),
        ("TIC", "Consulta sobre internet comunitario en zonas apartadas"),
    ]
    for n, (code, title) in enumerate(titles):
        exercises.append(
            Exercise.objects.create(
                title=title,
                slug=code.lower(),
                code=code,
                summary=f"Resumen del ejercicio {code}: opine sobre lo que propone el gobierno.",
                owner=entity,
                kind=Exercise.Kind.POLICY,
                status=Exercise.Status.OPEN,
                opens_at=now - timedelta(days=1, minutes=n),
                closes_at=now + timedelta(days=20),
            )
        )
    Exercise.objects.create(
        title="Ejercicio cerrado",
        slug="cerrado",
        code="CERRADO",
        summary="Ya no recibe aportes de la ciudadania.",
        owner=entity,
        kind=Exercise.Kind.POLICY,
        status=Exercise.Status.ANALYSIS,
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
    )
    question = ClosedQuestion.objects.create(
        exercise=exercises[0],
        number=1,
        kind=ClosedQuestion.Kind.SINGLE,
        text="Cual debe ser la prioridad del decreto de tierras?",
    )
    for position, (key, label) in enumerate(
        [("titulos", "Titulacion de predios"), ("credito", "Credito barato"), ("vias", "Vias")]
    ):
        QuestionOption.objects.create(question=question, key=key, label=label, position=position)
    return {e.code: e for e in exercises}
