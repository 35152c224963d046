"""Benchmark of contribution intake: the public API's POST under load, as in production.

For each database (embedded SQLite in WAL mode, then PostgreSQL when reachable) it:

1. creates a scratch database (a temporary SQLite file, or ``urna_bench_intake`` on the local
   PostgreSQL), migrates it and opens one draft-regulation exercise (10 articles, 2 closed
   questions) through the real services;
2. starts gunicorn with sync workers (the ``bin/serve`` setup, DEBUG off, no access log);
3. measures a trivial endpoint (``GET /api/v1/territories/departments``: one small query);
4. POSTs 108,739 new contributions at concurrency 32 from 127.0.0.1 (a mix of opinions,
   proposals, article comments and closed-question answers, 5 % with a contact given with
   consent, each simulated citizen with its own ``X-Client-Id``) plus 1 % replays of already
   acknowledged idempotency keys, which must return the first receipt;
5. checks that the database holds exactly the acknowledged contributions (count and receipts);
6. times the exercise page and the first contributions page (HTML and API) with everything
   stored.

It prints the figures and writes the section "## Intake (bench/intake.py)" of
docs/benchmarks.md, leaving other sections as they are.

    .venv/bin/python bench/intake.py                 # full run, both databases
    .venv/bin/python bench/intake.py --n 5000        # quick run, docs untouched
    .venv/bin/python bench/intake.py --only sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SECTION = "## Intake (bench/intake.py)"
N_DEFAULT = 108_739
CONCURRENCY = 32
PG_DB = "urna_bench_intake"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"

WORDS = [
    "campesinos",
    "tierra",
    "crédito",
    "vías",
    "terciarias",
    "asistencia",
    "técnica",
    "semillas",
    "agua",
    "riego",
    "mercado",
    "precios",
    "justos",
    "cooperativas",
    "jóvenes",
    "rurales",
    "mujeres",
    "educación",
    "salud",
    "conectividad",
    "seguridad",
    "alimentaria",
    "restitución",
    "formalización",
    "catastro",
    "distritos",
    "de",
    "riego",
    "comercialización",
    "asociatividad",
    "insumos",
    "fertilizantes",
    "seguro",
    "agropecuario",
    "banco",
    "agrario",
    "extensión",
    "rural",
    "producción",
    "sostenible",
    "ganadería",
    "café",
    "cacao",
    "plátano",
    "yuca",
    "maíz",
    "arroz",
    "pesca",
    "artesanal",
]
OPENERS = [
    "Propongo que",
    "Considero importante que",
    "Solicito al ministerio que",
    "En mi vereda necesitamos que",
    "Pido que el decreto garantice que",
    "Sugiero que",
    "Es urgente que",
]


# --- the scratch database and server --------------------------------------------------------


def child_env(db: str, tmp: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "urna.settings"),
        "DEBUG": "false",
        "URNA_VAR_DIR": str(tmp),
        "SECRET_KEY": "bench-" + "x" * 40,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("REDIS_URL", None)
    if db == "sqlite":
        env["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = PG_URL
    return env


SETUP = r"""
import json, django
django.setup()
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from urna.territory.services import divipola_load
from urna.entities.services import entities_load_national
from urna.entities.models import Entity
from urna.accounts.models import User
from urna.territory.models import Municipality
from urna.exercises import services
divipola_load(); entities_load_national()
admin = User.objects.create_superuser("bench", "bench@example.org", "bench-password-123")
exercise = services.exercise_create(
    by=admin, owner=Entity.objects.get(acronym="MINAGRICULTURA"),
    title="Proyecto de decreto de prueba de carga", summary="Ejercicio del benchmark de intake.",
    kind="draft_regulation", code="BENCH", closes_at=timezone.now() + timedelta(days=30),
    is_example=True)
for n in range(1, 11):
    services.article_add(exercise=exercise, by=admin, body=f"Texto del artículo {n}.")
services.question_add(exercise=exercise, by=admin, kind="yes_no", text="¿Está de acuerdo?")
services.question_add(exercise=exercise, by=admin, kind="single", text="¿Qué es lo más urgente?",
                      options=["Vías", "Crédito", "Tierra", "Agua"])
