"""Held-out corpus 1: opinions on a national agrarian consultation, a third of them mail-merge
campaign letters (issue #14).

Reproduces the owners' description of their held-out corpus without using Urna's own generator:
ten topics that share the generic words of rural petitions; campaign letters whose long preamble
(naming the sending community) and long closing (about signatures) come from a few shared
templates, so that many campaigns on different topics read alike except for a few demands drawn
from one topic; heavy-tailed campaign sizes (at 108,739 rows, three campaigns of 5,000-13,000
copies and well over a hundred of 20-500); copies with typos, dropped accents, case changes,
signatures, an added personal sentence or a cut-off ending. The other two thirds are individual
opinions from two words to a dozen sentences, some wandering into other topics, some in text-
message style, some with a name or a phone number.

    .venv/bin/python bench/corpora/agro_campaigns.py 108739 --seed 11 --out agro.csv
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "corpora"

from .agro_letters import CLOSINGS, PERSONAL, PREAMBLES
from .agro_words import (
    APELLIDOS,
    CLOSERS,
    LEADS,
    NOMBRES,
    OPENERS,
    PLACES,
    QUALIFIERS,
    SENDERS,
    TOPIC_NAMES,
    TOPICS,
)
from .noise import (
    campaign_sizes,
    load_places,
    shuffle_and_number,
    sms_style,
    surface,
    timestamp,
    typos,
    write_csv,
)

START = dt.datetime(2025, 2, 3, 7, 0)
DAYS = 70.0
CAMPAIGN_SHARE = 1 / 3
# Shares of all campaign copies taken by the three biggest campaigns.
BIG_CAMPAIGNS = (0.36, 0.19, 0.14)
SMALL_CAMPAIGNS = (20, 500, 1.1)
# Individual opinions are not spread evenly over the topics.
TOPIC_WEIGHTS = [1.5, 1.3, 1.2, 1.2, 1.0, 1.0, 0.8, 0.7, 0.7, 0.6]
# Templates are not picked evenly: two preambles and one closing are everywhere.
PREAMBLE_WEIGHTS = [5, 4, 2, 1, 1]
CLOSING_WEIGHTS = [5, 2, 2, 1]
MONTHS = ["noviembre", "diciembre", "enero"]


@dataclass(frozen=True)
class Campaign:
    key: str
    topic: str
    department_code: str
    letter: str
    head_end: int  # where the demands end and the closing begins
    centre_day: float


def _fill(text: str, rnd: random.Random, places: list[tuple[str, str, str]]) -> str:
    if "{" not in text:
        return text
    return text.format(m=rnd.choice(places)[2], n=rnd.randint(2, 40))


def _person(rnd: random.Random) -> str:
    return f"{rnd.choice(NOMBRES)} {rnd.choice(APELLIDOS)}"


def _cedula(rnd: random.Random) -> str:
    return f"{rnd.randint(1_000_000, 1_130_000_000):,}".replace(",", ".")


def demand(topic: str, rnd: random.Random, places: list[tuple[str, str, str]]) -> str:
    lead = rnd.choice(LEADS)
    core = _fill(rnd.choice(TOPICS[topic]["demand"]), rnd, places)
    qualifier = _fill(rnd.choice(QUALIFIERS), rnd, places)
    return f"{lead} {core}{qualifier}."


def _sentence(topic: str, rnd: random.Random, places: list[tuple[str, str, str]]) -> str:
    if rnd.random() < 0.6:
        return demand(topic, rnd, places)
    return _fill(rnd.choice(TOPICS[topic]["complaint"]), rnd, places)


def _sentences(
    topic: str, n: int, rnd: random.Random, places: list[tuple[str, str, str]]
) -> list[str]:
    """``n`` different sentences on ``topic`` (a person does not repeat a point word for word)."""
    out: list[str] = []
    for _ in range(3 * n):
        sentence = _sentence(topic, rnd, places)
        if sentence not in out:
            out.append(sentence)
        if len(out) == n:
            break
    return out


def _very_short(topic: str, rnd: random.Random) -> str:
    text = rnd.choice(TOPICS[topic]["short"])
    r = rnd.random()
    if r < 0.3:
        text = text.upper()
    elif r < 0.5:
        text += rnd.choice(("!!", "!!!", " ya", " por favor", " pues"))
    elif r < 0.6:
        verb = rnd.choice(("mas", "más", "queremos", "pedimos"))
        text = f"{verb} {rnd.choice(TOPICS[topic]['words'])}"
    return text


def individual(topic: str, rnd: random.Random, places: list[tuple[str, str, str]]) -> str:
    """One person's opinion on ``topic`` (and, now and then, on something else too)."""
    r = rnd.random()
    if r < 0.12:
        return _very_short(topic, rnd)
    n = 1 + (r > 0.45) + (r > 0.65) + (r > 0.8) + (r > 0.9) * rnd.randint(1, 6)
    sentences = _sentences(topic, n, rnd, places)
    if n >= 3 and rnd.random() < 0.5:
        # Long opinions wander: a sentence or two about another topic, fewer than the main one.
        other = rnd.choice([t for t in TOPIC_NAMES if t != topic])
        for extra in _sentences(other, 1 + (n >= 5), rnd, places):
            sentences.insert(rnd.randrange(len(sentences) + 1), extra)
    elif rnd.random() < 0.15:
        other = rnd.choice([t for t in TOPIC_NAMES if t != topic])
        word = rnd.choice(TOPICS[other]["words"])
        sentences.append(f"Y no se olviden de lo de {word}.")
    if rnd.random() < 0.05:
        sentences.append(
            rnd.choice(
                (
                    f"Mi nombre es {_person(rnd)}, cel 3{rnd.randint(100_000_000, 229_999_999)}.",
                    f"Att. {_person(rnd)} c.c. {_cedula(rnd)}.",
                    f"Me pueden llamar al 3{rnd.randint(100_000_000, 229_999_999)}.",
                )
            )
        )
    opener = _fill(rnd.choice(OPENERS), rnd, places)
    if opener.endswith((":", " y")) and sentences:
        sentences[0] = sentences[0][0].lower() + sentences[0][1:]
    text = " ".join(p for p in (opener, *sentences, rnd.choice(CLOSERS)) if p)
    if rnd.random() < 0.15:
        return sms_style(text, rnd)
    return surface(text, rnd)


