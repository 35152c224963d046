from urna.jobs.registry import task
from urna.surveys.results import results_compute
from urna.surveys.services.answering import RESULTS_TASK
from urna.surveys.services.invitations import REMIND_TASK, invitation_remind


@task(RESULTS_TASK, max_attempts=3, priority=140)
def results(*, survey_id: int) -> dict:
    return results_compute(survey_id=survey_id)


@task(REMIND_TASK, max_attempts=3, priority=120)
def invitation_reminder(*, invitation_id: int) -> dict:
    return invitation_remind(invitation_id=invitation_id)
