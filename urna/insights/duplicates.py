"""Mass campaigns and near-duplicates.

1. Exact duplicates: a 64-bit hash of each text's folded token sequence (so case, accents,
   punctuation and spacing do not matter).
2. Near-duplicates among the remaining distinct texts: MinHash signatures over word shingles,
   computed with vectorised NumPy over the whole corpus; banded LSH with the (bands, rows)
   that ``datasketch.MinHashLSH`` chooses for the threshold; every candidate pair is verified
   with the exact Jaccard similarity of the two shingle sets; union-find (connected components)
   turns verified pairs into groups.

Why not ``MinHashLSH.insert`` for everything: its dict-of-sets storage costs a few hundred bytes
per document per band (several GB for a million texts) and one Python call per document, while
sorting band hashes in NumPy does the same bucketing in a fraction of a second. The datasketch
index is still available (``lsh_backend="datasketch"``) for small inputs and cross-checks.

Within an LSH bucket only consecutive members (in a per-band random order) from different
components are compared: a campaign of 10,000 copies lands in one bucket, and comparing all its
pairs would cost 50 million verifications instead of ~10,000.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .campaigns import split_campaigns
from .text import TokenizedCorpus

__all__ = ["DuplicateAnalysis", "find_duplicates", "jaccard", "shingle_columns"]

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
# Documents per vectorised block: ~1M tokens, so block temporaries stay around 100 MB.
_DOC_CHUNK = 20_000


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a cheap, well-mixing 64-bit hash of integer arrays."""
    x = x.astype(np.uint64, copy=True)
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


