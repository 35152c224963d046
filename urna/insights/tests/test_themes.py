import json

import numpy as np
import pytest

from urna.insights.pipeline import UNCLASSIFIED_ID, analyse, breakdown
from urna.insights.text import tokenize_corpus
from urna.insights.themes import find_themes

TOPICS = {
    "roads": (
        "carretera vía vías puente trocha derrumbes huecos placa huella maquinaria caminos "
        "transporte invierno intransitable pavimento alcantarillas cunetas terciaria barro"
    ),
    "health": (
        "salud médico hospital medicamentos enfermeras ambulancia eps citas especialista "
        "urgencias vacunas odontología farmacia prenatal tratamientos brigadas enfermedad"
    ),
    "credit": (
        "crédito préstamos banco intereses tasas deudas garantías codeudor hipoteca plazos "
        "cuotas seguro financiación microcrédito bancaria reportados condonación alivio"
    ),
}
TOPICS = {topic: words.split() for topic, words in TOPICS.items()}
GENERIC = [
    "necesitamos",
    "pedimos",
    "vereda",
    "gobierno",
    "urgente",
    "comunidad",
    "familias",
    "municipio",
]


def corpus_items():
    """90 distinct opinions (word mixes of one topic: no two share a phrase) plus campaign
    copies and short texts, with known topics."""
    rng = np.random.default_rng(11)
    items, topic_of = [], {}
    for topic, words in TOPICS.items():
        for n in range(30):
            mix = [*rng.choice(words, 8, replace=False), *rng.choice(GENERIC, 3, replace=False)]
            rng.shuffle(mix)
            item_id = f"{topic}-{n}"
            items.append((item_id, " ".join(mix).capitalize() + "."))
            topic_of[item_id] = topic
    campaign = "Exigimos que arreglen la carretera y el puente de la vereda, la vía está destruida"
    for i in range(12):
        items.append((f"camp-{i}", campaign + (f". Firma: persona {i}" if i % 3 else "")))
        topic_of[f"camp-{i}"] = "roads"
    items += [("short-1", "Sí"), ("short-2", "De acuerdo"), ("short-3", "ok ok")]
    return items, topic_of


@pytest.fixture(scope="module")
def result():
    items, _ = corpus_items()
    return analyse(items, k=3)


def test_topics_end_in_different_themes(result):
    _, topic_of = corpus_items()
    theme_of = result.theme_of()
    by_topic = {}
    for item_id, topic in topic_of.items():
        by_topic.setdefault(topic, set()).add(theme_of[item_id])
    # Each topic lands in exactly one theme, and the three themes differ.
    assert all(len(themes) == 1 for themes in by_topic.values())
    assert len({next(iter(t)) for t in by_topic.values()}) == 3


def test_sizes_count_duplicates_and_short_texts_are_unclassified(result):
    stats = result.statistics
    assert stats.contributions == 3 * 30 + 12 + 3
    assert stats.distinct_contributions == 3 * 30 + 1 + 3  # the campaign counts once
    assert sorted(result.unclassified_ids) == ["short-1", "short-2", "short-3"]
    roads = next(t for t in result.themes if "camp-0" in t.member_ids)
    assert roads.size == 30 + 12 and roads.distinct_size == 31
    assert sum(t.size for t in result.themes) + stats.unclassified == stats.contributions
    assert result.themes[0].size >= result.themes[1].size >= result.themes[2].size


def test_quotes_belong_to_their_theme_and_are_distinct(result):
    for theme in result.themes:
        assert 3 <= len(theme.quotes) <= 5
        quote_ids = [q.id for q in theme.quotes]
        assert len(set(quote_ids)) == len(quote_ids)
        assert set(quote_ids) <= set(theme.member_ids)
        assert len({q.text for q in theme.quotes}) == len(quote_ids)


def test_labels_use_surface_forms(result):
    labels = " ".join(t.label for t in result.themes)
    words = set(labels.replace(",", " ").split())
    # Accented original spellings, not stems ("crédito", not "credit").
    assert words & {"crédito", "préstamos", "garantías", "condonación"}
    assert words & {"carretera", "derrumbes", "huecos", "puente", "trocha"}
    assert words & {"médico", "odontología", "salud", "hospital", "farmacia"}
    assert not words & {"credit", "carreter", "prestam"}


