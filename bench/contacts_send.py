"""Benchmark of the sending half of issue #15: enqueue a dispatch to a whole audience, push it
through the file backend with two real workers, and kill one of them mid-send.

The functions run in a process whose Django is set up on the benchmark's database
(``django_setup``); the workers are ``manage.py jobs_worker`` processes on the same database.

- ``seed_contacts(n)``: n contacts with a phone and an email (bulk insert, not timed).
- ``bench_enqueue_and_send(env, ...)``: time ``dispatch_enqueue`` of the whole audience (one
  INSERT ... SELECT, the consent gate per range, one job per 2,000 ids), then start two workers
  and time the sending until the dispatch is done (target: ≥ 2,000 messages/s).
- ``bench_kill_restart(env, ...)``: a second dispatch to the same audience; one of the two workers
  gets SIGKILL when about a third is sent and a new one takes its place; the range files are read
  back to check that every contact got the message exactly once.

The contacts are seeded with every consent (``urna.contacts.consent``), so the contacts app's
own gate and recipient variables run on every chunk, as they do for a real campaign; the message
uses ``{nombre}``.

    .venv/bin/python bench/contacts_send.py --contacts 200000
    .venv/bin/python bench/contacts_send.py --contacts 200000 \\
        --database-url postgres://postgres@127.0.0.1:5432/urna_bench_send
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

from common import ROOT, fresh_site, machine

sys.path.insert(0, str(ROOT))
TARGETS = {"enqueue_s": 120.0, "rate": 2000.0}
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/urna_bench_send"

WORKER = [str(ROOT / "manage.py"), "jobs_worker", "--poll", "0.2"]


def django_setup(env: dict[str, str]) -> None:
    """Set up Django in this process on the database ``env`` names."""
    os.environ.update(env)
    if not env.get("DATABASE_URL"):
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def seed_contacts(total: int) -> float:
    """``total`` contacts with a name, a phone, an email and every consent; returns the seconds
    it took."""
    from django.db import transaction

    from urna.contacts.consent import CHANNELS, PURPOSES, bits
    from urna.contacts.models import Contact

    every = bits(PURPOSES, CHANNELS)

    started = time.monotonic()
    batch = 10_000
    for start in range(0, total, batch):
        with transaction.atomic():
            Contact.objects.bulk_create(
                (
                    Contact(
                        name=f"Persona {n}",
                        phone=f"+573{n:09d}",
                        email=f"c{n}@bench.example",
                        consents=every,
                    )
                    for n in range(start, min(total, start + batch))
                ),
                batch_size=batch,
            )
    return time.monotonic() - started


def emulate_autovacuum() -> None:
    """What autovacuum does after a bulk load on any production PostgreSQL (this machine's runs
    with it off): fresh statistics, so the consent gate reads contacts by primary key."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE contacts_contact")


def _workers(env: dict[str, str], count: int) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [sys.executable, *WORKER],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(count)
    ]


def _stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


@contextmanager
def _running(workers: list[subprocess.Popen]):
    try:
        yield workers
    finally:
        _stop(workers)


def _dispatch(label: str):
    from urna.messaging.dispatch import dispatch_create

    return dispatch_create(
        channel="sms",
        purpose="campaigns",
        body="Urna: {nombre}, hay novedades del ejercicio en su municipio. " + label,
    )


def _enqueue(dispatch) -> tuple[int, float]:
    from urna.contacts.models import Contact
    from urna.messaging.dispatch import dispatch_enqueue

    started = time.monotonic()
    queued = dispatch_enqueue(
        dispatch=dispatch, recipients=Contact.objects.order_by().values_list("id", "phone")
    )
    return queued, time.monotonic() - started


def _wait_done(dispatch, timeout: float, on_tick=None) -> bool:
    from urna.messaging.models import Dispatch

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = Dispatch.objects.filter(pk=dispatch.pk).values_list("status", flat=True).get()
        if status == Dispatch.Status.DONE:
            return True
        if on_tick is not None:
            on_tick()
        time.sleep(0.25)
    return False


def _sent_span(dispatch) -> tuple[int, float]:
    """Messages sent and the seconds between the first and the last recorded send."""
    from django.db.models import Count, Max, Min

    from urna.messaging.models import OutboundMessage

    span = OutboundMessage.objects.filter(dispatch=dispatch, status="sent").aggregate(
        n=Count("id"), first=Min("sent_at"), last=Max("sent_at")
    )
    seconds = (span["last"] - span["first"]).total_seconds() if span["n"] else 0.0
    return span["n"], seconds


def _file_ids(dispatch) -> list[int]:
    """Every id the file backend holds for the dispatch, read from the lines' ``{"id": N,``."""
    from urna.messaging.backends import Batch, dispatch_file

    folder = dispatch_file(Batch(dispatch.pk, 0, 0)).parent
    ids = []
    for path in folder.glob("*.jsonl"):
        with path.open("rb") as handle:
            for line in handle:
                ids.append(int(line[7 : line.index(b",")]))
    return ids


def bench_enqueue_and_send(env: dict[str, str], *, workers: int = 2, timeout: float = 3600) -> dict:
    """Enqueue one dispatch to every contact and send it with ``workers`` worker processes."""
    from urna.jobs.models import Job
    from urna.messaging.selectors import dispatch_metrics

    dispatch = _dispatch("(envío)")
    queued, enqueue_s = _enqueue(dispatch)
    jobs = Job.objects.filter(name="messaging.dispatch_batch", kwargs__dispatch_id=dispatch.pk)
    ranges = jobs.count()
    started = time.monotonic()
    with _running(_workers(env, workers)):
        done = _wait_done(dispatch, timeout)
        wall = time.monotonic() - started
    sent, span = _sent_span(dispatch)
    ids = _file_ids(dispatch)
    return {
        "recipients": queued,
        "enqueue_s": round(enqueue_s, 1),
        "ranges": ranges,
        "workers": workers,
        "done": done,
        "send_wall_s": round(wall, 1),
        "rate_wall": round(sent / wall) if wall else 0,
        "send_span_s": round(span, 1),
        "rate_span": round(sent / span) if span else 0,
        "metrics": dispatch_metrics(dispatch),
        "file_lines": len(ids),
        "file_unique": len(set(ids)),
    }


