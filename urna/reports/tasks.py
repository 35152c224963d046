"""Background work of the reports app."""

from urna.exercises.models import Exercise
from urna.jobs.models import Job
from urna.jobs.registry import task
from urna.reports.selectors import reportable_exercises
from urna.reports.services import INFORME_TASK, PDF_TASK, informe_pdf_build, report_pdf_build


@task(PDF_TASK, max_attempts=3)
def report_pdf_task(*, exercise_id: int) -> None:
    """Rebuild one exercise's report PDF if its results changed (safe to run twice)."""
    exercise = reportable_exercises().filter(pk=exercise_id).first()
    if exercise is None:
        return  # results not (or no longer) published: no public report to build
    report_pdf_build(exercise=exercise)


@task(INFORME_TASK, max_attempts=2)
def informe_pdf_task(*, exercise_id: int) -> dict | None:
    """Build one exercise's informe PDF unless the stored one is current (safe to run twice)."""
    exercise = Exercise.objects.filter(pk=exercise_id).select_related("owner").first()
    if exercise is None:
        return None
    job_id = (
        Job.objects.filter(unique_key=f"{INFORME_TASK}:{exercise_id}", status=Job.Status.RUNNING)
        .values_list("pk", flat=True)
        .first()
    )
    stored = informe_pdf_build(exercise=exercise, job_id=job_id)
    return {"pages": stored.pages, "seconds": stored.seconds}
