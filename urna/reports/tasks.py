"""Background work of the reports app."""

from urna.jobs.registry import task
from urna.reports.selectors import reportable_exercises
from urna.reports.services import PDF_TASK, report_pdf_build


@task(PDF_TASK, max_attempts=3)
def report_pdf_task(*, exercise_id: int) -> None:
    """Rebuild one exercise's report PDF if its results changed (safe to run twice)."""
    exercise = reportable_exercises().filter(pk=exercise_id).first()
    if exercise is None:
        return  # results not (or no longer) published: no public report to build
    report_pdf_build(exercise=exercise)
