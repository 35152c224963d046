"""Themes: TF-IDF over distinct texts, LSA, k-means, automatic choice of the number of themes.

Only one text per duplicate group takes part (a campaign pasted 5,000 times is one opinion in
its wording, not 5,000), and the themes are learnt (vocabulary, word space, centres) from the
texts people wrote themselves, every text weighing the same. Campaign letters, without their
template (see ``campaigns``), are then placed in the theme their own words belong to, and count
there with all their copies: a campaign is one voice with many signatures, it never pulls a
theme its way. One- and two-word texts join a theme only when they clearly belong to it.

The number of themes is chosen by stability: two halves of a fixed-size sample are clustered
independently, both models label the whole sample, and the adjusted Rand index between the two
labellings (averaged over three draws) measures how reproducible a k is. Silhouette is a poor
guide on TF-IDF text (it mostly rewards small k); stability drops as soon as k forces arbitrary
splits or merges, and a fixed-size sample makes the choice the same at 20,000 or 1,000,000
opinions. No theme keeps more than a third of the opinions unless its texts say one thing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize

from .text import TokenizedCorpus, surface_forms

__all__ = ["ThemeModel", "find_themes", "MIN_TOKENS", "DEFAULT_K_RANGE"]

MIN_TOKENS = 3
DEFAULT_K_RANGE = (4, 16)
_MAX_FEATURES = 20_000
_SVD_COMPONENTS = 100
_FIT_SAMPLE = 60_000
_SELECTION_SAMPLE = 12_000
_STABILITY_PAIRS = 3
_MAX_DOMINANT_SPLITS = 3
_SPLIT_STABILITY = 0.5
# Cosine similarity (LSA space) a one- or two-word text needs to its nearest theme centre.
_SHORT_MIN_SIMILARITY = 0.25
# Texts sent by at most this many people are "own texts": what the word space is learnt from,
# when there are enough of them.
_OWN_TEXT_MAX_COPIES = 2
_MIN_OWN_TEXTS = 500
_MIN_OWN_SHARE = 0.5


@dataclass
class ThemeModel:
    """Themes over a set of distinct documents (positions refer to the ``docs`` argument of
    :func:`find_themes`).

    ``labels[p]`` is the theme of ``docs[p]`` or -1 (too short / no usable words).
    ``terms[t]`` are (surface word, weight) pairs; ``quotes[t]`` positions of representative
    documents, closest to the theme centre first. ``k_scores`` maps each k tried to its
    stability (empty when k was given).
    """

    labels: np.ndarray
    k: int
    terms: list[list[tuple[str, float]]]
    quotes: list[list[int]]
    k_scores: dict[int, float] = field(default_factory=dict)

    def label(self, theme: int, n_words: int = 4) -> str:
        return ", ".join(w for w, _ in self.terms[theme][:n_words])


def find_themes(
    corpus: TokenizedCorpus,
    docs: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    texts: Sequence[str] | None = None,
    k: int | None = None,
    k_range: tuple[int, int] = DEFAULT_K_RANGE,
    n_quotes: int = 5,
    seed: int = 0,
    content: tuple[np.ndarray, np.ndarray] | None = None,
    progress: Callable[[float], None] | None = None,
) -> ThemeModel:
    """Cluster ``docs`` (document indices into ``corpus``) into themes.

    ``weights`` (e.g. duplicate-group sizes) scale each document's influence on the themes;
    ``texts`` (all texts of the corpus, original spelling) are used to pick quotes of a
    readable length and to show theme words with their accents. ``content`` (CSR indptr and
    stem ids, one row per ``docs`` entry) replaces the documents' content words, e.g. a
    campaign letter without its template.
    """
    report = progress or (lambda f: None)
    docs = np.asarray(docs, dtype=np.int64)
    weights = np.ones(len(docs)) if weights is None else np.asarray(weights, dtype=np.float64)
    lengths, usable, x, stem_ids, long, learn = _vectors(corpus, docs, weights, content)
    report(0.15)
    if learn.sum() < 2 or x.shape[1] < 2:
        return ThemeModel(labels=np.full(len(docs), -1, np.int64), k=0, terms=[], quotes=[])
    rng = np.random.default_rng(seed)
    # A bounded sample keeps the cost flat beyond ~60k distinct texts; assigning everyone to
    # the nearest centre is then a cheap matrix product.
    fit_idx = np.flatnonzero(learn)
    fit_idx = fit_idx[_sample(len(fit_idx), _FIT_SAMPLE, rng)]
    n_comp = int(min(_SVD_COMPONENTS, x.shape[1] - 1, max(2, len(fit_idx) - 1)))
    svd = TruncatedSVD(n_components=n_comp, random_state=seed, algorithm="randomized", n_iter=4)
    svd.fit(x[fit_idx])
    z = _project(x, svd.components_)
    report(0.35)
    k_scores: dict[int, float] = {}
    chosen = k is None
    if k is None:
        k, k_scores = _choose_k(z[fit_idx], k_range, rng, seed, report)
    k = int(max(1, min(k, len(fit_idx))))
    report(0.75)
    # Every text weighs the same in the centres: a campaign is one voice with many signatures,
    # its copies count in the theme sizes but never pull a theme its way.
    centres = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(z[fit_idx]).cluster_centers_
    assigned = _nearest(z, centres)
    # A text of one or two words joins the theme it clearly belongs to ("ciclorrutas ya"), or
    # stays unclassified ("gracias").
    short = np.flatnonzero(~long)
    similar = np.einsum("ij,ij->i", z[short], normalize(centres)[assigned[short]])
    assigned[short[similar < _SHORT_MIN_SIMILARITY]] = -1
    if chosen:  # a number of themes the analyst asked for is kept
        assigned, centres = _split_dominant(z, assigned, centres, weights[usable], seed)
    return _model(
        corpus,
        x,
        z,
        stem_ids,
        assigned,
        centres,
        usable,
        docs,
        weights,
        lengths,
        texts,
        n_quotes,
        k_scores,
        report,
    )


def _vectors(
    corpus: TokenizedCorpus,
    docs: np.ndarray,
    weights: np.ndarray,
    content: tuple[np.ndarray, np.ndarray] | None,
) -> tuple[np.ndarray, ...]:
    """Content lengths of all ``docs``; then, for the documents with words: their positions,
    TF-IDF rows, the stems of the columns, which are long enough to be learnt from or
    classified surely, and which the themes are learnt from."""
    if content is None:
        content = (corpus.content_indptr, corpus.content_ids)
        rows = docs
    else:
        rows = np.arange(len(docs))
    indptr, ids = content
    lengths = indptr[rows + 1] - indptr[rows]
    usable = np.flatnonzero(lengths >= 1)
    long = lengths[usable] >= MIN_TOKENS
    learn = _own_texts(weights[usable]) & long
    x, stem_ids = _tfidf(indptr, ids, len(corpus.stems), rows[usable], learn)
    has_terms = np.asarray(x.getnnz(axis=1) > 0)
    return lengths, usable[has_terms], x[has_terms], stem_ids, long[has_terms], learn[has_terms]


def _model(
    corpus: TokenizedCorpus,
    x: sparse.csr_matrix,
    z: np.ndarray,
    stem_ids: np.ndarray,
    assigned: np.ndarray,
    centres: np.ndarray,
    usable: np.ndarray,
    docs: np.ndarray,
    weights: np.ndarray,
    lengths: np.ndarray,
    texts: Sequence[str] | None,
    n_quotes: int,
    k_scores: dict[int, float],
    report: Callable[[float], None],
) -> ThemeModel:
    """Themes numbered by size (all contributions), largest first, with terms and quotes."""
    k = len(centres)
    classified = assigned >= 0
    size = np.bincount(assigned[classified], weights=weights[usable][classified], minlength=k)
    order = np.argsort(-size, kind="stable")
    remap = np.empty(k, np.int64)
    remap[order] = np.arange(k)
    usable, x, z, assigned = (
        usable[classified],
        x[classified],
        z[classified],
        remap[assigned[classified]],
    )
    centres = normalize(centres[order])
    labels = np.full(len(docs), -1, np.int64)
    labels[usable] = assigned
    report(0.85)
    terms = _top_terms(corpus, x, stem_ids, assigned, k, docs[usable], texts)
    quotes = _quotes(z, assigned, centres, usable, lengths, k, n_quotes)
    report(1.0)
    return ThemeModel(labels=labels, k=k, terms=terms, quotes=quotes, k_scores=k_scores)


def _tfidf(
    content_indptr: np.ndarray,
    content_ids: np.ndarray,
    n_stems: int,
    docs: np.ndarray,
    learn: np.ndarray,
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sublinear TF-IDF of the content stems of rows ``docs`` of the content CSR
    (pre-tokenised, so the text is not tokenised twice), with document-frequency bounds. The
    vocabulary and the IDF are learnt from the ``learn`` rows (a boolean mask over ``docs``)."""
    starts = content_indptr[docs]
    counts = content_indptr[docs + 1] - starts
    indptr = np.zeros(len(docs) + 1, np.int64)
    np.cumsum(counts, out=indptr[1:])
    gather = np.repeat(starts - indptr[:-1], counts) + np.arange(int(indptr[-1]))
    cols = content_ids[gather]
    n_stems = max(n_stems, 1)
    tf = sparse.csr_matrix(
        (np.ones(len(cols), np.float32), cols, indptr), shape=(len(docs), n_stems)
    )
    tf.sum_duplicates()
    learnt = tf[np.flatnonzero(learn)]
    n = learnt.shape[0]
    df = np.bincount(learnt.indices, minlength=n_stems)
    min_df = 2 if n >= 50 else 1
    keep = (df >= min_df) & (df <= max(0.5 * n, min_df))
    if keep.sum() > _MAX_FEATURES:
        cut = np.sort(df[keep])[-_MAX_FEATURES]
        keep &= df >= cut
    keep_idx = np.flatnonzero(keep)
    tf = tf[:, keep_idx]
    x = TfidfTransformer(sublinear_tf=True).fit(tf[np.flatnonzero(learn)]).transform(tf)
    return sparse.csr_matrix(x, dtype=np.float32), keep_idx


