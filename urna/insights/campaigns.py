"""Mail-merge campaigns: tell apart letters that share a template, and drop the template.

A campaign letter is a long preamble ("Nosotros, la junta de acción comunal de la vereda …,
reunidos en asamblea …"), a few demands and a long closing about the signatures. Many campaigns
use the same preamble and closing with only the community's name changed, so two letters of
different campaigns, on different topics, can share most of their word shingles: near-duplicate
detection alone chains them into one group, and that group's representative then decides the
theme of every copy (the owners' held-out corpus put 53% of all opinions in one theme that way).

What tells campaigns apart is the part of their text that is NOT shared by everybody in the
group. :func:`split_campaigns` looks inside each near-duplicate group:

1. the *core* is the wording carried by most of the group's copies (weighted by copies);
2. the *variant* wording is the rest, kept only where at least two copies carry it (a typo or a
   signature of one person is noise, not a campaign);
3. copies whose variant wording is long enough are regrouped by it (the same near-duplicate
   rule, on the variant shingles only); copies with no variant wording of their own form one
   more part;
4. largest first, each part joins the first campaign it is not distinct from: another campaign
   lacks wording the first carries AND carries about as much of its own instead (copies that
   dropped a sentence, kept only the preamble or added a signer are the same campaign);
5. a split that leaves two or more campaigns is kept, and each is examined again (the wording
   two campaigns out of four share is core only inside those two).

Then the template: the wording every part of a split carries, and the long passages
(:data:`TEMPLATE_RUN` shingles) that letters placed on different themes share word for word
(:func:`shared_runs`; the pipeline first places the letters on their whole text). Themes are
computed on each letter's own words (:func:`template_level` marks the template's tokens): the
template is boilerplate that says nothing about what the campaign asks for, while the demands
that several campaigns on one topic copied from each other stay theirs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import sparse

__all__ = ["shared_runs", "split_campaigns", "template_level"]

# Share of a group's copies (weighted) above which a shingle is the group's common wording.
CORE_SHARE = 0.8
# Variant shingles a copy needs before it can start a campaign of its own: about one short
# sentence (a name and a cédula number repeated by one signer are one or two shingles).
MIN_VARIANT_SHINGLES = 5
# Copies a regrouped part needs to stand as a campaign (a person who sent twice is not one).
MIN_PART_COPIES = 3
MAX_DEPTH = 4

Components = Callable[[sparse.csr_matrix], np.ndarray]


def split_campaigns(
    labels: np.ndarray,
    sets: sparse.csr_matrix,
    copies: np.ndarray,
    *,
    components: Components,
) -> tuple[np.ndarray, np.ndarray]:
    """Split the near-duplicate groups (``labels`` of the rows of ``sets``) that chain several
    campaigns through a shared template.

    ``sets`` is the binary texts × shingle-column matrix, ``copies`` the number of copies
    behind each row (exact duplicates collapsed), ``components(matrix)`` labels the rows of a
    binary matrix by the near-duplicate rule. Returns the new labels and the sorted template
    shingle columns.
    """
    labels = np.asarray(labels, dtype=np.int64).copy()
    template: list[np.ndarray] = []
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.r_[True, labels[order][1:] != labels[order][:-1], True])
    pending = [(order[s:e], 0) for s, e in zip(bounds[:-1], bounds[1:], strict=True) if e - s >= 2]
    next_label = int(labels.max(initial=-1)) + 1
    while pending:
        members, depth = pending.pop()
        parts, shared = _split(sets[members], copies[members], components)
        if len(parts) < 2:
            continue
        template.append(shared)
        for part in parts[1:]:
            labels[members[part]] = next_label
            next_label += 1
        if depth + 1 < MAX_DEPTH:
            pending.extend((members[p], depth + 1) for p in parts if len(p) >= 2)
    cols = np.unique(np.concatenate(template)) if template else np.zeros(0, np.int64)
    return labels, cols.astype(np.int64)


def _split(
    rows: sparse.csr_matrix, copies: np.ndarray, components: Components
) -> tuple[list[np.ndarray], np.ndarray]:
    """Parts (row positions) of one group, the core part first, and the shingle columns shared
    by two or more parts. A single part means the group is one campaign."""
    cols, local = np.unique(rows.indices, return_inverse=True)
    m = sparse.csr_matrix(
        (np.ones(len(local), np.float32), local.ravel(), rows.indptr),
        shape=(rows.shape[0], len(cols)),
    )
    weight = np.asarray(m.T @ copies, dtype=np.float64).ravel()
    total = float(copies.sum())
    variant = (weight < CORE_SHARE * total) & (weight >= 2)
    if not variant.any():
        return [np.arange(rows.shape[0])], np.zeros(0, np.int64)
    v = sparse.csr_matrix(m[:, np.flatnonzero(variant)])
    own = np.asarray(v.getnnz(axis=1)) >= MIN_VARIANT_SHINGLES
    if own.sum() < 1:
        return [np.arange(rows.shape[0])], np.zeros(0, np.int64)
    part_of = np.full(rows.shape[0], -1, np.int64)
    with_own = np.flatnonzero(own)
    part_of[with_own] = components(v[with_own])
    # Parts too small to be a campaign go back to the core part.
    ids, inverse = np.unique(part_of[with_own], return_inverse=True)
    size = np.bincount(inverse.ravel(), weights=copies[with_own], minlength=len(ids))
    small = size < MIN_PART_COPIES
    part_of[with_own[small[inverse.ravel()]]] = -1
    parts = [np.flatnonzero(part_of == p) for p in np.unique(part_of)]
    parts = [p for p in parts if len(p)]
    parts.sort(key=lambda p: -copies[p].sum())
    # Largest first, each part joins the first campaign it is not distinct from. A part is
    # another campaign when it lacks wording that campaign carries AND carries about as much
    # wording of its own instead (other demands, another community): copies that dropped a
    # sentence, kept only the preamble, or added a greeting or a signer, lack more than they
    # add, or add nothing.
    campaigns: list[list[np.ndarray]] = []
    carried: list[np.ndarray] = []
    for p in parts:
        c = _carried(m[p], copies[p])
        for n, reference in enumerate(carried):
            lacks = np.count_nonzero(reference & ~c)
            adds = np.count_nonzero(c & ~reference)
            if lacks < MIN_VARIANT_SHINGLES or adds < max(MIN_VARIANT_SHINGLES, lacks / 2):
                campaigns[n].append(p)
                break
        else:
            campaigns.append([p])
            carried.append(c)
    parts = [np.sort(np.concatenate(c)) for c in campaigns]
    if len(parts) < 2:
        return parts, np.zeros(0, np.int64)
    # Template: the wording that (nearly) every part carries, in at least half of its copies.
    # Wording only some parts share (two campaigns on one topic asking the same thing) stays
    # theirs.
    carriers = np.sum([_carried(m[p], copies[p]) for p in parts], axis=0)
    needed = max(2, int(np.ceil(CORE_SHARE * len(parts))))
    return parts, cols[carriers >= needed].astype(np.int64)


def _carried(rows: sparse.csr_matrix, copies: np.ndarray) -> np.ndarray:
    """Columns that at least half of the rows' copies carry."""
    share = np.asarray(rows.T @ copies, dtype=np.float64).ravel() / copies.sum()
    return share >= 0.5


