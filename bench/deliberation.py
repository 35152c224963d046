"""Benchmark of deliberation (issue #17) on the embedded default (SQLite, WAL), written to
docs/benchmarks.md:

1. seed a fresh site with one open exercise, a deliberation of 2,000 published statements and
   100,000 participants casting 5,000,000 votes (50 each, three planted opinion groups, 20 %
   noise), written in bulk in (participant, statement) order;
2. **recompute**: ``deliberation_recompute`` in a process of its own (read the votes from the
   covering index, PCA, k-means for k = 2…5, repness, consensus, store) — wall time of the call
   and the process's peak memory (``ru_maxrss``, Django included); targets ≤ 30 s, ≤ 2 GB;
3. **vote intake**: ``WORKERS`` processes (as bin/serve's gunicorn sync workers would be), each
   voting as a web request does — find the deliberation, find or create the participant,
   ``vote_cast`` (one autocommit upsert) — on random participants (10 % new) and statements, for
   ``INTAKE_SECONDS``; target ≥ 1,000 votes/s in total. The recompute request of every vote
   (one UPDATE that changes nothing while a job is queued) is part of it.

    .venv/bin/python bench/deliberation.py               # full scale (the lead's run)
    .venv/bin/python bench/deliberation.py --scale 0.01  # quick check, docs untouched
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import resource
import sqlite3
import subprocess
import sys
import time

from common import ROOT, fresh_site, machine, write_section

SECTION = "## Deliberation (bench/deliberation.py)"
FULL = {"participants": 100_000, "statements": 2_000, "votes": 5_000_000}
VOTES_EACH = 50
TARGETS = {"recompute_s": 30, "rss_mb": 2048, "votes_per_s": 1000}
WORKERS = 3  # bin/serve's default WEB_CONCURRENCY
INTAKE_SECONDS = 20
SLUG = "bench-deliberacion"


def sizes(scale: float) -> dict[str, int]:
    participants = max(200, int(FULL["participants"] * scale))
    statements = max(VOTES_EACH + 10, int(FULL["statements"] * scale))
    return {
        "participants": participants,
        "statements": statements,
        "votes": participants * VOTES_EACH,
    }


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(scale: float) -> dict:
    """The site's exercise, deliberation, statements, participants and votes."""
    import numpy as np
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    from urna.deliberation import services
    from urna.deliberation.models import Participant, Statement, Vote
    from urna.entities.models import Entity
    from urna.exercises import services as exercise_services

    n = sizes(scale)
    started = time.perf_counter()
    admin = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-pass-1")
    owner = Entity.objects.create(
        name="Ministerio de Prueba", acronym="MINPRUEBA", slug="minprueba",
        level="national", kind="ministry",
    )  # fmt: skip
    exercise = exercise_services.exercise_create(
        by=admin, owner=owner, title="Deliberación de prueba de carga", slug=SLUG,
        summary="Ejercicio del benchmark.", kind="policy",
        closes_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=30),
    )  # fmt: skip
    exercise_services.exercise_transition(exercise=exercise, to="open", by=admin)
    deliberation = services.deliberation_create(
        exercise=exercise, question="¿Qué opina de estas afirmaciones?", by=admin,
        recompute_seconds=60,
    )  # fmt: skip
    Statement.objects.bulk_create(
        Statement(deliberation=deliberation, text=f"Afirmación de prueba número {i}.",
                  public_text=f"Afirmación de prueba número {i}.", origin="staff",
                  moderation="published")
        for i in range(n["statements"])
    )  # fmt: skip
    statement_ids = np.array(
        Statement.objects.filter(deliberation=deliberation)
        .order_by("id")
        .values_list("id", flat=True)
    )
    Participant.objects.bulk_create(
        (
            Participant(deliberation=deliberation, anonymous_key=f"b{i}")
            for i in range(n["participants"])
        ),
        batch_size=5000,
    )
    first_participant = (
        Participant.objects.filter(deliberation=deliberation).order_by("id").first().pk
    )
    connection.close()

    rng = np.random.default_rng(17)
    views = rng.choice([-1, 0, 1], size=(3, n["statements"]), p=[0.4, 0.2, 0.4])
    db = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    table = Vote._meta.db_table
    sql = (f"INSERT INTO {table} (deliberation_id, statement_id, participant_id, value, channel, "
           "created_at, updated_at) VALUES (?, ?, ?, ?, 'web', ?, ?)")  # fmt: skip
    now = dt.datetime.now(dt.UTC).isoformat(sep=" ")
    chunk = 5000
    for start in range(0, n["participants"], chunk):
        people = np.arange(start, min(start + chunk, n["participants"]))
        picks = np.sort(
            rng.random((len(people), n["statements"])).argpartition(VOTES_EACH, axis=1)[
                :, :VOTES_EACH
            ],
            axis=1,
        )
        group = rng.integers(0, 3, len(people))
        values = views[group[:, None], picks]
        noise = rng.random(values.shape) < 0.2
        values[noise] = rng.choice([-1, 0, 1], noise.sum())
        rows = (
            (deliberation.pk, int(statement_ids[j]), first_participant + int(p), int(v), now, now)
            for p, js, vs in zip(people, picks, values, strict=True)
            for j, v in zip(js, vs, strict=True)
        )
        db.executemany(sql, rows)
        db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {**n, "deliberation": deliberation.pk, "seed_s": round(time.perf_counter() - started, 1)}