services.exercise_transition(exercise=exercise, to="open", by=admin)
codes = list(Municipality.objects.values_list("code", flat=True))
print(json.dumps({"slug": exercise.slug, "municipalities": codes}))
"""

VERIFY = r"""
import json, sys, django
django.setup()
from urna.exercises.models import Contribution
slug, path = sys.argv[1], sys.argv[2]
acked = set(json.load(open(path)))
stored = set(Contribution.objects.filter(exercise__slug=slug).values_list("receipt", flat=True))
print(json.dumps({"stored": len(stored), "acked": len(acked), "match": stored == acked,
                  "missing": len(acked - stored), "extra": len(stored - acked)}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            GUNICORN,
            "urna.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            status, _ = asyncio.run(asyncio.wait_for(request(port, "GET", "/healthz"), 5))
            if status == 200:
                return proc
        except (OSError, TimeoutError):
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start: " + log.read_text()[-3000:])


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


# --- a lean HTTP/1.1 client (sync workers close each connection) -----------------------------


async def request(
    port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None
) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    for name, value in (headers or {}).items():
        head.append(f"{name}: {value}")
    if body:
        head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data[9:12])
    return status, data.partition(b"\r\n\r\n")[2]


def payload(i: int, rng: random.Random, municipalities: list[str]) -> tuple[dict, dict]:
    roll = rng.random()
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
    text = f"{rng.choice(OPENERS)} {words}. (aporte de prueba {i})"
    body: dict = {"kind": "opinion", "text": text, "idempotency_key": uuid.uuid4().hex}
    if roll < 0.15:
        body["kind"] = "proposal"
    elif roll < 0.25:
        body.update(kind="article_comment", article=rng.randint(1, 10))
    elif roll < 0.30:
        body.update(kind="answer", text="", question=rng.choice([1, 2]), choice=rng.randint(1, 2))
    if rng.random() < 0.8:
        body["municipality"] = rng.choice(municipalities)
    if rng.random() < 0.05:
        prefix = rng.choice([300, 301, 302, 304, 305, 310, 311, 312, 313, 314, 315, 316, 320, 321])
        body["contact"] = {"phone": f"+57{prefix}{rng.randint(0, 9999999):07d}"}
        body["consent"] = True
    return body, {"X-Client-Id": f"bench-citizen-{i}"}


async def load(port: int, slug: str, n: int, municipalities: list[str]) -> dict:
    rng = random.Random(7)
    path = f"/api/v1/exercises/{slug}/contributions"
    jobs = [payload(i, rng, municipalities) for i in range(n)]
    next_index = 0
    latencies: list[float] = []
    done_at: list[float] = []
    acked: dict[str, str] = {}  # idempotency key → receipt
    errors: dict[str, int] = {}
    replays = {"sent": 0, "same_receipt": 0}
    samples: dict[int, str] = {}
    started = time.perf_counter()

    async def one(body: dict, headers: dict) -> tuple[int, dict]:
        t0 = time.perf_counter()
        status, raw = await request(port, "POST", path, json.dumps(body).encode(), headers)
        latencies.append(time.perf_counter() - t0)
        done_at.append(time.perf_counter() - started)
        if status in (200, 201):
            return status, json.loads(raw)
        samples.setdefault(status, raw[:300].decode(errors="replace"))
        return status, {}

    async def worker() -> None:
        nonlocal next_index
        while next_index < n:
            i = next_index
            next_index += 1
            body, headers = jobs[i]
            try:
                status, data = await one(body, headers)
            except Exception as exc:  # noqa: BLE001 - counted as an error
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            if status != 201:
                errors[str(status)] = errors.get(str(status), 0) + 1
                continue
            acked[body["idempotency_key"]] = data["receipt"]
            if i % 100 == 50:  # a client retrying an acknowledged request
                replays["sent"] += 1
                status, again = await one(body, headers)
                if status == 200 and again.get("receipt") == data["receipt"]:
                    replays["same_receipt"] += 1
                else:
                    errors[f"replay-{status}"] = errors.get(f"replay-{status}", 0) + 1

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    return {
        "elapsed": elapsed,
        "latencies": latencies,
        "done_at": done_at,
        "acked": acked,
        "errors": errors,
        "replays": replays,
        "samples": samples,
    }


async def trivial(port: int, n: int) -> dict:
    latencies: list[float] = []
    errors = 0
    counter = 0

    async def worker() -> None:
        nonlocal counter, errors
        while counter < n:
            counter += 1
            t0 = time.perf_counter()
            status, _ = await request(port, "GET", "/api/v1/territories/departments")
            latencies.append(time.perf_counter() - t0)
            errors += status != 200

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    return {"rate": len(latencies) / elapsed, "p99": pct(latencies, 99), "errors": errors}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


def windows(done_at: list[float], size: float = 5.0) -> list[float]:
    """Completions per second in consecutive windows, without the ramp-up and tail windows."""
    if not done_at:
        return []
    end = max(done_at)
    counts = [0] * (int(end // size) + 1)
    for t in done_at:
        counts[int(t // size)] += 1
    full = counts[1:-1] if len(counts) > 2 else counts
    return [c / size for c in full]


def page_timings(port: int, paths: list[str], repeat: int = 10) -> dict[str, dict]:
    out = {}
    for path in paths:
        times, statuses = [], set()
        for _ in range(repeat + 1):
            t0 = time.perf_counter()
            status, _ = asyncio.run(request(port, "GET", path))
            times.append((time.perf_counter() - t0) * 1000)
            statuses.add(status)
        out[path] = {
            "first_ms": times[0],
            "median_ms": statistics.median(times[1:]),
            "max_ms": max(times),
            "statuses": sorted(statuses),
        }
    return out


# --- one database -----------------------------------------------------------------------------


def run_one(db: str, n: int, workers: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"urna-bench-intake-{db}-"))
    env = child_env(db, tmp)
    if db == "postgresql":
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_DB], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", PG_DB], check=True)
    proc = None
    try:
        setup = subprocess.run(
            [PY, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        info = json.loads(setup.stdout.strip().splitlines()[-1])
        slug = info["slug"]
        port = free_port()
        proc = start_server(env, port, workers, tmp / "gunicorn.log")
        asyncio.run(trivial(port, 500))  # warm every worker
        triv = asyncio.run(trivial(port, 5000))
        result = asyncio.run(load(port, slug, n, info["municipalities"]))
        acked_path = tmp / "acked.json"
        acked_path.write_text(json.dumps(list(result["acked"].values())))
        verify = json.loads(
            subprocess.run(
                [PY, "-c", VERIFY, slug, str(acked_path)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        pages = page_timings(
            port,
            [
                f"/ejercicios/{slug}/",
                f"/api/v1/exercises/{slug}/contributions",
                f"/api/v1/exercises/{slug}",
            ],
        )
    finally:
        if proc is not None:
            stop_server(proc)
        if db == "postgresql":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_DB])
        log = tmp / "gunicorn.log"
        if log.exists():
            errors_log = [line for line in log.read_text().splitlines() if "Error" in line]
            if errors_log:
                print("server errors (last 20):", *errors_log[-20:], sep="\n")
        shutil.rmtree(tmp, ignore_errors=True)
    lat = result["latencies"]
    accepted = len(result["acked"])
    per_window = windows(result["done_at"])
    return {
        "db": db,
        "workers": workers,
        "n": n,
        "accepted": accepted,
        "elapsed": result["elapsed"],
        "rate": accepted / result["elapsed"],
        "min_window_rate": min(per_window) if per_window else 0.0,
        "p50": pct(lat, 50),
        "p95": pct(lat, 95),
        "p99": pct(lat, 99),
        "max": max(lat) * 1000,
        "errors": result["errors"],
        "replays": result["replays"],
        "error_samples": result["samples"],
        "verify": verify,
        "trivial": triv,
        "pages": pages,
    }


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return shutil.which("createdb") is not None
    except OSError:
        return False


# --- report -----------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.platform()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


def verdict(r: dict) -> str:
    ok = (
        r["rate"] >= 1000
        and r["p99"] <= 250
        and not r["errors"]
        and r["verify"]["match"]
        and all(p["max_ms"] < 300 and p["statuses"] == [200] for p in r["pages"].values())
    )
    return "meets the targets" if ok else "MISSES a target"


def section(results: list[dict]) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}.",
        "",
        "Setup: gunicorn sync workers (`bin/serve` setup, DEBUG off, no access log) on 127.0.0.1, "
        "load from a self-stopping asyncio client on the same machine (it competes for the same 2 "
        f"cores), concurrency {CONCURRENCY}, one new TCP connection per request (sync workers "
        "close each connection). Targets: ≥ 1,000 accepted/s sustained, p99 ≤ 250 ms, zero "
        "errors, the database holding exactly the acknowledged contributions, and the exercise "
        "page and first contributions page under 300 ms with everything stored.",
        "",
        "| database | workers | contributions accepted | wall time | accepted/s (overall) | "
        "slowest 5 s window | p50 | p95 | p99 | max | errors | DB = acknowledged | "
        "trivial endpoint/s (p99) | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        v = r["verify"]
        lines.append(
            f"| {r['db']} | {r['workers']} | {r['accepted']:,} of {r['n']:,} | "
            f"{r['elapsed']:.1f} s | {r['rate']:,.0f} | {r['min_window_rate']:,.0f} | "
            f"{r['p50']:.0f} ms | {r['p95']:.0f} ms | {r['p99']:.0f} ms | {r['max']:.0f} ms | "
            f"{sum(r['errors'].values())} | {'yes' if v['match'] else 'NO'} "
            f"({v['stored']:,} stored) | {r['trivial']['rate']:,.0f} "
            f"({r['trivial']['p99']:.0f} ms) | {r['rate'] / r['trivial']['rate']:.2f} |"
        )
    lines += [
        "",
        "Replays (a client retrying an acknowledged POST with the same `idempotency_key`) return "
        "the first receipt with 200 and store nothing: "
        + "; ".join(
            f"{r['db']}: {r['replays']['same_receipt']:,} of {r['replays']['sent']:,}"
            for r in results
        )
        + ". The trivial endpoint is `GET /api/v1/territories/departments` (django-ninja, one "
        "query of 33 rows) on the same server.",
        "",
        "Pages with every contribution stored (first request, then median and max of 10 more):",
        "",
        "| database | page | first | median | max |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        for path, t in r["pages"].items():
            lines.append(
                f"| {r['db']} | `{path.split('/', 3)[-1] if path.startswith('/api') else path}` "
                f"| {t['first_ms']:.0f} ms | {t['median_ms']:.0f} ms | {t['max_ms']:.0f} ms |"
            )
    lines += ["", "Verdict: " + "; ".join(f"{r['db']} {verdict(r)}" for r in results) + ".", ""]
    return "\n".join(lines)


def write_section(text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    path.parent.mkdir(exist_ok=True)
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    start = current.find(SECTION)
    if start == -1:
        updated = current.rstrip() + "\n\n" + text
    else:
        end = current.find("\n## ", start + len(SECTION))
        updated = current[:start] + text + ("\n" + current[end + 1 :] if end != -1 else "")
    path.write_text(updated.rstrip() + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=N_DEFAULT)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    databases = [args.only] if args.only else ["sqlite", "postgresql"]
    results = []
    for db in databases:
        if db == "postgresql" and not postgres_available():
            print("PostgreSQL is not reachable at 127.0.0.1:5432: skipped")
            continue
        print(f"== {db}: {args.n:,} contributions, {args.workers} workers", flush=True)
        r = run_one(db, args.n, args.workers)
        print(json.dumps({k: v for k, v in r.items() if k != "pages"}, indent=1, default=str))
        print(json.dumps(r["pages"], indent=1))
        results.append(r)
    text = section(results)
    print(text)
    if args.n == N_DEFAULT and not args.only:
        write_section(text)
    elif args.n == N_DEFAULT:
        print("(docs/benchmarks.md is written by the full run of both databases)")


if __name__ == "__main__":
    main()
