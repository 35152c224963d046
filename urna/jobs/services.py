"""Enqueueing, claiming and running jobs. Works the same on SQLite and PostgreSQL."""

import logging
import os
import random
import socket
import time
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from urna.audit.services import audit_record
from urna.jobs.catalog import get_task
from urna.jobs.models import Job

logger = logging.getLogger("urna.jobs")
WAKE_KEY = "urna:jobs:wake"
BACKOFF_BASE_SECONDS = 10
BACKOFF_MAX_SECONDS = 3600
# The claim of the job running in this thread: (job id, worker, attempt), for job_progress.
_lease: ContextVar[tuple[int, str, int] | None] = ContextVar("urna_job_lease", default=None)


def _redis():
    if not settings.REDIS_URL:
        return None
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


def _wake_workers() -> None:
    client = _redis()
    if client is None:
        return
    try:
        client.lpush(WAKE_KEY, 1)
        client.ltrim(WAKE_KEY, 0, 99)
    except Exception:  # noqa: BLE001 - the job is stored; workers still poll
        logger.warning("could not wake workers through Redis")


def job_enqueue(
    *,
    name: str,
    kwargs: dict[str, Any] | None = None,
    run_at: datetime | None = None,
    unique_key: str | None = None,
    entity_id: int | None = None,
    priority: int = 100,
    max_attempts: int = 5,
) -> Job | None:
    """Store a job (inside the caller's transaction). Returns None when an identical
    ``unique_key`` job is already queued or running."""
    try:
        with transaction.atomic():
            job = Job.objects.create(
                name=name,
                kwargs=kwargs or {},
                run_at=run_at or timezone.now(),
                unique_key=unique_key,
                entity_id=entity_id,
                priority=priority,
                max_attempts=max_attempts,
            )
    except IntegrityError:
        if unique_key is None:
            raise
        return None
    if settings.JOBS_EAGER:
        transaction.on_commit(lambda: job_run(job=job, worker="eager"))
    else:
        transaction.on_commit(_wake_workers)
    return job


def _claimable(now: datetime) -> Q:
    return Q(status=Job.Status.QUEUED, run_at__lte=now) | Q(
        status=Job.Status.RUNNING, locked_until__lt=now
    )


def _held(job: Job, worker: str) -> Q:
    """The claim ``job_claim`` gave ``worker``: still running under it, at the same attempt.

    Once its lease has expired another worker may claim the job (the attempt count goes up), so
    a late worker's outcome matches no row and is dropped instead of overwriting the new run's."""
    return Q(pk=job.pk, status=Job.Status.RUNNING, locked_by=worker, attempts=job.attempts)


def job_claim(*, worker: str) -> Job | None:
    """Claim the next due job with a compare-and-set UPDATE; safe with many workers.

    A running job whose lease expired on its last attempt (its worker was killed or crashed) has
    nothing left to try: it is marked failed, which frees its ``unique_key``."""
    now = timezone.now()
    candidates = list(
        Job.objects.filter(_claimable(now))
        .order_by("priority", "run_at", "id")
        .values_list("id", "attempts", "max_attempts")[:20]
    )
    lease = now + timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    for job_id, attempts, max_attempts in candidates:
        if attempts >= max_attempts:
            _fail_abandoned(job_id=job_id, now=now)
            continue
        claimed = (
            Job.objects.filter(_claimable(now), pk=job_id)
            .filter(attempts__lt=F("max_attempts"))
            .update(
                status=Job.Status.RUNNING,
                locked_by=worker,
                locked_until=lease,
                attempts=F("attempts") + 1,
                started_at=now,
            )
        )
        if claimed:
            return Job.objects.get(pk=job_id)
    return None


