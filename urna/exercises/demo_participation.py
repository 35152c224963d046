"""Demo data of a participant's side of the exercises (run by ``demo.demo_load``, idempotent):
support thresholds with supports on the open exercises' proposals, and a citizen account that
contributed, asked, supported and follows, to show "Mis aportes".

Demo account: ``ciudadana@demo.urna.localhost`` with the demo staff password.
"""

import hashlib
import random

from django.conf import settings
from django.db import transaction
from django.db.models import F

from urna.accounts.models import User
from urna.accounts.services import citizen_register
from urna.exercises import services
from urna.exercises.models import Contribution, Exercise, Support
from urna.queries import services as query_services

DEMO_CITIZEN = "ciudadana@demo.urna.localhost"
DEMO_PASSWORD = "urna-demo-2026"  # noqa: S105 - demo only, refused in production
# Open demo exercises and the supports a proposal needs there for the entity to study it.
THRESHOLDS = {"pacto-agrario": 100, "ley-del-deporte": 50, "igualdad-de-genero-manizales": 30}


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        return
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    for slug, threshold in THRESHOLDS.items():
        exercise = Exercise.objects.filter(slug=slug).first()
        if exercise is not None and exercise.support_threshold is None:
            services.exercise_update(exercise=exercise, by=admin, support_threshold=threshold)
            _supports(exercise, threshold)
    if not User.objects.filter(username=DEMO_CITIZEN).exists():
        _citizen()
    stdout.write(
        f"exercises: support thresholds on {len(THRESHOLDS)} open exercises; demo citizen "
        f"{DEMO_CITIZEN} (password: {DEMO_PASSWORD})"
    )


def _supports(exercise: Exercise, threshold: int) -> None:
    """Anonymous supports on the exercise's newest proposals (its page shows them first): one
    past the threshold, the others on their way (drawn from the slug: the same numbers on every
    installation)."""
    rng = random.Random(exercise.slug)
    proposals = list(
        Contribution.objects.filter(
            exercise=exercise,
            kind=Contribution.Kind.PROPOSAL,
            moderation=Contribution.Moderation.VISIBLE,
        ).order_by("-id")[:8]
    )
    for n, proposal in enumerate(proposals):
        count = threshold + rng.randint(1, 20) if n == 0 else rng.randint(0, threshold - 1)
        with transaction.atomic():
            Support.objects.bulk_create(
                Support(contribution=proposal, supporter=_demo_supporter(proposal.pk, k))
                for k in range(count)
            )
            Contribution.objects.filter(pk=proposal.pk).update(
                support_count=F("support_count") + count
            )


def _demo_supporter(pk: int, k: int) -> str:
    return hashlib.blake2b(f"demo:{pk}:{k}".encode(), digest_size=16).hexdigest()


def _citizen() -> None:
    """The demo citizen: an opinion, a proposal and an answer on the agrarian pact, a query, a
    support of someone else's proposal, and the exercise followed by email."""
    exercise = Exercise.objects.filter(slug="pacto-agrario").first()
    if exercise is None:
        return
    with transaction.atomic():
        citizen = citizen_register(password=DEMO_PASSWORD, email=DEMO_CITIZEN, consent=True)
        citizen.first_name = "Camila"
        citizen.save(update_fields=["first_name"])
        for kind, text in (
            ("opinion", "Los créditos deben llegar a las veredas, no sólo a las cabeceras."),
            ("proposal", "Centros de acopio comunitarios en cada municipio productor."),
        ):
            services.contribution_submit(
                exercise=exercise,
                kind=kind,
                text=f"{text} (Aporte de ejemplo.)",
                channel="web",
                municipality_code="17001",
                user=citizen,
            )
        question = exercise.questions.first()
        if question is not None:
            services.contribution_submit(
                exercise=exercise,
                kind="answer",
                text="",
                channel="web",
                question=question.number,
                choice="1",
                user=citizen,
            )
        other = (
            Contribution.objects.filter(exercise=exercise, kind=Contribution.Kind.PROPOSAL)
            .exclude(user=citizen)
            .order_by("id")
            .first()
        )
        if other is not None:
            services.support_add(contribution=other, user=citizen)
        query_services.query_submit(
            type="peticion",
            text="¿Cuándo abre la convocatoria de crédito para pequeños productores? (Ejemplo.)",
            channel="web",
            user=citizen,
            exercise=exercise,
        )
        services.exercise_follow(exercise=exercise, address=DEMO_CITIZEN, channel="email")
