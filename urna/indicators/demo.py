"""Demo indicators: two years side by side, with goals, every figure marked as an example.

The other apps' demo data happens this year. So that last year has computed figures too, three
example exercises of last year are run here through the real services (created, opened, their
contributions submitted on every channel, closed, one answered and its results published) and
then dated into last year, as the exercises' own demo dates its examples. Manual figures
(followers of the platform's accounts, radio and TV audience, a perception survey, media
mentions) and goals are entered for both years through the services, so they are audit-logged
like any other. Last, the indicators are rebuilt from scratch so the facts exist.

Idempotent: an exercise whose slug exists, a manual indicator whose key exists and a goal
already set are left alone.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from urna.accounts.models import User
from urna.contacts.services import ContactDetails
from urna.core.channels import Channel
from urna.entities.models import Entity
from urna.exercises import services as exercise_services
from urna.exercises.models import Contribution, Exercise
from urna.indicators import services
from urna.indicators.engine.refresh import indicators_rebuild
from urna.indicators.models import IndicatorGoal, ManualIndicator, ManualValue
from urna.indicators.tasks import refresh_schedule
from urna.results.services import contribution_respond

EXAMPLE = "(Ejemplo de demostración: texto inventado.)"
GOAL_NOTE = "Meta de ejemplo"
VALUE_NOTE = "Dato de ejemplo"
# Operators type radio, TV, phone and in-person contributions; the rest arrive on their own.
CHANNELS = [Channel.WEB] * 5 + [Channel.SMS] * 3 + [Channel.WHATSAPP] * 2 + [Channel.USSD]
OPERATOR_CHANNELS = [Channel.RADIO, Channel.TV, Channel.IN_PERSON, Channel.PHONE]
PLACES = ["17001", "17174", "17380", "05001", "11001", "76001", "52001", "19001", "68001"]

# Last year's example exercises: (month, day) dates of last year; "results" ones are answered.
LAST_YEAR = [
    {
        "slug": "ejemplo-conectividad-escuelas-rurales",
        "owner": "MINTIC",
        "partners": ["MINEDUCACION", "ALC-17001"],
        "title": "Conectividad para las escuelas rurales",
        "kind": Exercise.Kind.POLICY,
        "code": "ESCUELAS",
        "topics": ["Conectividad", "Educación"],
        "opens": (3, 2),
        "closes": (5, 15),
        "contributions": 140,
        "contacts": True,
        "opinions": [
            "Que la conexión llegue primero a las sedes que no tienen luz estable.",
            "Capacitar a los docentes para usar los equipos, no sólo entregarlos.",
            "Abrir la red de la escuela a la vereda por las tardes.",
        ],
    },
    {
        "slug": "ejemplo-presupuesto-participativo-caldas",
        "owner": "GOB-17",
        "partners": ["ALC-17001"],
        "title": "Presupuesto participativo de Caldas",
        "kind": Exercise.Kind.POLICY,
        "code": "CALDAS",
        "topics": ["Presupuesto"],
        "scope": Exercise.Scope.DEPARTMENT,
        "department_code": "17",
        "opens": (8, 1),
        "closes": (10, 10),
        "results": (11, 20),
        "contributions": 90,
        "contacts": False,
        "opinions": [
            "Arreglar la vía terciaria entre las veredas y la cabecera.",
            "Más cupos en el transporte escolar rural.",
            "Un centro de acopio para los productores de café y plátano.",
        ],
    },
    {
        "slug": "ejemplo-salud-mental-jovenes",
        "owner": "MINSALUD",
        "partners": ["MINDEPORTE"],
        "title": "Salud mental de los jóvenes: qué necesitan",
        "kind": Exercise.Kind.POLICY,
        "code": "JOVENES",
        "topics": ["Salud", "Juventud"],
        "opens": (10, 6),
        "closes": (11, 28),
        "contributions": 70,
        "contacts": True,
        "opinions": [
            "Psicólogos en los colegios públicos todos los días, no una vez al mes.",
            "Escuelas deportivas gratuitas en los barrios por las tardes.",
            "Una línea de WhatsApp para hablar con alguien cuando uno lo necesita.",
        ],
    },
]

# key, label, unit, aggregation, group, source, description
MANUAL = [
    (
        "seguidores_cuentas_propias",
        "Seguidores de las cuentas propias de la plataforma",
        "count",
        "last",
        "social",
        "Estadísticas de las cuentas en X, Facebook, Instagram y YouTube (ejemplo)",
        "Suma de los seguidores de las cuentas oficiales de la plataforma al cierre del mes.",
    ),
    (
        "audiencia_radio_tv",
        "Audiencia de los programas de radio y televisión",
        "count",
        "sum",
        "audience",
        "Mediciones de las emisoras y canales aliados (ejemplo)",
        "Personas que sintonizaron los programas en los que se recibieron aportes.",
    ),
    (
        "confianza_respuesta",
        "Personas que creen que el Gobierno responde a la ciudadanía",
        "percent",
        "last",
        "perception",
        "Encuesta de percepción ciudadana (ejemplo)",
        "Porcentaje de personas encuestadas que están de acuerdo con la afirmación.",
    ),
    (
        "menciones_medios",
        "Menciones de la plataforma en medios",
        "count",
        "sum",
        "media",
        "Monitoreo de medios (ejemplo)",
        "Notas de prensa, radio y televisión que mencionan la plataforma o sus ejercicios.",
    ),
]

# key → (last year's goal, this year's goal)
GOALS = {
    "people_reached": (600, 2500),
    "interactions_total": (400, 3000),
    "interactions_contributions": (300, 1500),
    "replies_within_term_pct": (90, 95),
    "replies_median_days": (10, 8),
    "exercises_carried_out": (4, 12),
    "exercises_territorial": (1, 3),
    "partnerships_total": (3, 8),
    "partnerships_national_territorial": (1, 3),
    "campaigns_sent": (1, 4),
    "channel_inbound": (500, 2500),
    "seguidores_cuentas_propias": (450000, 500000),
    "audiencia_radio_tv": (300000, 400000),
    "confianza_respuesta": (40, 50),
    "menciones_medios": (120, 150),
}


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _contributions(
    exercise: Exercise, spec: dict, operator: User | None, number: int
) -> list[Contribution]:
    rng = random.Random(spec["slug"])
    made = []
    for i in range(spec["contributions"]):
        channel, entered_by = rng.choice(CHANNELS), None
        if operator is not None and rng.random() < 0.2:
            channel, entered_by = rng.choice(OPERATOR_CHANNELS), operator
        contact = None
        if spec["contacts"] and rng.random() < 0.25:
            contact = ContactDetails(phone=f"+573015{number}5{i:04d}", consent=True)
        result = exercise_services.contribution_submit(
            exercise=exercise,
            kind=rng.choice(["opinion", "opinion", "proposal"]),
            text=f"{rng.choice(spec['opinions'])} {EXAMPLE}",
            channel=channel,
            municipality_code=rng.choice(PLACES),
            contact=contact,
            idempotency_key=f"demo:{spec['slug']}:{i}",
            entered_by=entered_by,
        )
        made.append(result.contribution)
    return made


def _backdate(exercise: Exercise, spec: dict, made: list[Contribution], year: int) -> None:
    """Last year's dates (display and indicators; the audit log keeps the real times)."""
    rng = random.Random(spec["slug"] + ":dates")
    opens, closes = _aware(date(year, *spec["opens"])), _aware(date(year, *spec["closes"]))
    span = (closes - opens).total_seconds()
    for contribution in made:
        Contribution.objects.filter(pk=contribution.pk).update(
            created_at=opens + timedelta(seconds=rng.uniform(0, span))
        )
    fields: dict[str, Any] = {
        "published_at": opens - timedelta(days=3),
        "opens_at": opens,
        "closes_at": closes,
        "results_due_at": closes + timedelta(days=45),
    }
    if "results" in spec:
        fields["results_published_at"] = _aware(date(year, *spec["results"]))
    Exercise.objects.filter(pk=exercise.pk).update(**fields)