def recompute(deliberation_id: int) -> dict:
    from urna.deliberation.recompute import deliberation_recompute

    started = time.perf_counter()
    outcome = deliberation_recompute(deliberation_id=deliberation_id, force=True)
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {**outcome, "recompute_s": round(seconds, 2), "rss_mb": round(rss_mb)}


def _intake_worker(args: tuple) -> None:
    worker, participants, barrier, queue = args
    _setup()
    import random

    from urna.deliberation import selectors, services
    from urna.deliberation.models import Statement

    rng = random.Random(worker)
    deliberation = selectors.deliberation_public(SLUG)
    statements = list(
        Statement.objects.filter(deliberation=deliberation).values_list("id", flat=True)
    )
    done, refused = 0, 0
    barrier.wait()  # every worker set up before the clock starts
    until = time.time() + INTAKE_SECONDS
    while time.time() < until:
        who = rng.randrange(participants) if rng.random() < 0.9 else f"new-{worker}-{done}"
        deliberation = selectors.deliberation_public(SLUG)  # what each request does
        participant = services.participant_get_or_create(
            deliberation=deliberation, anonymous_key=f"b{who}" if isinstance(who, int) else who
        )
        try:
            services.vote_cast(
                participant=participant, statement_id=rng.choice(statements),
                value=rng.choice([-1, 0, 1]), channel="web",
            )  # fmt: skip
            done += 1
        except Exception:  # noqa: BLE001 - counted; a refused vote is not a stored one
            refused += 1
    queue.put((done, refused))


def intake(participants: int) -> dict:
    ctx = multiprocessing.get_context("spawn")
    queue, barrier = ctx.Queue(), ctx.Barrier(WORKERS)
    processes = [
        ctx.Process(target=_intake_worker, args=((w, participants, barrier, queue),))
        for w in range(WORKERS)
    ]
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    done = sum(r[0] for r in results)
    return {
        "votes": done,
        "refused": sum(r[1] for r in results),
        "seconds": INTAKE_SECONDS,
        "votes_per_s": round(done / INTAKE_SECONDS),
        "workers": WORKERS,
    }


def child(step: str, scale: float, deliberation_id: int) -> None:
    _setup()
    if step == "seed":
        result = seed(scale)
    elif step == "recompute":
        result = recompute(deliberation_id)
    else:
        result = intake(sizes(scale)["participants"])
    print("RESULT" + json.dumps(result), flush=True)


def _run(python: str, env: dict, step: str, scale: float, deliberation_id: int = 0) -> dict:
    cmd = [python, __file__, "--child", step, "--scale", str(scale), "--id", str(deliberation_id)]
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, text=True, stdout=subprocess.PIPE)
    return json.loads(out.stdout.split("RESULT", 1)[1])


def report(scale: float, seeded: dict, recomputed: dict, intake_result: dict) -> str:
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    factor = seeded["votes"] / FULL["votes"]
    target_s = TARGETS["recompute_s"] * factor if scale < 1 else TARGETS["recompute_s"]
    return "\n".join([
        SECTION, "",
        f"Measured {dt.date.today().isoformat()} on {machine()}, scale {scale:g}, SQLite (WAL) "
        "in a fresh temporary site.", "",
        f"- seeded {seeded['participants']:,} participants × {seeded['statements']:,} statements, "
        f"{seeded['votes']:,} votes in {seeded['seed_s']} s (bulk, three planted groups)",
        f"- recompute: {recomputed['recompute_s']} s (read, PCA, k-means k = 2…5, repness, "
        f"consensus, store; target ≤ {target_s:.0f} s: "
        f"{verdict(recomputed['recompute_s'] <= target_s)}), "
        f"peak memory {recomputed['rss_mb']:,} MB (target ≤ 2,048 MB: "
        f"{verdict(recomputed['rss_mb'] <= TARGETS['rss_mb'])}); {recomputed['k']} groups, "
        f"{recomputed['participants']:,} participants, {recomputed['votes']:,} votes",
        f"- vote intake through the service: {intake_result['votes_per_s']:,} votes/s with "
        f"{intake_result['workers']} processes for {intake_result['seconds']} s "
        f"({intake_result['votes']:,} votes, {intake_result['refused']} refused; target ≥ 1,000/s: "
        f"{verdict(intake_result['votes_per_s'] >= TARGETS['votes_per_s'])})",
        "",
    ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--id", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.scale, args.id)
        return
    with fresh_site("urna-deliberation-") as (python, env):
        seeded = _run(python, env, "seed", args.scale)
        print(json.dumps(seeded), flush=True)
        recomputed = _run(python, env, "recompute", args.scale, seeded["deliberation"])
        print(json.dumps(recomputed), flush=True)
        intake_result = _run(python, env, "intake", args.scale)
        print(json.dumps(intake_result), flush=True)
    text = report(args.scale, seeded, recomputed, intake_result)
    print(text)
    if not args.no_write and args.scale >= 1:
        write_section(SECTION, text)
        print(f"wrote {SECTION!r} in docs/benchmarks.md")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urna.settings")
    main()