def test_duplicate_groups_in_result(result):
    (group,) = result.duplicate_groups
    assert group.size == 12 and not group.exact
    assert group.representative_id == "camp-0"
    assert sorted(group.member_ids) == sorted(f"camp-{i}" for i in range(12))


def test_to_dict_is_json_serialisable(result):
    data = json.loads(json.dumps(result.to_dict()))
    assert {"themes", "duplicate_groups", "statistics", "unclassified_ids"} <= set(data)
    assert data["themes"][0]["quotes"][0].keys() == {"id", "text"}


def test_automatic_k_finds_the_three_topics():
    items, topic_of = corpus_items()
    result = analyse(items, k_range=(2, 6))
    assert result.statistics.themes == 3
    assert set(result.statistics.k_scores) == {2, 3, 4, 5, 6}


def test_find_themes_low_level_and_progress():
    items, _ = corpus_items()
    texts = [t for _, t in items]
    corpus = tokenize_corpus(texts)
    seen = []
    model = find_themes(corpus, np.arange(len(texts)), k=3, texts=texts, progress=seen.append)
    assert model.k == 3 and seen[-1] == 1.0
    assert (model.labels[-3:] == -1).all()


def test_progress_callback_stages():
    items, _ = corpus_items()
    calls = []
    analyse(items, k=3, progress=lambda stage, f: calls.append((stage, f)))
    stages = [s for s, _ in calls]
    assert stages[0] == "text" and stages[-1] == "done"
    assert {"duplicates", "themes"} <= set(stages)
    fractions = [f for _, f in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_breakdown_suppresses_small_cells(result):
    metadata = {}
    for theme in result.themes:
        for n, item_id in enumerate(theme.member_ids):
            # Channel "sms" gets 2 people in every theme: below the threshold of 5.
            metadata[item_id] = {"channel": "sms" if n < 2 else "web", "person_id": item_id}
    table = breakdown(result, metadata, dimension="channel", complementary=False)
    assert table.values == ["Sin dato", "sms", "web"]  # unclassified have no metadata
    for row in table.rows:
        cells = {c.value: c for c in row.cells}
        if row.theme_id == UNCLASSIFIED_ID:
            assert cells["Sin dato"].suppressed and cells["Sin dato"].contributions is None
            continue
        assert cells["sms"].suppressed and cells["sms"].contributions is None
        assert cells["sms"].reason == "small_cell"
        assert not cells["web"].suppressed and cells["web"].contributions >= 5
        assert cells["Sin dato"].contributions == 0 and not cells["Sin dato"].suppressed
    totals = {c.value: c for c in table.totals}
    assert totals["sms"].people == 6 and not totals["sms"].suppressed


def test_breakdown_counts_people_not_contributions(result):
    theme = result.themes[0]
    # One person sent 10 contributions: still one person, so the cell is suppressed.
    metadata = {i: {"gender": "F", "person_id": "p1"} for i in theme.member_ids[:10]}
    metadata.update({i: {"gender": "M"} for i in theme.member_ids[10:]})
    table = breakdown(result, metadata, dimension="gender", complementary=False)
    row = next(r for r in table.rows if r.theme_id == theme.id)
    cell = next(c for c in row.cells if c.value == "F")
    assert cell.suppressed and cell.people is None


def test_breakdown_complementary_suppression(result):
    theme = result.themes[0]
    metadata = {}
    for n, item_id in enumerate(theme.member_ids):
        metadata[item_id] = {"age": "18-28" if n < 2 else ("29-59" if n < 12 else "60+")}
    table = breakdown(result, metadata, dimension="age")
    row = next(r for r in table.rows if r.theme_id == theme.id)
    cells = {c.value: c for c in row.cells}
    assert cells["18-28"].reason == "small_cell"
    # The row total (theme size) is public, so a second cell must hide too.
    hidden = [c for c in row.cells if c.suppressed]
    assert len(hidden) >= 2
    assert any(c.reason == "complementary" for c in hidden)
