"""Surface noise, places, dates and campaign sizes shared by the held-out generators.

Written for the held-out corpora only (it does not import Urna), so that the corpora stay
independent of the code they are meant to test.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from . import COLUMNS

DIVIPOLA = Path(__file__).resolve().parents[2] / "urna" / "territory" / "data" / "divipola.csv"

_KEYBOARD_NEIGHBOURS = {
    "a": "sqz",
    "e": "wrd",
    "i": "uok",
    "o": "ipl",
    "u": "yij",
    "s": "adz",
    "r": "etf",
    "n": "bm",
    "m": "n",
    "c": "xv",
    "t": "ry",
    "l": "kp",
    "d": "sf",
    "p": "o",
    "b": "vn",
    "v": "bc",
    "g": "fh",
}

# Spelling habits of quick typists: phonetic swaps as well as keyboard slips.
_PHONETIC = [
    ("v", "b"),
    ("b", "v"),
    ("ll", "y"),
    ("y", "ll"),
    ("ce", "se"),
    ("ci", "si"),
    ("z", "s"),
    ("h", ""),
    ("qu", "k"),
]

SMS = {
    "que": "q",
    "porque": "xq",
    "por": "x",
    "también": "tb",
    "tambien": "tb",
    "para": "pa",
    "de": "d",
    "gracias": "grax",
    "mucho": "mxo",
    "saludos": "slds",
    "favor": "fvr",
    "bien": "bn",
    "dios": "dios",
    "nada": "nd",
    "todos": "tods",
    "hermano": "hno",
    "más": "+",
}


def strip_accents(text: str) -> str:
    """Remove accents and dieresis, keeping ñ."""
    text = text.replace("ñ", "\0").replace("Ñ", "\1")
    bare = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )
    return bare.replace("\0", "ñ").replace("\1", "Ñ")


def drop_accents(text: str, rnd: random.Random) -> str:
    """Drop every accent (ñ too, sometimes): phones without a Spanish keyboard."""
    text = strip_accents(text)
    if rnd.random() < 0.3:
        text = text.replace("ñ", "n").replace("Ñ", "N")
    return text


def typo_word(word: str, rnd: random.Random) -> str:
    if len(word) < 4:
        return word
    op = rnd.random()
    if op < 0.3:
        for a, b in rnd.sample(_PHONETIC, len(_PHONETIC)):
            if a in word:
                return word.replace(a, b, 1)
    j = rnd.randrange(1, len(word) - 1)
    if op < 0.5:
        return word[:j] + word[j + 1 :]
    if op < 0.7:
        return word[:j] + word[j] + word[j:]
    if op < 0.85:
        return word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    near = _KEYBOARD_NEIGHBOURS.get(word[j].lower())
    return word[:j] + (rnd.choice(near) if near else word[j]) + word[j + 1 :]


def typos(text: str, rnd: random.Random, k: int) -> str:
    words = text.split(" ")
    for _ in range(k):
        i = rnd.randrange(len(words))
        words[i] = typo_word(words[i], rnd)
    return " ".join(words)


def sms_style(text: str, rnd: random.Random, rate: float = 0.7) -> str:
    """Text-message abbreviations ("q", "xq", "tb"), lower case, little punctuation."""
    out = []
    for word in text.lower().split(" "):
        bare = word.strip(".,;:!?")
        if bare in SMS and rnd.random() < rate:
            word = word.replace(bare, SMS[bare], 1)
        out.append(word)
    text = " ".join(out)
    if rnd.random() < 0.6:
        text = text.replace(",", "").replace(".", "")
    return text


def case_noise(text: str, rnd: random.Random) -> str:
    r = rnd.random()
    if r < 0.06:
        return text.lower()
    if r < 0.09:
        return text.upper()
    return text


def surface(text: str, rnd: random.Random, typo_rate: float = 0.3) -> str:
    """Typos, missing accents and odd casing, each with its own chance."""
    if rnd.random() < typo_rate:
        text = typos(text, rnd, rnd.randint(1, 1 + len(text) // 120))
    if rnd.random() < 0.3:
        text = drop_accents(text, rnd)
    return case_noise(text, rnd)


def _title(name: str) -> str:
    """ "VALLE DEL CAUCA" -> "Valle del Cauca"."""
    small = {"de", "del", "la", "las", "los", "y", "el"}
    words = name.title().split(" ")
    return " ".join(w.lower() if i and w.lower() in small else w for i, w in enumerate(words))


def load_places() -> list[tuple[str, str, str]]:
    """(department_code, department name, municipality name) of every DIVIPOLA municipality,
    names in title case."""
    with DIVIPOLA.open(encoding="utf-8", newline="") as fh:
        return [
            (
                row["department_code"],
                _title(row["department_name"]),
                _title(row["municipality_name"]),
            )
            for row in csv.DictReader(fh)
            if row["kind"] == "municipio"
        ]


def campaign_sizes(
    total: int, rnd: random.Random, big_shares: Iterable[float], small: tuple[int, int, float]
) -> list[int]:
    """Heavy-tailed campaign sizes summing to ``total``: the few big campaigns take the given
    shares of ``total``; the rest are many small ones, Pareto-distributed between ``small[0]``
    and ``small[1]`` copies with shape ``small[2]``."""
    sizes = [max(2, int(total * s)) for s in big_shares]
    left = total - sum(sizes)
    lo, hi, alpha = small
    while left > 0:
        size = min(hi, int(lo * rnd.paretovariate(alpha)))
        size = min(size, left)
        if size < 2:
            break
        sizes.append(size)
        left -= size
    return sizes


def timestamp(rnd: random.Random, start: dt.datetime, days: float, centre: float | None) -> str:
    """An ISO timestamp in ``days`` from ``start``; around ``centre`` (a day offset) when given,
    as a campaign's copies arrive in a burst."""
    burst = centre is not None
    offset = min(days, max(0.0, rnd.gauss(centre, 2.0))) if burst else rnd.uniform(0, days)
    moment = start + dt.timedelta(days=offset)
    return moment.replace(microsecond=0).isoformat()


def write_csv(rows: list[dict[str, str]], out) -> None:  # noqa: ANN001 - any text stream
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


def shuffle_and_number(rows: list[dict[str, str]], rnd: random.Random) -> list[dict[str, str]]:
    rnd.shuffle(rows)
    for i, row in enumerate(rows):
        row["id"] = str(i + 1)
    return rows
