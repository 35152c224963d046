"""Benchmark of the contact import at the scale of the CRM Urna is modelled on: 2,001,830 rows.

Writes a deterministic CSV (Colombian names, mobiles in the forms people type them, emails for
about 40%, DANE municipality codes from urna's DIVIPOLA, topics; about 0.3% bad rows and 1%
duplicates of earlier rows) into a temporary folder, then, on a fresh site (an embedded-default
SQLite from bench.common.fresh_site, or an empty PostgreSQL database given by --database-url),
uploads it in-process, queues the import and runs its job to the end: the time of the upload
(copy, sha256, inspection) and of the job, rows per second and the child process' peak RSS.
Targets: ≤ 5 minutes and ≤ 1 GB for 2,001,830 rows.

    .venv/bin/python bench/contacts_import.py --rows 200000
    .venv/bin/python bench/contacts_import.py                  # 2,001,830 rows
    .venv/bin/python bench/contacts_import.py --database-url postgres://…/empty_db

``bench_import(rows, database_url=None) -> dict`` is what other benches call.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, fresh_site, machine

ROWS = 2_001_830
TARGETS = {"seconds": 300.0, "rss_mb": 1024.0}
FIRST = ["María", "José", "Luz", "Juan", "Ana", "Carlos", "Diana", "Luis", "Sandra", "Jorge"]
FIRST += ["Gloria", "Andrés", "Paola", "Jhon", "Yeimy", "Wilson", "Leidy", "Édgar", "Nubia"]
FIRST += ["Fabián", "Marleny", "Óscar", "Yolanda", "Camilo", "Daniela", "Sebastián", "Ángela"]
LAST = ["Rodríguez", "Gómez", "González", "Martínez", "García", "López", "Hernández", "Sánchez"]
LAST += ["Ramírez", "Pérez", "Díaz", "Muñoz", "Rojas", "Moreno", "Jiménez", "Vargas", "Castro"]
LAST += ["Gutiérrez", "Ortiz", "Agudelo", "Quintero", "Zuluaga", "Mosquera", "Palacios", "Ibarra"]
ASCII = str.maketrans("áéíóúñÁÉÍÓÚÑ", "aeiounAEIOUN")
DOMAINS = ["gmail.com", "hotmail.com", "yahoo.es", "outlook.com", "une.net.co", "gov.co"]
TOPICS = ["agua", "vías terciarias", "salud", "educación", "empleo", "vivienda", "seguridad"]
TOPICS += ["campo", "cultura", "deporte", "medio ambiente", "transporte", "paz"]
# Prefixes of Colombian mobile operators (all valid for phonenumbers).
PREFIXES = ["300", "301", "302", "304", "305", "310", "311", "312", "313", "314", "315", "316"]
PREFIXES += ["317", "318", "319", "320", "321", "322", "323", "350", "351"]


def municipalities() -> list[str]:
    path = ROOT / "urna" / "territory" / "data" / "divipola.csv"
    with path.open(encoding="utf-8") as handle:
        return [row["municipality_code"] for row in csv.DictReader(handle)]


def phone(n: int, form: int) -> str:
    """The n-th distinct mobile (a bijection of n on each prefix's 10^7 numbers), typed in one
    of the ways people type it."""
    prefix = PREFIXES[n % len(PREFIXES)]
    rest = f"{((n // len(PREFIXES)) * 7919 + 1_234_567) % 10**7:07d}"
    national = prefix + rest
    return [
        national,
        national,
        f"{prefix} {rest[:3]} {rest[3:]}",
        f"+57 {national}",
        f"57{national}",
        f"{prefix}-{rest}",
    ][form % 6]


def generate(path: Path, rows: int = ROWS, seed: int = 15) -> dict:
    """Write the CSV; returns how many rows of each kind it holds."""
    rng = random.Random(seed)
    codes = municipalities()
    kinds = {"good": 0, "bad": 0, "duplicate": 0}
    recent: list[list[str]] = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["nombre", "celular", "correo", "cod_dane", "temas"])
        for n in range(rows):
            roll = rng.random()
            if roll < 0.01 and recent:
                writer.writerow(rng.choice(recent))
                kinds["duplicate"] += 1
                continue
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = ""
            if rng.random() < 0.4:
                local = f"{first}.{last}{n}".lower().translate(ASCII)
                email = f"{local}@{rng.choice(DOMAINS)}"
            row = [
                f"{first} {last} {rng.choice(LAST)}",
                phone(n, rng.randrange(6)),
                email,
                rng.choice(codes),
                "|".join(rng.sample(TOPICS, rng.randint(1, 3))),
            ]
            if roll > 0.997:
                broken = rng.randrange(4)
                if broken == 0:
                    row[1] = row[1][:5]
                elif broken == 1:
                    row[2] = f"{first.lower()}@"
                elif broken == 2:
                    row[3] = "99999"
                else:
                    row = ["", "", "", "", ""]
                kinds["bad"] += 1
            else:
                kinds["good"] += 1
            writer.writerow(row)
            if len(recent) < 1000:
                recent.append(row)
            elif rng.random() < 0.01:
                recent[rng.randrange(1000)] = row
    return kinds


def measure(path: Path) -> dict:
    """In the child process: load reference data, upload, queue and run the import."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urna.settings")
    django.setup()
    from django.db import connection

    from urna.accounts.models import Role
    from urna.accounts.services import staff_create
    from urna.contacts import imports
    from urna.contacts.models import ConsentEvent, Contact, ContactInterest
    from urna.entities.models import Entity
    from urna.entities.services import entities_load_national
    from urna.jobs.services import run_pending
    from urna.territory.services import divipola_load

    divipola_load()
    entities_load_national()
    entity = Entity.objects.get(acronym="MINAGRICULTURA")
    officer = staff_create(
        username="bench-campanas",
        password="a-long-bench-password",
        entity=entity,
        role=Role.ADMIN,
    )
    started = time.perf_counter()
    with path.open("rb") as handle:
        contact_import = imports.contact_import_upload(
            entity=entity, by=officer, upload=handle, name=path.name
        )
    imports.contact_import_start(
        contact_import=contact_import,
        basis="declaration",
        purposes=["campaigns", "answers"],
        channels=["sms", "whatsapp", "email"],
        evidence="Formularios físicos de las jornadas 2026, archivo escaneado (benchmark)",
        by=officer,
    )
    upload_s = time.perf_counter() - started
    started = time.perf_counter()
    run_pending(max_jobs=1)
    run_s = time.perf_counter() - started
    contact_import.refresh_from_db()
    return {
        "vendor": connection.vendor,
        "status": contact_import.status,
        "rows": contact_import.rows_done,
        "created": contact_import.created,
        "updated": contact_import.updated,
        "unchanged": contact_import.unchanged,
        "rejected": contact_import.rejected,
        "contacts": Contact.objects.count(),
        "interests": ContactInterest.objects.count(),
        "consent_events": ConsentEvent.objects.count(),
        "upload_s": round(upload_s, 2),
        "run_s": round(run_s, 2),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _child(python: str, env: dict, path: Path) -> dict:
    out = subprocess.run(
        [python, __file__, "--child", str(path)],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(out.split("RESULT ", 1)[1])


def bench_import(rows: int = ROWS, database_url: str | None = None) -> dict:
    """Generate ``rows`` rows, import them on a fresh site (SQLite) or into the empty
    PostgreSQL database at ``database_url``; the figures as a dict."""
    with tempfile.TemporaryDirectory(prefix="urna-bench-import-") as tmp:
        path = Path(tmp) / "contactos.csv"
        started = time.perf_counter()
        kinds = generate(path, rows)
        generate_s = time.perf_counter() - started
        size_mb = path.stat().st_size / 1024 / 1024
        settings = {"STAFF_REQUIRE_OTP": "false", "JOBS_EAGER": "false"}
        if database_url is None:
            with fresh_site("urna-bench-import-site-", **settings) as (python, env):
                result = _child(python, env, path)
        else:
            python = str(ROOT / ".venv" / "bin" / "python")
            env = {
                **os.environ,
                **settings,
                "DATABASE_URL": database_url,
                "MEDIA_ROOT": str(Path(tmp) / "media"),
                "DJANGO_SETTINGS_MODULE": "urna.settings",
            }
            env.pop("REDIS_URL", None)
            migrate = [python, "manage.py", "migrate", "-v0"]
            subprocess.run(migrate, cwd=ROOT, env=env, check=True)
            result = _child(python, env, path)
    total = result["upload_s"] + result["run_s"]
    result.update(
        file_rows=rows,
        file_mb=round(size_mb, 1),
        generated=kinds,
        generate_s=round(generate_s, 1),
        total_s=round(total, 1),
        rows_per_s=round(rows / total) if total else 0,
        machine=machine(),
        load=round(os.getloadavg()[0], 2),
    )
    result["targets_met"] = total <= TARGETS["seconds"] * rows / ROWS and (
        result["rss_mb"] <= TARGETS["rss_mb"]
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--database-url")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(measure(args.child)))
        return
    result = bench_import(args.rows, args.database_url)
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
