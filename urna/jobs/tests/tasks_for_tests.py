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


@task("tests.hang", max_attempts=1)
def hang(*, seconds: float, **kwargs):
    """Stands for a long job, so that a test can kill the worker in the middle of it."""
    import time

    time.sleep(seconds)
    return {"slept": seconds}
