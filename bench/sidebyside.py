"""The same benchmarks on an already running deployment, for the embedded default and the two
hosts side by side.

Against ``--target URL`` (a deployment on this machine: its channels' raw requests go to
127.0.0.1) it seeds what each benchmark needs through the target's own database
(``--database-url``; with ``--twohost``, deploy/twohost's state as bench/soak.py reads it) and
times, with the other benchmarks' own builders:

- intake: ``--n`` new contributions through the API at concurrency 32 with wrk and
  bench/intake.lua (bench/intake.py's requests, 1 % replays);
- channels: signed Twilio SMS webhooks and complete USSD sessions (the channel harness's floods,
  as bench/channels.py);
- the managers' inbox after ``--queries`` generated queries (bench/gen_queries.py; the inbox
  cases of bench/queries.py, 30 requests each after 3 warm-ups);
- open data: the CSV export of ``--export`` contributions (bench/opendata.py's seed) and the
  catalogue (median of 20).

It writes its layout's column of the table under "## Embedded default and two hosts side by
side" in docs/benchmarks.md, keeping the other column. Webhook secrets: ``$TWILIO_AUTH_TOKEN``
and ``$AFRICASTALKING_API_KEY``, else the development values; with ``--target``, the
target's ``SECRET_KEY`` in the environment too (the staff sessions seeded are signed with it).
The embedded default needs
``CONTRIBUTION_NETWORK_RATE`` raised as bench/intake.py raises it (every simulated citizen comes
from 127.0.0.1), and so does the two-host layout; ``--embedded`` starts such a ``bin/serve`` on a
scratch SQLite file itself.

    .venv/bin/python bench/sidebyside.py --embedded
    .venv/bin/python bench/sidebyside.py --twohost
    .venv/bin/python bench/sidebyside.py --target http://127.0.0.1:8000 --layout embedded \\
        --database-url sqlite:////tmp/site/urna.sqlite3 --quick      # docs untouched
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import channels
import httpx
import intake
import opendata
import queries
from common import ROOT, machine, write_section
from mixed import PYTHON, serve_env, served, target_env
from soak import seed_target, twohost_state

from urna.channels.devcredentials import DEV_VALUES
from urna.channels.tests import harness

SECTION = "## Embedded default and two hosts side by side"
COLUMNS = {"embedded": "embedded", "twohost": "two hosts"}
SIZES = {  # (contributions, SMS, USSD sessions, queries, export)
    False: (20_000, 4_000, 500, 100_000, 200_000),
    True: (2_000, 400, 50, 2_000, 5_000),
}

SETUP = r"""
import json, django
django.setup()
from datetime import timedelta
from django.utils import timezone
from urna.accounts.models import User
from urna.entities.models import Entity
from urna.exercises import services
from urna.exercises.models import Exercise
from urna.territory.models import Municipality
admin = User.objects.filter(username="bench.lado").first() or User.objects.create_superuser(
    "bench.lado", "bench.lado@example.org", "bench-password-123")
exercise = Exercise.objects.filter(code="LADO").first()
if exercise is None:
    exercise = services.exercise_create(
        by=admin, owner=Entity.objects.get(acronym="MINAGRICULTURA"),
        title="Proyecto de decreto de prueba lado a lado",
        summary="Ejercicio del benchmark lado a lado.", kind="draft_regulation", code="LADO",
        closes_at=timezone.now() + timedelta(days=30), is_example=True)
    for n in range(1, 11):
        services.article_add(exercise=exercise, by=admin, body=f"Texto del artículo {n}.")
    services.question_add(exercise=exercise, by=admin, kind="yes_no", text="¿Está de acuerdo?")
    services.question_add(exercise=exercise, by=admin, kind="single",
                          text="¿Qué es lo más urgente?",
                          options=["Vías", "Crédito", "Tierra", "Agua"])
    services.exercise_transition(exercise=exercise, to="open", by=admin)
codes = list(Municipality.objects.values_list("code", flat=True))
print(json.dumps({"slug": exercise.slug, "municipalities": codes}))
"""

# How many contributions the export's exercise holds; an empty one (a seed that failed half
# way: the exercise is created before its rows) is removed so that the seed can run again.
EXPORT_SEEDED = r"""
import django
django.setup()
from urna.exercises.models import Contribution, Exercise
n = Contribution.objects.filter(exercise__slug=%r).count()
if not n:
    Exercise.objects.filter(slug=%r).delete()
print(n)
"""


def python_json(env: dict[str, str], *args: str) -> dict:
    done = subprocess.run([PYTHON, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{args[0]} failed ({done.returncode}): {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class Local:
    """What the channel harness's floods need of a server: its URL and port on 127.0.0.1."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        if parts.hostname != "127.0.0.1" or parts.scheme != "http":
            sys.exit(f"{base}: the channel floods send raw HTTP to 127.0.0.1 only")
        self.url, self.port = base, parts.port or 80


