from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from urna.jobs.models import Job
from urna.jobs.registry import enqueue
from urna.jobs.services import backoff_seconds, job_claim, job_retry, job_run, run_pending
from urna.jobs.tests.tasks_for_tests import CALLS, explode, record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


def test_enqueued_job_is_persisted_and_run_by_a_later_worker():
    with transaction.atomic():
        job = record.enqueue(n=1)

    # Nothing runs at enqueue time: the job waits in the database for any worker.
    assert Job.objects.get(pk=job.pk).status == "queued"
    assert CALLS == []

    assert run_pending(worker="worker-b") == 1
    job.refresh_from_db()
    assert job.status == "done"
    assert job.result == {"seen": {"n": 1}}
    assert CALLS == [{"n": 1}]


def test_job_of_a_killed_worker_is_run_again_after_its_lease():
    record.enqueue(n=2)
    claimed = job_claim(worker="worker-a")  # worker-a is then killed before running it
    assert claimed.status == "running"
    assert job_claim(worker="worker-b") is None  # the lease protects it meanwhile

    Job.objects.filter(pk=claimed.pk).update(locked_until=timezone.now() - timedelta(seconds=1))

    assert run_pending(worker="worker-b") == 1
    claimed.refresh_from_db()
    assert claimed.status == "done"
    assert claimed.attempts == 2
    assert CALLS == [{"n": 2}]


def test_job_whose_worker_died_on_its_last_attempt_fails_after_its_lease_and_frees_its_key():
    job = record.enqueue(unique_key="k", n=1)
    Job.objects.filter(pk=job.pk).update(attempts=2)  # two attempts already failed
    claimed = job_claim(worker="worker-a")  # the last one; worker-a is then killed
    assert claimed.attempts == claimed.max_attempts == 3

    Job.objects.filter(pk=job.pk).update(locked_until=timezone.now() - timedelta(seconds=1))

    # Nothing is left to try: no fourth run, the job is failed and its key is free again.
    assert job_claim(worker="worker-b") is None
    job.refresh_from_db()
    assert (job.status, job.attempts, job.locked_until) == ("failed", 3, None)
    assert job.finished_at is not None
    assert "worker-a" in job.last_error
    assert CALLS == []
    assert record.enqueue(unique_key="k", n=2) is not None