def _letter(
    topic: str, rnd: random.Random, places: list[tuple[str, str, str]]
) -> tuple[str, int, str]:
    dep_code, dep, muni = rnd.choice(places)
    sender = rnd.choice(SENDERS).format(place=rnd.choice(PLACES), m=muni)
    slots = {
        "sender": sender,
        "m": muni,
        "dep": dep,
        "date": f"{rnd.randint(1, 28)} de {rnd.choice(MONTHS)}",
        "families": rnd.randint(15, 900),
        "signatures": rnd.randint(20, 4000),
    }
    (preamble,) = rnd.choices(PREAMBLES, PREAMBLE_WEIGHTS)
    (closing,) = rnd.choices(CLOSINGS, CLOSING_WEIGHTS)
    demands = rnd.sample(TOPICS[topic]["demand"], rnd.randint(2, 4))
    body = " ".join(
        f"{i}. {rnd.choice(LEADS)} {_fill(d, rnd, places)}." for i, d in enumerate(demands, 1)
    )
    head = preamble.format(**slots) + " " + body
    return head + " " + closing.format(**slots), len(head), dep_code


def campaigns_for(n: int, rnd: random.Random, places: list[tuple[str, str, str]]) -> list:
    """The campaigns of an ``n``-row corpus with their sizes, biggest first."""
    sizes = campaign_sizes(round(n * CAMPAIGN_SHARE), rnd, BIG_CAMPAIGNS, SMALL_CAMPAIGNS)
    big_topics = rnd.sample(TOPIC_NAMES, len(BIG_CAMPAIGNS))
    out = []
    for c, size in enumerate(sizes):
        topic = big_topics[c] if c < len(big_topics) else rnd.choice(TOPIC_NAMES)
        letter, head_end, dep_code = _letter(topic, rnd, places)
        out.append(
            (Campaign(f"agro-c{c}", topic, dep_code, letter, head_end, rnd.uniform(0, DAYS)), size)
        )
    return out


def campaign_copy(campaign: Campaign, rnd: random.Random) -> str:
    """One pasted and signed copy of a campaign letter."""
    text = campaign.letter
    if rnd.random() < 0.3:
        return text
    if rnd.random() < 0.08:
        # Pasted without the end: cut somewhere in the closing, at a word boundary.
        cut = text.rfind(" ", 0, rnd.randint(campaign.head_end + 1, len(text)))
        text = text[: max(cut, campaign.head_end)]
    r = rnd.random()
    if r < 0.45:
        text += f" Firma: {_person(rnd)}, C.C. {_cedula(rnd)}."
    elif r < 0.55:
        signers = "; ".join(f"{_person(rnd)} C.C. {_cedula(rnd)}" for _ in range(rnd.randint(3, 8)))
        text += f" Firmantes: {signers}."
    elif r < 0.65:
        text += f" {_person(rnd)}"
    if rnd.random() < 0.12:
        personal = rnd.choice(PERSONAL)
        text = f"{personal} {text}" if rnd.random() < 0.5 else f"{text} {personal}"
    if rnd.random() < 0.05:
        text = text.replace(". ", ".\n")
    if rnd.random() < 0.35:
        text = typos(text, rnd, rnd.randint(1, 4))
    return surface(text, rnd, typo_rate=0.0)


def generate(n: int, seed: int = 11) -> list[dict[str, str]]:
    """``n`` opinions with their true topic and campaign, deterministic for a given seed."""
    rnd = random.Random(seed)
    places = load_places()
    rows: list[dict[str, str]] = []
    for campaign, size in campaigns_for(n, rnd, places):
        for _ in range(size):
            rows.append(
                {
                    "text": campaign_copy(campaign, rnd),
                    "topic": campaign.topic,
                    "campaign_id": campaign.key,
                    "department_code": campaign.department_code,
                    "created_at": timestamp(rnd, START, DAYS, campaign.centre_day),
                }
            )
    while len(rows) < n:
        (topic,) = rnd.choices(TOPIC_NAMES, TOPIC_WEIGHTS)
        rows.append(
            {
                "text": individual(topic, rnd, places),
                "topic": topic,
                "campaign_id": "",
                "department_code": rnd.choice(places)[0],
                "created_at": timestamp(rnd, START, DAYS, None),
            }
        )
    return shuffle_and_number(rows[:n], rnd)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=11)
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
