"""Generate synthetic citizen queries into the configured database (SQLite or PostgreSQL).

Loads DIVIPOLA, the national entities and the demo staff when missing, inserts ``--n`` queries
across the 29 national entities (``urna.queries.generate``), rebuilds the SLA counters and
prints the timings as JSON. Point it at a scratch database:

    SQLITE_PATH=/tmp/q.sqlite3 .venv/bin/python bench/gen_queries.py --n 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch .venv/bin/python bench/gen_queries.py
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urna.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    import django

    django.setup()
    from io import StringIO

    from urna.accounts.demo import demo_load as accounts_demo
    from urna.entities.models import Entity
    from urna.entities.services import entities_load_national
    from urna.queries.generate import default_window, entities_and_managers, generate_queries
    from urna.queries.services import query_stats_rebuild
    from urna.territory.models import Municipality
    from urna.territory.services import divipola_load

    if not Municipality.objects.exists():
        divipola_load()
    if not Entity.objects.filter(acronym="MINAGRICULTURA").exists():
        entities_load_national()
    from urna.entities.services import entity_for_municipality

    entity_for_municipality(municipality=Municipality.objects.get(code="17001"))
    accounts_demo(stdout=StringIO())
    entity_ids, managers = entities_and_managers()
    start, end = default_window()

    started = time.perf_counter()
    last = [started]

    def progress(done: int) -> None:
        if time.perf_counter() - last[0] > 15:
            last[0] = time.perf_counter()
            print(f"  {done:,} queries", file=sys.stderr, flush=True)

    inserted = generate_queries(
        n=args.n,
        entity_ids=entity_ids,
        managers=managers,
        seed=args.seed,
        start=start,
        end=end,
        progress=progress,
    )
    insert_s = time.perf_counter() - started
    started = time.perf_counter()
    counters = query_stats_rebuild()
    rebuild_s = time.perf_counter() - started
    print(
        json.dumps(
            {
                "inserted": inserted,
                "entities": len(entity_ids),
                "insert_s": round(insert_s, 1),
                "rows_per_s": round(inserted / insert_s),
                "stats_rebuild_s": round(rebuild_s, 1),
                "counter_rows": counters,
            }
        )
    )


if __name__ == "__main__":
    main()