@dataclass
class DuplicateAnalysis:
    """Duplicate structure of a corpus, by document index.

    ``group_of[i]`` is the group of document ``i``; every document belongs to exactly one group
    (most are singletons). Groups are numbered by their first member. ``representative[g]`` is
    the document shown for group ``g``; ``sizes[g]`` its number of members.
    ``exact_of[i]`` is the exact-duplicate class of document ``i`` (same numbering scheme).
    """

    group_of: np.ndarray
    representative: np.ndarray
    sizes: np.ndarray
    exact_of: np.ndarray
    # Shingle columns (see ``shingle_columns``) of the wording that several campaigns share: a
    # letter template whose copies were told apart by their own content. Sorted.
    template: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def n_groups(self) -> int:
        return len(self.sizes)

    def groups(self, min_size: int = 2) -> list[np.ndarray]:
        """Member indices (ascending) of the groups with at least ``min_size`` members,
        largest first."""
        order = np.argsort(self.group_of, kind="stable")
        bounds = np.concatenate(
            ([0], np.cumsum(np.bincount(self.group_of, minlength=self.n_groups)))
        )
        big = np.flatnonzero(self.sizes >= min_size)
        big = big[np.argsort(-self.sizes[big], kind="stable")]
        return [order[bounds[g] : bounds[g + 1]] for g in big]

    def exact_duplicate_count(self) -> int:
        """Documents that are an exact copy of an earlier one."""
        return int(len(self.exact_of) - len(np.unique(self.exact_of)))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sets given as arrays."""
    a, b = np.unique(a), np.unique(b)
    if len(a) == 0 and len(b) == 0:
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def find_duplicates(
    corpus: TokenizedCorpus,
    *,
    threshold: float = 0.5,
    shingle_size: int = 3,
    num_perm: int = 64,
    seed: int = 1,
    lsh_backend: Literal["numpy", "datasketch"] = "numpy",
    progress: Callable[[float], None] | None = None,
) -> DuplicateAnalysis:
    """Group exact and near-duplicate texts of ``corpus``.

    Two texts are near-duplicates when the Jaccard similarity of their sets of
    ``shingle_size``-word shingles is at least ``threshold``; groups are the transitive closure.
    Texts without any token are never grouped.
    """
    n = len(corpus)
    report = progress or (lambda f: None)
    exact_of = _exact_classes(corpus)
    report(0.1)
    distinct = np.flatnonzero(exact_of == np.arange(n))
    lengths = np.diff(corpus.raw_indptr)[distinct]
    # Empty texts have no content to compare; keep them out of LSH (they stay singletons).
    candidates = distinct[lengths > 0]
    sh_indptr, sh_ids = _shingles(corpus, candidates, shingle_size)
    report(0.25)
    near = np.arange(len(candidates))
    template = np.zeros(0, np.int64)
    if len(candidates) > 1:
        sig = _signatures(sh_indptr, sh_ids, num_perm, seed)
        report(0.55)
        sets = _set_matrix(sh_indptr, sh_ids)
        del sh_ids  # the largest array here; only the set matrix is needed from now on
        if lsh_backend == "datasketch":
            near = _datasketch_components(sig, sets, threshold, seed)
        else:
            near = _lsh_components(sig, sets, threshold, seed, lambda f: report(0.55 + 0.35 * f))
        del sig
        copies = np.bincount(exact_of, minlength=n)[candidates].astype(np.float64)

        def components(matrix: sparse.csr_matrix) -> np.ndarray:
            indptr = matrix.indptr.astype(np.int64)
            keys = matrix.indices.astype(np.uint64) << np.uint64(32)
            sig = _signatures(indptr, keys, num_perm, seed)
            return _lsh_components(sig, matrix, threshold, seed, lambda f: None)

        near, template = split_campaigns(near, sets, copies, components=components)
        near = _detach_far(near, sets, copies, threshold / 2)
    # Map: document -> its exact class's distinct document -> near-duplicate component.
    comp_of_distinct = np.full(n, -1, dtype=np.int64)
    comp_of_distinct[candidates] = near
    comp = comp_of_distinct[exact_of]
    # Documents outside LSH (empty) get their own singleton components.
    lonely = comp < 0
    comp[lonely] = near.max(initial=-1) + 1 + np.arange(int(lonely.sum()))
    group_of, sizes = _renumber_by_first(comp)
    representative = _representatives(group_of, sizes, exact_of, corpus)
    report(1.0)
    return DuplicateAnalysis(
        group_of=group_of,
        representative=representative,
        sizes=sizes,
        exact_of=exact_of,
        template=template,
    )


def _exact_classes(corpus: TokenizedCorpus) -> np.ndarray:
    """Index of the first document with the same token sequence, for every document."""
    n = len(corpus)
    lengths = np.diff(corpus.raw_indptr)
    s1 = np.zeros(n, np.uint64)
    s2 = np.zeros(n, np.uint64)
    # Chunked over documents so temporaries stay small on a million texts.
    for lo in range(0, n, _DOC_CHUNK):
        hi = min(n, lo + _DOC_CHUNK)
        start, end = int(corpus.raw_indptr[lo]), int(corpus.raw_indptr[hi])
        if end == start:
            continue
        chunk_len = lengths[lo:hi]
        local = corpus.raw_indptr[lo:hi] - start
        pos = np.arange(end - start, dtype=np.int64) - np.repeat(local, chunk_len)
        # Position-dependent token hashes summed per document: order-sensitive, vectorised,
        # and with 2 x 64 bits a collision between different texts is astronomically unlikely.
        tok = corpus.raw_ids[start:end].astype(np.uint64) * np.uint64(1_000_003)
        tok += pos.astype(np.uint64)
        nonempty = chunk_len > 0
        with np.errstate(over="ignore"):
            s1[lo:hi][nonempty] = np.add.reduceat(_mix64(tok), local[nonempty])
            s2[lo:hi][nonempty] = np.add.reduceat(
                _mix64(tok ^ np.uint64(0x5DEECE66D)), local[nonempty]
            )
    s1 ^= lengths.astype(np.uint64)
    keys = np.empty(n, dtype=[("a", np.uint64), ("b", np.uint64)])
    keys["a"], keys["b"] = s1, s2
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    exact = first[inverse.ravel()]
    empty = lengths == 0
    exact[empty] = np.flatnonzero(empty)
    return exact


def _shingles(corpus: TokenizedCorpus, docs: np.ndarray, w: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR of hashed ``w``-word shingles of ``docs`` (a text shorter than ``w`` words is one
    shingle)."""
    starts_all = corpus.raw_indptr[docs]
    lengths_all = corpus.raw_indptr[docs + 1] - starts_all
    counts_all = np.maximum(lengths_all - w + 1, 1)
    indptr = np.zeros(len(docs) + 1, np.int64)
    np.cumsum(counts_all, out=indptr[1:])
    out = np.empty(int(indptr[-1]), np.uint64)
    ids = corpus.raw_ids
    last = max(len(ids) - 1, 0)
    for lo in range(0, len(docs), _DOC_CHUNK):
        hi = min(len(docs), lo + _DOC_CHUNK)
        counts = counts_all[lo:hi]
        local = indptr[lo:hi] - indptr[lo]
        total = int(indptr[hi] - indptr[lo])
        offset = np.arange(total, dtype=np.int64) - np.repeat(local, counts)
        first = np.repeat(starts_all[lo:hi], counts) + offset
        length_of = np.repeat(lengths_all[lo:hi], counts)
        h = np.zeros(total, np.uint64)
        for k in range(w):
            # Positions past the end of a short text contribute a fixed filler value.
            tok = ids[np.minimum(first + k, last)].astype(np.uint64) if len(ids) else h
            tok = np.where(k < length_of - offset, tok, np.uint64(0xFFFFFFFF))
            h = _mix64(h * np.uint64(0x100000001B3) + tok + np.uint64(k))
        out[indptr[lo] : indptr[hi]] = h
    return indptr, out


