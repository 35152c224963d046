from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from urna.jobs.models import Job
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
    job_run(job_id=first.pk, worker="a")
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