def bench_intake(base: str, env: dict[str, str], n: int, folder: Path) -> dict:
    info = python_json(env, "-c", SETUP)
    result = intake.load(0, info["slug"], n, info["municipalities"], folder, base=base)
    figures = result["figures"]
    return {
        "intake: contributions accepted/s": f"{len(result['acked']) / result['elapsed']:,.0f}",
        "intake: p99": f"{figures['p99_us'] / 1000:.0f} ms",
        "intake: errors (by status or socket error)": ", ".join(
            f"{kind}: {n:,}" for kind, n in sorted(result["errors"].items())
        )
        or "0",
    }


def bench_channels(base: str, sms: int, ussd: int) -> dict:
    server = Local(base)
    token = os.environ.get("TWILIO_AUTH_TOKEN") or DEV_VALUES["TWILIO_AUTH_TOKEN"]
    at_key = os.environ.get("AFRICASTALKING_API_KEY") or DEV_VALUES["AFRICASTALKING_API_KEY"]
    run = f"{int(time.time()) % 100_000:05d}"
    harness.sms_flood(server, total=100, threads=4, prefix=f"WARM{run}", token=token)
    flood = channels.measure(
        "sms",
        lambda: harness.sms_flood(server, total=sms, threads=12, prefix=f"SS{run}", token=token),
    )
    sessions = channels.measure(
        "ussd",
        lambda: harness.ussd_flood(
            server, sessions=ussd, threads=12, at_key=at_key, prefix=f"SIDE{run}"
        ),
    )
    return {
        "SMS webhooks/s (Twilio, signed)": f"{flood['rate']:,.0f}",
        "SMS webhooks: p99": f"{flood['p99_ms']:.0f} ms",
        "USSD steps/s": f"{sessions['rate']:,.0f}",
        "USSD steps: p99": f"{sessions['p99_ms']:.0f} ms",
        "channel errors": f"{flood['errors'] + sessions['errors']}",
    }


def bench_inbox(base: str, env: dict[str, str], n: int) -> dict:
    generated = python_json(
        env, "bench/gen_queries.py", "--n", str(n), "--seed", str(int(time.time()) % 100_000)
    )
    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", queries.SESSION_SNIPPET],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    sessions = json.loads(done.stdout.split("SESSIONS", 1)[1])
    figures = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for label, (url, cookie) in queries.inbox_cases(sessions).items():
            figures[f"{label}: p50"] = f"{queries.measure(client, url, cookie)['p50']:.0f} ms"
    figures["queries generated for the inbox"] = f"{generated['inserted']:,}"
    return figures


