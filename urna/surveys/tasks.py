from urna.jobs.registry import task
from urna.surveys.results import results_compute
from urna.surveys.services.answering import RESULTS_TASK


@task(RESULTS_TASK, max_attempts=3, priority=140)
def results(*, survey_id: int) -> dict:
    return results_compute(survey_id=survey_id)