def template_level(
    raw_indptr: np.ndarray,
    shingle_indptr: np.ndarray,
    shingle_cols: np.ndarray,
    template_cols: np.ndarray,
    template_carriers: np.ndarray,
    shingle_size: int,
) -> np.ndarray:
    """How template-like each raw token of some texts is: 0 for the texts' own words, else the
    number of campaigns that carry the most widely shared template shingle covering it.

    ``raw_indptr`` delimits the texts' raw tokens (concatenated in the same order as the
    shingles), ``shingle_indptr``/``shingle_cols`` their shingles; shingle ``k`` of a text
    covers its tokens ``k .. k + shingle_size - 1``. ``template_cols`` (sorted) and
    ``template_carriers`` give each template column's campaign count. Any template shingle
    covering a token makes it template: the words where a community's name meets the template
    ("… de Pitalito, reunidos en asamblea …") go with the template, the name stays.
    """
    n_tokens = int(raw_indptr[-1] - raw_indptr[0])
    level = np.zeros(n_tokens, np.int64)
    if not len(template_cols):
        return level
    pos = np.searchsorted(template_cols, shingle_cols)
    pos = np.minimum(pos, len(template_cols) - 1)
    hit = template_cols[pos] == shingle_cols
    carriers = np.where(hit, template_carriers[pos], 0)
    lengths = np.diff(raw_indptr)
    counts = np.diff(shingle_indptr)
    token_start = np.repeat(raw_indptr[:-1] - raw_indptr[0], counts)
    offset = np.arange(len(shingle_cols)) - np.repeat(shingle_indptr[:-1], counts)
    start = token_start + offset
    doc_len = np.repeat(lengths, counts)
    for k in range(shingle_size):
        ok = hit & (offset + k < doc_len)
        np.maximum.at(level, start[ok] + k, carriers[ok])
    return level


