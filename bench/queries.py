"""Benchmark of the response managers' workspace with 1,000,000 queries across 29 entities.

For SQLite and for PostgreSQL: a scratch database is migrated and filled by
``bench/gen_queries.py``; the production-style server (gunicorn, sync workers, DEBUG off) is
started on 127.0.0.1; a bounded client then times, as a ministry's manager and as the platform
team, the inbox page (first page and a deep keyset page, filters), the inbox API and the SLA
board. Writes the section "## Queries (bench/queries.py)" of docs/benchmarks.md.

    .venv/bin/python bench/queries.py                 # 1,000,000 queries, both databases
    .venv/bin/python bench/queries.py --n 20000 --quick   # smoke run, docs untouched
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from common import free_port, machine, run

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SECTION = "## Queries (bench/queries.py)"
TARGET_MS = 300
PG_DB = "urna_bench_queries"
REQUESTS = 30

SESSION_SNIPPET = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from urna.accounts.models import User
out = {}
for name in ("gestor.agricultura", "admin"):
    user = User.objects.get(username=name)
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    out[name] = s.session_key
from urna.queries.models import Query
q = Query.objects.filter(entity__acronym="MINAGRICULTURA", state="assigned")
q = q.order_by("-due_date").first()
out["deep_cursor"] = f"{q.due_date.isoformat()}_{q.pk}"
print("SESSIONS" + __import__("json").dumps(out))
"""


def measure(client: httpx.Client, url: str, cookie: str) -> dict:
    cookies = {"sessionid": cookie}
    for _ in range(3):
        response = client.get(url, cookies=cookies)
        response.raise_for_status()
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url, cookies=cookies)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    timings.sort()
    return {
        "p50": round(statistics.median(timings), 1),
        "p95": round(timings[int(0.95 * len(timings)) - 1], 1),
        "max": round(timings[-1], 1),
        "bytes": len(response.content),
    }


def inbox_cases(sessions: dict) -> dict[str, tuple[str, str]]:
    """The managers' inbox cases: label → (path, session key). ``sessions`` as SESSION_SNIPPET
    prints them. bench/sidebyside.py times the same cases on a running deployment."""
    manager, admin = sessions["gestor.agricultura"], sessions["admin"]
    return {
        "inbox, manager (open, first page)": ("/consultas/gestion/", manager),
        "inbox, manager (deep keyset page)": (
            f"/consultas/gestion/?estado=assigned&desde={sessions['deep_cursor']}",
            manager,
        ),
        "inbox, manager (overdue)": ("/consultas/gestion/?estado=overdue", manager),
        "inbox, manager (answered, type filter)": (
            "/consultas/gestion/?estado=answered&tipo=queja",
            manager,
        ),
        "inbox API, manager": ("/api/v1/staff/queries?limit=50", manager),
        "inbox, platform team (all entities)": ("/consultas/gestion/", admin),
    }


def sla_cases(sessions: dict) -> dict[str, tuple[str, str]]:
    """The SLA board's cases, as ``inbox_cases``."""
    year = dt.date.today().year
    manager, admin = sessions["gestor.agricultura"], sessions["admin"]
    return {
        "SLA board, manager (own entity, year)": (
            f"/consultas/gestion/indicadores/?anio={year}",
            manager,
        ),
        "SLA board, platform (29 entities, year)": (
            f"/consultas/gestion/indicadores/?anio={year}",
            admin,
        ),
        "SLA board, platform (one month)": (
            f"/consultas/gestion/indicadores/?anio={year}&mes=3",
            admin,
        ),
        "SLA API, platform": (f"/api/v1/staff/queries/sla?year={year}", admin),
    }


def bench_backend(name: str, n: int, workdir: Path) -> dict:
    env = {**os.environ, "DEBUG": "false", "URNA_VAR_DIR": str(workdir / "var")}
    env.pop("REDIS_URL", None)
    if name == "postgresql":
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_DB], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", PG_DB], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    try:
        run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        gen = run([PY, "bench/gen_queries.py", "--n", str(n)], env, stdout=subprocess.PIPE)
        generated = json.loads(gen.stdout.strip().splitlines()[-1])
        if name == "postgresql":
            run(
                [PY, "manage.py", "dbshell"],
                env,
                input="VACUUM ANALYZE;\n",
                stdout=subprocess.DEVNULL,
            )
        else:
            run([PY, "manage.py", "dbshell"], env, input="ANALYZE;\n", stdout=subprocess.DEVNULL)
        out = run([PY, "manage.py", "shell", "-c", SESSION_SNIPPET], env, stdout=subprocess.PIPE)
        sessions = json.loads(out.stdout.split("SESSIONS", 1)[1])
        port = free_port()
        server = subprocess.Popen(
            [GUNICORN, "urna.wsgi:application", "-w", "2", "--worker-class", "sync",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=30) as client:
                for _ in range(100):
                    try:
                        client.get("/healthz")
                        break
                    except httpx.TransportError:
                        time.sleep(0.2)
                cases = inbox_cases(sessions) | sla_cases(sessions)
                results = {
                    label: measure(client, url, cookie) for label, (url, cookie) in cases.items()
                }
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if name == "postgresql":
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_DB], check=False
            )
    return {"generated": generated, "results": results}


def write_docs(report: dict, n: int) -> None:
    lines = [
        SECTION,
        "",
        f"{dt.date.today().isoformat()} · {machine()} · {n:,} queries across 29 national "
        "entities · gunicorn 2 sync workers, DEBUG off · "
        f"{REQUESTS} sequential requests per case after 3 warm-ups (milliseconds). "
        f"Target: under {TARGET_MS} ms.",
        "",
    ]
    for backend, data in report.items():
        gen = data["generated"]
        lines += [
            f"**{backend}** — generated {gen['inserted']:,} queries in {gen['insert_s']} s "
            f"({gen['rows_per_s']:,} rows/s); SLA counters rebuilt in {gen['stats_rebuild_s']} s.",
            "",
            "| case | p50 | p95 | max | under target |",
            "|---|---:|---:|---:|---|",
        ]
        for label, r in data["results"].items():
            ok = "yes" if r["p95"] < TARGET_MS else "**no**"
            lines.append(f"| {label} | {r['p50']} | {r['p95']} | {r['max']} | {ok} |")
        lines.append("")
    section = "\n".join(lines).rstrip() + "\n"
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if SECTION in text:
        head, _, rest = text.partition(SECTION)
        following = rest.find("\n## ")
        tail = rest[following + 1 :] if following != -1 else ""
        text = head + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip() + "\n\n" + section
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    report = {}
    for backend in ("sqlite", "postgresql"):
        if args.only and backend != args.only:
            continue
        workdir = Path(tempfile.mkdtemp(prefix=f"urna-bench-queries-{backend}-"))
        try:
            print(f"== {backend}: {args.n:,} queries", flush=True)
            report[backend] = bench_backend(backend, args.n, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        print(json.dumps(report[backend], indent=1), flush=True)
    if not args.quick and len(report) == 2:
        write_docs(report, args.n)


if __name__ == "__main__":
    main()
