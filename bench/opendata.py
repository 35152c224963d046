"""Benchmark of open data and reports, on the production server setup.

Seeds a temporary SQLite database (migrate, DIVIPOLA, national entities) with:
  - one exercise with results published and 1,000,000 contributions (90% answered in the
    results matrix; 10% of texts carry emails, phones or document numbers to anonymise);
  - one exercise of 108,739 contributions (the size of a large Urna de Cristal consultation);
  - 998 more small exercises with results, so the catalogue lists 1,000 datasets.
Then runs gunicorn (sync workers, DEBUG off) on 127.0.0.1 and measures, with a bounded
client: the CSV export of the 1,000,000 contributions (wall time; peak RSS of the worker that
served it, VmHWM), the catalogue (median and p95 of 20 requests) and the report PDF of the
108,739-contribution exercise (cold: built on the request). Writes the section
"## Open data (bench/opendata.py)" of docs/benchmarks.md.

    .venv/bin/python bench/opendata.py            # full run (a few minutes)
    .venv/bin/python bench/opendata.py --quick    # 50,000 / 10,000 / 100 datasets; docs untouched
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import fresh_site, machine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECTION = "## Open data (bench/opendata.py)"
BIG_SLUG = "bench-un-millon"
REPORT_SLUG = "bench-informe"
TARGETS = {"csv_s": 20.0, "csv_mb": 300.0, "catalog_ms": 300.0, "pdf_s": 30.0}

PHRASES = [
    "Estoy de acuerdo con el proyecto, pero hace falta más inversión en vías terciarias",
    "Propongo que el crédito para pequeños productores tenga tasas más bajas",
    "El artículo 3 debe incluir a las mujeres rurales y a los jóvenes del campo",
    "No estoy de acuerdo: la política olvida a los municipios de la periferia",
    "Se necesita agua potable y riego para las veredas, no sólo carreteras",
    "La conectividad a internet en las escuelas rurales es una prioridad",
    "Que la asistencia técnica llegue a todos, también a los resguardos indígenas",
    "Pedimos consulta previa con las comunidades afro del Pacífico",
]
PERSONAL = [
    " Escríbanme a campesino{n}@gmail.com",
    " mi celular es 310 {a:03d} {b:04d}",
    " C.C. {a}.{b:03d}.{c:03d}",
    " llamar al (604) 444 {b:04d}",
]
CHANNELS = ["web", "sms", "ussd", "whatsapp", "radio", "in_person", "email"]


# --- seeding (runs in a child process with the temporary database) -----------------------


def _text(rng: random.Random, n: int) -> str:
    text = PHRASES[n % len(PHRASES)] + f" ({n % 997})."
    if n % 10 == 0:
        text += PERSONAL[(n // 10) % len(PERSONAL)].format(
            n=n, a=rng.randint(100, 999), b=rng.randint(0, 999), c=rng.randint(0, 999)
        )
    return text


def seed(big: int, report: int, datasets: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urna.settings")
    django.setup()
    from django.db import connection, transaction

    from urna.core.text import search_normalise
    from urna.entities.models import Entity
    from urna.entities.services import entities_load_national
    from urna.exercises.models import Contribution, ContributionResponse, Exercise
    from urna.territory.models import Municipality
    from urna.territory.services import divipola_load

    divipola_load()
    entities_load_national()
    owner = Entity.objects.get(acronym="MINAGRICULTURA")
    municipalities = list(Municipality.objects.values_list("code", "department_id"))
    rng = random.Random(7)
    opens = dt.datetime(2025, 3, 1, 13, 0, tzinfo=dt.UTC)

    def exercise(slug: str, title: str) -> Exercise:
        return Exercise.objects.create(
            title=title,
            slug=slug,
            summary="Consulta de prueba de rendimiento sobre desarrollo rural.",
            owner=owner,
            kind=Exercise.Kind.POLICY,
            status=Exercise.Status.RESULTS,
            published_at=opens,
            opens_at=opens,
            closes_at=opens + dt.timedelta(days=45),
            results_published_at=opens + dt.timedelta(days=90),
        )

    contribution_cols = [
        "exercise_id",
        "kind",
        "text",
        "choice",
        "channel",
        "municipality_id",
        "department_id",
        "age_range",
        "gender",
        "ethnic_group",
        "created_at",
        "moderation",
        "hidden_reason",
        "receipt",
        "support_count",
        "public_text",
        "personal_data",
        "reply_count",
        "search_text",
    ]
    table = Contribution._meta.db_table
    insert = (
        f"INSERT INTO {table} ({', '.join(contribution_cols)}) "
        f"VALUES ({', '.join(['%s'] * len(contribution_cols))})"
    )
    response_table = ContributionResponse._meta.db_table
    decisions = ["accepted", "partial", "not_accepted"]

    def fill(ex: Exercise, n: int, prefix: str, hidden_every: int = 0) -> None:
        batch = 20_000
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, n, batch):
                rows = []
                for i in range(start, min(n, start + batch)):
                    code, dept = municipalities[rng.randrange(len(municipalities))]
                    text = _text(rng, i)  # generated: no personal data, so public as it is
                    moment = opens + dt.timedelta(seconds=i * 3_888_000 // max(n, 1))
                    rows.append(
                        (
                            ex.pk,
                            "opinion",
                            text,
                            "",
                            CHANNELS[i % len(CHANNELS)],
                            code,
                            dept,
                            ["18-28", "29-40", "41-60", ""][i % 4],
                            ["female", "male", ""][i % 3],
                            "",
                            moment.strftime("%Y-%m-%d %H:%M:%S"),
                            "hidden" if hidden_every and not i % hidden_every else "visible",
                            "Lenguaje ofensivo" if hidden_every and not i % hidden_every else "",
                            f"{prefix}{i:010d}",
                            0,
                            text,
                            "",
                            0,
                            search_normalise(text),
                        )
                    )
                cursor.executemany(insert, rows)
            cursor.execute(
                f"INSERT INTO {response_table} (contribution_id, decision, reason, responded_at) "
                f"SELECT id, CASE id %% 3 WHEN 0 THEN '{decisions[0]}' WHEN 1 THEN "
                f"'{decisions[1]}' ELSE '{decisions[2]}' END, "
                "'Gracias por su aporte: se tuvo en cuenta en la versión final.', "
                f"'2025-05-01 12:00:00' FROM {table} WHERE exercise_id = %s AND id %% 10 != 0",
                [ex.pk],
            )

    fill(exercise(BIG_SLUG, "Un millón de aportes"), big, "UCA")
    # Every one of the million is visible (all exported); the report's exercise hides 2%.
    fill(exercise(REPORT_SLUG, "Consulta de 108.739 aportes"), report, "UCB", hidden_every=50)
    for i in range(datasets - 2):
        small = exercise(f"bench-ej-{i:04d}", f"Ejercicio de prueba {i}")
        fill(small, 5, f"UC{i:04d}X")
    print(f"seeded {big} + {report} contributions, {datasets} exercises", flush=True)


# --- measuring ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _hwm_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(env: dict, *, workers: int = 1) -> dict:
    import httpx

    port = _free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "urna.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    results: dict = {}
    try:
        with httpx.Client(base_url=base, timeout=600) as client:
            for _ in range(100):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            worker = _children(server.pid)[0]
            before = _hwm_mb(worker)
            cpu_before = _cpu_s(worker)
            load_before = os.getloadavg()[0]
            started = time.perf_counter()
            size = rows = 0
            with client.stream("GET", f"/opendata/ejercicios/{BIG_SLUG}/aportes.csv") as response:
                assert response.status_code == 200, response.status_code
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    rows += chunk.count(b"\n")  # "\r\n" may straddle two chunks
            results["csv_s"] = time.perf_counter() - started
            results["csv_cpu_s"] = _cpu_s(worker) - cpu_before
            results["load_avg"] = max(load_before, os.getloadavg()[0])
            results["csv_mb"] = _hwm_mb(worker)
            results["csv_worker_mb_before"] = before
            results["csv_bytes"] = size
            results["csv_rows"] = rows - 1

            timings = []
            count = 0
            started = time.perf_counter()
            client.get("/opendata/catalog.json", headers={"Accept-Language": "en"})
            results["catalog_cold_ms"] = (time.perf_counter() - started) * 1000
            for _ in range(21):
                started = time.perf_counter()
                response = client.get("/opendata/catalog.json")
                timings.append((time.perf_counter() - started) * 1000)
                count = len(response.json()["dataset"])
            timings = timings[1:]  # the first warms the worker's imports
            results["catalog_ms"] = statistics.median(timings)
            results["catalog_p95_ms"] = sorted(timings)[int(0.95 * len(timings)) - 1]
            results["catalog_datasets"] = count

            started = time.perf_counter()
            response = client.get(f"/informes/{REPORT_SLUG}/informe.pdf")
            results["pdf_s"] = time.perf_counter() - started
            assert response.status_code == 200 and response.content.startswith(b"%PDF")
            results["pdf_bytes"] = len(response.content)
            started = time.perf_counter()
            client.get(f"/informes/{REPORT_SLUG}/informe.pdf")
            results["pdf_cached_s"] = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def write_section(r: dict, sizes: tuple[int, int, int], seed_s: float) -> None:
    met = lambda key, value: "yes" if value <= TARGETS[key] else "**no**"  # noqa: E731
    lines = [
        SECTION,
        "",
        f"Measured {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} on {machine()}.",
        "gunicorn, 1 sync worker, `DEBUG=false`, temporary SQLite file (WAL); client: httpx on "
        f"127.0.0.1, one request at a time. Seeding {sizes[0]:,} + {sizes[1]:,} contributions "
        f"and {sizes[2]:,} exercises took {seed_s:.0f} s (bulk SQL, not timed below). "
        f"Load average during the export: {r['load_avg']:.1f} on {os.cpu_count()} CPUs "
        "(the machine is shared; wall times above 1 per CPU include waiting for a CPU).",
        "",
        "| measure | result | target | met |",
        "|---|---|---|---|",
        f"| CSV export of {r['csv_rows']:,} contributions ({r['csv_bytes'] / 1e6:,.0f} MB, "
        f"streamed), wall time | {r['csv_s']:.1f} s | ≤ {TARGETS['csv_s']:.0f} s | "
        f"{met('csv_s', r['csv_s'])} |",
        f"| the same, CPU time of the worker (user + system) | {r['csv_cpu_s']:.1f} s | — | — |",
        f"| peak RSS of the worker serving it (VmHWM; {r['csv_worker_mb_before']:.0f} MB before) "
        f"| {r['csv_mb']:.0f} MB | ≤ {TARGETS['csv_mb']:.0f} MB | {met('csv_mb', r['csv_mb'])} |",
        f"| catalogue with {r['catalog_datasets']:,} datasets (median of 20; p95 "
        f"{r['catalog_p95_ms']:.0f} ms; rendered JSON cached under its data version) "
        f"| {r['catalog_ms']:.0f} ms | ≤ {TARGETS['catalog_ms']:.0f} ms | "
        f"{met('catalog_ms', r['catalog_ms'])} |",
        f"| catalogue, cold (first build for a new version, English) | "
        f"{r['catalog_cold_ms']:.0f} ms | — | — |",
        f"| report PDF, exercise of {sizes[1]:,} contributions (built on the request; "
        f"{r['pdf_bytes'] / 1e3:,.0f} kB; then served stored in {r['pdf_cached_s'] * 1000:.0f} "
        f"ms) | {r['pdf_s']:.1f} s | ≤ {TARGETS['pdf_s']:.0f} s | {met('pdf_s', r['pdf_s'])} |",
        "",
        "The export runs one ORM-built SQL statement (contributions joined to their "
        "results-matrix answer) through the database's chunked cursor, 5,000 rows per fetch "
        "(a server-side cursor on PostgreSQL), anonymises each row and writes CSV chunks of "
        "~64 kB to a `StreamingHttpResponse`: memory holds one fetch batch and one chunk "
        "whatever the size. 10% of the texts carry emails, phones or document numbers, "
        "replaced on the way out.",
        "",
        "",
    ]
    doc = ROOT / "docs" / "benchmarks.md"
    doc.parent.mkdir(exist_ok=True)
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n\n"
    start = text.find(SECTION)
    if start >= 0:
        end = text.find("\n## ", start + len(SECTION))
        end = len(text) if end < 0 else end + 1
        text = text[:start] + "\n".join(lines) + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines)
    doc.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", nargs=3, type=int, metavar=("BIG", "REPORT", "DATASETS"))
    args = parser.parse_args()
    if args.seed:
        seed(*args.seed)
        return
    sizes = (50_000, 10_000, 100) if args.quick else (1_000_000, 108_739, 1_000)
    with fresh_site("urna-bench-opendata-") as (python, env):
        started = time.perf_counter()
        subprocess.run(
            [python, __file__, "--seed", *map(str, sizes)], cwd=ROOT, env=env, check=True
        )
        seed_s = time.perf_counter() - started
        results = measure(env)
    for key, value in results.items():
        print(f"{key}: {value:,.2f}" if isinstance(value, float) else f"{key}: {value:,}")
    if not args.quick:
        write_section(results, sizes, seed_s)
        print(f"wrote {SECTION!r} in docs/benchmarks.md")


if __name__ == "__main__":
    main()