def bench_kill_restart(
    env: dict[str, str], *, workers: int = 2, kill_at: float = 0.3, timeout: float = 3600
) -> dict:
    """A dispatch to every contact; SIGKILL one of the workers when ``kill_at`` of it is sent,
    start a new one, and check each contact was sent the message exactly once."""
    from django.db.models import Count

    from urna.messaging.models import OutboundMessage

    dispatch = _dispatch("(prueba de caída)")
    queued, enqueue_s = _enqueue(dispatch)
    started = time.monotonic()
    running = _workers(env, workers)
    killed_at_sent = 0
    with _running(running):
        sent = OutboundMessage.objects.filter(dispatch=dispatch, status="sent")
        waiting = OutboundMessage.objects.filter(dispatch=dispatch, status="queued")
        while sent.count() < queued * kill_at and time.monotonic() - started < timeout:
            if not waiting.exists():
                raise RuntimeError("nothing left to send before the kill: is the gate refusing?")
            time.sleep(0.2)
        victim = running[0]
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        killed_at_sent = sent.count()
        running.extend(_workers(env, 1))
        done = _wait_done(dispatch, timeout)
        wall = time.monotonic() - started
    ids = _file_ids(dispatch)
    expected = set(OutboundMessage.objects.filter(dispatch=dispatch).values_list("id", flat=True))
    return {
        "recipients": queued,
        "enqueue_s": round(enqueue_s, 1),
        "killed_at_sent": killed_at_sent,
        "done": done,
        "wall_s": round(wall, 1),
        "file_lines": len(ids),
        "file_unique": len(set(ids)),
        "exactly_once": len(ids) == len(set(ids)) == len(expected) and set(ids) == expected,
        "statuses": dict(
            OutboundMessage.objects.filter(dispatch=dispatch)
            .order_by()
            .values_list("status")
            .annotate(n=Count("id"))
        ),
    }


def report(database: str, contacts: int, seeded_s: float, send: dict, kill: dict) -> str:
    ok_enqueue = send["enqueue_s"] <= TARGETS["enqueue_s"]
    ok_rate = send["rate_wall"] >= TARGETS["rate"]
    return "\n".join(
        [
            f"**{database}** — {contacts:,} contacts (seeded in {seeded_s:.0f} s); {machine()}.",
            f"- enqueue: {send['recipients']:,} rows and {send['ranges']:,} batch jobs in "
            f"{send['enqueue_s']} s (target ≤ {TARGETS['enqueue_s']:.0f} s: "
            f"{'met' if ok_enqueue else 'MISSED'})",
            f"- send, {send['workers']} workers, file backend: {send['send_wall_s']} s from the "
            f"workers' start to done = {send['rate_wall']:,} messages/s "
            f"({send['rate_span']:,}/s between the first and last send; target ≥ "
            f"{TARGETS['rate']:,.0f}/s: {'met' if ok_rate else 'MISSED'}); "
            f"file lines {send['file_lines']:,}, distinct {send['file_unique']:,}; "
            f"metrics {send['metrics']}",
            f"- kill -9 of one of 2 workers at {kill['killed_at_sent']:,} sent, a new one "
            f"started: done in {kill['wall_s']} s; file lines {kill['file_lines']:,}, distinct "
            f"{kill['file_unique']:,}: exactly once "
            f"{'yes' if kill['exactly_once'] else 'NO'}; statuses {kill['statuses']}",
        ]
    )


def _postgres_env(url: str, tmp: str) -> dict[str, str]:
    name = url.rsplit("/", 1)[-1]
    pg = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *pg, "--if-exists", name], check=True)
    subprocess.run(["createdb", *pg, name], check=True)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "URNA_VAR_DIR": tmp,
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "urna.settings",
    }
    env.pop("REDIS_URL", None)
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--database-url", default="", help=f"PostgreSQL, e.g. {PG_DEFAULT}")
    args = parser.parse_args()
    bench = {
        "JOBS_LEASE_SECONDS": "20",  # the killed worker's range is picked up 20 s later
        "JOBS_POLL_SECONDS": "0.2",
        "MESSAGING_SMS_BACKEND": "file",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    if args.database_url:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="urna-send-") as tmp:
            env = {**_postgres_env(args.database_url, tmp), **bench}
            run(env, "postgresql", args.contacts)
            from django.db import connections

            connections.close_all()
            name = args.database_url.rsplit("/", 1)[-1]
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])
    else:
        with fresh_site("urna-send-", **bench) as (_, env):
            run(env, "sqlite", args.contacts)


def run(env: dict[str, str], database: str, contacts: int) -> None:
    django_setup(env)
    seeded_s = seed_contacts(contacts)
    emulate_autovacuum()
    print(f"seeded {contacts:,} contacts in {seeded_s:.1f} s", flush=True)
    send = bench_enqueue_and_send(env)
    print(json.dumps(send), flush=True)
    kill = bench_kill_restart(env)
    print(json.dumps(kill), flush=True)
    print(report(database, contacts, seeded_s, send, kill))


if __name__ == "__main__":
    main()
