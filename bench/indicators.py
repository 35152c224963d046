"""Benchmark of the indicators engine (issue #16) with 1,000,000 contributions, 1,000,000
queries and 2,000,000 contacts stored over two years, on SQLite and PostgreSQL:

1. a full ``indicators_rebuild`` (target ≤ 5 minutes);
2. an incremental ``indicators_refresh`` after 1,000 new contributions;
3. the public dashboard ``/indicadores/`` and ``GET /api/v1/indicators?year=`` (target ≤ 300 ms),
   timed with Django's test client in the bench process after warm-up: median and p95 of 20.

Each database is fresh (a temporary SQLite file; the PostgreSQL database
``urna_bench_indicators``, dropped afterwards); rows are bulk-inserted by a child process,
which also takes the measurements. Writes the section "## Indicators (bench/indicators.py)".

    .venv/bin/python bench/indicators.py                          # full scale, both databases
    .venv/bin/python bench/indicators.py --scale 0.01 --no-write  # smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, machine, run, write_section

SECTION = "## Indicators (bench/indicators.py)"
PG_DB = "urna_bench_indicators"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
FULL = {"contributions": 1_000_000, "queries": 1_000_000, "contacts": 2_000_000,
        "outbound": 200_000, "inbound": 200_000}  # fmt: skip
NEW_ROWS = 1_000
REQUESTS = 20
TARGETS = {"rebuild_s": 300, "page_ms": 300}
BATCH = 20_000


def _stamps(rng: random.Random, n: int, start: dt.datetime, end: dt.datetime) -> list:
    span = (end - start).total_seconds()
    return [start + dt.timedelta(seconds=rng.random() * span) for _ in range(n)]


def seed(counts: dict, rng: random.Random) -> dict:
    """Fill the database (child process, Django set up): reference data, contacts,
    exercises, contributions, queries, messages. Returns the seconds each took."""
    from io import StringIO

    from django.utils import timezone

    from urna.accounts.demo import demo_load as accounts_demo
    from urna.channels.models import InboundMessage
    from urna.contacts.consent import bit
    from urna.contacts.models import Contact
    from urna.entities.services import entities_load_national, entity_for_municipality
    from urna.exercises.models import CONTRIBUTION_CHANNELS, Contribution, Exercise
    from urna.messaging.models import OutboundMessage
    from urna.queries.generate import default_window, entities_and_managers, generate_queries
    from urna.queries.services import query_stats_rebuild
    from urna.territory.models import Department, Municipality
    from urna.territory.services import divipola_load

    timings, started = {}, time.perf_counter()
    divipola_load()
    entities_load_national()
    entity_for_municipality(municipality=Municipality.objects.get(code="17001"))
    accounts_demo(stdout=StringIO())
    entity_ids, managers = entities_and_managers()
    departments = list(Department.objects.values_list("code", flat=True))
    first, today = default_window()
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()), tz)
    now = timezone.now()
    informed = bit("campaigns", "sms")

    def contacts(offset: int, n: int):
        return [
            Contact(phone=f"+57300{offset + i:07d}", department_id=rng.choice(departments),
                    consents=informed if rng.random() < 0.4 else 0)
            for i in range(n)
        ]  # fmt: skip

    for offset in range(0, counts["contacts"], BATCH):
        Contact.objects.bulk_create(contacts(offset, min(BATCH, counts["contacts"] - offset)))
    contact_ids = list(Contact.objects.values_list("pk", flat=True))
    timings["contacts_s"] = time.perf_counter() - started

    started = time.perf_counter()
    exercises = []
    for i, opens in enumerate(_stamps(rng, 40, start, now)):
        exercise = Exercise.objects.create(
            title=f"Ejercicio {i}", slug=f"bench-{i}", summary="Resumen.", kind="policy",
            owner_id=rng.choice(entity_ids), status="open", opens_at=opens,
        )  # fmt: skip
        exercise.partners.set(rng.sample(entity_ids, rng.randint(0, 3)))
        exercises.append(exercise.pk)
    channels = sorted(CONTRIBUTION_CHANNELS)
    n = counts["contributions"]
    for offset in range(0, n, BATCH):
        size = min(BATCH, n - offset)
        Contribution.objects.bulk_create(
            Contribution(
                exercise_id=rng.choice(exercises), kind="opinion", text="Un aporte.",
                channel=rng.choice(channels), created_at=stamp, receipt=f"B{offset + i:09d}",
                contact_id=rng.choice(contact_ids) if rng.random() < 0.7 else None,
                department_id=rng.choice(departments),
            )
            for i, stamp in enumerate(_stamps(rng, size, start, now))
        )  # fmt: skip
    timings["contributions_s"] = time.perf_counter() - started

    started = time.perf_counter()
    generate_queries(n=counts["queries"], entity_ids=entity_ids, managers=managers,
                     seed=7, start=first, end=today)  # fmt: skip
    query_stats_rebuild()
    timings["queries_s"] = time.perf_counter() - started

    started = time.perf_counter()
    OutboundMessage._meta.get_field("created_at").auto_now_add = False  # dated in the past
    for offset in range(0, counts["outbound"], BATCH):
        size = min(BATCH, counts["outbound"] - offset)
        OutboundMessage.objects.bulk_create(
            OutboundMessage(channel="sms", to="+57300", body="Hola", status="sent",
                            contact_id=rng.choice(contact_ids), created_at=stamp)
            for stamp in _stamps(rng, size, start, now)
        )  # fmt: skip
    for offset in range(0, counts["inbound"], BATCH):
        size = min(BATCH, counts["inbound"] - offset)
        InboundMessage.objects.bulk_create(
            InboundMessage(provider="twilio", provider_message_id=f"SM{offset + i}",
                           channel="sms", received_at=stamp)
            for i, stamp in enumerate(_stamps(rng, size, start, now))
        )  # fmt: skip
    timings["messages_s"] = time.perf_counter() - started
    return {k: round(v, 1) for k, v in timings.items()}


def _timed(client, url: str) -> dict:
    for _ in range(3):
        response = client.get(url)
    if response.status_code != 200:
        return {"status": response.status_code}
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"p50": round(statistics.median(timings), 1),
            "p95": round(timings[int(0.95 * len(timings)) - 1], 1)}  # fmt: skip


def measure(rng: random.Random) -> dict:
    """Rebuild, refresh after NEW_ROWS contributions, and the pages (child process)."""
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from urna.exercises.models import Contribution, Exercise
    from urna.indicators.engine.refresh import indicators_rebuild, indicators_refresh

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result = {}
    started = time.perf_counter()
    rebuilt = indicators_rebuild()
    result["rebuild_s"] = round(time.perf_counter() - started, 1)
    result["facts"] = rebuilt.written
    exercise = Exercise.objects.order_by("-opens_at").first()
    Contribution.objects.bulk_create(
        Contribution(exercise=exercise, kind="opinion", text="Nuevo.", channel="web",
                     created_at=timezone.now(), receipt=f"N{i:09d}")
        for i in range(NEW_ROWS)
    )  # fmt: skip
    started = time.perf_counter()
    refreshed = indicators_refresh(settle_seconds=0)
    result["refresh_s"] = round(time.perf_counter() - started, 2)
    result["refresh_months"] = sorted(f"{y}-{m:02d}" for y, m in refreshed.months)
    result["refresh_written"] = refreshed.written
    client, year = Client(), timezone.localdate().year
    result["dashboard"] = _timed(client, "/indicadores/")
    result["api"] = _timed(client, f"/api/v1/indicators?year={year}")
    return result


def child(scale: float) -> None:
    import django

    django.setup()
    rng = random.Random(16)
    counts = {k: max(1, int(v * scale)) for k, v in FULL.items()}
    report = {"counts": counts, "seed": seed(counts, rng)}
    report.update(measure(rng))
    print("RESULT" + json.dumps(report))


def bench_database(database: str, scale: float) -> dict:
    env = {**os.environ, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "urna.settings"}
    env.pop("REDIS_URL", None)
    with tempfile.TemporaryDirectory(prefix="urna-indicators-") as tmp:
        env["URNA_VAR_DIR"] = tmp
        if database == "postgresql":
            subprocess.run(["dropdb", *PG, "--if-exists", PG_DB], check=True)
            subprocess.run(["createdb", *PG, PG_DB], check=True)
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
        else:
            env.pop("DATABASE_URL", None)
            env["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
        try:
            run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
            run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
            out = run([sys.executable, __file__, "--child", "--scale", str(scale)], env,
                      stdout=subprocess.PIPE)  # fmt: skip
        finally:
            if database == "postgresql":
                subprocess.run(["dropdb", *PG, "--if-exists", PG_DB], check=False)
    return json.loads(out.stdout.split("RESULT", 1)[1])


def _page(figures: dict) -> str:
    if "p50" not in figures:
        return f"not measured (HTTP {figures.get('status')})"
    ok = "met" if figures["p95"] <= TARGETS["page_ms"] else "MISSED"
    return f"median {figures['p50']} ms, p95 {figures['p95']} ms ({ok})"


def report_lines(database: str, r: dict) -> list[str]:
    c = r["counts"]
    ok = "met" if r["rebuild_s"] <= TARGETS["rebuild_s"] else "MISSED"
    return [
        f"**{database}** — {c['contributions']:,} contributions, {c['queries']:,} queries, "
        f"{c['contacts']:,} contacts, {c['outbound']:,} outbound and {c['inbound']:,} inbound "
        f"messages over two years (seeded in {sum(r['seed'].values()):.0f} s: {r['seed']}).",
        "",
        f"- full rebuild: {r['rebuild_s']} s, {r['facts']:,} facts (target ≤ 300 s: {ok})",
        f"- incremental refresh after {NEW_ROWS:,} new contributions: {r['refresh_s']} s "
        f"(months recomputed: {', '.join(r['refresh_months'])}; {r['refresh_written']} facts "
        "written)",
        f"- public dashboard `/indicadores/`: {_page(r['dashboard'])}",
        f"- `GET /api/v1/indicators?year=`: {_page(r['api'])}",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        child(args.scale)
        return
    today = dt.date.today().isoformat()
    lines = [SECTION, "", f"Measured {today} on {machine()}, scale {args.scale:g} "
             f"(Django test client in the bench process, {REQUESTS} requests after 3 warm-ups).",
             ""]  # fmt: skip
    for database in args.databases.split(","):
        result = bench_database(database, args.scale)
        print(json.dumps(result), flush=True)
        lines += report_lines(database, result)
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(SECTION, text + "\n")
        print(f"wrote {SECTION!r} in docs/benchmarks.md")


if __name__ == "__main__":
    main()
