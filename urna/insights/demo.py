"""Demo data of the insights app: ~3,000 generated opinions on the Agrarian Pact exercise (code
AGRO) and one finished analysis of them, so the workspace has something to show after
``make run``. Idempotent: the opinions carry idempotency keys, and an exercise that already has
a finished analysis is left alone.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from urna.core.privacy import personal_data_scan
from urna.core.receipts import receipt_new
from urna.core.text import search_normalise
from urna.exercises.models import Contribution, Exercise
from urna.insights.demo_corpus import generate
from urna.insights.models import Analysis
from urna.insights.selectors import analysis_current
from urna.insights.services import analysis_run, theme_finding
from urna.territory.models import Municipality

N_OPINIONS = 3000
SEED = 2026
KEY_PREFIX = "demo-insights:"
CHANNELS = (
    ["web"] * 8 + ["sms"] * 4 + ["whatsapp"] * 3 + ["ussd"] * 2 + ["facebook", "email"] * 1
) + ["radio", "phone", "in_person"]
# A handful of texts the moderation aid should flag (invented numbers and addresses).
TO_FLAG = [
    "Necesitamos crédito para la cosecha, mi celular es 310 555 0199, llámenme por favor.",
    "Escríbanme a productora.cacao@example.com para lo de la asociación de la vereda.",
    "Mi cédula es 1.098.765.432 y llevo tres años esperando el título del predio.",
    "Ese funcionario es un malparido que nunca vino a la vereda a ver la vía.",
    "Si no arreglan la carretera los vamos a matar a todos los contratistas.",
    "Para el tema de riego comuníquense al 320 555 0147 con la junta de acción comunal.",
]


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        stdout.write("insights: production mode, no demo analysis")
        return
    exercise = Exercise.objects.filter(code="AGRO").first()
    if exercise is None:
        stdout.write("insights: no AGRO demo exercise, no demo analysis")
        return
    started = time.perf_counter()
    added = _opinions(exercise)
    analysed = _analysis(exercise)
    stdout.write(
        f"insights: {added} generated opinions added to {exercise.code}, "
        f"{'one analysis run' if analysed else 'analysis already there'} "
        f"({time.perf_counter() - started:.1f} s)"
    )


def _opinions(exercise) -> int:
    if Contribution.objects.filter(
        exercise=exercise, idempotency_key__startswith=KEY_PREFIX
    ).exists():
        return 0
    rng = random.Random(SEED)
    places = list(Municipality.objects.order_by("code").values_list("code", flat=True))
    texts = [row["text"] for row in generate(N_OPINIONS, seed=SEED)] + TO_FLAG
    now = timezone.now()
    opens = exercise.opens_at or now - timedelta(days=3)
    span = max((now - opens).total_seconds(), 60)
    rows = []
    for n, text in enumerate(texts):
        place = rng.choice(places) if places and rng.random() < 0.85 else None
        # bulk_create skips Contribution.save(): the masked text (and its folded copy for the
        # search) is computed here, as at intake.
        public_text, personal_data = personal_data_scan(text)
        rows.append(
            Contribution(
                exercise=exercise,
                kind=Contribution.Kind.PROPOSAL
                if rng.random() < 0.15
                else Contribution.Kind.OPINION,
                text=text,
                public_text=public_text,
                personal_data=personal_data,
                search_text=search_normalise(public_text),
                channel=rng.choice(CHANNELS),
                municipality_id=place,
                department_id=place[:2] if place else None,
                age_range=rng.choice(["", *Contribution.AgeRange.values]),
                gender=rng.choice(["", "female", "male", "female", "male", "unsaid"]),
                ethnic_group=rng.choice(["", "none", "none", "none", "afro", "indigenous"]),
                created_at=opens + timedelta(seconds=rng.uniform(0, span)),
                receipt=receipt_new("UC"),
                idempotency_key=f"{KEY_PREFIX}{exercise.pk}:{n}",
            )
        )
    for start in range(0, len(rows), 1000):
        with transaction.atomic():
            Contribution.objects.bulk_create(rows[start : start + 1000])
    return len(rows)


def _analysis(exercise) -> bool:
    if (
        analysis_current(exercise) is not None
        or Analysis.objects.filter(
            exercise=exercise, status__in=[Analysis.Status.QUEUED, Analysis.Status.RUNNING]
        ).exists()
    ):
        return False
    analyst = get_user_model().objects.filter(username="analista").first()
    analysis = Analysis.objects.create(exercise=exercise, run_by=analyst)
    analysis_run(analysis_id=analysis.pk)
    top = analysis.themes.filter(live=True).order_by("-size").first()
    if analyst is not None and top is not None:
        theme_finding(
            theme=top,
            is_finding=True,
            conclusion=(
                "Ejemplo de hallazgo: es el tema con más aportes; el equipo lo prioriza en la "
                "respuesta del ejercicio."
            ),
            by=analyst,
        )
    return True
