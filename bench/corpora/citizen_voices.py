"""Held-out corpus 2: a city's urban-mobility consultation, unlike both the agrarian corpora
(issue #14).

Ten topics (metro, buses, bicycles, fares, harassment and safety, pedestrians and accessibility,
air, traffic and roadworks, motorbikes, taxis and ride-hailing apps). Campaigns come in two
shapes: slogans and hashtags copied thousands of times with emojis, retweet marks and casing
changes; and online petitions whose template interleaves demands from the two sub-issues of one
topic. Individual opinions are mostly very short and written on a phone: regional expressions,
Spanglish, emojis, abbreviations, typos. About a third of rows are campaign copies.

    .venv/bin/python bench/corpora/citizen_voices.py 20000 --seed 5 --out voices.csv
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "corpora"

from .agro_words import APELLIDOS, NOMBRES
from .noise import (
    campaign_sizes,
    drop_accents,
    shuffle_and_number,
    sms_style,
    surface,
    timestamp,
    typos,
    write_csv,
)
from .voices_words import (
    BARRIOS,
    CITIES,
    CITY_WEIGHTS,
    COLECTIVOS,
    EMOJIS,
    ENGLISH_TAGS,
    PETITION_HEADS,
    PETITION_TAILS,
    REGIONAL,
    SLOGANS,
    SPANGLISH,
    TOPIC_NAMES,
    TOPICS,
)

START = dt.datetime(2025, 8, 1, 6, 0)
DAYS = 45.0
SLOGAN_SHARE = 0.21
PETITION_SHARE = 0.13
PETITION_SIZES = ((0.18, 0.08), (15, 800, 1.0))
CONTEXT = [
    "Vivo en {barrio} y trabajo en el centro.",
    "Me demoro dos horas en llegar al trabajo.",
    "Soy estudiante y tomo tres buses al día.",
    "Uso el transporte público todos los días.",
    "Como mamá cabeza de hogar esto me afecta mucho.",
    "En la ciudad la movilidad es un caos.",
]


def _emojis(rnd: random.Random, k: int | None = None) -> str:
    return "".join(rnd.choice(EMOJIS) for _ in range(k or rnd.randint(1, 4)))


def _slogan_sizes(total: int) -> list[int]:
    """Zipf-like sizes for the slogans: the first is copied most."""
    weights = [1 / (i + 1) ** 1.1 for i in range(len(SLOGANS))]
    scale = total / sum(weights)
    return [max(2, round(w * scale)) for w in weights]


def slogan_copy(slogan: str, rnd: random.Random) -> str:
    """One person's copy of a slogan: retweet marks, emojis, tags, casing."""
    text = slogan
    r = rnd.random()
    if r < 0.15:
        text = "RT " + text
    elif r < 0.25:
        text = rnd.choice(("Apoyo 👉 ", "Yo también: ", "@AlcaldiaOficial ", "Firmo: ")) + text
    if rnd.random() < 0.4:
        text += " " + _emojis(rnd)
    if rnd.random() < 0.15:
        text = text.replace("#", "")
    if rnd.random() < 0.1:
        text += rnd.choice((" !!!", " x mis hijos", f" desde {rnd.choice(BARRIOS)}", " ya!"))
    if rnd.random() < 0.12:
        text = typos(text, rnd, 1)
    if rnd.random() < 0.2:
        text = drop_accents(text, rnd)
    r = rnd.random()
    if r < 0.15:
        text = text.lower()
    elif r < 0.22:
        text = text.upper()
    return text


def petition(topic: str, rnd: random.Random) -> str:
    """A petition template: demands alternating between the topic's two sub-issues."""
    spec = TOPICS[topic]
    k = rnd.randint(2, 3)
    a, b = rnd.sample(spec["a"], k), rnd.sample(spec["b"], k)
    first, second = (a, b) if rnd.random() < 0.5 else (b, a)
    demands = [d for pair in zip(first, second, strict=True) for d in pair]
    head = rnd.choice(PETITION_HEADS).format(
        barrio=rnd.choice(BARRIOS), colectivo=rnd.choice(COLECTIVOS), ruta=rnd.randint(1, 300)
    )
    tail = rnd.choice(PETITION_TAILS).format(n=rnd.randint(300, 90_000))
    numbered = rnd.random() < 0.5
    body = " ".join(f"{i}) {d}" if numbered else d for i, d in enumerate(demands, 1))
    return " ".join(p for p in (head, body, tail) if p)


def petition_copy(template: str, rnd: random.Random) -> str:
    text = template
    if rnd.random() < 0.4:
        return text
    r = rnd.random()
    if r < 0.3:
        text += f" — {rnd.choice(NOMBRES)} {rnd.choice(APELLIDOS)}"
    elif r < 0.45:
        text += " Firmé porque " + rnd.choice(
            ("me pasa todos los días.", "mi hija estudia lejos.", "ya es hora.", "es justo.")
        )
    if rnd.random() < 0.2:
        text += " " + _emojis(rnd, 1)
    return surface(text, rnd, typo_rate=0.3)


