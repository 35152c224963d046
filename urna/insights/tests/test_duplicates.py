import numpy as np

from urna.insights.duplicates import find_duplicates, jaccard
from urna.insights.text import tokenize_corpus

CAMPAIGN = (
    "Nosotros, los abajo firmantes, habitantes de Tumaco, solicitamos respetuosamente que "
    "el Gobierno Nacional construya un distrito de riego para la vereda La Esperanza, porque "
    "la sequía acabó con los cultivos de cacao y plátano. Exigimos que esta propuesta quede "
    "incluida en el plan de desarrollo."
)
VARIANTS = [
    CAMPAIGN,
    CAMPAIGN,  # exact copy
    CAMPAIGN.upper(),  # only case differs: exact after folding
    CAMPAIGN + " Firma: María Gómez.",  # signature
    "Buenos días. " + CAMPAIGN + " Atentamente, Pedro Quiñones.",
    CAMPAIGN.replace("sequía", "sequia").replace("acabó", "acabo"),  # missing accents
    CAMPAIGN.replace("cultivos", "cultivso").replace("solicitamos", "solicitamso"),  # typos
    CAMPAIGN.replace(",", "").replace(".", "!!"),  # punctuation
]
OTHERS = [
    "La vía terciaria de la vereda El Porvenir está intransitable en invierno.",
    "El puesto de salud no tiene médico ni medicamentos desde hace meses.",
    "Los intermediarios se quedan con la ganancia y al productor le pagan muy poco.",
    # Same topic and many shared words as the campaign, but a different text.
    "En Tumaco la sequía acabó con el cacao; pedimos riego y crédito para volver a sembrar.",
    "",
    "De acuerdo",
    "de acuerdo.",
]


def groups_of(texts, **kwargs):
    analysis = find_duplicates(tokenize_corpus(texts), **kwargs)
    return analysis, [sorted(g.tolist()) for g in analysis.groups()]


def test_campaign_variants_grouped_and_distinct_texts_kept_apart():
    texts = VARIANTS + OTHERS
    analysis, groups = groups_of(texts)
    n = len(VARIANTS)
    assert groups == [list(range(n)), [n + 5, n + 6]]
    assert analysis.sizes[analysis.group_of[0]] == n
    # Every other text is alone in its group.
    for i in range(n, n + 5):
        assert analysis.sizes[analysis.group_of[i]] == 1


def test_exact_duplicates_and_representative():
    texts = ["Otra cosa distinta", *VARIANTS]
    analysis, _ = groups_of(texts)
    # Copies, upper case, missing accents and punctuation changes are all the same text
    # after folding and tokenising.
    assert analysis.exact_of.tolist() == [0, 1, 1, 1, 4, 5, 1, 7, 1]
    assert analysis.exact_duplicate_count() == 4
    g = analysis.group_of[1]
    # The most frequent exact variant (the bare campaign text), earliest copy.
    assert analysis.representative[g] == 1
    assert analysis.representative[analysis.group_of[0]] == 0


def test_group_numbering_follows_first_member():
    analysis, _ = groups_of(["b", "a", "b", "c", "a"])
    assert analysis.group_of.tolist() == [0, 1, 0, 2, 1]
    assert analysis.sizes.tolist() == [2, 2, 1]


def test_empty_texts_are_never_grouped():
    analysis, groups = groups_of(["", "", "!!!", "hola mundo"])
    assert groups == []
    assert analysis.n_groups == 4


def test_numpy_lsh_agrees_with_datasketch_backend():
    rng = np.random.default_rng(3)
    words = [f"palabra{i}" for i in range(300)]
    bases = [" ".join(rng.choice(words, 30)) for _ in range(40)]
    texts = []
    for b in bases:
        toks = b.split()
        for _ in range(3):
            t = list(toks)
            t[rng.integers(len(t))] = "cambio"
            texts.append(" ".join(t))
    _, fast = groups_of(texts)
    _, ref = groups_of(texts, lsh_backend="datasketch")
    assert fast == ref
    assert len(fast) == 40 and all(len(g) == 3 for g in fast)


def test_jaccard():
    assert jaccard(np.array([1, 2, 3]), np.array([2, 3, 4])) == 0.5
    assert jaccard(np.array([]), np.array([])) == 1.0
