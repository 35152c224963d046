"""Demo deliberation: "¿Qué debe priorizar el Pacto Agrario?" on the demo exercise
``pacto-agrario``, with 30 statements and 400 synthetic participants in three planted opinion
camps (agro-industry and infrastructure, peasant economy and land, environment and water),
a few statements everyone shares, two proposals waiting for moderation and one rejected, then
recomputed so the page shows groups and consensus. Marked as example data everywhere.

The statements, proposals and moderation go through the services (audited); the 10,000-odd
synthetic votes are written in bulk, as a load would be, and the matrix recomputed once.
"""

import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from urna.deliberation import services
from urna.deliberation.models import Deliberation, Participant, Vote
from urna.deliberation.recompute import deliberation_recompute
from urna.exercises.models import Exercise

SLUG = "pacto-agrario"
PARTICIPANTS = 400
CAMP_SHARES = (0.45, 0.35, 0.20)
# (statement, views of the three camps: agro-industry, peasant economy, environment)
STATEMENTS = [
    ("Las vías terciarias deben ser la primera inversión del Pacto.", (1, 1, 1)),
    ("Sin internet en las veredas no hay desarrollo rural posible.", (1, 1, 1)),
    ("Los créditos para pequeños productores deben tener tasas más bajas.", (1, 1, 1)),
    ("Las comunidades rurales deben ser consultadas antes de cada proyecto.", (0, 1, 1)),
    ("No hace falta consultar a nadie: el Gobierno sabe qué necesita el campo.", (-1, -1, -1)),
    ("Hay que atraer inversión privada a gran escala para las tierras del Vichada.", (1, -1, -1)),
    ("La agroindustria exportadora es el motor del empleo rural.", (1, -1, 0)),
    ("El catastro multipropósito debe terminarse antes de 2030.", (1, 1, 0)),
    ("La tierra improductiva debe redistribuirse a familias campesinas.", (-1, 1, 0)),
    ("Las Zonas de Reserva Campesina deben ampliarse.", (-1, 1, 0)),
    ("Los mercados campesinos deben tener prioridad en las compras públicas.", (0, 1, 1)),
    ("Hay que subsidiar los fertilizantes químicos para bajar costos.", (1, 1, -1)),
    ("La ganadería extensiva debe reducirse para proteger bosques y agua.", (-1, 0, 1)),
    ("La deforestación en la Amazonía debe frenarse aunque afecte la producción.", (-1, 0, 1)),
    ("Los páramos deben quedar libres de cultivos y minería.", (-1, 0, 1)),
    ("El agua para riego debe priorizarse sobre el agua para la industria.", (0, 1, 1)),
    ("Los distritos de riego deben construirse con asociaciones público-privadas.", (1, -1, 0)),
    ("Los cultivos transgénicos deben permitirse sin más restricciones.", (1, -1, -1)),
    ("Las semillas nativas deben protegerse por ley.", (-1, 1, 1)),
    ("La agroecología debe enseñarse en todos los colegios rurales.", (-1, 1, 1)),
    ("Los precios de sustentación protegen al pequeño productor.", (-1, 1, 0)),
    ("El Estado no debe fijar precios: el mercado lo hace mejor.", (1, -1, -1)),
    ("Las mujeres rurales deben tener prioridad en la titulación de tierras.", (0, 1, 1)),
    ("Los jóvenes rurales necesitan becas para quedarse en el campo.", (1, 1, 1)),
    ("Hay que pagar a las familias campesinas por cuidar bosques.", (-1, 1, 1)),
    ("La palma de aceite debe expandirse en la Orinoquía.", (1, -1, -1)),
    ("Los agroquímicos prohibidos en Europa deben prohibirse aquí.", (-1, 0, 1)),
    ("Las asociaciones de productores deben recibir maquinaria.", (1, 1, 0)),
    ("La restitución de tierras avanza demasiado lento.", (-1, 1, 1)),
    ("Los seguros agropecuarios contra el clima deben ser obligatorios.", (1, 0, 1)),
]
PROPOSALS = [
    "Necesitamos centros de acopio en cada vereda para no perder las cosechas.",
    "Las alcaldías deben publicar cada mes el avance de las vías terciarias.",
]
REJECTED = "Todo esto es pura politiquería y no sirve para nada, como siempre."


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        stdout.write("deliberation: production mode, no demo deliberation created")
        return
    exercise = Exercise.objects.filter(slug=SLUG).first()
    admin = get_user_model().objects.filter(username="admin").first()
    if exercise is None or admin is None:
        stdout.write("deliberation: no demo exercise or admin user, no demo deliberation")
        return
    if Deliberation.objects.filter(exercise=exercise).exists():
        stdout.write("deliberation: the demo deliberation exists already")
        return
    with transaction.atomic():
        deliberation = _deliberation(exercise, admin)
    outcome = deliberation_recompute(deliberation_id=deliberation.pk, force=True)
    stdout.write(
        f"deliberation: demo deliberation on {SLUG}: {len(STATEMENTS)} statements, "
        f"{outcome['participants']} participants, {outcome['votes']} votes, {outcome['k']} groups"
    )


def _deliberation(exercise: Exercise, admin) -> Deliberation:
    deliberation = services.deliberation_create(
        exercise=exercise,
        question="¿Qué debe priorizar el Pacto Agrario?",
        by=admin,
        recompute_seconds=60,
    )
    Deliberation.objects.filter(pk=deliberation.pk).update(is_example=True)
    statements = [
        services.statement_add(deliberation=deliberation, text=text, by=admin)
        for text, _views in STATEMENTS
    ]
    rng = random.Random(SLUG)
    people = Participant.objects.bulk_create(
        Participant(deliberation=deliberation, anonymous_key=f"demo-{i:04d}")
        for i in range(PARTICIPANTS)
    )
    Vote.objects.bulk_create(_votes(deliberation, statements, people, rng), batch_size=2000)
    for text in PROPOSALS:
        services.statement_propose(participant=people[rng.randrange(PARTICIPANTS)], text=text)
    rejected = services.statement_propose(participant=people[0], text=REJECTED)
    services.statement_moderate(
        statement=rejected,
        to="rejected",
        reason="No propone nada sobre lo que se pueda votar de acuerdo o en desacuerdo.",
        by=admin,
    )
    return deliberation


def _votes(deliberation, statements, people, rng: random.Random) -> list[Vote]:
    now = timezone.now()
    votes = []
    for person in people:
        camp = rng.choices(range(3), weights=CAMP_SHARES)[0]
        channel = rng.choices(["web", "whatsapp", "ussd"], weights=[70, 15, 15])[0]
        for statement, (_text, views) in zip(statements, STATEMENTS, strict=True):
            if rng.random() > 0.75:
                continue
            value = views[camp] if rng.random() < 0.85 else rng.choice([-1, 0, 1])
            votes.append(
                Vote(
                    deliberation=deliberation,
                    statement=statement,
                    participant=person,
                    value=value,
                    channel=channel,
                    created_at=now,
                    updated_at=now,
                )
            )
    return votes
