"""Seeded generator of synthetic Spanish consultation opinions with known ground truth.

Each row has ``id``, ``text``, ``topic`` and ``campaign_id`` (empty for individual opinions),
plus ``dup_group``: the campaign id, or ``stock-N`` for stock short phrases that many people
type identically ("De acuerdo"), which any duplicate detector must (rightly) group.

The generator itself is ``urna.insights.demo_corpus`` (shared with the demo data); this wrapper
signs campaign copies with invented names, as real mass campaigns are signed.

Usage::

    .venv/bin/python bench/gen_corpus.py 108739 --seed 7 --out corpus.csv
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from urna.insights import demo_corpus  # noqa: E402

NOMBRES = [
    "María",
    "José",
    "Luis",
    "Ana",
    "Carmen",
    "Pedro",
    "Rosa",
    "Jorge",
    "Luz",
    "Carlos",
    "Marta",
    "Juan",
    "Gloria",
    "Andrés",
    "Sandra",
    "Fabio",
    "Nelly",
    "Orlando",
    "Yolanda",
    "Hernán",
    "Edilma",
    "Wilson",
    "Blanca",
    "Arnulfo",
    "Diana",
    "Ferney",
    "Leidy",
]
APELLIDOS = [
    "Gómez",
    "Rodríguez",
    "Martínez",
    "Pérez",
    "Torres",
    "Ramírez",
    "Sánchez",
    "Castro",
    "Vargas",
    "Ortiz",
    "Moreno",
    "Rojas",
    "Muñoz",
    "Díaz",
    "Quiñones",
    "Mosquera",
    "Cuesta",
    "Arias",
    "Ibáñez",
    "Montaño",
    "Perea",
    "Valencia",
    "Castaño",
    "Londoño",
]


def _signer(rnd: random.Random) -> str:
    return f"{rnd.choice(NOMBRES)} {rnd.choice(APELLIDOS)}"


def generate(n: int, seed: int = 7, campaign_share: float = 0.3) -> list[dict[str, str]]:
    """``n`` synthetic opinions with ground truth, deterministic for a given seed."""
    return demo_corpus.generate(n, seed, campaign_share, signer=_signer)


def write_csv(rows: list[dict[str, str]], out) -> None:  # noqa: ANN001 - any text stream
    writer = csv.DictWriter(out, fieldnames=["id", "text", "topic", "campaign_id", "dup_group"])
    writer.writeheader()
    writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="-")
    args = parser.parse_args(argv)
    rows = generate(args.n, args.seed)
    if args.out == "-":
        write_csv(rows, sys.stdout)
    else:
        with open(args.out, "w", encoding="utf-8", newline="") as fh:
            write_csv(rows, fh)


if __name__ == "__main__":
    main()
