"""Benchmark of the analyst's pages with a large analysis: the workspace and the charts page
(themes over time, themes by department with the map, the largest campaign groups) with
108,739 analysed contributions in one exercise, on a fresh SQLite database.

The analysis is seeded directly (themes, duplicate groups and one assignment per contribution,
as the pipeline stores them): this measures the pages' reads, not the pipeline (bench/insights.py
does that). Each page is requested once to warm up, then ``REPEAT`` times; the median and the
maximum are reported against the 300 ms target, and the section "## Insights pages
(bench/insights_pages.py)" of docs/benchmarks.md is rewritten.

    .venv/bin/python bench/insights_pages.py            # 108,739 contributions
    .venv/bin/python bench/insights_pages.py --quick    # 20,000, docs untouched
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import subprocess
import sys
import time

from common import ROOT, fresh_site, machine, write_section

SECTION = "## Insights pages (bench/insights_pages.py)"
TARGET_MS = 300.0
REPEAT = 7
THEMES = 12
GROUPS = 1_500
DAYS = 60
WORDS = [
    "vía",
    "crédito",
    "semillas",
    "agua",
    "riego",
    "escuela",
    "salud",
    "puente",
    "precio",
    "mercado",
    "tierra",
]


def seed(n: int) -> dict:
    from django.db import transaction

    from urna.accounts.models import Role
    from urna.accounts.services import staff_create
    from urna.entities.models import Entity
    from urna.entities.services import entities_load_national
    from urna.exercises.models import Contribution, Exercise
    from urna.insights.models import Analysis, Assignment, DuplicateGroup, Theme
    from urna.territory.models import Department
    from urna.territory.services import divipola_load

    divipola_load()
    entities_load_national()
    owner = Entity.objects.get(acronym="MINAGRICULTURA")
    analyst = staff_create(
        username="analista.bench", password="a-long-bench-password", entity=owner, role=Role.ANALYST
    )
    opens = dt.datetime(2025, 3, 1, 13, 0, tzinfo=dt.UTC)
    exercise = Exercise.objects.create(
        title="Pacto agrario (prueba de rendimiento)",
        slug="bench-pacto",
        summary="Consulta de prueba.",
        owner=owner,
        kind=Exercise.Kind.POLICY,
        status=Exercise.Status.ANALYSIS,
        published_at=opens,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=DAYS),
    )
    rng = random.Random(7)
    departments = list(Department.objects.values_list("code", flat=True))
    weights = [40 if code in ("11", "05", "76") else (1 if code in ("97", "94") else 6)
               for code in departments]  # fmt: skip
    with transaction.atomic():
        rows = []
        for i in range(n):
            text = " ".join(rng.sample(WORDS, 6)) + f" {i % 977}"
            rows.append(
                Contribution(
                    exercise=exercise,
                    kind=Contribution.Kind.OPINION,
                    channel=rng.choice(["web", "sms", "whatsapp", "in_person"]),
                    text=text,
                    public_text=text,
                    department_id=rng.choices(departments, weights)[0] if i % 20 else None,
                    created_at=opens + dt.timedelta(minutes=rng.randrange(DAYS * 24 * 60)),
                    receipt=f"UC-B{i:07d}",
                )
            )
        made = Contribution.objects.bulk_create(rows, batch_size=5_000)
        ids = [c.pk for c in made]
        analysis = Analysis.objects.create(
            exercise=exercise,
            status=Analysis.Status.DONE,
            progress=1,
            started_at=opens,
            finished_at=opens,
            statistics={"contributions": n, "distinct_contributions": n // 2},
        )
        themes = Theme.objects.bulk_create(
            Theme(analysis=analysis, key=k, label=f"Tema {k}: {WORDS[k % len(WORDS)]}", size=0)
            for k in range(THEMES)
        )
        # Group g holds about n/2 contributions in all, sizes falling off (a few big campaigns).
        sizes = [max(2, int(n / 2 / GROUPS * 3 / (1 + g / 50))) for g in range(GROUPS)]
        cursor, groups, group_of = 0, [], {}
        for g, size in enumerate(sizes):
            if cursor + size > n:
                break
            groups.append(
                DuplicateGroup(
                    analysis=analysis,
                    key=g,
                    size=size,
                    representative_id=ids[cursor],
                    theme=themes[g % THEMES],
                )
            )
            for cid in ids[cursor : cursor + size]:
                group_of[cid] = g
            cursor += size
        groups = DuplicateGroup.objects.bulk_create(groups)
        theme_weights = [1 / (1 + k) for k in range(THEMES)]
        assignments = []
        for cid in ids:
            g = group_of.get(cid)
            theme = groups[g].theme if g is not None else rng.choices(themes, theme_weights)[0]
            theme = None if g is None and rng.random() < 0.03 else theme
            assignments.append(
                Assignment(
                    analysis=analysis,
                    contribution_id=cid,
                    theme=theme,
                    base_theme=theme,
                    group=groups[g] if g is not None else None,
                )
            )
        Assignment.objects.bulk_create(assignments, batch_size=10_000)
        for theme in themes:
            theme.size = sum(1 for a in assignments if a.theme_id == theme.pk)
            theme.distinct_size = theme.size
        Theme.objects.bulk_update(themes, ["size", "distinct_size"])
    return {"slug": exercise.slug, "analyst": analyst.pk, "groups": len(groups)}


def measure(slug: str, analyst_id: int) -> dict[str, list[float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=analyst_id))
    pages = {
        "workspace": f"/analisis/{slug}/",
        "workspace, by department": f"/analisis/{slug}/?dimension=departamento",
        "charts": f"/analisis/{slug}/graficos/",
    }
    from django.core.cache import cache

    timings: dict[str, list[float]] = {}
    for name, url in pages.items():
        # The first request of each page finds nothing cached (as after an analysis run that
        # was not warmed); the analysis job warms the aggregates, the next requests reuse them.
        cache.clear()
        started = time.perf_counter()
        assert client.get(url).status_code == 200, url
        runs = [(time.perf_counter() - started) * 1000]
        for _ in range(REPEAT):
            started = time.perf_counter()
            response = client.get(url)
            runs.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        timings[name] = runs
    from urna.insights import selectors, selectors_charts
    from urna.insights.models import Analysis

    analysis = Analysis.objects.get(exercise__slug=slug)
    reads = {
        "read: themes over time": lambda: selectors_charts.themes_over_time(analysis),
        "read: themes by department + map": lambda: selectors_charts.themes_by_department(analysis),
        "read: largest groups": lambda: selectors_charts.largest_groups(analysis, slug=slug),
        "read: breakdown by channel": lambda: selectors.breakdown(
            analysis, dimension="canal", public=False
        ),
    }
    reads["warm after a run: analysis_warm"] = lambda: selectors_charts.analysis_warm(analysis)
    for name, read in reads.items():
        runs = []
        for _ in range(3):
            cache.clear()  # the cost of computing, not of reading the cache
            started = time.perf_counter()
            read()
            runs.append((time.perf_counter() - started) * 1000)
        timings[name] = runs
    return timings


def child(n: int) -> None:
    import django

    django.setup()
    started = time.perf_counter()
    seeded = seed(n)
    seed_s = time.perf_counter() - started
    timings = measure(seeded["slug"], seeded["analyst"])
    lines = [f"seed_s {seed_s:.1f}", f"groups {seeded['groups']}"]
    lines += [f"page {name}|{'|'.join(f'{t:.1f}' for t in runs)}" for name, runs in timings.items()]
    print("\n".join(lines))


def report(n: int, output: str) -> str:
    rows, seed_s, groups = [], 0.0, 0
    for line in output.splitlines():
        if line.startswith("seed_s "):
            seed_s = float(line.split()[1])
        elif line.startswith("groups "):
            groups = int(line.split()[1])
        elif line.startswith("page "):
            name, *values = line[5:].split("|")
            runs = [float(v) for v in values]
            if name.startswith("read") or name.startswith("warm"):
                median = statistics.median(runs)
                rows.append(f"| {name} | {median:,.0f} (computed) | | |")
                continue
            cold, runs = runs[0], runs[1:]
            median, worst = statistics.median(runs), max(runs)
            verdict = "yes" if worst <= TARGET_MS else "**no**"
            rows.append(f"| {name} | {cold:,.0f} | {median:,.0f} | {worst:,.0f} | {verdict} |")
    return "\n".join(
        [
            SECTION,
            "",
            f"Measured {dt.date.today().isoformat()} on {machine()}; fresh SQLite (WAL), "
            f"`DEBUG=false`, Django test client in one process (no network).",
            f"One exercise with {n:,} analysed contributions over {DAYS} days in 33 departments "
            f"(5% without one), {THEMES} themes, {groups:,} duplicate/campaign groups holding "
            f"about half of them; seeded in {seed_s:.0f} s. Each page is requested once with "
            f"nothing cached (cold), then {REPEAT} times. The staff aggregates (breakdowns, themes "
            f"over time) are cached per analysis until it changes, and the analysis job computes "
            f"them when it finishes (`analysis_warm`), so an analyst meets the warm figures; the "
            f"`read:` rows are the cost of computing each aggregate. Target: every page ≤ "
            f"{TARGET_MS:.0f} ms.",
            "",
            "| page | cold ms | median ms | max ms | within target |",
            "| --- | ---: | ---: | ---: | --- |",
            *rows,
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", type=int)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    n = 20_000 if args.quick else 108_739
    with fresh_site("urna-bench-insights-pages-") as (python, env):
        done = subprocess.run(
            [python, __file__, "--child", str(n)],
            cwd=ROOT,
            env=env,
            check=True,
            text=True,
            stdout=subprocess.PIPE,
        )
    text = report(n, done.stdout)
    print(text)
    if not args.quick:
        write_section(SECTION, text)
        print(f"wrote {SECTION!r} in docs/benchmarks.md")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