def bench_export(base: str, env: dict[str, str], n: int) -> dict:
    stored = int(
        subprocess.run(
            [PYTHON, "-c", EXPORT_SEEDED % (opendata.BIG_SLUG, opendata.BIG_SLUG)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    if not stored:  # seeded once per target: the exercises' slugs are unique
        seed = [PYTHON, "bench/opendata.py", "--seed", str(n), "0", "3"]
        # DEBUG off, as bench/opendata.py seeds: its SQL's "id % 10" is not a query parameter,
        # which Django's debug cursor would take it for.
        seed_env = {**env, "DEBUG": "false"}
        subprocess.run(seed, env=seed_env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    with httpx.Client(base_url=base, timeout=600) as client:
        started = time.perf_counter()
        rows = size = 0
        path = f"/opendata/ejercicios/{opendata.BIG_SLUG}/aportes.csv"
        with client.stream("GET", path) as response:
            response.raise_for_status()
            for chunk in response.iter_bytes():
                size += len(chunk)
                rows += chunk.count(b"\n")
        export_s = time.perf_counter() - started
        timings = []
        for _ in range(21):
            started = time.perf_counter()
            client.get("/opendata/catalog.json").raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "open data: CSV export of one exercise": (
            f"{export_s:.1f} s ({rows - 1:,} contributions, {size / 1e6:,.1f} MB)"
        ),
        "open data catalogue: median of 20": f"{statistics.median(timings[1:]):.0f} ms",
    }


def measure(base: str, env: dict[str, str], quick: bool, folder: Path) -> dict:
    contributions, sms, ussd, generated, export = SIZES[quick]
    figures = {}
    print("== intake", flush=True)
    figures |= bench_intake(base, env, contributions, folder)
    print("== channels", flush=True)
    figures |= bench_channels(base, sms, ussd)
    print("== inbox", flush=True)
    figures |= bench_inbox(base, env, generated)
    print("== open data", flush=True)
    figures |= bench_export(base, env, export)
    return figures


def table_rows(text: str) -> dict[str, dict[str, str]]:
    """The side-by-side table already in docs/benchmarks.md: measure → column → value."""
    rows: dict[str, dict[str, str]] = {}
    start = text.find(SECTION + "\n")
    if start == -1:
        return rows
    end = text.find("\n## ", start + 1)
    for line in text[start : end if end != -1 else None].splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("measure", "") and not cells[0].startswith("---"):
            rows[cells[0]] = {COLUMNS["embedded"]: cells[1], COLUMNS["twohost"]: cells[2]}
    return rows


def section(layout: str, figures: dict, note: str) -> str:
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    rows = table_rows(current)
    notes = {
        key: value
        for key, value in (line.split(": ", 1) for line in notes_of(current))
        if key in COLUMNS.values()
    }
    column = COLUMNS[layout]
    for measure_name, value in figures.items():
        rows.setdefault(measure_name, {})[column] = value
    notes[column] = note
    lines = [
        SECTION,
        "",
        "Written by `bench/sidebyside.py`, one column a run (a run rewrites only its own). The "
        "same requests as bench/intake.py, bench/channels.py, bench/queries.py (the inbox) and "
        "bench/opendata.py (the export), sent to an already running deployment from the same "
        "machine; seeding goes through the deployment's own database. The two hosts are "
        "network namespaces of this one 2-core machine, so they share its cores with nginx, "
        "PostgreSQL, Redis and the load generator: the column shows what the proxy hop and "
        "PostgreSQL and Redis over the network cost, not what a second machine adds.",
        "",
    ]
    lines += [f"- {name}: {notes[name]}" for name in COLUMNS.values() if name in notes]
    lines += ["", "| measure | embedded | two hosts |", "|---|---|---|"]
    for name, values in rows.items():
        lines.append(
            f"| {name} | {values.get(COLUMNS['embedded'], '—')} | "
            f"{values.get(COLUMNS['twohost'], '—')} |"
        )
    return "\n".join(lines) + "\n"


def notes_of(text: str) -> list[str]:
    start = text.find(SECTION + "\n")
    if start == -1:
        return []
    end = text.find("\n## ", start + 1)
    return [
        line[2:]
        for line in text[start : end if end != -1 else None].splitlines()
        if line.startswith("- ") and ": " in line
    ]


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target", help="base URL of a running deployment on 127.0.0.1")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--layout", choices=sorted(COLUMNS), help="the column (with --target)")
    parser.add_argument("--twohost", action="store_true", help="deploy/twohost's layout")
    parser.add_argument("--embedded", action="store_true", help="start bin/serve on SQLite")
    parser.add_argument("--quick", action="store_true", help="small sizes, docs untouched")
    args = parser.parse_args()
    load_average = " / ".join(f"{n:.1f}" for n in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="urna-sidebyside-") as tmp:
        folder = Path(tmp)
        if args.embedded:
            layout, figures = "embedded", run_embedded(folder, args.quick)
            setup = "`bin/serve` (3 gunicorn sync workers, one job worker) on a scratch SQLite file"
        else:
            if args.twohost:
                state = twohost_state()
                for name, value in state["env"].items():
                    if name in ("TWILIO_AUTH_TOKEN", "AFRICASTALKING_API_KEY"):
                        os.environ.setdefault(name, value)
                base, database_url, layout = state["base"], state["database_url"], "twohost"
                setup = "deploy/twohost: nginx, two namespaces each with gunicorn and a worker"
            else:
                if not (args.target and args.database_url and args.layout):
                    parser.error("give --embedded, --twohost, or --target, --layout, and the DB")
                base, database_url, layout = args.target, args.database_url, args.layout
                setup = f"the deployment at {base}"
            env = target_env(database_url, state["env"] if args.twohost else None)
            seed_target(env)  # the channels' exercises (AGRO…), as bench/soak.py seeds them
            figures = measure(base.rstrip("/"), env, args.quick, folder)
    note = (
        f"{setup}; measured {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} on "
        f"{machine()}, load average at the start {load_average}"
        + (" (quick sizes)" if args.quick else "")
    )
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    text = section(layout, figures, note)
    print(text)
    if not args.quick:
        write_section(SECTION, text)


def run_embedded(folder: Path, quick: bool) -> dict:
    env = serve_env("sqlite", folder)
    env["CONTRIBUTION_NETWORK_RATE"] = "100000000/3600"  # as bench/intake.py: all from 127.0.0.1
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    seed_target(env)
    os.environ.setdefault("TWILIO_AUTH_TOKEN", env["TWILIO_AUTH_TOKEN"])
    os.environ.setdefault("AFRICASTALKING_API_KEY", DEV_VALUES["AFRICASTALKING_API_KEY"])
    env["AFRICASTALKING_API_KEY"] = os.environ["AFRICASTALKING_API_KEY"]
    env["TWILIO_AUTH_TOKEN"] = os.environ["TWILIO_AUTH_TOKEN"]
    with served(env, folder / "serve.log") as (base, _serve):
        return measure(base, env, quick, folder)


if __name__ == "__main__":
    main()