def test_worker_whose_lease_expired_cannot_record_an_outcome_for_the_next_holder():
    job = record.enqueue(n=1)
    stale = job_claim(worker="worker-a")  # worker-a stalls past its lease...
    Job.objects.filter(pk=job.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    fresh = job_claim(worker="worker-b")  # ...so worker-b takes the job over
    assert (fresh.locked_by, fresh.attempts) == ("worker-b", 2)

    job_run(job=stale, worker="worker-a")  # worker-a wakes up and finishes

    job.refresh_from_db()
    assert (job.status, job.locked_by, job.attempts, job.result) == ("running", "worker-b", 2, None)
    assert job.locked_until == fresh.locked_until
    job_run(job=fresh, worker="worker-b")
    job.refresh_from_db()
    assert (job.status, job.result) == ("done", {"seen": {"n": 1}})


def test_worker_whose_lease_expired_cannot_fail_or_requeue_the_next_holders_job():
    job = explode.enqueue()
    stale = job_claim(worker="worker-a")
    Job.objects.filter(pk=job.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    fresh = job_claim(worker="worker-b")

    job_run(job=stale, worker="worker-a")  # its failure would requeue worker-b's run

    job.refresh_from_db()
    assert (job.status, job.locked_by, job.attempts, job.last_error) == (
        "running",
        "worker-b",
        fresh.attempts,
        "",
    )


def test_failed_job_is_retried_with_backoff_then_marked_failed():
    job = explode.enqueue()

    before = timezone.now()
    run_pending()
    job.refresh_from_db()
    assert job.status == "queued"
    assert job.attempts == 1
    assert job.last_error == "RuntimeError: boom"
    assert job.run_at >= before + timedelta(seconds=8)  # 10 s less 20% jitter

    Job.objects.filter(pk=job.pk).update(run_at=timezone.now())
    run_pending()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.attempts == 2


def test_staff_can_retry_a_failed_job():
    job = explode.enqueue()
    Job.objects.filter(pk=job.pk).update(status="failed", attempts=2)

    job_retry(job=Job.objects.get(pk=job.pk))

    job.refresh_from_db()
    assert job.status == "queued"
    claimed = job_claim(worker="w")
    assert claimed.pk == job.pk


def test_backoff_grows_exponentially_and_is_capped():
    assert 8 <= backoff_seconds(1) <= 12
    assert 16 <= backoff_seconds(2) <= 24
    assert backoff_seconds(30) <= 3600 * 1.2


def test_unique_key_keeps_one_active_job():
    first = record.enqueue(unique_key="k", n=1)
    second = record.enqueue(unique_key="k", n=2)

    assert first is not None and second is None
    run_pending()
    assert record.enqueue(unique_key="k", n=3) is not None


def test_two_workers_never_run_the_same_job():
    record.enqueue(n=1)
    first = job_claim(worker="a")
    second = job_claim(worker="b")

    assert first is not None and second is None
    job_run(job=first, worker="a")
    assert CALLS == [{"n": 1}]


def test_worker_process_restart_runs_persisted_jobs(tmp_path):
    """Real processes on a file database: jobs stored before any worker runs, one of them
    claimed by a worker that is then killed with SIGKILL; a new worker runs them all."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "SQLITE_PATH": str(tmp_path / "jobs.sqlite3"),
        "URNA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "JOBS_LEASE_SECONDS": "2",
        "MESSAGING_SMS_BACKEND": "file",
    }
    manage = [sys.executable, str(root / "manage.py")]

    def shell(code: str) -> str:
        return subprocess.run(
            [*manage, "shell", "--no-imports", "-c", code],
            env=env,
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=root)
    shell(
        "from urna.messaging.services import message_queue\n"
        "for i in range(3): message_queue(channel='sms', to='+573001234567', body=f'm{i}')"
    )
    # A worker claims one job and is killed before finishing it.
    shell("from urna.jobs.services import job_claim; job_claim(worker='doomed')")
    doomed = subprocess.Popen([*manage, "jobs_worker", "--poll", "5"], env=env, cwd=root)
    time.sleep(0.3)
    doomed.send_signal(signal.SIGKILL)
    doomed.wait()

    worker = subprocess.Popen([*manage, "jobs_worker", "--poll", "0.2"], env=env, cwd=root)
    try:
        deadline = time.monotonic() + 40
        state = ""
        while time.monotonic() < deadline:
            state = shell(
                "from urna.jobs.models import Job; from urna.messaging.models import "
                "OutboundMessage as M\n"
                "print(sorted(Job.objects.values_list('status', flat=True)),"
                " sorted(M.objects.values_list('status', flat=True)))"
            )
            if state == "['done', 'done', 'done'] ['sent', 'sent', 'sent']":
                break
            time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=15)
    assert state == "['done', 'done', 'done'] ['sent', 'sent', 'sent']"
    sent = (tmp_path / "outbox" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(sent) == 3  # each message handed to the provider exactly once


# A worker process that also knows the test tasks (``jobs_worker`` discovers only the apps').
WORKER = """
import django
django.setup()
import urna.jobs.tests.tasks_for_tests
from urna.jobs.services import worker_loop
print("ready", flush=True)
worker_loop(stop=lambda: False, poll_seconds=0.1)
"""
ENQUEUE = """
import sys
import django
django.setup()
from urna.jobs.tests.tasks_for_tests import hang
job = hang.enqueue(unique_key="report:7", seconds=float(sys.argv[1]))
print(job.pk if job else "")
"""


@pytest.mark.slow
def test_worker_killed_on_the_last_attempt_leaves_a_failed_job_and_a_free_key(tmp_path):
    """Real processes on a file database: a worker is SIGKILLed in the middle of a job's last
    attempt; once the lease is over another worker marks the job failed, and a new job with the
    same unique key is accepted and run."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    database = tmp_path / "jobs.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urna.settings",
        "SQLITE_PATH": str(database),
        "URNA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "JOBS_LEASE_SECONDS": "2",
        "LOG_LEVEL": "WARNING",
    }

    def python(code: str, *args: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            env=env,
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.strip()

    def job_row(pk: str) -> tuple:
        with sqlite3.connect(database) as connection:
            return connection.execute(
                "SELECT status, attempts, locked_by FROM jobs_job WHERE id = ?", (pk,)
            ).fetchone()

    def wait_for(predicate, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.1)
        return False

    def start_worker() -> subprocess.Popen:
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER], env=env, cwd=root, stdout=subprocess.PIPE, text=True
        )
        assert worker.stdout.readline().strip() == "ready"
        return worker

    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True, cwd=root)
    # Given a job with a single attempt (max_attempts=1), running in a worker...
    first = python(ENQUEUE, "60")
    doomed = start_worker()
    survivor = None
    try:
        assert wait_for(lambda: job_row(first)[0] == "running", 20), job_row(first)
        # When that worker is killed with SIGKILL in the middle of it
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        # ...and the key is still held while the lease lasts
        assert python(ENQUEUE, "0") == ""
        survivor = start_worker()

        # Then, once the lease is over, the job is failed, not left running for ever
        assert wait_for(lambda: job_row(first)[0] == "failed", 20), job_row(first)
        assert job_row(first)[1] == 1
        # ...and a new job with the same key is accepted and run
        second = python(ENQUEUE, "0")
        assert second not in {"", first}
        assert wait_for(lambda: job_row(second)[0] == "done", 20), job_row(second)
    finally:
        for worker in (doomed, survivor):
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=10)


def test_a_task_is_enqueued_by_its_name_with_its_own_attempts_and_priority():
    job = enqueue("tests.record", unique_key="by-name", n=7)

    assert (job.name, job.kwargs, job.unique_key) == ("tests.record", {"n": 7}, "by-name")
    assert (job.max_attempts, job.priority) == (record.max_attempts, record.priority)
    assert enqueue("tests.record", unique_key="by-name", n=8) is None  # same key, still queued
    run_pending()
    assert CALLS == [{"n": 7}]


def test_enqueueing_an_unknown_task_name_fails_at_once():
    with pytest.raises(LookupError, match="tests.nope"):
        enqueue("tests.nope", n=1)
    assert not Job.objects.exists()
