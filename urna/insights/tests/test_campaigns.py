"""Campaign letters that share a template are told apart, the template does not decide their
theme, and no theme holds more than a third of the opinions unless its texts say one thing
(issue #14).

The letters here are written for these tests; bench/corpora's held-out generators (written
without reading the pipeline) are scored at the end."""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from urna.insights.duplicates import find_duplicates
from urna.insights.pipeline import analyse, representative_content
from urna.insights.text import tokenize, tokenize_corpus
from urna.insights.themes import _split_dominant, find_themes

BENCH = Path(__file__).resolve().parents[3] / "bench"
sys.path.insert(0, str(BENCH))

from corpora import agro_campaigns  # noqa: E402
from themes_quality import campaign_scores, theme_scores  # noqa: E402

PREAMBLE = (
    "Señores del Gobierno Nacional: nosotros, los integrantes de la {who}, reunidos en asamblea "
    "general extraordinaria y en ejercicio del derecho constitucional a la participación "
    "ciudadana, nos dirigimos respetuosamente a ustedes para presentar, después de varias "
    "jornadas de diálogo comunitario con todas las familias de la zona, las siguientes "
    "propuestas que recogen el sentir de nuestra comunidad organizada:"
)
CLOSING = (
    "Esperamos una respuesta de fondo dentro de los términos de ley. Firmamos los abajo "
    "firmantes, mayores de edad, en representación de nuestras familias, y anexamos la lista "
    "de firmas con el número de cédula de cada uno de los asistentes a la asamblea como "
    "constancia del respaldo a este documento."
)
DEMANDS = {
    "vias": [
        "Pavimentar la vía terciaria entre la vereda y el casco urbano.",
        "Construir un puente vehicular sobre la quebrada para sacar la cosecha.",
        "Enviar maquinaria para el mantenimiento de los caminos en invierno.",
        "Placa huella en los tramos de pendiente donde se atascan los camiones.",
    ],
    "credito": [
        "Créditos con intereses bajos para los pequeños productores.",
        "Refinanciar las deudas atrasadas sin cobrar intereses de mora.",
        "Que el banco agrario no exija tantos requisitos y codeudores.",
        "Microcréditos para mujeres rurales emprendedoras.",
    ],
    "agua": [
        "Distritos de riego para la temporada seca.",
        "Acueductos veredales con agua potable para las escuelas.",
        "Reservorios para guardar el agua de lluvia.",
        "Proteger los nacimientos de agua y los páramos de la minería.",
    ],
}
WORDS = {
    "vias": "vía carretera trocha puente pavimento caminos huecos barro camiones transporte",
    "credito": "crédito banco préstamo intereses deuda cuotas financiación codeudor mora plata",
    "agua": "agua riego acueducto sequía quebrada páramo reservorio lluvia potable nacimiento",
}
GENERIC = "campo campesinos gobierno necesitamos vereda familias apoyo urgente región municipio"
COMMUNITIES = [
    "junta de acción comunal de la vereda El Progreso",
    "asociación de productores de Samacá",
    "cooperativa multiactiva de Planadas",
    "asociación de mujeres campesinas de Tibú",
    "junta de acción comunal de la vereda La Esperanza",
    "comité de cafeteros de Garzón",
]


def _corpus(seed: int = 3) -> list[tuple[str, str, str]]:
    """(text, topic, campaign) rows: six letters on one template (two per topic), 40 copies
    each with signatures, cut-off closings and typos, and 200 own texts per topic."""
    rnd = random.Random(seed)
    rows: list[tuple[str, str, str]] = []
    for n, who in enumerate(COMMUNITIES):
        topic = list(DEMANDS)[n % 3]
        demands = rnd.sample(DEMANDS[topic], 2)
        body = " ".join(f"{i + 1}. {d}" for i, d in enumerate(demands))
        letter = f"{PREAMBLE.format(who=who)} {body} {CLOSING}"
        for copy in range(40):
            text = letter
            if copy % 4 == 1:
                text += f" Firma: {rnd.choice(['Ana', 'Luis', 'Rosa'])} Pérez, C.C. {copy}1234567"
            if copy % 5 == 2:
                text = text[: text.index("Firmamos")]
            if copy % 7 == 3:
                text = text.replace("respetuosamente", "respetuosamnete")
            rows.append((text, topic, f"c{n}"))
    for topic, words in WORDS.items():
        vocabulary, generic = words.split(), GENERIC.split()
        for _ in range(200):
            picked = rnd.sample(vocabulary, rnd.randint(3, 6)) + rnd.sample(generic, 2)
            rnd.shuffle(picked)
            rows.append((" ".join(picked), topic, ""))
    rnd.shuffle(rows)
    return rows


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str, str]]:
    return _corpus()


