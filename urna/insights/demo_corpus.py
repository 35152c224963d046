"""Generated Spanish opinions for the demo's Agrarian Pact exercise.

The one generator of synthetic consultation text: the demo uses it, and ``bench/gen_corpus.py``
(which the runtime never imports) wraps it for the benchmarks. Ten rural topics, campaign letters
pasted with small changes, stock short phrases, typos and missing accents. The demo's campaign
copies are never signed with a person's name, so it shows no invented names as quotes; the
benchmark passes a ``signer`` that adds names, as mass campaigns do. The word lists are in
``demo_words``.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from urna.core.text import strip_accents
from urna.insights.demo_words import (
    CAMPAIGN_HEADS,
    CAMPAIGN_TAILS,
    CLOSERS,
    CONTEXT,
    CULTIVOS,
    FILLERS,
    LEADS,
    MUNICIPIOS,
    OPENERS,
    ORGS,
    STOCK,
    SYNONYMS,
    TAILS,
    TOPIC_NAMES,
    TOPICS,
    VEREDAS,
)


def _fill(template: str, rnd: random.Random) -> str:
    if "{" not in template:
        return template
    return template.format(
        m=rnd.choice(MUNICIPIOS),
        v=rnd.choice(VEREDAS),
        n=rnd.randint(2, 60),
        c=rnd.choice(CULTIVOS),
    )


def _vary(sentence: str, rnd: random.Random) -> str:
    for lead, alts in LEADS.items():
        if sentence.startswith(lead + " ") and rnd.random() < 0.6:
            alt = rnd.choice(alts)
            sentence = alt + sentence[len(lead) :]
            break
    words = [
        rnd.choice(SYNONYMS[w]) if w in SYNONYMS and rnd.random() < 0.5 else w
        for w in sentence.rstrip(".").split(" ")
    ]
    if rnd.random() < 0.5 and len(words) > 3:
        words.insert(rnd.randrange(2, len(words)), rnd.choice(FILLERS))
    if rnd.random() < 0.5:
        words.append(_fill(rnd.choice(TAILS), rnd))
    return " ".join(words) + "."


_LETTERS = "abcdefghijlmnoprstuv"


def _typos(text: str, rnd: random.Random, k: int) -> str:
    words = text.split(" ")
    for _ in range(k):
        i = rnd.randrange(len(words))
        w = words[i]
        if len(w) < 4:
            continue
        j = rnd.randrange(1, len(w) - 1)
        op = rnd.random()
        if op < 0.33:
            w = w[:j] + w[j + 1 :]  # deletion
        elif op < 0.66:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # transposition
        else:
            w = w[:j] + rnd.choice(_LETTERS) + w[j + 1 :]  # substitution
        words[i] = w
    return " ".join(words)


def _surface_noise(text: str, rnd: random.Random) -> str:
    r = rnd.random()
    if r < 0.25:
        text = _typos(text, rnd, rnd.randint(1, 3))
    if rnd.random() < 0.2:
        text = strip_accents(text)
    r = rnd.random()
    if r < 0.08:
        text = text.lower()
    elif r < 0.1:
        text = text.upper()
    return text


def _organic(topic: str, rnd: random.Random) -> tuple[str, str]:
    """An individual opinion and its duplicate-group key ("" unless a stock short phrase)."""
    spec = TOPICS[topic]
    r = rnd.random()
    if r < 0.03:
        # Short slogans are typed identically by many people: exact duplicates by design, so
        # only case and accent noise (which folding removes) is applied.
        k = rnd.randrange(len(spec["short"]))
        text = spec["short"][k]
        if rnd.random() < 0.3:
            text = strip_accents(text)
        if rnd.random() < 0.2:
            text = text.lower()
        return text, f"short-{topic}-{k}"
    n = rnd.randint(8, 14) if r < 0.05 else rnd.choice((1, 2, 2, 2, 3, 3, 3, 4))
    chosen = rnd.sample(spec["s"], min(n, len(spec["s"])))
    sentences = [_vary(_fill(s, rnd), rnd) for s in chosen]
    if rnd.random() < 0.08:
        # Real opinions wander: one sentence about something else.
        other = rnd.choice(TOPIC_NAMES)
        extra = _vary(_fill(rnd.choice(TOPICS[other]["s"]), rnd), rnd)
        sentences.insert(rnd.randrange(len(sentences) + 1), extra)
    if len(sentences) < 3 and rnd.random() < 0.6:
        # Personal context makes short opinions as different from each other as real ones.
        sentences.insert(rnd.randrange(len(sentences) + 1), _fill(rnd.choice(CONTEXT), rnd))
    opener = _fill(rnd.choice(OPENERS), rnd)
    if opener.endswith((",", "que")):
        sentences[0] = sentences[0][0].lower() + sentences[0][1:]
    parts = [opener, *sentences, rnd.choice(CLOSERS)]
    return _surface_noise(" ".join(p for p in parts if p), rnd), ""


def _campaign_base(topic: str, rnd: random.Random) -> str:
    spec = TOPICS[topic]
    body = [_vary(_fill(s, rnd), rnd) for s in rnd.sample(spec["s"], rnd.randint(3, 5))]
    # Each organisation writes its own letter: different campaigns must not be near-copies.
    org = (
        f"La {rnd.choice(ORGS)} {rnd.choice(VEREDAS)} de {rnd.choice(MUNICIPIOS)}, con "
        f"{rnd.randint(20, 900)} familias, lo respalda desde {rnd.randint(1990, 2024)}."
    )
    parts = [_fill(rnd.choice(CAMPAIGN_HEADS), rnd), org, *body, rnd.choice(CAMPAIGN_TAILS)]
    return " ".join(parts)


Signer = Callable[[random.Random], str]


def _campaign_copy(base: str, rnd: random.Random, signer: Signer | None = None) -> str:
    if rnd.random() < 0.35:
        return base
    text = base
    if rnd.random() < 0.1:
        # Someone drops one sentence while pasting.
        sentences = text.split(". ")
        if len(sentences) > 4:
            del sentences[rnd.randrange(1, len(sentences) - 1)]
            text = ". ".join(sentences)
    r = rnd.random()
    if r < 0.15:
        text = text.replace(",", "").replace(". ", " ")
    elif r < 0.25:
        text = text.replace(".", "!!")
    if rnd.random() < 0.4:
        if signer is None:
            endings = (
                " Firma: un vecino.",
                " Atentamente, la comunidad.",
                f" Vereda {rnd.choice(VEREDAS)}.",
            )
        else:
            name = signer(rnd)
            endings = (
                f" Firma: {name}.",
                f" Atentamente, {name}.",
                f" {name}, vereda {rnd.choice(VEREDAS)}.",
            )
        text += rnd.choice(endings)
    if rnd.random() < 0.15:
        text = rnd.choice(("Buenos días. ", "Apoyo esto: ", "Comparto: ")) + text
    if rnd.random() < 0.4:
        text = _typos(text, rnd, rnd.randint(1, 3))
    if rnd.random() < 0.25:
        text = strip_accents(text)
    if rnd.random() < 0.05:
        text = text.lower()
    return text


def generate(
    n: int, seed: int = 7, campaign_share: float = 0.3, signer: Signer | None = None
) -> list[dict[str, str]]:
    """``n`` synthetic opinions with ground truth, deterministic for a given seed."""
    rnd = random.Random(seed)
    n_campaign_rows = int(n * campaign_share)
    n_campaigns = max(2, n // 2500)
    # Zipf-like campaign sizes: a few big campaigns, many small ones.
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_campaigns)]
    total = sum(weights)
    sizes = [max(2, int(n_campaign_rows * w / total)) for w in weights]
    campaigns = []
    for c in range(n_campaigns):
        topic = rnd.choice(TOPIC_NAMES)
        campaigns.append((f"camp-{c}", topic, _campaign_base(topic, rnd), sizes[c]))
    labels: list[tuple[str, str]] = []  # (kind, key) per row before shuffling
    for cid, _, _, size in campaigns:
        labels.extend([("c", cid)] * size)
    labels.extend([("o", "")] * max(0, n - len(labels)))
    labels = labels[:n]
    rnd.shuffle(labels)
    by_id = {cid: (topic, base) for cid, topic, base, _ in campaigns}
    rows: list[dict[str, str]] = []
    for i, (kind, key) in enumerate(labels):
        if kind == "c":
            topic, base = by_id[key]
            rows.append(
                {
                    "id": str(i + 1),
                    "text": _campaign_copy(base, rnd, signer),
                    "topic": topic,
                    "campaign_id": key,
                    "dup_group": key,
                }
            )
            continue
        if rnd.random() < 0.01:
            k = rnd.randrange(len(STOCK))
            rows.append(
                {
                    "id": str(i + 1),
                    "text": STOCK[k],
                    "topic": "",
                    "campaign_id": "",
                    "dup_group": f"stock-{k}",
                }
            )
            continue
        topic = rnd.choice(TOPIC_NAMES)
        text, dup = _organic(topic, rnd)
        rows.append(
            {"id": str(i + 1), "text": text, "topic": topic, "campaign_id": "", "dup_group": dup}
        )
    return rows