def _project(x: sparse.csr_matrix, components: np.ndarray) -> np.ndarray:
    """Unit-length LSA coordinates, computed in row blocks: the one-shot float64 product and
    its normalised copy would cost ~1 GB on a million texts."""
    comp_t = np.ascontiguousarray(components.T, dtype=np.float32)
    z = np.empty((x.shape[0], comp_t.shape[1]), np.float32)
    for s in range(0, x.shape[0], 100_000):
        block = np.asarray(x[s : s + 100_000] @ comp_t, dtype=np.float32)
        z[s : s + 100_000] = normalize(block)
    return z


def _sample(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    if n <= size:
        return np.arange(n)
    return np.sort(rng.choice(n, size=size, replace=False))


def _nearest(z: np.ndarray, centres: np.ndarray) -> np.ndarray:
    out = np.empty(len(z), np.int64)
    c = centres.astype(np.float32)
    for s in range(0, len(z), 200_000):
        out[s : s + 200_000] = np.argmax(z[s : s + 200_000] @ c.T, axis=1)
    return out


def _own_texts(weights: np.ndarray) -> np.ndarray:
    """Which texts the themes are learnt from (vocabulary, word space, centres): the texts
    people wrote themselves, when there are enough of them. A template that hundreds of
    campaign letters share would otherwise become a dimension of its own and gather the letters
    by their wording, whatever they ask for; campaigns are then placed in the themes their own
    words belong to, without pulling any theme their way."""
    own = weights <= _OWN_TEXT_MAX_COPIES
    if own.sum() >= _MIN_OWN_TEXTS and own.sum() >= _MIN_OWN_SHARE * len(weights):
        return own
    return np.ones(len(weights), bool)


def _split_dominant(
    z: np.ndarray, assigned: np.ndarray, centres: np.ndarray, weights: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """No theme holds more than a third of all opinions unless its texts really say one thing.

    Such a theme stays whole when one text (a campaign with its signatures) carries most of it,
    or when its texts are as close to its centre as the other themes' texts are to theirs (a
    big topic, not a mix). Otherwise it is split in two, if a two-way split is reproducible
    (two halves of it, clustered apart, agree on who goes where).
    """
    rng = np.random.default_rng(seed + 7919)
    centres = np.array(centres, dtype=np.float64)
    total = float(weights[assigned >= 0].sum())
    for _ in range(_MAX_DOMINANT_SPLITS):
        classified = assigned >= 0
        size = np.bincount(
            assigned[classified], weights=weights[classified], minlength=len(centres)
        )
        t = int(np.argmax(size))
        members = np.flatnonzero(assigned == t)
        if size[t] <= total / 3 or len(members) < 20 or weights[members].max() >= size[t] / 2:
            break
        others = np.flatnonzero(classified & (assigned != t))
        closeness = np.einsum("ij,ij->i", z, normalize(centres)[np.maximum(assigned, 0)])
        if len(others) and closeness[members].mean() >= closeness[others].mean() - 0.02:
            break
        sample = members[_sample(len(members), _SELECTION_SAMPLE, rng)]
        if _stability(z, sample, 2, rng, seed) < _SPLIT_STABILITY:
            break
        km = KMeans(n_clusters=2, n_init=4, random_state=seed).fit(z[sample])
        part = _nearest(z[members], km.cluster_centers_)
        centres[t] = km.cluster_centers_[0]
        centres = np.vstack([centres, km.cluster_centers_[1]])
        assigned[members[part == 1]] = len(centres) - 1
    return assigned, centres


def _stability(
    z: np.ndarray, sample: np.ndarray, k: int, rng: np.random.Generator, seed: int, pairs: int = 1
) -> float:
    """Mean adjusted Rand index between the labellings of ``sample`` by k-means models fitted
    on two random halves of it (``pairs`` times)."""
    scores = []
    for _ in range(pairs):
        perm = rng.permutation(sample)
        labellings = []
        for half in (perm[: len(perm) // 2], perm[len(perm) // 2 :]):
            km = KMeans(n_clusters=k, n_init=2, random_state=seed + k)
            km.fit(z[half])
            labellings.append(_nearest(z[sample], km.cluster_centers_))
        scores.append(adjusted_rand_score(*labellings))
    return float(np.mean(scores))


def _choose_k(
    z: np.ndarray,
    k_range: tuple[int, int],
    rng: np.random.Generator,
    seed: int,
    report: Callable[[float], None],
) -> tuple[int, dict[int, float]]:
    lo, hi = k_range
    sample = _sample(len(z), _SELECTION_SAMPLE, rng)
    hi = int(min(hi, max(2, len(sample) // 10)))
    lo = int(min(lo, hi))
    scores: dict[int, float] = {}
    ks = list(range(lo, hi + 1))
    for n, kk in enumerate(ks):
        # Several pairs of halves: one pair's score moves by ±0.1 with the draw alone.
        scores[kk] = _stability(z, sample, kk, rng, seed, pairs=_STABILITY_PAIRS)
        report(0.35 + 0.4 * (n + 1) / len(ks))
    # Larger k wins near-ties: a finer split that is just as reproducible is more useful to
    # the analyst than a coarse one.
    best = max(scores.values())
    chosen = max(kk for kk, s in scores.items() if s >= best - 0.02)
    return chosen, scores


def _top_terms(
    corpus: TokenizedCorpus,
    x: sparse.csr_matrix,
    stem_ids: np.ndarray,
    assigned: np.ndarray,
    k: int,
    doc_ids: np.ndarray,
    texts: Sequence[str] | None,
    n_terms: int = 8,
) -> list[list[tuple[str, float]]]:
    member = sparse.csr_matrix(
        (np.ones(len(assigned), np.float32), (assigned, np.arange(len(assigned)))),
        shape=(k, len(assigned)),
    )
    counts = np.maximum(np.bincount(assigned, minlength=k), 1).astype(np.float32)
    sums = np.asarray((member @ x).todense())
    means = sums / counts[:, None]
    total = sums.sum(axis=0)
    rest = (total[None, :] - sums) / np.maximum(len(assigned) - counts, 1)[:, None]
    # Distinctive rather than merely frequent: "necesitamos" is everywhere.
    score = means - rest
    top = [np.argsort(-score[t])[:n_terms] for t in range(k)]
    wanted = {int(stem_ids[c]) for row in top for c in row}
    display = corpus.stem_display(wanted)
    if texts is not None:
        rng = np.random.default_rng(0)
        sample = doc_ids[_sample(len(doc_ids), 20_000, rng)]
        accents = surface_forms(display.values(), (texts[i] for i in sample))
    else:
        accents = {}
    out = []
    for t in range(k):
        words: list[tuple[str, float]] = []
        seen: set[str] = set()
        for c in top[t]:
            if score[t, c] <= 0:
                break
            word = display[int(stem_ids[c])]
            word = accents.get(word, word)
            if word not in seen:
                seen.add(word)
                words.append((word, round(float(score[t, c]), 4)))
        out.append(words)
    return out


def _quotes(
    z: np.ndarray,
    assigned: np.ndarray,
    centres: np.ndarray,
    usable: np.ndarray,
    lengths: np.ndarray,
    k: int,
    n_quotes: int,
) -> list[list[int]]:
    """Positions (into ``docs``) of the members closest to each theme centre, preferring texts
    long enough to say something and short enough to read."""
    sim = np.einsum("ij,ij->i", z, centres[assigned])
    n_tok = lengths[usable]
    readable = (n_tok >= 5) & (n_tok <= 35)  # meaningful words: roughly 10 to 70 words of text
    out = []
    for t in range(k):
        members = np.flatnonzero(assigned == t)
        ranked = members[np.argsort(-sim[members] - readable[members].astype(np.float32))]
        out.append([int(usable[p]) for p in ranked[:n_quotes]])
    return out