def _exercise(spec: dict, *, admin: User, operator: User | None, year: int, number: int) -> bool:
    owner = Entity.objects.filter(acronym=spec["owner"]).first()
    if owner is None or Exercise.objects.filter(slug=spec["slug"]).exists():
        return False
    now = timezone.now()
    with transaction.atomic():
        exercise = exercise_services.exercise_create(
            by=admin,
            owner=owner,
            partners=list(Entity.objects.filter(acronym__in=spec["partners"])),
            title=spec["title"],
            slug=spec["slug"],
            summary=f"Ejercicio de ejemplo del año pasado para los indicadores. {EXAMPLE}",
            kind=spec["kind"],
            code=spec["code"],
            topics=spec["topics"],
            scope=spec.get("scope", Exercise.Scope.NATIONAL),
            department_code=spec.get("department_code"),
            closes_at=now + timedelta(days=30),
            results_due_at=now + timedelta(days=60),
            is_example=True,
        )
        exercise_services.exercise_transition(exercise=exercise, to="open", by=admin)
        made = _contributions(exercise, spec, operator, number)
        exercise_services.exercise_transition(exercise=exercise, to="analysis", by=admin)
        if "results" in spec:
            for contribution in made:
                contribution_respond(
                    contribution=contribution,
                    decision="partial",
                    reason=f"Se incluye en el plan de inversiones del año siguiente. {EXAMPLE}",
                    by=admin,
                )
            exercise_services.exercise_transition(exercise=exercise, to="results", by=admin)
        _backdate(exercise, spec, made, year)
    return True


