from urna.jobs.registry import task
from urna.socialaccounts.fetchers import social_fetch

FETCH_TASK = "socialaccounts.fetch"


@task(FETCH_TASK, max_attempts=3, priority=200)
def fetch() -> dict:
    """Followers of the accounts of every network with a token, recorded for today (running it
    twice in a day records nothing new)."""
    return {
        report.network: {
            "skipped": report.skipped,
            "recorded": report.recorded,
            "unchanged": report.unchanged,
            "not_found": len(report.not_found),
            "error": report.error,
        }
        for report in social_fetch()
    }
