"""Demo meetings: two to come (a workshop of the Pacto Agrario in Manizales with few seats
left, an online training of the Mayor's Office of Manizales) and one that took place, with
its minutes, attendance and the contributions taken there; and the Pacto Agrario's
plain-language page, which the workshop explains. Idempotent: a meeting whose slug
exists is left alone."""

from datetime import timedelta

from django.utils import timezone

from urna.core.channels import Channel
from urna.entities.models import Entity
from urna.exercises import services as exercise_services
from urna.exercises.models import Exercise, ExerciseExplainer
from urna.exercises.services.content import markdown_render
from urna.meetings.models import Meeting, MeetingContribution, Registration
from urna.meetings.services import reminder_schedule
from urna.territory.models import Municipality

WORKSHOP = "taller-pacto-agrario-manizales"
TRAINING = "capacitacion-presupuesto-participativo-manizales"
PAST = "encuentro-pacto-agrario-chinchina"

MINUTES = """## Participantes
32 personas: productores de café y plátano, dos juntas de acción comunal y la UMATA.

## Lo que se habló
- El acceso al crédito de fomento y sus requisitos.
- Las vías terciarias para sacar la cosecha.

## Acuerdos
1. El Ministerio publicará en el ejercicio las respuestas a los aportes tomados aquí.
2. Próximo encuentro en Palestina en febrero.
"""
SAID_THERE = [
    ("proposal", "Que el crédito de fomento acepte como garantía la cosecha y no sólo la tierra."),
    ("opinion", "Sin vías terciarias arregladas el pacto no llega a las veredas altas."),
    ("question", "¿Cuándo abren la convocatoria de riego para pequeños productores?"),
]


def _meeting(slug: str, **fields) -> tuple[Meeting, bool]:
    existing = Meeting.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    description = fields.pop("description")
    meeting = Meeting.objects.create(
        slug=slug,
        description=description,
        description_html=markdown_render(description),
        published_at=timezone.now(),
        **fields,
    )
    return meeting, True


def _past(agriculture: Entity, exercise: Exercise | None, now) -> Meeting:
    start = (now - timedelta(days=12)).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting, created = _meeting(
        PAST,
        title="Encuentro del Pacto Agrario en Chinchiná",
        kind=Meeting.Kind.MEETING,
        mode=Meeting.Mode.IN_PERSON,
        address="Casa de la Cultura, Calle 11 # 7-20",
        municipality=Municipality.objects.filter(code="17174").first(),
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        entity=agriculture,
        exercise=exercise,
        capacity=40,
        minutes=MINUTES,
        minutes_html=markdown_render(MINUTES),
        minutes_at=start + timedelta(days=1),
        description="Conversación abierta con productores del Eje Cafetero sobre el pacto.",
    )
    if not created:
        return meeting
    for n in range(32):
        Registration.objects.create(
            meeting=meeting,
            code=f"EN-DEMO-{n:07d}",
            channel=Channel.SMS,
            status=Registration.Status.CONFIRMED,
            attended=n % 5 != 0,
            created_at=start - timedelta(days=5, minutes=n),
        )
    if exercise is not None and exercise_services.exercise_accepts_contributions(exercise):
        for i, (kind, text) in enumerate(SAID_THERE):
            result = exercise_services.contribution_submit(
                exercise=exercise,
                kind=kind,
                text=text,
                channel=Channel.IN_PERSON,
                municipality_code="17174",
                idempotency_key=f"demo:{PAST}:{i}",
            )
            MeetingContribution.objects.get_or_create(
                contribution=result.contribution, defaults={"meeting": meeting}
            )
    return meeting


def demo_load(*, stdout) -> None:
    exercise = Exercise.objects.filter(slug="pacto-agrario").first()
    if exercise is not None:
        _explainer(exercise)
    agriculture = Entity.objects.filter(acronym="MINAGRICULTURA").first()
    manizales = Entity.objects.filter(acronym="ALC-17001").first()
    if agriculture is None or manizales is None:
        return
    now = timezone.now()
    soon = (now + timedelta(days=6)).replace(hour=14, minute=0, second=0, microsecond=0)
    workshop, created = _meeting(
        WORKSHOP,
        title="Taller: el Pacto Agrario explicado a productores",
        kind=Meeting.Kind.WORKSHOP,
        mode=Meeting.Mode.IN_PERSON,
        address="Auditorio de la Gobernación, Carrera 21 # 22-42",
        municipality=Municipality.objects.filter(code="17001").first(),
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
        entity=agriculture,
        exercise=exercise,
        capacity=25,
        description=(
            "Qué propone el **Pacto Agrario**, qué cambia para los pequeños productores y cómo "
            "dejar su aporte. Traiga sus preguntas: las respuestas quedan en el ejercicio."
        ),
    )
    if created:
        for n in range(23):
            Registration.objects.create(
                meeting=workshop,
                code=f"EN-DEMO-1{n:06d}",
                channel=Channel.SMS,
                status=Registration.Status.CONFIRMED,
            )
        reminder_schedule(workshop)
    later = (now + timedelta(days=13)).replace(hour=18, minute=30, second=0, microsecond=0)
    training, created = _meeting(
        TRAINING,
        title="Capacitación en línea: presupuesto participativo de Manizales",
        kind=Meeting.Kind.TRAINING,
        mode=Meeting.Mode.ONLINE,
        video_url="https://meet.jit.si/urna-presupuesto-participativo-manizales",
        starts_at=later,
        ends_at=later + timedelta(hours=1, minutes=30),
        entity=manizales,
        capacity=None,
        description="Cómo se decide el presupuesto de su comuna y cómo presentar una propuesta.",
    )
    if created:
        reminder_schedule(training)
    _past(agriculture, exercise, now)
    stdout.write("meetings: 2 upcoming meetings and 1 past meeting with minutes\n")


EXPLAINED = {
    "summary": (
        "El Pacto Agrario quiere que producir en el campo deje más plata a quien cultiva: "
        "crédito más barato, vías para sacar la cosecha y compras públicas a productores locales."
    ),
    "what_changes": (
        "- **Crédito:** tasas más bajas para pequeños productores y la cosecha como garantía.\n"
        "- **Vías terciarias:** los municipios priorizan con las juntas de acción comunal.\n"
        "- **Compras públicas:** colegios y hospitales compran parte a productores de la región."
    ),
    "for_whom": "Pequeños y medianos productores, sus asociaciones y las juntas de acción comunal.",
    "from_when": "Las medidas empiezan en 2027, a medida que se expidan los decretos.",
    "what_you_can_do": (
        "Deje su aporte en la consulta, vaya a un encuentro en su región o pregunte al "
        "Ministerio con una consulta ciudadana."
    ),
}


def _explainer(exercise: Exercise) -> None:
    """The exercise's plain-language page ("¿Qué cambia para usted?"), published."""
    if ExerciseExplainer.objects.filter(exercise=exercise).exists():
        return
    rendered = {
        f"{name}_html": markdown_render(text)
        for name, text in EXPLAINED.items()
        if name != "summary"
    }
    ExerciseExplainer.objects.create(
        exercise=exercise, published_at=timezone.now(), **EXPLAINED, **rendered
    )