def shingle_columns(
    corpus: TokenizedCorpus, docs: np.ndarray, w: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """CSR (indptr, columns) of the ``w``-word shingles of ``docs``, as columns of the set
    matrix (what :attr:`DuplicateAnalysis.template` holds)."""
    indptr, h = _shingles(corpus, np.asarray(docs, dtype=np.int64), w)
    return indptr, (h & np.uint64(0x7FFFFFFE)).astype(np.int64)


def _signatures(indptr: np.ndarray, h: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures (docs x num_perm, uint32) of the shingle-hash CSR."""
    rng = np.random.default_rng(seed)
    # Multiply-shift hashing of 32-bit keys, ((a*x + b) mod 2^64) >> 32, is 2-independent and
    # needs no division (datasketch's "mod 2^61-1" costs a slow integer modulo per element).
    a = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64)
    x = h >> np.uint64(32)
    n = len(indptr) - 1
    sig = np.empty((n, num_perm), dtype=np.uint32)
    starts = indptr[:-1]
    step = 2_000_000
    # Chunk over shingles so temporaries stay small; split only at document boundaries.
    doc_start = 0
    while doc_start < n:
        doc_end = int(np.searchsorted(indptr, indptr[doc_start] + step, side="right")) - 1
        doc_end = min(max(doc_end, doc_start + 1), n)
        lo, hi = int(indptr[doc_start]), int(indptr[doc_end])
        xs = x[lo:hi]
        local_starts = starts[doc_start:doc_end] - lo
        for p in range(num_perm):
            v = xs * a[p]
            v += b[p]
            v >>= np.uint64(32)
            sig[doc_start:doc_end, p] = np.minimum.reduceat(v, local_starts)
        doc_start = doc_end
    return sig


def _set_matrix(indptr: np.ndarray, h: np.ndarray) -> sparse.csr_matrix:
    """Binary documents x shingles matrix (duplicates within a document collapsed).

    Columns are the shingle hashes folded to 31 bits rather than ranks from ``np.unique``,
    which would need several corpus-sized temporaries; the few collisions this allows among
    millions of shingles do not move a Jaccard similarity measurably.
    """
    n = len(indptr) - 1
    cols = (h & np.uint64(0x7FFFFFFE)).astype(np.int32)
    m = sparse.csr_matrix((np.ones(len(h), np.int8), cols, indptr.copy()), shape=(n, 0x7FFFFFFF))
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def _verify(sets: sparse.csr_matrix, sizes: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Exact Jaccard similarity of the shingle sets of the pairs (i[k], j[k])."""
    out = np.empty(len(i), np.float64)
    step = 200_000
    for s in range(0, len(i), step):
        a, b = i[s : s + step], j[s : s + step]
        # Binary rows: the product stores exactly the shared shingles, so counting stored
        # entries per row is the intersection size (and avoids sum()'s column-sized vector).
        both = sets[a].multiply(sets[b])
        inter = np.diff(sparse.csr_matrix(both).indptr)
        out[s : s + step] = inter / (sizes[a] + sizes[b] - inter)
    return out


def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=_lsh_threshold(threshold), num_perm=num_perm)
    return lsh.b, lsh.r


def _lsh_threshold(threshold: float) -> float:
    # Candidates are verified exactly, so the index is tuned below the real threshold: with 64
    # permutations this gives 21 bands of 3 rows, catching a pair at Jaccard 0.5 with
    # probability 0.94 (0.64 when tuned at 0.5) for more, cheap, vectorised verifications.
    return max(0.05, threshold - 0.15)


def _lsh_components(
    sig: np.ndarray,
    sets: sparse.csr_matrix,
    threshold: float,
    seed: int,
    report: Callable[[float], None],
) -> np.ndarray:
    n, num_perm = sig.shape
    bands, rows = _lsh_params(threshold, num_perm)
    sizes = np.diff(sets.indptr).astype(np.float64)
    rng = np.random.default_rng(seed + 1)
    edges_i: list[np.ndarray] = []
    edges_j: list[np.ndarray] = []
    labels = np.arange(n)
    for band in range(bands):
        block = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.zeros(n, np.uint64)
        for c in range(rows):
            key = _mix64(key * np.uint64(31) + block[:, c])
        # Sort by bucket, then component, then a random tie-break: keep one member per
        # (bucket, component) and chain consecutive survivors inside each bucket.
        order = np.lexsort((rng.random(n), labels, key))
        k_sorted, c_sorted = key[order], labels[order]
        first_of_comp = np.ones(n, bool)
        first_of_comp[1:] = (k_sorted[1:] != k_sorted[:-1]) | (c_sorted[1:] != c_sorted[:-1])
        kept = order[first_of_comp]
        kept_keys = k_sorted[first_of_comp]
        same_bucket = kept_keys[1:] == kept_keys[:-1]
        i, j = kept[:-1][same_bucket], kept[1:][same_bucket]
        if len(i):
            ok = _verify(sets, sizes, i, j) >= threshold
            if ok.any():
                edges_i.append(i[ok])
                edges_j.append(j[ok])
                labels = _components(n, edges_i, edges_j)
        report((band + 1) / bands)
    return labels


def _components(n: int, edges_i: list[np.ndarray], edges_j: list[np.ndarray]) -> np.ndarray:
    if not edges_i:
        return np.arange(n)
    i, j = np.concatenate(edges_i), np.concatenate(edges_j)
    graph = sparse.coo_matrix((np.ones(len(i), np.int8), (i, j)), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=False)
    return labels


def _datasketch_components(
    sig: np.ndarray, sets: sparse.csr_matrix, threshold: float, seed: int
) -> np.ndarray:
    """Reference implementation on ``datasketch.MinHashLSH`` (slow and memory-hungry on large
    inputs; meant for small corpora and for cross-checking the NumPy path)."""
    from datasketch import LeanMinHash, MinHashLSH

    n, num_perm = sig.shape
    lsh = MinHashLSH(threshold=_lsh_threshold(threshold), num_perm=num_perm)
    hashes = [LeanMinHash(seed=seed, hashvalues=sig[i], scheme="affine32") for i in range(n)]
    with lsh.insertion_session() as session:
        for i, mh in enumerate(hashes):
            session.insert(i, mh, check_duplication=False)
    sizes = np.diff(sets.indptr).astype(np.float64)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, mh in enumerate(hashes):
        for j in lsh.query(mh):
            if j <= i or find(i) == find(j):
                continue
            if _verify(sets, sizes, np.array([i]), np.array([j]))[0] >= threshold:
                parent[find(j)] = find(i)
    return np.array([find(i) for i in range(n)])


def _detach_far(
    labels: np.ndarray, sets: sparse.csr_matrix, copies: np.ndarray, min_similarity: float
) -> np.ndarray:
    """Texts that joined a group only through a chain of others (A is like B, B like C, C like
    D) leave it when they are far from the group's most copied text: people who each reused a
    sentence or two of a common pool are not a campaign. A campaign's copies, signed, cut short
    or with typos, stay close to the text they copied."""
    order = np.lexsort((-copies, labels))
    first = np.r_[True, labels[order][1:] != labels[order][:-1]]
    centre_of = np.empty(int(labels.max(initial=-1)) + 1, np.int64)
    centre_of[labels[order][first]] = order[first]
    centre = centre_of[labels]
    grouped = np.flatnonzero(centre != np.arange(len(labels)))
    if not len(grouped):
        return labels
    sizes = np.diff(sets.indptr).astype(np.float64)
    similar = _verify(sets, sizes, grouped, centre[grouped])
    far = grouped[similar < min_similarity]
    labels = labels.copy()
    labels[far] = labels.max() + 1 + np.arange(len(far))
    return labels


def _renumber_by_first(comp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Relabel components 0..G-1 in order of their first document; return labels and sizes."""
    _, first, inverse = np.unique(comp, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    rank = np.empty(len(first), np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    group_of = rank[inverse]
    return group_of, np.bincount(group_of, minlength=len(first))


def _representatives(
    group_of: np.ndarray, sizes: np.ndarray, exact_of: np.ndarray, corpus: TokenizedCorpus
) -> np.ndarray:
    """The member of each group closest to its typical text.

    Singletons and exact-only groups: the first member. Groups with variants: the earliest copy
    of the most frequent exact variant, ties broken towards the variant sharing most tokens with
    the rest of the group (so a signed copy does not beat the bare campaign text).
    """
    n_groups = len(sizes)
    rep = np.full(n_groups, -1, np.int64)
    # First member of each group (documents are visited in order).
    first = np.full(n_groups, len(group_of), np.int64)
    np.minimum.at(first, group_of, np.arange(len(group_of)))
    rep[:] = first
    multi = np.flatnonzero(sizes > 1)
    if not len(multi):
        return rep
    # Variant counts: how many documents share each exact class, per group.
    in_multi = np.isin(group_of, multi)
    docs = np.flatnonzero(in_multi)
    classes, counts = np.unique(exact_of[docs], return_counts=True)
    class_group = group_of[classes]
    order = np.lexsort((-counts, class_group))
    classes, counts, class_group = classes[order], counts[order], class_group[order]
    starts = np.flatnonzero(np.r_[True, class_group[1:] != class_group[:-1]])
    ends = np.r_[starts[1:], len(classes)]
    for s, e in zip(starts, ends, strict=True):
        g = class_group[s]
        top = classes[s:e][counts[s:e] == counts[s]]
        if len(top) == 1 or e - s == 1:
            rep[g] = top[0]
            continue
        rep[g] = _most_central(top[:50], classes[s:e][:200], corpus)
    return rep


def _most_central(options: np.ndarray, members: np.ndarray, corpus: TokenizedCorpus) -> int:
    member_sets = [set(corpus.raw_tokens(int(m)).tolist()) for m in members]
    best, best_score = int(options[0]), -1.0
    for o in options:
        toks = set(corpus.raw_tokens(int(o)).tolist())
        score = sum(len(toks & s) / max(1, len(toks | s)) for s in member_sets)
        if score > best_score:
            best, best_score = int(o), score
    return best
