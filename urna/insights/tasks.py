"""Background work of the insights app: analysing an exercise, flagging new contributions."""

from urna.exercises.models import Exercise
from urna.insights.selectors import analysed_contributions
from urna.insights.services import ANALYSE_TASK, analysis_run, flags_scan
from urna.jobs.registry import task


@task(ANALYSE_TASK, max_attempts=2)
def analyse_task(*, analysis_id: int) -> dict:
    """Run one analysis (safe to run twice: a second run of a finished one does nothing, and an
    interrupted one starts again from a clean slate)."""
    return analysis_run(analysis_id=analysis_id)


@task("insights.flag", max_attempts=3)
def flag_task(*, exercise_id: int, contribution_ids: list[int] | None = None) -> int:
    """Flag likely insults, threats and personal data in some (or all) of an exercise's
    contributions, for the moderators. Cheap enough to queue on each submission."""
    exercise = Exercise.objects.filter(pk=exercise_id).first()
    if exercise is None:
        return 0
    items = analysed_contributions(exercise)
    if contribution_ids is not None:
        items = items.filter(pk__in=contribution_ids[:1000])
    return flags_scan(exercise=exercise, items=items.values_list("id", "text").iterator(5000))