def test_letters_sharing_a_template_are_told_apart(corpus):
    dups = find_duplicates(tokenize_corpus([t for t, _, _ in corpus]))
    groups = [list(m) for m in dups.groups(min_size=2)]
    scores = campaign_scores(list(range(len(corpus))), [c for _, _, c in corpus], groups)
    # Every campaign in one group of its own: the shared preamble and closing (most of each
    # letter) do not chain the six campaigns together.
    assert scores["campaign_recall"] == 1.0
    assert scores["campaign_purity"] == 1.0
    campaign_groups = {next(iter({corpus[i][2] for i in g})) for g in groups if corpus[g[0]][2]}
    assert campaign_groups == {f"c{n}" for n in range(6)}


def test_the_template_is_set_aside_for_themes_and_the_demands_stay(corpus):
    texts = [t for t, _, _ in corpus]
    tokens = tokenize_corpus(texts)
    dups = find_duplicates(tokens)
    themes = find_themes(tokens, dups.representative, dups.sizes, k=3).labels
    indptr, ids = representative_content(tokens, dups, themes)
    for g in np.flatnonzero(dups.sizes >= 20):
        words = {tokens.stems[s] for s in ids[indptr[g] : indptr[g + 1]]}
        # the template's words are gone ...
        assert not words & {"asamble", "constitucional", "firmant", "cedul", "respetu"}
        # ... the letter's demands are what is left
        rep_text = texts[dups.representative[g]]
        topic = next(t for t, d in DEMANDS.items() if any(x[:20] in rep_text for x in d))
        demand_words = {"vias": "paviment", "credito": "credit", "agua": "agu"}
        assert any(w.startswith(demand_words[topic][:4]) for w in words) or len(words) >= 3


def test_each_campaign_joins_the_theme_of_its_topic(corpus):
    result = analyse(((n, text) for n, (text, _, _) in enumerate(corpus)), k=3)
    theme_of = result.theme_of()
    own = Counter()
    for n, (_, topic, campaign) in enumerate(corpus):
        if not campaign:
            own[(topic, theme_of[n])] += 1
    topic_theme = {}
    for (topic, theme), count in own.most_common():
        topic_theme.setdefault(topic, theme)
    assert len(set(topic_theme.values())) == 3
    for n, (_, topic, campaign) in enumerate(corpus):
        if campaign:
            assert theme_of[n] == topic_theme[topic], (campaign, topic)


