"""Benchmark of issue #15 (outreach) at the scale of the CRM Urna is modelled on, on the
embedded default (SQLite) and on PostgreSQL, written to docs/benchmarks.md:

1. import 2,001,830 contacts from a CSV (``bench/contacts_import.py``: a fresh site, the
   upload and the import job; targets ≤ 5 minutes, ≤ 1 GB peak memory);
2. build a 2,000,000-contact audience and enqueue it (target ≤ 2 minutes), push it through the
   file backend with two ``jobs_worker`` processes (target ≥ 2,000 messages/s), then a second
   dispatch during which one worker gets ``kill -9`` and a new one takes over: every contact
   must be in the backend's files exactly once (``bench/contacts_send.py``).

    .venv/bin/python bench/contacts.py                       # both databases, full scale
    .venv/bin/python bench/contacts.py --rows 200000 --contacts 200000 --databases sqlite
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys

from common import ROOT, machine, write_section
from contacts_import import ROWS, bench_import
from contacts_import import TARGETS as IMPORT_TARGETS

SECTION = "## Contacts and campaigns (bench/contacts.py)"
PG_IMPORT = "postgres://postgres@127.0.0.1:5432/urna_bench_import"
PG_SEND = "postgres://postgres@127.0.0.1:5432/urna_bench_send"
PG = ["-h", "127.0.0.1", "-U", "postgres"]


def _fresh_pg(url: str) -> None:
    name = url.rsplit("/", 1)[-1]
    subprocess.run(["dropdb", *PG, "--if-exists", name], check=True)
    subprocess.run(["createdb", *PG, name], check=True)


def _drop_pg(url: str) -> None:
    subprocess.run(["dropdb", *PG, "--if-exists", url.rsplit("/", 1)[-1]], check=False)


def import_line(database: str, result: dict) -> str:
    ok = result["total_s"] <= IMPORT_TARGETS["seconds"] * result["file_rows"] / ROWS
    ok_mem = result["rss_mb"] <= IMPORT_TARGETS["rss_mb"]
    counts = {k: result[k] for k in ("created", "updated", "unchanged", "rejected") if k in result}
    return (
        f"- import of {result['file_rows']:,} rows ({result['file_mb']} MB CSV): "
        f"{result['total_s']} s = {result['rows_per_s']:,} rows/s (target ≤ "
        f"{IMPORT_TARGETS['seconds'] * result['file_rows'] / ROWS:.0f} s: "
        f"{'met' if ok else 'MISSED'}), peak memory {result['rss_mb']} MB (target ≤ 1,024 MB: "
        f"{'met' if ok_mem else 'MISSED'}); {counts}"
    )


def send_lines(contacts: int, database_url: str) -> list[str]:
    """Run bench/contacts_send.py in its own process (it sets Django up on its database) and
    keep its report."""
    cmd = [sys.executable, str(ROOT / "bench" / "contacts_send.py"), "--contacts", str(contacts)]
    if database_url:
        cmd += ["--database-url", database_url]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    print(done.stdout, flush=True)
    report = done.stdout[done.stdout.index("**") :].strip().splitlines()
    return report[1:]  # the first line names the database and machine: said once above


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--contacts", type=int, default=2_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    today = datetime.date.today().isoformat()
    lines = [SECTION, "", f"Measured {today} on {machine()}.", ""]
    for database in args.databases.split(","):
        lines.append(f"**{database}**")
        if database == "postgresql":
            _fresh_pg(PG_IMPORT)
            try:
                result = bench_import(args.rows, PG_IMPORT)
            finally:
                _drop_pg(PG_IMPORT)
        else:
            result = bench_import(args.rows)
        print(json.dumps(result, ensure_ascii=False), flush=True)
        lines.append(import_line(database, result))
        lines += send_lines(args.contacts, PG_SEND if database == "postgresql" else "")
        lines.append("")
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(SECTION, text + "\n")
        print(f"wrote {SECTION!r} in docs/benchmarks.md")


if __name__ == "__main__":
    main()
