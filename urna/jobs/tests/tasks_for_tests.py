"""Tasks registered only by the job tests."""

from urna.jobs.registry import task

CALLS: list[dict] = []


@task("tests.record", max_attempts=3)
def record(**kwargs):
    CALLS.append(kwargs)
    return {"seen": kwargs}


@task("tests.explode", max_attempts=2)
def explode(**kwargs):
    raise RuntimeError("boom")
