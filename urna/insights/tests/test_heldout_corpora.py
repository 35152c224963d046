"""The held-out corpora of bench/corpora (issue #14) have the shape the owners described, and
bench/themes_quality.py scores groupings as documented. Pipeline quality itself is not asserted
here."""

from __future__ import annotations

import csv
import random
import re
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"
sys.path.insert(0, str(BENCH))

from corpora import COLUMNS, agro_campaigns, citizen_voices  # noqa: E402
from corpora.noise import load_places  # noqa: E402
from corpora.voices_words import TOPICS as VOICE_TOPICS  # noqa: E402
from themes_quality import campaign_scores, theme_scores  # noqa: E402

N = 2_000
GENERATORS = {"agro": agro_campaigns.generate, "voices": citizen_voices.generate}


@pytest.fixture(scope="module")
def corpora() -> dict[str, list[dict[str, str]]]:
    return {name: generate(N) for name, generate in GENERATORS.items()}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _modal_texts(rows: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Each campaign's most frequent copy, with its topic."""
    copies: dict[str, Counter] = defaultdict(Counter)
    topic = {}
    for row in rows:
        if row["campaign_id"]:
            copies[row["campaign_id"]][row["text"]] += 1
            topic[row["campaign_id"]] = row["topic"]
    return {c: (counts.most_common(1)[0][0], topic[c]) for c, counts in copies.items()}


@pytest.mark.parametrize("name", GENERATORS)
def test_generators_are_deterministic_for_a_seed(name):
    generate = GENERATORS[name]
    first = generate(300, 3)
    assert first == generate(300, 3)
    assert [r["text"] for r in first] != [r["text"] for r in generate(300, 4)]


@pytest.mark.parametrize("name", GENERATORS)
def test_rows_have_the_documented_columns(corpora, name):
    rows = corpora[name]
    assert len(rows) == N
    assert all(list(row) == COLUMNS or set(row) == set(COLUMNS) for row in rows)
    assert sorted(int(r["id"]) for r in rows) == list(range(1, N + 1))
    with (BENCH.parent / "urna/territory/data/divipola.csv").open(encoding="utf-8") as fh:
        departments = {row["department_code"] for row in csv.DictReader(fh)}
    assert {r["department_code"] for r in rows} <= departments
    assert all(re.fullmatch(r"2025-\d\d-\d\dT\d\d:\d\d:\d\d", r["created_at"]) for r in rows)
    assert len({r["topic"] for r in rows}) == 10
    assert all(r["text"].strip() for r in rows)


@pytest.mark.parametrize("name", GENERATORS)
def test_about_a_third_are_campaign_copies(corpora, name):
    share = sum(1 for r in corpora[name] if r["campaign_id"]) / N
    assert 0.28 <= share <= 0.40


@pytest.fixture(scope="module")
def full_size_campaigns():
    """The campaigns (letters and sizes, no copies) of a corpus of the owners' size."""
    return agro_campaigns.campaigns_for(108_739, random.Random(1), load_places())


def test_agro_campaign_letters_share_their_boilerplate_across_topics(full_size_campaigns):
    topics_of_shingle: dict[tuple[str, ...], set[str]] = defaultdict(set)
    shingles = {}
    for campaign, _ in full_size_campaigns:
        words = re.findall(r"\w+", _fold(campaign.letter))
        shingles[campaign] = {tuple(words[i : i + 6]) for i in range(len(words) - 5)}
        for s in shingles[campaign]:
            topics_of_shingle[s].add(campaign.topic)
    # Boilerplate dominates: most of a letter's wording also appears in letters on other topics.
    shared = [
        sum(1 for s in sh if topics_of_shingle[s] - {c.topic}) / len(sh)
        for c, sh in shingles.items()
    ]
    assert statistics.median(shared) >= 0.6
    assert min(shared) >= 0.4
    assert max(len(t) for t in topics_of_shingle.values()) == 10
    assert all(len(c.letter.split()) >= 120 for c in shingles)


def test_agro_campaign_copies_vary_but_keep_their_letter(corpora):
    rows = [r for r in corpora["agro"] if r["campaign_id"]]
    letters = _modal_texts(corpora["agro"])
    exact = sum(1 for r in rows if r["text"] == letters[r["campaign_id"]][0])
    assert 0.2 * len(rows) <= exact <= 0.6 * len(rows)
    assert any("C.C." in r["text"] for r in rows)
    assert any(r["text"] == _fold(r["text"]) for r in rows)  # lower case, no accents


def test_campaign_sizes_are_heavy_tailed(corpora, full_size_campaigns):
    sizes = sorted(Counter(r["campaign_id"] for r in corpora["agro"] if r["campaign_id"]).values())
    assert sizes[-1] >= 5 * sizes[0]
    # At the owners' size: a few campaigns of 5,000-20,000 copies and many of 20-500.
    full = [size for _, size in full_size_campaigns]
    assert sum(full) == round(108_739 * agro_campaigns.CAMPAIGN_SHARE)
    assert 2 <= sum(1 for s in full if 5_000 <= s <= 20_000) <= 5
    assert sum(1 for s in full if 20 <= s <= 500) >= 80
    voices = Counter(r["campaign_id"] for r in corpora["voices"] if r["campaign_id"])
    assert max(voices.values()) >= 5 * statistics.median(voices.values())


def test_agro_individuals_range_from_two_words_to_long_letters(corpora):
    texts = [r["text"] for r in corpora["agro"] if not r["campaign_id"]]
    lengths = [len(t.split()) for t in texts]
    assert sum(1 for n in lengths if n <= 4) >= 0.05 * len(texts)
    assert sum(1 for n in lengths if n >= 60) >= 0.02 * len(texts)
    assert any(re.search(r"\b(q|xq|tb|pa)\b", t) for t in texts)
    assert any(re.search(r"\b3\d{9}\b", t) for t in texts)


def test_voices_petitions_interleave_two_sub_issues_and_slogans_are_short(corpora):
    letters = _modal_texts(corpora["voices"])
    petitions = [(t, topic) for c, (t, topic) in letters.items() if c.startswith("voices-p")]
    assert petitions
    for text, topic in petitions:
        spec = VOICE_TOPICS[topic]
        assert any(s in text for s in spec["a"]) and any(s in text for s in spec["b"])
    slogans = [t for c, (t, _) in letters.items() if c.startswith("voices-s")]
    assert slogans and all(len(t.split()) <= 12 for t in slogans)
    individuals = [r["text"] for r in corpora["voices"] if not r["campaign_id"]]
    assert sum(1 for t in individuals if len(t.split()) <= 4) >= 0.25 * len(individuals)


def test_theme_scores_of_a_perfect_and_a_merged_grouping():
    ids = [str(i) for i in range(8)]
    topics = ["a", "a", "a", "b", "b", "b", "c", ""]
    perfect = theme_scores(ids, topics, [["0", "1", "2"], ["3", "4", "5"], ["6"]])
    assert perfect["ari"] == pytest.approx(1.0) and perfect["purity"] == 1.0
    assert perfect["largest_share"] == 3 / 8
    merged = theme_scores(ids, topics, [["0", "1", "2", "3", "4", "5"]])
    assert merged["purity"] == 0.5 and merged["largest_share"] == 6 / 8
    assert merged["unclassified_share"] == 2 / 8 and merged["ari"] < 0.5


def test_campaign_scores_count_split_campaigns_and_mixed_groups():
    ids = [str(i) for i in range(10)]
    campaigns = ["x"] * 4 + ["y"] * 4 + ["", ""]
    split = campaign_scores(ids, campaigns, [["0", "1"], ["2", "3"], ["4", "5", "6", "7"]])
    assert split["campaign_recall"] == (2 + 4) / 8 and split["campaign_purity"] == 1.0
    mixed = campaign_scores(ids, campaigns, [[str(i) for i in range(10)], ["8"]])
    assert mixed["campaign_recall"] == 1.0 and mixed["campaign_purity"] == 4 / 10
    individuals_only = campaign_scores(ids, campaigns, [["8", "9"]])
    assert individuals_only == {"campaign_recall": 0.0, "campaign_purity": 1.0, "campaigns": 2}
