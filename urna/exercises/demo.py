"""Demo exercises modelled on real ones of Colombia's Urna de Cristal, with invented example texts.

Every exercise is flagged ``is_example`` and says so on its pages. Each one is created in one
transaction through the real services (create, articles, questions, open, contributions,
close, answers, publish), so the audit log and the state machine hold for demo data too. An
exercise whose slug exists is left alone, so a second run changes nothing.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from urna.accounts.models import User
from urna.contacts.services import ContactDetails
from urna.core.channels import Channel
from urna.entities.models import Entity
from urna.exercises import demo_browse, demo_participation, selectors, services
from urna.exercises.models import (
    Contribution,
    ContributionResponse,
    Exercise,
    ResponseGroup,
)
from urna.exercises.tasks import close_due_schedule

# Municipalities (DANE codes) the example contributions come from, across the country.
PLACES = [
    "11001",
    "05001",
    "76001",
    "08001",
    "13001",
    "68001",
    "17001",
    "66001",
    "63001",
    "73001",
    "41001",
    "52001",
    "19001",
    "54001",
    "23001",
    "20001",
    "47001",
    "44001",
    "50001",
    "85001",
    "81001",
    "86001",
    "18001",
    "27001",
    "88001",
    "91001",
    "15001",
    "25754",
    "05045",
    "76520",
]
# Weighted by repetition; fixed lists (not sets) so the same seed gives the same demo data.
TEXT_CHANNELS = (
    [Channel.WEB] * 6
    + [Channel.SMS] * 3
    + [
        Channel.USSD,
        Channel.WHATSAPP,
        Channel.WHATSAPP,
        Channel.FACEBOOK,
        Channel.EMAIL,
    ]
)
# Every one of ``urna.core.channels.OPERATOR_CHANNELS``, in a fixed order.
DEMO_OPERATOR_CHANNELS = [Channel.RADIO, Channel.PHONE, Channel.IN_PERSON, Channel.TV]

EXAMPLE = "(Ejemplo de demostración: texto inventado.)"

EXERCISES = [
    {
        "slug": "ley-del-deporte",
        "owner": "MINDEPORTE",
        "title": "Proyecto de ley del deporte, la recreación y la actividad física",
        "summary": (
            "El Ministerio del Deporte pone a consideración el proyecto de la nueva ley del "
            "deporte. Opine artículo por artículo. " + EXAMPLE
        ),
        "kind": "draft_regulation",
        "code": "DEPORTE",
        "topics": ["Deporte", "Juventud"],
        "status": "open",
        "days": 30,
        "articles": [
            (
                "Objeto",
                "Esta ley organiza el Sistema Nacional del Deporte y garantiza el derecho "
                "de todas las personas a la práctica del deporte, la recreación y la actividad "
                "física.",
            ),
            (
                "Escenarios deportivos",
                "Los municipios mantendrán escenarios deportivos abiertos "
                "a la comunidad, con horarios para niñas, niños y personas mayores.",
            ),
            (
                "Deporte rural",
                "El Ministerio financiará programas de deporte en zonas rurales "
                "dispersas, en coordinación con las alcaldías.",
            ),
            (
                "Financiación",
                "Los recursos del impuesto al consumo de telefonía móvil se "
                "destinarán al fomento del deporte.",
            ),
        ],
        "opinions": [
            "Pido que la ley incluya escenarios deportivos en las veredas, no sólo en las "
            "cabeceras municipales.",
            "Los entrenadores de los municipios pequeños necesitan contratos estables.",
            "Falta un artículo sobre el deporte adaptado para personas con discapacidad.",
            "Propongo juegos intercolegiados rurales con transporte pagado para los equipos.",
        ],
        "contributions": 40,
    },
    {
        "slug": "pacto-agrario",
        "owner": "MINAGRICULTURA",
        "partners": ["ADR", "ANT"],
        "title": "Pacto Nacional por el Agro y el Desarrollo Rural",
        "summary": (
            "Construyamos juntos el Pacto Agrario: ¿qué necesita el campo colombiano? En el "
            "ejercicio original participaron 108.739 personas. " + EXAMPLE
        ),
        "kind": "open_question",
        "code": "AGRO",
        "topics": ["Agricultura", "Desarrollo rural"],
        "status": "open",
        "days": 45,
        "questions": [
            (
                "single",
                "¿Qué es lo más urgente para el campo?",
                [
                    "Vías terciarias",
                    "Crédito barato",
                    "Acceso a la tierra",
                    "Agua y riego",
                ],
            ),
        ],
        "opinions": [
            "Necesitamos vías terciarias para sacar la cosecha sin perderla.",
            "El crédito del Banco Agrario debe llegar a los pequeños productores sin tantos "
            "requisitos.",
            "Pedimos precios justos para la leche y el café: los intermediarios se quedan con "
            "la ganancia.",
            "Asistencia técnica permanente en las veredas y semillas certificadas.",
            "Formalizar la propiedad de la tierra de las familias campesinas.",
            "Que las compras públicas de alimentos se hagan a las asociaciones campesinas.",
        ],
        "contributions": 110,
    },
    {
        "slug": "decreto-0019-de-2012-antitramites",
        "owner": "FUNCIONPUBLICA",
        "partners": ["PRESIDENCIA"],
        "title": "Decreto 0019 de 2012: supresión de trámites innecesarios (antitrámites)",
        "summary": (
            "Proyecto de decreto para suprimir o reformar regulaciones, procedimientos y "
            "trámites innecesarios de la administración pública. " + EXAMPLE
        ),
        "kind": "draft_regulation",
        "code": "TRAMITES",
        "topics": ["Función pública", "Trámites"],
        "status": "results",
        "days": 20,
        "articles": [
            (
                "Objeto",
                "Suprimir o reformar los trámites, procedimientos y regulaciones "
                "innecesarios existentes en la administración pública.",
            ),
            (
                "Prohibición de exigir documentos",
                "Ninguna entidad podrá exigir documentos que "
                "reposen en sus archivos o en los de otra entidad pública.",
            ),
            (
                "Supresión de la fe de vida",
                "Se elimina la presentación periódica de la fe de "
                "vida para los pensionados residentes en Colombia.",
            ),
        ],
        "opinions": [
            "Que ninguna entidad pida copias de la cédula cuando puede consultarla en línea.",
            "Eliminar la autenticación de firmas para trámites ante el Estado.",
            "Los pensionados en el exterior también deberían quedar libres de la fe de vida.",
            "Propongo un único formulario en línea para todos los trámites.",
        ],
        "contributions": 40,
        "results_summary": (
            "Se recibieron y respondieron todos los aportes. Las propuestas de eliminar copias y "
            "autenticaciones se incorporaron al texto final. " + EXAMPLE
        ),
    },
    {
        "slug": "plan-decenal-de-educacion",
        "owner": "MINEDUCACION",
        "title": "Plan Nacional Decenal de Educación 2016–2026",
        "summary": (
            "El país define la ruta de la educación para los próximos diez años. Cuéntenos qué "
            "educación quiere. " + EXAMPLE
        ),
        "kind": "plan",
        "code": "EDUCA",
        "topics": ["Educación"],
        "status": "analysis",
        "days": 30,
        "opinions": [
            "Jornada única con alimentación escolar en todos los colegios rurales.",
            "Formación permanente para los docentes y mejores salarios.",
            "Educación superior gratuita en las regiones, no sólo en las capitales.",
            "Conectividad en todas las sedes educativas.",
        ],
        "contributions": 40,
    },
    {
        "slug": "decreto-servicios-digitales",
        "owner": "MINTIC",
        "title": "Proyecto de decreto de servicios ciudadanos digitales",
        "summary": (
            "Lineamientos para la carpeta ciudadana, la autenticación digital y la "
            "interoperabilidad de las entidades públicas. " + EXAMPLE
        ),
        "kind": "draft_regulation",
        "code": "DIGITAL",
        "topics": ["Tecnología", "Gobierno digital"],
        "status": "open",
        "days": 10,
        "justification": (
            "El plazo se reduce a 10 días porque el decreto debe expedirse antes de la entrada "
            "en vigencia de la ley que lo ordena; el texto ya se discutió en mesas técnicas. "
            + EXAMPLE
        ),
        "articles": [
            (
                "Objeto",
                "Establecer los lineamientos de los servicios ciudadanos digitales.",
            ),
            (
                "Autenticación digital",
                "Las entidades aceptarán la autenticación digital como "
                "medio de identificación en sus trámites en línea.",
            ),
            (
                "Carpeta ciudadana",
                "Cada persona podrá consultar en un solo lugar los datos que "
                "las entidades tienen sobre ella.",
            ),
            (
                "Protección de datos",
                "El tratamiento de los datos se sujetará a la Ley 1581 de 2012.",
            ),
        ],
        "opinions": [
            "La autenticación digital debe funcionar también sin teléfono inteligente.",
            "La carpeta ciudadana debe mostrar quién consultó mis datos.",
            "Pido capacitación en los puntos Vive Digital para las personas mayores.",
        ],
        "contributions": 35,
    },
    {
        "slug": "igualdad-de-genero-manizales",
        "owner": "ALC-17001",
        "partners": ["MINIGUALDAD"],
        "title": "Plan de igualdad de oportunidades para las mujeres de Manizales",
        "summary": (
            "La Alcaldía de Manizales actualiza su política pública de equidad de género. "
            "Responda la pregunta y deje sus propuestas. " + EXAMPLE
        ),
        "kind": "policy",
        "code": "IGUALDAD",
        "topics": ["Equidad de género"],
        "scope": "municipality",
        "municipality_code": "17001",
        "status": "open",
        "days": 25,
        "questions": [
            (
                "yes_no",
                "¿Conoce la ruta de atención a mujeres víctimas de violencia en Manizales?",
                [],
            ),
            (
                "scale",
                "De 1 a 5, ¿qué tan segura se siente en el transporte público?",
                [],
            ),
        ],
        "opinions": [
            "Más iluminación en los paraderos de bus de las comunas.",
            "Programas de empleo para mujeres cabeza de hogar en el área rural.",
            "Salas amigas de la lactancia en las empresas del municipio.",
        ],
        "contributions": 45,
        "local": True,
    },
]


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        stdout.write("exercises: production mode, no demo exercises created")
        return
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        stdout.write("exercises: no demo admin user, no demo exercises created")
        return
    operator = User.objects.filter(username="moderadora").first()
    created = 0
    for spec in EXERCISES:
        if Exercise.objects.filter(slug=spec["slug"]).exists():
            continue
        with transaction.atomic():
            _exercise(spec, admin=admin, operator=operator)
        created += 1
    close_due_schedule()
    total = Contribution.objects.filter(exercise__is_example=True).count()
    stdout.write(f"exercises: {created} demo exercises created, {total} example contributions")
    demo_participation.demo_load(stdout=stdout)
    demo_browse.demo_load(stdout=stdout)


def _exercise(spec: dict, *, admin: User, operator: User | None) -> Exercise:
    rng = random.Random(spec["slug"])
    now = timezone.now()
    exercise = services.exercise_create(
        by=admin,
        owner=Entity.objects.get(acronym=spec["owner"]),
        partners=list(Entity.objects.filter(acronym__in=spec.get("partners", []))),
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        body=_body(spec),
        kind=spec["kind"],
        code=spec["code"],
        topics=spec["topics"],
        scope=spec.get("scope", "national"),
        municipality_code=spec.get("municipality_code"),
        closes_at=now + timedelta(days=spec["days"]),
        results_due_at=now + timedelta(days=spec["days"] + 30),
        is_example=True,
    )
    for title, body in spec.get("articles", []):
        services.article_add(exercise=exercise, by=admin, title=title, body=body)
    for kind, text, options in spec.get("questions", []):
        services.question_add(exercise=exercise, by=admin, kind=kind, text=text, options=options)
    services.exercise_transition(
        exercise=exercise,
        to="open",
        by=admin,
        justification=spec.get("justification", ""),
    )
    contributions = _contributions(exercise, spec, rng, operator)
    if spec["status"] in ("analysis", "results"):
        services.exercise_transition(exercise=exercise, to="analysis", by=admin)
    if spec["status"] == "results":
        _answer_all(exercise, contributions, admin, rng)
        services.exercise_update(
            exercise=exercise, by=admin, results_summary=spec.get("results_summary", "")
        )
        services.exercise_transition(exercise=exercise, to="results", by=admin)
    _backdate(exercise, spec, contributions, rng)
    return exercise


def _body(spec: dict) -> str:
    return (
        f"## Sobre este ejercicio\n\n{spec['summary']}\n\n"
        "**Cómo participar:** escriba su opinión o propuesta en esta página, o envíe un SMS al "
        f"**{settings.URNA_SMS_SHORT_CODE}** con la palabra **{spec['code']}** seguida de su "
        f"mensaje. También puede participar por USSD (marque **{settings.URNA_USSD_CODE}**), "
        f"por WhatsApp al **{settings.URNA_WHATSAPP_NUMBER}**, por radio o en los puntos de "
        "atención.\n\n"
        "*Este es un ejercicio de ejemplo de la demostración de Urna, inspirado en un ejercicio "
        "real de Urna de Cristal; los textos son inventados.*"
    )


def _contributions(
    exercise: Exercise, spec: dict, rng: random.Random, operator: User | None
) -> list[Contribution]:
    rules = selectors.submission_rules(exercise)
    made = []
    for i in range(spec["contributions"]):
        roll = rng.random()
        kind, article, question, choice = "opinion", None, None, None
        text = rng.choice(spec["opinions"])
        if rules.questions_by_number and roll < 0.3:
            q = rng.choice(list(rules.questions_by_number.values()))
            kind, question, text = "answer", q.number, ""
            choice = rng.randint(1, 5) if q.kind == "scale" else rng.randint(1, len(q.keys))
        elif rules.article_ids_by_number and roll < 0.5:
            kind, article = (
                "article_comment",
                rng.choice(list(rules.article_ids_by_number)),
            )
        elif roll < 0.65:
            kind = "proposal"
        elif roll < 0.72:
            kind = "question"
            text = "¿Cuándo se conocerán los resultados de este ejercicio y cómo se aplicarán?"
        if text:
            text = f"{text} {EXAMPLE}"
        channel = rng.choice(TEXT_CHANNELS)
        entered_by = None
        if operator is not None and rng.random() < 0.12:
            channel, entered_by = rng.choice(DEMO_OPERATOR_CHANNELS), operator
        place = "17001" if spec.get("local") and rng.random() < 0.8 else rng.choice(PLACES)
        contact = None
        if rng.random() < 0.1:
            contact = ContactDetails(phone=f"+57300555{i:04d}", consent=True)
        result = services.contribution_submit(
            exercise=exercise,
            kind=kind,
            text=text,
            channel=channel,
            article=article,
            question=question,
            choice=choice,
            municipality_code=place if rng.random() < 0.9 else None,
            contact=contact,
            demographics={
                "age_range": rng.choice(["", *Contribution.AgeRange.values]),
                "gender": rng.choice(["", "female", "male", "female", "male", "unsaid"]),
                "ethnic_group": rng.choice(["", "none", "none", "afro", "indigenous", "unsaid"]),
            },
            idempotency_key=f"demo:{exercise.slug}:{i}",
            entered_by=entered_by,
        )
        made.append(result.contribution)
    return made


def _answer_all(
    exercise: Exercise,
    contributions: list[Contribution],
    admin: User,
    rng: random.Random,
) -> None:
    """Example answers, stored as rows: answering (audit, notices) is ``urna.results``, a layer
    above this one, and example data notifies nobody."""
    answerable = [c for c in contributions if c.kind != "answer"]
    grouped = {c.pk for c in answerable if "copias" in c.text or "autenticación" in c.text}
    now = timezone.now()
    group = None
    if grouped:
        group = ResponseGroup.objects.create(
            exercise=exercise,
            title="Eliminar copias y autenticaciones",
            decision="accepted",
            reason=(
                "Se acoge: el artículo 2 prohíbe exigir documentos que reposen en entidades "
                "públicas y el decreto elimina las autenticaciones. " + EXAMPLE
            ),
            created_by=admin,
        )
    decisions = [
        (
            "accepted",
            "Se acoge la observación y se ajusta el artículo correspondiente.",
        ),
        ("partial", "Se acoge en parte: el tema se desarrollará en la reglamentación."),
        (
            "not_accepted",
            "No se acoge: excede el objeto del decreto, que sólo suprime trámites.",
        ),
    ]
    rows = []
    for contribution in answerable:
        if contribution.pk in grouped:
            decision, reason = group.decision, group.reason
        else:
            decision, reason = rng.choice(decisions)
            reason = f"{reason} {EXAMPLE}"
        rows.append(
            ContributionResponse(
                contribution=contribution,
                decision=decision,
                reason=reason,
                group=group if contribution.pk in grouped else None,
                responded_by=admin,
                responded_at=now,
            )
        )
    ContributionResponse.objects.bulk_create(rows)


def _backdate(
    exercise: Exercise,
    spec: dict,
    contributions: list[Contribution],
    rng: random.Random,
) -> None:
    """Spread the example over a believable calendar (display only; the audit log keeps the
    real times)."""
    now = timezone.now()
    if spec["status"] == "open":
        opens = now - timedelta(days=3)
        closes = now + timedelta(days=spec["days"] - 3)
    else:
        closes = now - timedelta(days=20)
        opens = closes - timedelta(days=spec["days"])
    span = max((min(closes, now) - opens).total_seconds(), 1)
    for contribution in contributions:
        Contribution.objects.filter(pk=contribution.pk).update(
            created_at=opens + timedelta(seconds=rng.uniform(0, span))
        )
    fields = {
        "published_at": opens - timedelta(days=2),
        "opens_at": opens,
        "closes_at": closes,
    }
    if spec["status"] == "results":
        fields["results_published_at"] = now - timedelta(days=5)
        fields["results_due_at"] = now - timedelta(days=5)
    Exercise.objects.filter(pk=exercise.pk).update(**fields)
