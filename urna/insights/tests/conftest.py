"""Fixtures of the insights tests: an exercise with a small fixed corpus of real-looking
opinions (three topics, one campaign, short texts), analysts of two entities."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from urna.accounts.models import Role
from urna.core.receipts import receipt_new
from urna.exercises import services as exercise_services
from urna.exercises.models import Contribution

_WORDS = {
    "roads": (
        "carretera vía vías puente trocha derrumbes huecos placa huella maquinaria caminos "
        "transporte invierno intransitable pavimento alcantarillas cunetas terciaria barro"
    ),
    "health": (
        "salud médico hospital medicamentos enfermeras ambulancia eps citas especialista "
        "urgencias vacunas odontología farmacia prenatal tratamientos brigadas enfermedad"
    ),
    "credit": (
        "crédito préstamos banco intereses tasas deudas garantías codeudor hipoteca plazos "
        "cuotas seguro financiación microcrédito bancaria reportados condonación alivio"
    ),
}
TOPICS = {topic: words.split() for topic, words in _WORDS.items()}
GENERIC = ["necesitamos", "pedimos", "vereda", "gobierno", "urgente", "comunidad", "familias"]
CAMPAIGN = "Exigimos que arreglen la carretera y el puente de la vereda, la vía está destruida"


def opinions(per_topic=30, seed=11, prefix=""):
    """[(key, topic, text)]: distinct word mixes per topic (no two share a phrase)."""
    rng = np.random.default_rng(seed)
    out = []
    for topic, words in TOPICS.items():
        for n in range(per_topic):
            mix = [*rng.choice(words, 8, replace=False), *rng.choice(GENERIC, 3, replace=False)]
            rng.shuffle(mix)
            out.append((f"{prefix}{topic}-{n}", topic, " ".join(mix).capitalize() + "."))
    return out


def add_contributions(exercise, texts, **fields):
    """Bulk-insert contributions (as the demo does); returns them in order."""
    fields = {"kind": Contribution.Kind.OPINION, "channel": "web", **fields}
    rows = [
        Contribution(exercise=exercise, text=text, receipt=receipt_new("UC"), **fields)
        for text in texts
    ]
    return Contribution.objects.bulk_create(rows)


@pytest.fixture
def analyst(agriculture, make_staff):
    return make_staff(agriculture, Role.ANALYST, username="analista.agro")


@pytest.fixture
def outsider(education, make_staff):
    return make_staff(education, Role.ANALYST, username="analista.educacion")


@pytest.fixture
def moderator(agriculture, make_staff):
    return make_staff(agriculture, Role.MODERATOR, username="moderadora.agro")


@pytest.fixture
def exercise(agriculture, make_staff):
    manager = make_staff(agriculture, Role.MANAGER, username="gestora.agro")
    exercise = exercise_services.exercise_create(
        by=manager,
        owner=agriculture,
        title="Pacto agrario de prueba",
        summary="Resumen del ejercicio de prueba.",
        kind="open_question",
        closes_at=timezone.now() + timedelta(days=30),
    )
    exercise_services.exercise_transition(exercise=exercise, to="open", by=manager)
    return exercise


@pytest.fixture
def corpus(exercise):
    """The exercise's contributions by key: 90 opinions (30 per topic), 12 copies of one
    campaign (roads), 3 short texts."""
    items = opinions()
    items += [
        (f"camp-{i}", "roads", CAMPAIGN + (f". Firma {i}" if i % 3 else "")) for i in range(12)
    ]
    items += [("short-1", None, "Sí"), ("short-2", None, "De acuerdo"), ("short-3", None, "ok ok")]
    made = add_contributions(exercise, [text for _, _, text in items])
    return {key: (c, topic) for (key, topic, _), c in zip(items, made, strict=True)}
