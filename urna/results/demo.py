"""Demo of citizens hearing back: the Ministry of Education answers the contributions of its
plan (EDUCA, in analysis) whose authors left a phone, and each is told by SMS; the Función
Pública posts on the anti-red-tape decree (TRAMITES, results published) that the decree was
issued, and its participants are told. Idempotent: nothing is repeated on a second run."""

from django.conf import settings

from urna.accounts.models import User
from urna.exercises.models import Contribution, Exercise, ExerciseUpdate
from urna.exercises.services import update_create
from urna.jobs.services import run_pending
from urna.results.models import AnswerNotice
from urna.results.services import contribution_respond

ANSWER = (
    "Su aporte se incorporó al capítulo de educación rural del plan decenal; el documento final "
    "lo cita en la línea de conectividad de las sedes educativas."
)
UPDATE_TITLE = "Se expidió el decreto que elimina 14 trámites"


def _answers() -> int:
    exercise = Exercise.objects.filter(code="EDUCA").first()
    manager = User.objects.filter(username="gestor.educacion").first()
    if exercise is None or manager is None:
        return 0
    if AnswerNotice.objects.filter(contribution__exercise=exercise).exists():
        return 0
    answered = 0
    rows = Contribution.objects.filter(exercise=exercise, contact__isnull=False).exclude(
        kind=Contribution.Kind.ANSWER
    )
    for contribution in rows.order_by("id"):
        contribution_respond(
            contribution=contribution, decision="accepted", reason=ANSWER, by=manager
        )
        answered += 1
    return answered


def _update() -> bool:
    exercise = Exercise.objects.filter(code="TRAMITES").first()
    admin = User.objects.filter(username="admin").first()
    if exercise is None or admin is None:
        return False
    if ExerciseUpdate.objects.filter(exercise=exercise, title=UPDATE_TITLE).exists():
        return False
    update_create(
        exercise=exercise,
        by=admin,
        kind="act",
        title=UPDATE_TITLE,
        body=(
            "Con los aportes de la consulta, el Gobierno expidió el decreto que elimina 14 "
            "trámites ante entidades nacionales. Quienes participaron pidieron sobre todo "
            "eliminar certificados que el Estado ya tiene; 9 de los 14 trámites vienen de esas "
            "propuestas."
        ),
        publish=True,
    )
    return True


def demo_load(*, stdout) -> None:
    if settings.PRODUCTION:
        return
    answered = _answers()
    posted = _update()
    run_pending(worker="demo")
    notices = AnswerNotice.objects.count()
    stdout.write(
        f"results: {answered} contributions answered, {notices} citizens told of their answer"
        f"{', one exercise update told to its participants' if posted else ''}\n"
    )
