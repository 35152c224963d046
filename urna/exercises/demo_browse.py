"""Demo data of the conversations on the exercises (run by ``demo.demo_load``, idempotent):
replies, some of them answered in turn, under a few contributions and article comments of each
example exercise, and on an open one a reply waiting in the moderation queue.

On open exercises the replies go through ``services.reply_submit``, as a citizen's would; on
closed ones (which take no replies any more) they are stored as rows, like the other example
data the phases would refuse now.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from urna.accounts.models import User
from urna.core.receipts import receipt_new
from urna.exercises import services
from urna.exercises.models import Contribution, ContributionResponse, Exercise

KEY = "demo-reply"
EXAMPLE = "(Ejemplo de demostración: texto inventado.)"
REPLIES = [
    "Estoy de acuerdo: en mi vereda pasa exactamente lo mismo.",
    "Complemento la idea: también hace falta acompañamiento técnico en los municipios.",
    "No estoy de acuerdo; primero habría que garantizar los recursos para cumplirlo.",
    "¿Esto aplicaría también en las zonas rurales dispersas?",
    "Buena propuesta. En Boyacá una asociación ya lo intentó y funcionó.",
    "Sugiero precisar quién vigila que se cumpla.",
]
NESTED = [
    "Sí, y debería quedar escrito en el texto final.",
    "Gracias por el dato: ¿sabe en qué municipio fue?",
    "Tiene razón, sin presupuesto no se cumple.",
]
HELD = "Respondo a este aporte con un comentario que el equipo de moderación revisará."


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        return
    made = 0
    for exercise in Exercise.objects.filter(is_example=True).order_by("id"):
        if Contribution.objects.filter(
            exercise=exercise, idempotency_key__startswith=f"{KEY}:{exercise.pk}:"
        ).exists():
            continue
        with transaction.atomic():
            made += _conversations(exercise)
    stdout.write(f"exercises: {made} example replies")


def _conversations(exercise: Exercise) -> int:
    rng = random.Random(f"replies:{exercise.slug}")
    roots = list(
        Contribution.objects.filter(
            exercise=exercise,
            moderation="visible",
            parent__isnull=True,
            idempotency_key__isnull=False,
        )
        .exclude(kind=Contribution.Kind.ANSWER)
        .order_by("id")[:40]
    )
    chosen = rng.sample(roots, min(len(roots), 6))
    # The article comments first: each article shows its conversation.
    chosen.sort(key=lambda c: c.kind != Contribution.Kind.ARTICLE_COMMENT)
    made = 0
    for n, root in enumerate(chosen):
        for i in range(rng.randint(1, 3)):
            reply = _reply(exercise, root, rng.choice(REPLIES), key=f"{n}:{i}")
            made += 1
            if i == 0 and rng.random() < 0.6:
                _reply(exercise, reply, rng.choice(NESTED), key=f"{n}:{i}:1")
                made += 1
    moderator = User.objects.filter(username="moderadora").first()
    if chosen and moderator is not None and services.exercise_accepts_contributions(exercise):
        held = _reply(exercise, chosen[0], HELD, key="held")
        services.contribution_moderate(contribution=held, to="pending", by=moderator)
        made += 1
    return made


def _reply(exercise: Exercise, parent: Contribution, text: str, *, key: str) -> Contribution:
    text = f"{text} {EXAMPLE}"
    idempotency_key = f"{KEY}:{exercise.pk}:{key}"
    if services.exercise_accepts_contributions(exercise):
        return services.reply_submit(
            parent=parent, text=text, channel="web", idempotency_key=idempotency_key
        ).contribution
    target = services.reply_target(parent)
    reply = Contribution.objects.create(
        exercise=exercise,
        parent=target,
        kind=Contribution.Kind.OPINION,
        channel="web",
        text=text,
        receipt=receipt_new("UC"),
        idempotency_key=idempotency_key,
        created_at=parent.created_at + timedelta(hours=6),
    )
    services.reply_counts_adjust(reply=reply, delta=1)
    if exercise.status == Exercise.Status.RESULTS:
        # Every contribution of a published matrix has its answer; a reply too.
        ContributionResponse.objects.create(
            contribution=reply,
            decision="partial",
            reason=f"Se estudió junto con el aporte al que responde. {EXAMPLE}",
            responded_by=exercise.created_by,
        )
    return reply