def _blobs(rng: np.random.Generator, centres: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    points = [c + 0.05 * rng.standard_normal((n, len(c))) for c, n in zip(centres, sizes)]
    z = np.vstack(points)
    return z / np.linalg.norm(z, axis=1, keepdims=True)


def test_a_theme_over_a_third_that_says_two_things_is_split():
    rng = np.random.default_rng(0)
    a, b, c = np.eye(3)
    z = _blobs(rng, [a, b, c], [300, 300, 200])
    # one theme holds the first two blobs: 75% of everything
    assigned = np.r_[np.zeros(600, np.int64), np.ones(200, np.int64)]
    centres = np.vstack([(a + b) / 2, c])
    out, new_centres = _split_dominant(z, assigned.copy(), centres, np.ones(800), seed=0)
    assert len(new_centres) == 3
    assert len(set(out[:300])) == 1 and len(set(out[300:600])) == 1
    assert out[0] != out[300]
    assert max(np.bincount(out)) <= 300


def test_a_theme_carried_by_one_campaign_stays_whole():
    rng = np.random.default_rng(1)
    a, b, c = np.eye(3)
    z = _blobs(rng, [a, b, c], [30, 30, 40])
    assigned = np.r_[np.zeros(60, np.int64), np.ones(40, np.int64)]
    weights = np.ones(100)
    weights[0] = 5_000  # one letter with 5,000 signatures: the texts really say one thing
    out, new_centres = _split_dominant(z, assigned.copy(), np.vstack([a + b, c]), weights, 0)
    assert len(new_centres) == 2
    assert (out == assigned).all()


def test_a_tight_theme_over_a_third_is_not_cut_in_two():
    rng = np.random.default_rng(2)
    a, b = np.eye(2)
    z = _blobs(rng, [a, b], [700, 300])
    assigned = np.r_[np.zeros(700, np.int64), np.ones(300, np.int64)]
    out, new_centres = _split_dominant(z, assigned.copy(), np.vstack([a, b]), np.ones(1000), 0)
    assert len(new_centres) == 2


def test_held_out_agrarian_corpus_meets_the_targets():
    """bench/corpora/agro_campaigns.py: a third mail-merge letters on five shared preambles and
    four shared closings, written without reading the pipeline. The issue's targets: ARI ≥ 0.6,
    campaign recall and purity ≥ 0.95, no theme over a third."""
    rows = agro_campaigns.generate(5_000)
    result = analyse((r["id"], r["text"]) for r in rows)
    ids = [r["id"] for r in rows]
    themes = theme_scores(ids, [r["topic"] for r in rows], [t.member_ids for t in result.themes])
    campaigns = campaign_scores(
        ids, [r["campaign_id"] for r in rows], [g.member_ids for g in result.duplicate_groups]
    )
    assert themes["ari"] >= 0.6
    assert themes["largest_share"] <= 1 / 3
    assert campaigns["campaign_recall"] >= 0.95
    assert campaigns["campaign_purity"] >= 0.95


def test_a_one_word_text_joins_the_theme_it_clearly_belongs_to(corpus):
    extra = [("¡¡Acueducto ya!!", "agua"), ("Crédito", "credito"), ("hola buenas", "")]
    rows = corpus + [(text, topic, "") for text, topic in extra]
    result = analyse(((n, text) for n, (text, _, _) in enumerate(rows)), k=3)
    theme_of = result.theme_of()
    majority = {}
    for n, (_, topic, campaign) in enumerate(corpus):
        if not campaign:
            majority.setdefault(topic, Counter())[theme_of[n]] += 1
    first = len(corpus)
    assert theme_of[first] == majority["agua"].most_common(1)[0][0]
    assert theme_of[first + 1] == majority["credito"].most_common(1)[0][0]
    assert theme_of[first + 2] == -1  # nothing to go by: unclassified


def test_a_hashtag_reads_as_its_words():
    assert tokenize("RT #MetroPorElSurYa 🚇") == ["rt", "metro", "por", "el", "sur", "ya"]
    assert tokenize("LaBiciEsMovilidad") == ["la", "bici", "es", "movilidad"]
    # one step outside a hashtag is a name, not a slogan; capitals alone are a shout
    assert tokenize("McDonald y el CAMPO") == ["mcdonald", "y", "el", "campo"]


def test_people_reusing_sentences_of_a_pool_are_not_chained_into_a_campaign():
    pool = [
        "Que haya rutas nocturnas para los que salimos tarde del trabajo.",
        "Carriles exclusivos para que el bus no quede en el trancón.",
        "Reparen los buses que se varan en plena vía todos los días.",
        "Más frecuencia en la ruta del barrio en las horas pico.",
        "Paraderos con techo porque nos mojamos esperando el bus.",
        "Que el conductor no se pase los paraderos sin parar.",
        "Las rampas para sillas de ruedas nunca funcionan en los buses.",
        "Los torniquetes de la estación viven dañados desde hace meses.",
    ]
    # Each person wrote four sentences of the pool, the next one shifted by one: neighbours are
    # near-duplicates, the first and the last share nothing.
    people = [" ".join(pool[n : n + 4]) for n in range(len(pool) - 3)]
    letter = (
        "Carta de los usuarios de la ruta 86: pedimos subsidio al pasaje para estratos uno y "
        "dos, recargas que funcionen en todas las estaciones y tarifa para estudiantes. "
        "Firmamos todos."
    )
    texts = people + [letter] * 30 + [letter + " Firma: Ana Pérez."] * 5
    dups = find_duplicates(tokenize_corpus(texts))
    groups = [set(m.tolist()) for m in dups.groups(min_size=2)]
    assert set(range(len(people), len(texts))) in groups  # the campaign is whole and alone
    first, last = 0, len(people) - 1
    assert not any({first, last} <= g for g in groups)  # no chain from the first to the last
