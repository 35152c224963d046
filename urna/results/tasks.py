"""Background work of the results matrix: answering a large selection chunk by chunk."""

from urna.jobs.registry import task
from urna.results.models import AnswerBatch
from urna.results.services import BATCH_TASK, answer_batch_run


@task(BATCH_TASK, max_attempts=5)
def answer_batch_task(*, batch_id: int) -> dict:
    """Answer a bulk selection to the end (resumes after the last committed chunk)."""
    job_id = AnswerBatch.objects.filter(pk=batch_id).values_list("job_id", flat=True).first()
    return answer_batch_run(batch_id=batch_id, job_id=job_id)
