"""Benchmark of the personal-data detector (``urna.core.privacy``) on the labelled corpora.

For each corpus under ``urna/core/tests/data`` (the development set and the held-out one) it
prints the recall per kind of personal data (an item counts when every letter and digit of each
of its occurrences lies inside some finding), the false-positive rate per kind of text that must
survive (any of its characters inside a finding) and overall on money, dates, laws, DANE codes
and years, and the detector's speed (µs per text, and per intake-like contribution of about
370 characters without personal data). It writes the section "## Personal data
(bench/personal_data.py)" of docs/benchmarks.md.

    .venv/bin/python bench/personal_data.py
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

from common import ROOT, machine, write_section

sys.path.insert(0, str(ROOT))

from urna.core.privacy import personal_data_scan  # noqa: E402
from urna.core.tests.pii_eval import DEV, HELDOUT, STRICT_KEEP, load, score  # noqa: E402

SECTION = "## Personal data (bench/personal_data.py)"
KINDS = ("name", "document", "phone", "email", "address")
WORDS = (
    "campesinos tierra crédito vías terciarias asistencia técnica semillas agua riego mercado "
    "precios justos cooperativas jóvenes rurales mujeres educación salud conectividad"
)


def speed(texts: list[str], rounds: int = 7) -> float:
    """µs per text: the best of ``rounds`` passes (the machine is shared; the best pass is the
    one least disturbed by other work)."""
    personal_data_scan("calentamiento")
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            personal_data_scan(text)
        best = min(best, time.perf_counter() - started)
    return best / len(texts) * 1e6


def main() -> None:
    rng = random.Random(12)
    plain = [
        "Propongo que " + " ".join(rng.choice(WORDS.split()) for _ in range(45))
        for _ in range(2000)
    ]
    rows = []
    for label, path in (("development", DEV), ("held-out", HELDOUT)):
        if not path.exists():
            continue
        items = load(path)
        result = score(items)
        texts = [item["text"] for item in items]
        rows.append((label, path, len(items), result, speed(texts)))
    plain_us = speed(plain)
    lines = [
        SECTION,
        "",
        f"Measured {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} on {machine()}.",
        "Recall: a labelled item counts when every letter and digit of it lies inside a finding. "
        "False positives: a text that must survive counts when any of its characters does.",
        "",
        "| corpus | texts | "
        + " | ".join(f"recall {k}" for k in KINDS)
        + " | FP money, date, law, DANE code, year | µs per text |",
        "|---|---|" + "---|" * len(KINDS) + "---|---|",
    ]
    for label, path, n, result, us in rows:
        recalls = " | ".join(
            f"{result.recall(k):.3f} ({result.pii_found[k]}/{result.pii_total[k]})" for k in KINDS
        )
        strict = sum(result.keep_total[k] for k in STRICT_KEEP)
        hits = sum(result.keep_hit[k] for k in STRICT_KEEP)
        lines.append(
            f"| {label} (`{path.name}`) | {n} | {recalls} | "
            f"{result.fp_rate(STRICT_KEEP):.1%} ({hits}/{strict}) | {us:.0f} |"
        )
        print(f"{label}: {n} texts, {us:.0f} µs per text")
        for k in KINDS:
            print(f"  recall {k}: {result.recall(k):.3f}")
        for k in sorted(result.keep_total):
            print(f"  false positives {k}: {result.keep_hit[k]}/{result.keep_total[k]}")
    lines += [
        "",
        "False positives by kind of surviving text: "
        + "; ".join(
            f"{label}: "
            + ", ".join(
                f"{k} {result.keep_hit[k]}/{result.keep_total[k]}"
                for k in sorted(result.keep_total)
            )
            for label, _p, _n, result, _us in rows
        )
        + ".",
        "",
        f"Intake cost: {plain_us:.0f} µs per contribution of about 370 characters without personal "
        "data (the intake's typical text), against 600–1,000 µs for a whole submission: the "
        "masked text is computed in `contribution_submit` and stored in the same INSERT.",
        "",
        "",
    ]
    print(f"intake-like text: {plain_us:.0f} µs")
    write_section(SECTION, "\n".join(lines))
    print(f"wrote {SECTION!r} in docs/benchmarks.md")


if __name__ == "__main__":
    main()