# A template is long: a run of this many shingles (about as many words) that at least
# TEMPLATE_CAMPAIGNS campaigns on different themes carry word for word.
# A demand two campaigns share is a sentence; a preamble or a closing about signatures is a
# paragraph.
TEMPLATE_RUN = 15
TEMPLATE_CAMPAIGNS = 3
TEMPLATE_THEME_SHARE = 0.5


def shared_runs(
    shingle_indptr: np.ndarray, shingle_cols: np.ndarray, theme: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The long passages campaigns on different themes share word for word.

    The rows of the shingle CSR are campaign letters; ``theme[row]`` is the theme each letter
    goes to on its whole text. A passage is template when at least ``TEMPLATE_CAMPAIGNS``
    letters carry it and no single theme holds more than ``TEMPLATE_THEME_SHARE`` of them: the
    demands several campaigns on one topic copied are theirs, the preamble that campaigns on
    roads, credit and health all open with is not. Returns the sorted template columns (in
    passages of ``TEMPLATE_RUN`` shingles or more), and the columns carried by letters of
    several themes (sorted) with their number of carrying letters.
    """
    none = np.zeros(0, np.int64)
    counts = np.diff(shingle_indptr)
    row_of = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    if not len(row_of):
        return none, none, none
    # Letters carrying each column, each letter once (row and column in one int64 key).
    keys = np.unique((row_of << np.int64(31)) | shingle_cols)
    key_cols = keys & np.int64(0x7FFFFFFF)
    cols, first, carriers = np.unique(key_cols, return_index=True, return_counts=True)
    # Carriers of the most common theme, per column: count (column, theme) pairs.
    pairs = (key_cols << np.int64(20)) | (theme[keys >> np.int64(31)] + 1)
    pair_keys, pair_counts = np.unique(pairs, return_counts=True)
    top = np.zeros(len(cols), np.int64)
    np.maximum.at(top, np.searchsorted(cols, pair_keys >> np.int64(20)), pair_counts)
    across = (carriers >= 2) & (top <= TEMPLATE_THEME_SHARE * carriers)
    cols, carriers = cols[across], carriers[across]
    common = cols[carriers >= TEMPLATE_CAMPAIGNS]
    marked = np.isin(shingle_cols, common)
    if not marked.any():
        return none, cols, carriers
    # Runs of consecutive marked shingles, cut at text boundaries.
    bounds = shingle_indptr[1:-1]
    joined = bounds[marked[bounds] & marked[bounds - 1]]
    edge = np.diff(np.r_[0, marked.astype(np.int8), 0])
    starts = np.sort(np.r_[np.flatnonzero(edge == 1), joined])
    ends = np.sort(np.r_[np.flatnonzero(edge == -1), joined])
    long = (ends - starts) >= TEMPLATE_RUN
    if not long.any():
        return none, cols, carriers
    depth = np.zeros(len(shingle_cols) + 1, np.int64)
    np.add.at(depth, starts[long], 1)
    np.add.at(depth, ends[long], -1)
    return np.unique(shingle_cols[np.cumsum(depth)[:-1] > 0]), cols, carriers
