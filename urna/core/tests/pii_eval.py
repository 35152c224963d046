"""Scoring of the personal-data detector on a labelled corpus (JSON lines), shared by
``bench/personal_data.py`` and ``test_privacy_corpus.py``.

Each line: ``{"id", "text", "pii": [{"kind", "value"}], "keep": [{"kind", "value"}]}``. A ``pii``
item is recalled when every letter and digit of each of its occurrences in the text lies inside
some finding (of any kind); a ``keep`` item is a false positive when any of its characters lies
inside a finding.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from urna.core.privacy import find_personal_data

DATA = Path(__file__).resolve().parent / "data"
DEV = DATA / "pii_corpus_es.jsonl"
HELDOUT = DATA / "pii_heldout_es.jsonl"
# Keep kinds whose false positives the issue bounds together (≤ 2 %).
STRICT_KEEP = ("money", "date", "law", "dane_code", "year")


@dataclass
class Score:
    texts: int = 0
    pii_total: Counter = field(default_factory=Counter)
    pii_found: Counter = field(default_factory=Counter)
    keep_total: Counter = field(default_factory=Counter)
    keep_hit: Counter = field(default_factory=Counter)
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)

    def recall(self, kind: str) -> float:
        total = self.pii_total[kind]
        return self.pii_found[kind] / total if total else 1.0

    def fp_rate(self, kinds: tuple[str, ...] | str) -> float:
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        total = sum(self.keep_total[k] for k in kinds)
        return sum(self.keep_hit[k] for k in kinds) / total if total else 0.0


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _occurrences(text: str, value: str) -> list[int]:
    starts, at = [], text.find(value)
    while at >= 0:
        starts.append(at)
        at = text.find(value, at + 1)
    return starts


def score(items: list[dict]) -> Score:
    result = Score()
    for item in items:
        text = item["text"]
        covered = bytearray(len(text))
        for f in find_personal_data(text):
            covered[f.start : f.end] = b"\x01" * (f.end - f.start)
        result.texts += 1
        for pii in item["pii"]:
            kind, value = pii["kind"], pii["value"]
            result.pii_total[kind] += 1
            starts = _occurrences(text, value)
            if starts and all(
                covered[s + k] for s in starts for k, ch in enumerate(value) if ch.isalnum()
            ):
                result.pii_found[kind] += 1
            else:
                result.missed.append((item["id"], kind, value))
        for keep in item["keep"]:
            kind, value = keep["kind"], keep["value"]
            result.keep_total[kind] += 1
            if any(covered[s + k] for s in _occurrences(text, value) for k in range(len(value))):
                result.keep_hit[kind] += 1
                result.false_positives.append((item["id"], kind, value))
    return result
