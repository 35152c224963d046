"""Background work of deliberations: recomputing the groups (queued by ``recompute_request``)."""

from urna.deliberation.recompute import RECOMPUTE_TASK, deliberation_recompute
from urna.jobs.registry import task


@task(RECOMPUTE_TASK, max_attempts=3)
def recompute(*, deliberation_id: int, force: bool = False) -> dict:
    """Recompute one deliberation's groups, unless another run took its slot (then it is
    rescheduled). Safe to run twice: it reads the votes and replaces the stored result."""
    return deliberation_recompute(deliberation_id=deliberation_id, force=force)