def _very_short(topic: str, rnd: random.Random) -> str:
    bit = rnd.choice(TOPICS[topic]["bits"])
    pattern = rnd.choice(
        (
            "{bit} {e}",
            "q pongan {bit} xfa",
            "{bit} ya!!",
            "{r}, {bit} {e}",
            "{bit}",
            "{bit}!!! {e}",
            "mejoren {bit}",
            "{r} lo de {bit}",
        )
    )
    return pattern.format(bit=bit, e=_emojis(rnd), r=rnd.choice(REGIONAL))


def _style(text: str, rnd: random.Random) -> str:
    """Regional expressions, Spanglish, emojis and phone habits."""
    if rnd.random() < 0.3:
        expr = rnd.choice(REGIONAL)
        if rnd.random() < 0.5:
            text = f"{expr.capitalize()}, {text[0].lower()}{text[1:]}"
        else:
            text = f"{text} {expr}"
    if rnd.random() < 0.2:
        for es, en in rnd.sample(SPANGLISH, 3):
            text = text.replace(f" {es} ", f" {en} ")
    if rnd.random() < 0.08:
        text += " " + rnd.choice(ENGLISH_TAGS)
    if rnd.random() < 0.35:
        text += " " + _emojis(rnd)
    if rnd.random() < 0.2:
        return sms_style(text, rnd)
    return surface(text, rnd)


def individual(topic: str, rnd: random.Random) -> str:
    """One citizen's opinion on ``topic``: mostly short, from a phone."""
    r = rnd.random()
    if r < 0.4:
        return _very_short(topic, rnd)
    pool = TOPICS[topic]["a"] + TOPICS[topic]["b"]
    n = 1 + (r > 0.62) + (r > 0.8) * rnd.randint(1, 3)
    sentences = rnd.sample(pool, min(n, len(pool)))
    if n >= 3 and rnd.random() < 0.4:
        other = rnd.choice([t for t in TOPIC_NAMES if t != topic])
        sentences.insert(rnd.randrange(len(sentences) + 1), rnd.choice(TOPICS[other]["a"]))
    if rnd.random() < 0.25:
        context = rnd.choice(CONTEXT).format(barrio=rnd.choice(BARRIOS))
        sentences.insert(rnd.randrange(len(sentences) + 1), context)
    if rnd.random() < 0.03:
        name = f"{rnd.choice(NOMBRES)} {rnd.choice(APELLIDOS)}"
        sentences.append(
            rnd.choice(
                (
                    f"Escríbanme al 3{rnd.randint(100_000_000, 229_999_999)}.",
                    f"{name}, {name.split()[0].lower()}{rnd.randint(1, 99)}@gmail.com",
                )
            )
        )
    return _style(" ".join(sentences), rnd)


def generate(n: int, seed: int = 5) -> list[dict[str, str]]:
    """``n`` opinions with their true topic and campaign, deterministic for a given seed."""
    rnd = random.Random(seed)
    rows: list[dict[str, str]] = []

    def add(text: str, topic: str, campaign: str, dep: str, centre: float | None) -> None:
        rows.append(
            {
                "text": text,
                "topic": topic,
                "campaign_id": campaign,
                "department_code": dep,
                "created_at": timestamp(rnd, START, DAYS, centre),
            }
        )

    for c, ((topic, slogan), size) in enumerate(
        zip(SLOGANS, _slogan_sizes(round(n * SLOGAN_SHARE)), strict=True)
    ):
        centre = rnd.uniform(0, DAYS)
        for _ in range(size):
            (city,) = rnd.choices(CITIES, CITY_WEIGHTS)
            add(slogan_copy(slogan, rnd), topic, f"voices-s{c}", city[0], centre)
    big, small = PETITION_SIZES
    for c, size in enumerate(campaign_sizes(round(n * PETITION_SHARE), rnd, big, small)):
        topic = rnd.choice(TOPIC_NAMES)
        template = petition(topic, rnd)
        (city,) = rnd.choices(CITIES, CITY_WEIGHTS)
        centre = rnd.uniform(0, DAYS)
        for _ in range(size):
            add(petition_copy(template, rnd), topic, f"voices-p{c}", city[0], centre)
    while len(rows) < n:
        topic = rnd.choice(TOPIC_NAMES)
        (city,) = rnd.choices(CITIES, CITY_WEIGHTS)
        add(individual(topic, rnd), topic, "", city[0], None)
    return shuffle_and_number(rows[:n], rnd)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=5)
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
