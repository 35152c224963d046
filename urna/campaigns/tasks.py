from urna.campaigns.services import START_TASK, WATCH_TASK, campaign_refresh, campaign_start
from urna.jobs.registry import task


@task(START_TASK, max_attempts=5, priority=110)
def start(*, campaign_id: int, run_at_iso: str = "") -> dict:
    return campaign_start(campaign_id=campaign_id, run_at_iso=run_at_iso)


# After the dispatches' batch jobs (priority 120): run_pending sends everything, then watches.
@task(WATCH_TASK, max_attempts=5, priority=130)
def watch(*, campaign_id: int, tick: int = 0) -> str:
    return campaign_refresh(campaign_id=campaign_id, tick=tick)