def _monthly(base: float, step: float, months: list[tuple[int, int]]) -> list[tuple[str, str]]:
    return [(f"{y}-{m:02d}", str(round(base + step * k))) for k, (y, m) in enumerate(months)]


def _manual_values(key: str, today: date) -> list[tuple[str, str]]:
    """Example figures per period: months from January last year to the current month."""
    months = [(today.year - 1, m) for m in range(1, 13)]
    months += [(today.year, m) for m in range(1, today.month + 1)]
    quarters = [(y, m) for y, m in months if m % 3 == 0 or (y, m) == months[-1]]
    if key == "seguidores_cuentas_propias":
        return _monthly(432000, 3500, quarters)
    if key == "audiencia_radio_tv":
        return _monthly(21000, 650, months)
    if key == "menciones_medios":
        return _monthly(8, 0.4, months)
    return [(str(today.year - 1), "41.5"), (str(today.year), "46.2")]


def _manual(admin: User, today: date) -> int:
    recorded = 0
    for key, label, unit, aggregation, group, source, description in MANUAL:
        indicator = ManualIndicator.objects.filter(key=key).first()
        if indicator is None:
            indicator = services.manual_indicator_create(
                by=admin,
                key=key,
                label=label,
                unit=unit,
                aggregation=aggregation,
                group=group,
                source=source,
                description=description,
                is_example=True,
            )
        if ManualValue.objects.filter(indicator=indicator).exists():
            continue
        for period, value in _manual_values(key, today):
            services.manual_value_create(
                by=admin,
                indicator=indicator,
                period=period,
                value=value,
                note=VALUE_NOTE,
                is_example=True,
                today=today,
            )
            recorded += 1
    return recorded


def _goals(admin: User, year: int) -> int:
    made = 0
    for key, targets in GOALS.items():
        for goal_year, target in zip((year - 1, year), targets, strict=True):
            if IndicatorGoal.objects.filter(key=key, year=goal_year, entity=None).exists():
                continue
            services.goal_set(
                by=admin,
                key=key,
                year=goal_year,
                target=str(target),
                note=GOAL_NOTE,
                is_example=True,
            )
            made += 1
    return made


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        stdout.write("indicators: production mode, no demo figures created")
        return
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        stdout.write("indicators: no demo admin user, no demo figures created")
        return
    operator = User.objects.filter(username="moderadora").first()
    today = timezone.localdate()
    exercises = sum(
        _exercise(spec, admin=admin, operator=operator, year=today.year - 1, number=number)
        for number, spec in enumerate(LAST_YEAR)
    )
    values = _manual(admin, today)
    goals = _goals(admin, today.year)
    result = indicators_rebuild()
    refresh_schedule()  # from now on the indicators.refresh job keeps the facts fresh
    stdout.write(
        f"indicators: {exercises} example exercises of {today.year - 1}, {values} example "
        f"manual figures, {goals} example goals for {today.year - 1} and {today.year}; "
        f"{result.written} indicator facts rebuilt"
    )