def _fail_abandoned(*, job_id: int, now: datetime) -> None:
    name, locked_by = Job.objects.filter(pk=job_id).values_list("name", "locked_by").get()
    failed = (
        Job.objects.filter(_claimable(now), pk=job_id)
        .filter(attempts__gte=F("max_attempts"))
        .update(
            status=Job.Status.FAILED,
            last_error=(
                f"El trabajador {locked_by} se detuvo durante el último intento: venció su "
                "plazo sin que informara un resultado."
            ),
            finished_at=now,
            locked_until=None,
        )
    )
    if failed:
        logger.warning("job %s #%s failed: its worker stopped on the last attempt", name, job_id)


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with jitter: ~10 s, 20 s, 40 s … capped at an hour."""
    delay = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempt - 1))
    return delay * random.uniform(0.8, 1.2)


def job_run(*, job: Job, worker: str) -> Job:
    """Run a job ``worker`` claimed (or, in eager mode, an unclaimed one) and record the outcome,
    only while the claim holds (see ``_held``)."""
    if job.status == Job.Status.QUEUED and worker == "eager":
        Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING,
            locked_by=worker,
            attempts=F("attempts") + 1,
            started_at=timezone.now(),
        )
        job.refresh_from_db()
    held = Job.objects.filter(_held(job, worker))
    task = get_task(job.name)
    token = _lease.set((job.pk, worker, job.attempts))
    try:
        if task is None:
            raise LookupError(f"unknown task {job.name!r}")
        result = task(**job.kwargs)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried
        # Record the exception type and message only: tracebacks may hold citizens' data.
        error = f"{exc.__class__.__name__}: {str(exc)[:500]}"
        logger.warning("job %s #%s failed (attempt %s): %s", job.name, job.pk, job.attempts, error)
        if job.attempts < job.max_attempts and task is not None:
            recorded = held.update(
                status=Job.Status.QUEUED,
                run_at=timezone.now() + timedelta(seconds=backoff_seconds(job.attempts)),
                last_error=error,
                locked_by="",
                locked_until=None,
            )
        else:
            recorded = held.update(
                status=Job.Status.FAILED,
                last_error=error,
                finished_at=timezone.now(),
                locked_until=None,
            )
    else:
        recorded = held.update(
            status=Job.Status.DONE,
            result=result if _jsonable(result) else None,
            progress=1,
            finished_at=timezone.now(),
            locked_until=None,
        )
    finally:
        _lease.reset(token)
    if not recorded:
        logger.warning(
            "job %s #%s: outcome of attempt %s dropped, %s no longer holds it (lease expired)",
            job.name,
            job.pk,
            job.attempts,
            worker,
        )
    job.refresh_from_db()
    return job


def _jsonable(value: Any) -> bool:
    return value is None or isinstance(value, (dict, list, str, int, float, bool))


def job_progress(*, job_id: int | None, fraction: float, note: str = "") -> None:
    """Report progress from inside a task; also extends the lease of a long-running job."""
    if job_id is None:
        return
    running = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING)
    lease = _lease.get()
    if lease is not None and lease[0] == job_id:  # never extend another worker's claim
        running = running.filter(locked_by=lease[1], attempts=lease[2])
    running.update(
        progress=max(0.0, min(1.0, fraction)),
        progress_note=note[:200],
        locked_until=timezone.now() + timedelta(seconds=settings.JOBS_LEASE_SECONDS),
    )


def job_retry(*, job: Job, by: Any = None) -> Job:
    """Staff put a failed job back in the queue (audit-logged)."""
    with transaction.atomic():
        Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
            status=Job.Status.QUEUED,
            run_at=timezone.now(),
            max_attempts=F("attempts") + 1,
        )
        audit_record(action="job.retry", obj=job, actor=by, entity=job.entity)
    job.refresh_from_db()
    return job


def run_pending(*, worker: str = "inline", max_jobs: int | None = None) -> int:
    """Run due jobs until none is left (or ``max_jobs``); used by tests and ``--once``."""
    count = 0
    while max_jobs is None or count < max_jobs:
        job = job_claim(worker=worker)
        if job is None:
            break
        job_run(job=job, worker=worker)
        count += 1
    return count


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_loop(*, stop: Any, poll_seconds: float | None = None) -> None:
    """Claim and run jobs until ``stop()`` is true. Sleeps on Redis BLPOP when available."""
    poll = poll_seconds if poll_seconds is not None else settings.JOBS_POLL_SECONDS
    name = worker_name()
    client = _redis()
    while not stop():
        close_old_connections()
        try:
            job = job_claim(worker=name)
        except Exception:  # noqa: BLE001 - a database hiccup must not kill the worker
            logger.exception("claiming a job failed")
            time.sleep(poll)
            continue
        if job is not None:
            try:
                job_run(job=job, worker=name)
            except Exception:  # noqa: BLE001 - the outcome was not stored: the lease reruns it
                logger.exception("recording the outcome of job %s #%s failed", job.name, job.pk)
            continue
        if client is not None:
            try:
                client.blpop([WAKE_KEY], timeout=max(1, int(poll)))
                continue
            except Exception:  # noqa: BLE001
                logger.warning("Redis unavailable; polling the database")
        time.sleep(poll)
