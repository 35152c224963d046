"""Surveys at scale: 100,000 complete responses of a 40-question survey.

Measures (issue #17's targets): raking the responses to department × age group × sex margins
(≤ 30 s), the whole results job (raking, every question's weighted estimates, weights written
back), and the results page served from the stored aggregates (≤ 300 ms, median of 20 GETs).
Responses are bulk-inserted with random answers (not through the engine: the engine's cost per
answer is covered by the tests); the margins are synthetic, for timing only.

    python bench/surveys.py [--scale 0.01] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import ROOT, machine, write_section

QUESTIONS = 40


def _spec() -> dict:
    departments = [f"{n:02d}" for n in range(1, 34)]
    ages = ["18_24", "25_34", "35_44", "45_54", "55_64", "65_mas"]

    def single(name, choices):
        return {
            "name": name,
            "kind": "single",
            "label": {"es": name},
            "required": True,
            "relevant": "",
            "constraint": "",
            "list_name": name,
            "choices": [{"name": c, "label": {"es": c}} for c in choices],
        }

    questions = [
        single("departamento", departments),
        single("grupo_edad", ages),
        single("sexo", ["mujer", "hombre"]),
    ]
    for i in range(QUESTIONS - 3):
        if i % 3 == 0:
            questions.append(
                {
                    "name": f"e{i}",
                    "kind": "scale",
                    "label": {"es": f"e{i}"},
                    "required": True,
                    "relevant": "",
                    "constraint": "",
                    "minimum": 1.0,
                    "maximum": 5.0,
                    "step": 1.0,
                }
            )
        elif i % 3 == 1:
            q = single(f"m{i}", ["a", "b", "c", "d"])
            q["kind"] = "multiple"
            questions.append(q)
        else:
            questions.append(single(f"s{i}", ["a", "b", "c", "d", "e"]))
    return {
        "code": "bench",
        "title": {"es": "Bench"},
        "languages": ["es"],
        "version": "1",
        "sections": [{"name": "s", "label": {}, "relevant": "", "questions": questions}],
    }


def _load(survey, n: int, rng) -> None:
    from urna.surveys.models import Response

    spec_questions = _spec()["sections"][0]["questions"]
    batch = []
    for _i in range(n):
        answers = {}
        for q in spec_questions:
            names = [c["name"] for c in q.get("choices", [])]
            if q["kind"] == "scale":
                answers[q["name"]] = int(rng.integers(1, 6))
            elif q["kind"] == "multiple":
                answers[q["name"]] = [c for c in names if rng.random() < 0.4] or [names[0]]
            else:
                answers[q["name"]] = names[int(rng.integers(0, len(names)))]
        batch.append(
            Response(
                survey=survey,
                channel="web",
                status="complete",
                answers=answers,
                department=answers["departamento"],
                age_group=answers["grupo_edad"],
                sex=answers["sexo"],
            )
        )
        if len(batch) == 5000:
            Response.objects.bulk_create(batch)
            batch = []
    Response.objects.bulk_create(batch)


def _margins(rng):
    from urna.surveys.models import Margin, MarginSet

    spec = _spec()["sections"][0]["questions"]
    margin_set = MarginSet.objects.create(name="bench (synthetic)")
    rows = []
    for dim, q in zip(("department", "age_group", "sex"), spec[:3], strict=True):
        weights = rng.random(len(q["choices"])) + 0.2
        for c, w in zip(q["choices"], weights / weights.sum(), strict=True):
            rows.append(
                Margin(
                    margin_set=margin_set,
                    dimension=dim,
                    category=c["name"],
                    population=int(w * 40_000_000),
                )
            )
    Margin.objects.bulk_create(rows)
    return margin_set


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    n = int(100_000 * args.scale)
    tmp = tempfile.mkdtemp(prefix="urna-bench-surveys-")
    os.environ["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    os.environ["URNA_VAR_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urna.settings")
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from urna.entities.models import Entity
    from urna.surveys.models import Response, Survey
    from urna.surveys.results import DIMENSIONS, results_compute
    from urna.surveys.services import survey_create_from_spec
    from urna.surveys.weighting import rake

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    entity = Entity.objects.create(name="Bench", acronym="BENCH")
    rng = np.random.default_rng(17)
    survey = survey_create_from_spec(entity=entity, spec=_spec())
    started = time.perf_counter()
    _load(survey, n, rng)
    load_s = time.perf_counter() - started
    margin_set = _margins(rng)
    Survey.objects.filter(pk=survey.pk).update(margin_set=margin_set, status="open", published=True)
    rows = list(Response.objects.filter(survey=survey).values_list(*DIMENSIONS))
    frame = {d: [r[i] for r in rows] for i, d in enumerate(DIMENSIONS)}
    from urna.surveys.models import Margin

    margins: dict = {}
    for d, c, p in Margin.objects.filter(margin_set=margin_set).values_list(
        "dimension", "category", "population"
    ):
        margins.setdefault(d, {})[c] = float(p)
    started = time.perf_counter()
    rake(frame, margins)
    rake_s = time.perf_counter() - started
    started = time.perf_counter()
    results_compute(survey_id=survey.pk)
    job_s = time.perf_counter() - started
    client = Client()
    url = reverse("surveys:results", args=[survey.slug])
    assert client.get(url).status_code == 200
    times = []
    for _ in range(20):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    page_ms = statistics.median(times)
    text = (
        f"## Surveys (bench/surveys.py)\n\n{date.today().isoformat()} · {machine()}\n\n"
        f"{n:,} complete responses of a {QUESTIONS}-question survey (embedded SQLite; "
        f"bulk-loaded in {load_s:.1f} s), raked to synthetic department (33) × age group (6) × "
        f"sex (2) margins with samplics.\n\n"
        f"| measure | result | target |\n|---|---|---|\n"
        f"| raking | {rake_s:.2f} s | ≤ 30 s |\n"
        f"| results job (raking, {QUESTIONS - 3} questions' estimates, weights written) "
        f"| {job_s:.2f} s | — |\n"
        f"| results page, median of 20 GETs (stored aggregates) | {page_ms:.0f} ms | ≤ 300 ms |\n"
    )
    print(text)
    if not args.no_write and args.scale >= 1:
        write_section("## Surveys (bench/surveys.py)", text)


if __name__ == "__main__":
    main()
