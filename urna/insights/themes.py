"""Themes: TF-IDF over distinct texts, LSA, k-means, automatic choice of the number of themes.

Only one text per duplicate group takes part (a campaign pasted 5,000 times is one opinion
in its wording, not 5,000), with a sample weight growing with the logarithm of the group size
so that large campaigns still pull their theme's centre a little, without owning it.

The number of themes is chosen by stability: two halves of a sample are clustered
independently, both models label the whole sample, and the adjusted Rand index between the two
labellings measures how reproducible a k is. Silhouette is a poor guide on TF-IDF text (it
mostly rewards small k); stability drops as soon as k forces arbitrary splits or merges.
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
    progress: Callable[[float], None] | None = None,
) -> ThemeModel:
    """Cluster ``docs`` (document indices into ``corpus``) into themes.

    ``weights`` (e.g. duplicate-group sizes) scale each document's influence on the themes;
    ``texts`` (all texts of the corpus, original spelling) are used to pick quotes of a
    readable length and to show theme words with their accents.
    """
    report = progress or (lambda f: None)
    docs = np.asarray(docs, dtype=np.int64)
    weights = np.ones(len(docs)) if weights is None else np.asarray(weights, dtype=np.float64)
    labels = np.full(len(docs), -1, np.int64)
    lengths = corpus.content_indptr[docs + 1] - corpus.content_indptr[docs]
    usable = np.flatnonzero(lengths >= MIN_TOKENS)
    x, stem_ids = _tfidf(corpus, docs[usable])
    has_terms = np.asarray(x.getnnz(axis=1) > 0)
    usable, x = usable[has_terms], x[has_terms]
    report(0.15)
    if len(usable) < 2 or x.shape[1] < 2:
        return ThemeModel(labels=labels, k=0, terms=[], quotes=[])
    rng = np.random.default_rng(seed)
    # Bounded sample for fitting keeps the cost flat beyond ~60k distinct texts; assignment to
    # the nearest centre is then a cheap matrix product for everyone.
    fit_idx = _sample(len(usable), _FIT_SAMPLE, rng)
    n_comp = int(min(_SVD_COMPONENTS, x.shape[1] - 1, max(2, len(fit_idx) - 1)))
    svd = TruncatedSVD(n_components=n_comp, random_state=seed, algorithm="randomized", n_iter=4)
    svd.fit(x[fit_idx])
    z = _project(x, svd.components_)
    report(0.35)
    sample_weight = 1.0 + np.log(np.maximum(weights[usable], 1.0))
    k_scores: dict[int, float] = {}
    if k is None:
        k, k_scores = _choose_k(z, sample_weight, k_range, rng, seed, report)
    k = int(max(1, min(k, len(usable))))
    report(0.75)
    km = KMeans(n_clusters=k, n_init=4, random_state=seed)
    km.fit(z[fit_idx], sample_weight=sample_weight[fit_idx])
    assigned = _nearest(z, km.cluster_centers_)
    # Themes numbered by size (all contributions), largest first.
    size = np.bincount(assigned, weights=weights[usable], minlength=k)
    order = np.argsort(-size, kind="stable")
    remap = np.empty(k, np.int64)
    remap[order] = np.arange(k)
    assigned = remap[assigned]
    centres = normalize(km.cluster_centers_[order])
    labels[usable] = assigned
    report(0.85)
    terms = _top_terms(corpus, x, stem_ids, assigned, k, docs[usable], texts)
    quotes = _quotes(z, assigned, centres, usable, lengths, k, n_quotes)
    report(1.0)
    return ThemeModel(labels=labels, k=k, terms=terms, quotes=quotes, k_scores=k_scores)


def _tfidf(corpus: TokenizedCorpus, docs: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sublinear TF-IDF of the content stems of ``docs`` (pre-tokenised, so the text is not
    tokenised twice), with document-frequency bounds."""
    starts = corpus.content_indptr[docs]
    counts = corpus.content_indptr[docs + 1] - starts
    indptr = np.zeros(len(docs) + 1, np.int64)
    np.cumsum(counts, out=indptr[1:])
    gather = np.repeat(starts - indptr[:-1], counts) + np.arange(int(indptr[-1]))
    cols = corpus.content_ids[gather]
    n_stems = max(len(corpus.stems), 1)
    tf = sparse.csr_matrix(
        (np.ones(len(cols), np.float32), cols, indptr), shape=(len(docs), n_stems)
    )
    tf.sum_duplicates()
    n = len(docs)
    df = np.bincount(tf.indices, minlength=n_stems)
    min_df = 2 if n >= 50 else 1
    keep = (df >= min_df) & (df <= max(0.5 * n, min_df))
    if keep.sum() > _MAX_FEATURES:
        cut = np.sort(df[keep])[-_MAX_FEATURES]
        keep &= df >= cut
    keep_idx = np.flatnonzero(keep)
    tf = tf[:, keep_idx]
    x = TfidfTransformer(sublinear_tf=True).fit_transform(tf)
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


def _choose_k(
    z: np.ndarray,
    w: np.ndarray,
    k_range: tuple[int, int],
    rng: np.random.Generator,
    seed: int,
    report: Callable[[float], None],
) -> tuple[int, dict[int, float]]:
    lo, hi = k_range
    sample = _sample(len(z), _SELECTION_SAMPLE, rng)
    hi = int(min(hi, max(2, len(sample) // 10)))
    lo = int(min(lo, hi))
    perm = rng.permutation(sample)
    half_a, half_b = perm[: len(perm) // 2], perm[len(perm) // 2 :]
    scores: dict[int, float] = {}
    ks = list(range(lo, hi + 1))
    for n, kk in enumerate(ks):
        labellings = []
        for half in (half_a, half_b):
            km = KMeans(n_clusters=kk, n_init=2, random_state=seed + kk)
            km.fit(z[half], sample_weight=w[half])
            labellings.append(_nearest(z[sample], km.cluster_centers_))
        scores[kk] = float(adjusted_rand_score(*labellings))
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
