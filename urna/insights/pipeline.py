"""End-to-end analysis: text -> duplicates -> themes, and small-cell-safe breakdowns.

Plain data in, plain data out: ``items`` are ``(id, text)`` pairs and the result is made of
dataclasses with a JSON-ready ``to_dict()``, so the Django side can feed it from any queryset
and store or render the result as it sees fit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .campaigns import TEMPLATE_RUN, shared_runs, template_level
from .duplicates import DuplicateAnalysis, find_duplicates, shingle_columns
from .text import release_memory, tokenize_corpus
from .themes import DEFAULT_K_RANGE, MIN_TOKENS, find_themes

__all__ = [
    "AnalysisResult",
    "Breakdown",
    "BreakdownCell",
    "BreakdownRow",
    "DuplicateGroup",
    "Quote",
    "Statistics",
    "Theme",
    "analyse",
    "breakdown",
    "breakdown_table",
    "UNCLASSIFIED_ID",
]

ProgressCallback = Callable[[str, float], None]

UNCLASSIFIED_ID = -1
# Share of a campaign letter's words that must be left once its template is set aside.
_OWN_SHARE = 0.15
UNCLASSIFIED_LABEL = "Sin clasificar (texto muy corto o sin palabras significativas)"
MISSING_VALUE = "Sin dato"

# Start and end (as overall fractions) of each stage, roughly its share of the run as measured
# on 100k texts, so the progress bar moves evenly.
_STAGES = (("text", 0.0, 0.35), ("duplicates", 0.35, 0.65), ("themes", 0.65, 0.97))


@dataclass
class Quote:
    id: Hashable
    text: str


@dataclass
class Theme:
    id: int
    label: str
    terms: list[str]
    size: int  # all contributions, duplicates included
    distinct_size: int  # one per duplicate group
    member_ids: list[Hashable]
    quotes: list[Quote]


@dataclass
class DuplicateGroup:
    id: int
    size: int
    representative_id: Hashable
    representative_text: str
    member_ids: list[Hashable]
    exact: bool  # every member has the same folded text
    theme_id: int


@dataclass
class Statistics:
    contributions: int
    distinct_contributions: int
    exact_duplicates: int  # contributions identical (after folding) to an earlier one
    in_duplicate_groups: int  # contributions belonging to a group of 2 or more
    duplicate_groups: int
    unclassified: int
    unclassified_distinct: int
    themes: int
    k_scores: dict[int, float]
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class AnalysisResult:
    themes: list[Theme]
    unclassified_ids: list[Hashable]
    duplicate_groups: list[DuplicateGroup]
    statistics: Statistics

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        # JSON object keys must be strings.
        data["statistics"]["k_scores"] = {str(k): v for k, v in self.statistics.k_scores.items()}
        return data

    def theme_of(self) -> dict[Hashable, int]:
        """Theme id of every contribution (``UNCLASSIFIED_ID`` for the unclassified)."""
        out: dict[Hashable, int] = dict.fromkeys(self.unclassified_ids, UNCLASSIFIED_ID)
        for theme in self.themes:
            out.update(dict.fromkeys(theme.member_ids, theme.id))
        return out


def analyse(
    items: Iterable[tuple[Hashable, str]],
    *,
    k: int | None = None,
    k_range: tuple[int, int] = DEFAULT_K_RANGE,
    progress: ProgressCallback | None = None,
    seed: int = 0,
) -> AnalysisResult:
    """Analyse contributions given as ``(id, text)`` pairs.

    ``k`` fixes the number of themes; otherwise it is chosen within ``k_range``.
    ``progress(stage, fraction)`` is called with the stage name ("text", "duplicates",
    "themes", "done") and the overall fraction done (0..1).
    """
    ids, texts = _read_items(items)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    corpus = tokenize_corpus(texts, progress=_stage_reporter(progress, 0))
    release_memory()
    t1 = time.perf_counter()
    seconds["text"] = round(t1 - t0, 3)
    dups = find_duplicates(corpus, progress=_stage_reporter(progress, 1))
    release_memory()
    t2 = time.perf_counter()
    seconds["duplicates"] = round(t2 - t1, 3)
    # Themes are learnt from the texts people wrote themselves, so placing the campaign letters
    # twice costs little: first on their whole text, which tells which shared passages travel
    # across themes (the template), then on their own words.
    first = find_themes(corpus, dups.representative, dups.sizes, k=k, k_range=k_range, seed=seed)
    model = find_themes(
        corpus,
        dups.representative,
        dups.sizes,
        texts=texts,
        content=representative_content(corpus, dups, first.labels),
        k=k,
        k_range=k_range,
        seed=seed,
        progress=_stage_reporter(progress, 2),
    )
    t3 = time.perf_counter()
    seconds["themes"] = round(t3 - t2, 3)

    ids_arr = np.empty(len(ids), dtype=object)
    ids_arr[:] = ids
    themes, unclassified = _themes(model, dups, ids, ids_arr, texts)
    groups = _duplicate_groups(model, dups, ids, ids_arr, texts)
    stats = Statistics(
        contributions=len(ids),
        distinct_contributions=dups.n_groups,
        exact_duplicates=dups.exact_duplicate_count(),
        in_duplicate_groups=int(dups.sizes[dups.sizes >= 2].sum()),
        duplicate_groups=len(groups),
        unclassified=len(unclassified),
        unclassified_distinct=int((model.labels < 0).sum()),
        themes=model.k,
        k_scores={int(a): round(b, 4) for a, b in model.k_scores.items()},
        seconds=seconds,
    )
    if progress is not None:
        progress("done", 1.0)
    return AnalysisResult(
        themes=themes,
        unclassified_ids=ids_arr[unclassified].tolist(),
        duplicate_groups=groups,
        statistics=stats,
    )


def representative_content(
    corpus: Any, dups: DuplicateAnalysis, themes: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Content stems (CSR, one row per duplicate group) of each group's representative, campaign
    letters without their template wording; None when there is no template.

    Template wording: what the letters told apart inside one near-duplicate group all carry
    (``dups.template``) and the long passages several campaigns share word for word. A letter
    that is nothing but shared passages (campaigns that copied both the template and the same
    list of demands) keeps its least shared words: the demands a few campaigns share, not the
    preamble hundreds do. A person's own text that happens to use phrases some letters have
    keeps every word.
    """
    reps = dups.representative
    raw_lengths = corpus.raw_indptr[reps + 1] - corpus.raw_indptr[reps]
    letters = np.flatnonzero((dups.sizes >= 2) & (raw_lengths >= 2 * TEMPLATE_RUN))
    stripped = _letters_content(corpus, reps[letters], dups.template, themes[letters])
    if stripped is None:
        return None
    letter_indptr, letter_ids = stripped
    lengths = corpus.content_indptr[reps + 1] - corpus.content_indptr[reps]
    lengths[letters] = np.diff(letter_indptr)
    indptr = np.zeros(len(reps) + 1, np.int64)
    np.cumsum(lengths, out=indptr[1:])
    ids = np.empty(int(indptr[-1]), np.int32)
    others = np.ones(len(reps), bool)
    others[letters] = False
    _copy_rows(
        ids,
        indptr[:-1][others],
        corpus.content_ids,
        corpus.content_indptr[reps[others]],
        lengths[others],
    )
    _copy_rows(ids, indptr[:-1][letters], letter_ids, letter_indptr[:-1], lengths[letters])
    return indptr, ids


def _copy_rows(
    out: np.ndarray,
    out_starts: np.ndarray,
    src: np.ndarray,
    src_starts: np.ndarray,
    lengths: np.ndarray,
) -> None:
    """``out[out_starts[i] : +lengths[i]] = src[src_starts[i] : +lengths[i]]`` for every row."""
    total = int(lengths.sum())
    if not total:
        return
    offset = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    out[np.repeat(out_starts, lengths) + offset] = src[np.repeat(src_starts, lengths) + offset]


def _letters_content(
    corpus: Any, letters: np.ndarray, split_template: np.ndarray, themes: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Content stems (CSR) of the campaign letters ``letters`` (document indices, ``themes``
    theirs on the whole text) without their template, or None when they have none."""
    sh_indptr, sh_cols = shingle_columns(corpus, letters)
    runs, shared_cols, carriers = shared_runs(sh_indptr, sh_cols, themes)
    # What every part of a split group carries is template only if letters on several themes
    # carry it too.
    template = np.union1d(np.intersect1d(split_template, shared_cols), runs)
    if not len(template):
        return None
    pos = np.minimum(np.searchsorted(shared_cols, template), max(len(shared_cols) - 1, 0))
    found = shared_cols[pos] == template if len(shared_cols) else np.zeros(len(template), bool)
    template_carriers = np.where(found, carriers[pos] if len(carriers) else 0, 2)
    starts = corpus.raw_indptr[letters]
    lengths = corpus.raw_indptr[letters + 1] - starts
    raw_indptr = np.zeros(len(letters) + 1, np.int64)
    np.cumsum(lengths, out=raw_indptr[1:])
    raw = corpus.raw_ids[np.repeat(starts - raw_indptr[:-1], lengths) + np.arange(raw_indptr[-1])]
    level = template_level(raw_indptr, sh_indptr, sh_cols, template, template_carriers, 3)
    stems = corpus.stem_of[raw]
    content = stems >= 0
    doc_of = np.repeat(np.arange(len(letters)), lengths)
    # Only letters that carry a template passage of some length lose it.
    built_on = np.bincount(doc_of[level > 0], minlength=len(letters)) >= TEMPLATE_RUN
    level[~built_on[doc_of]] = 0
    # A letter keeps its own words; when they are too few to say anything, its least shared
    # passages too.
    original = np.bincount(doc_of[content], minlength=len(letters))
    needed = np.maximum(MIN_TOKENS, np.ceil(_OWN_SHARE * original)).astype(np.int64)
    own = np.bincount(doc_of[content & (level == 0)], minlength=len(letters))
    cutoff = np.zeros(len(letters), np.int64)
    for g in np.flatnonzero((own < needed) & (original >= MIN_TOKENS)):
        span = slice(raw_indptr[g], raw_indptr[g + 1])
        cutoff[g] = np.sort(level[span][content[span]])[needed[g] - 1]
    chosen = content & (level <= cutoff[doc_of])
    indptr = np.zeros(len(letters) + 1, np.int64)
    np.cumsum(np.bincount(doc_of[chosen], minlength=len(letters)), out=indptr[1:])
    return indptr, stems[chosen].astype(np.int32)


def _read_items(items: Iterable[tuple[Hashable, str]]) -> tuple[list[Hashable], list[str]]:
    """Ids and texts of the ``(id, text)`` pairs (a missing text counts as empty)."""
    ids: list[Hashable] = []
    texts: list[str] = []
    for item_id, text in items:
        ids.append(item_id)
        texts.append(text if isinstance(text, str) else ("" if text is None else str(text)))
    return ids, texts


def _stage_reporter(progress: ProgressCallback | None, index: int) -> Callable[[float], None]:
    """A stage's own 0..1 progress, reported as the overall fraction of the run."""
    name, start, end = _STAGES[index]
    if progress is None:
        return lambda f: None
    return lambda f: progress(name, start + (end - start) * min(max(f, 0.0), 1.0))


def _themes(
    model: Any, dups: Any, ids: list[Hashable], ids_arr: np.ndarray, texts: list[str]
) -> tuple[list[Theme], np.ndarray]:
    """The themes with their members and quotes, and the positions of the unclassified texts."""
    theme_of_doc = model.labels[dups.group_of]
    themes: list[Theme] = []
    order = np.argsort(theme_of_doc, kind="stable")
    bounds = np.searchsorted(theme_of_doc[order], np.arange(-1, model.k + 1))
    for t in range(model.k):
        members = order[bounds[t + 1] : bounds[t + 2]]
        themes.append(
            Theme(
                id=t,
                label=model.label(t),
                terms=[w for w, _ in model.terms[t]],
                size=len(members),
                distinct_size=int((model.labels == t).sum()),
                member_ids=ids_arr[members].tolist(),
                quotes=[
                    Quote(id=ids[dups.representative[p]], text=texts[dups.representative[p]])
                    for p in model.quotes[t]
                ],
            )
        )
    return themes, order[bounds[0] : bounds[1]]


def _duplicate_groups(
    model: Any, dups: Any, ids: list[Hashable], ids_arr: np.ndarray, texts: list[str]
) -> list[DuplicateGroup]:
    """Groups of two or more near-identical texts, with their representative and theme."""
    groups: list[DuplicateGroup] = []
    for n, members in enumerate(dups.groups(min_size=2)):
        g = int(dups.group_of[members[0]])
        rep = int(dups.representative[g])
        groups.append(
            DuplicateGroup(
                id=n,
                size=len(members),
                representative_id=ids[rep],
                representative_text=texts[rep],
                member_ids=ids_arr[members].tolist(),
                exact=bool(np.all(dups.exact_of[members] == dups.exact_of[members[0]])),
                theme_id=int(model.labels[g]),
            )
        )
    return groups


@dataclass
class BreakdownCell:
    value: str
    contributions: int | None  # None when suppressed
    people: int | None  # None when suppressed
    suppressed: bool
    # "small_cell" (fewer than min_cell people) or "complementary" (hidden so that a small
    # cell cannot be recovered from the totals); None when shown.
    reason: str | None = None


@dataclass
class BreakdownRow:
    theme_id: int
    label: str
    cells: list[BreakdownCell]


@dataclass
class Breakdown:
    dimension: str
    min_cell: int
    values: list[str]
    rows: list[BreakdownRow]
    totals: list[BreakdownCell]  # per dimension value, all themes together

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def breakdown(
    result: AnalysisResult,
    metadata: Mapping[Hashable, Mapping[str, Any]],
    *,
    dimension: str,
    min_cell: int = 5,
    person_key: str = "person_id",
    complementary: bool = True,
) -> Breakdown:
    """Themes broken down by a metadata ``dimension`` (channel, department, age range...).

    ``metadata[id]`` holds the contribution's attributes; ``metadata[id][person_key]``, when
    present, identifies the person so that several contributions of one person count once.
    A cell with between 1 and ``min_cell - 1`` distinct people is suppressed (``None`` with
    ``suppressed=True``). Because theme sizes and per-value totals are published, a lone
    suppressed cell in a row or column could be recovered by subtraction, so the smallest
    other non-zero cell of that row or column is suppressed too (complementary suppression,
    on by default; turn it off only for internal, non-public views).
    Zero cells are shown: they reveal nothing about anyone.
    """
    rows_meta: list[tuple[int, str, list[Hashable]]] = [
        (t.id, t.label, t.member_ids) for t in result.themes
    ]
    if result.unclassified_ids:
        rows_meta.append((UNCLASSIFIED_ID, UNCLASSIFIED_LABEL, result.unclassified_ids))

    def value_of(item_id: Hashable) -> str:
        meta = metadata.get(item_id) or {}
        v = meta.get(dimension)
        return MISSING_VALUE if v is None or v == "" else str(v)

    def person_of(item_id: Hashable) -> Hashable:
        meta = metadata.get(item_id) or {}
        p = meta.get(person_key)
        return ("id", item_id) if p is None or p == "" else ("p", p)

    values = sorted({value_of(i) for _, _, members in rows_meta for i in members})
    col = {v: n for n, v in enumerate(values)}
    n_rows, n_cols = len(rows_meta), len(values)
    contributions = np.zeros((n_rows, n_cols), np.int64)
    people_sets: list[list[set[Hashable]]] = [[set() for _ in values] for _ in rows_meta]
    col_people: list[set[Hashable]] = [set() for _ in values]
    for r, (_, _, members) in enumerate(rows_meta):
        for item_id in members:
            c = col[value_of(item_id)]
            contributions[r, c] += 1
            person = person_of(item_id)
            people_sets[r][c].add(person)
            col_people[c].add(person)
    people = np.array([[len(s) for s in row] for row in people_sets], np.int64).reshape(
        n_rows, n_cols
    )
    return breakdown_table(
        dimension=dimension,
        min_cell=min_cell,
        values=values,
        rows=[(theme_id, label) for theme_id, label, _ in rows_meta],
        contributions=contributions,
        people=people,
        column_contributions=contributions.sum(axis=0),
        column_people=np.array([len(s) for s in col_people], np.int64),
        complementary=complementary,
    )


def breakdown_table(
    *,
    dimension: str,
    min_cell: int,
    values: list[str],
    rows: list[tuple[int, str]],
    contributions: np.ndarray,
    people: np.ndarray,
    column_contributions: np.ndarray,
    column_people: np.ndarray,
    complementary: bool,
) -> Breakdown:
    """A breakdown from its counts, with the small-cell rule applied: the one place that decides
    which cells are shown. ``rows`` are ``(theme_id, label)``; ``contributions`` and ``people``
    are rows × values; the ``column_*`` totals are per value, all themes together."""
    small = (people > 0) & (people < min_cell)
    suppressed = small.copy()
    if complementary:
        _complementary(suppressed, people)
    column_small = (column_people > 0) & (column_people < min_cell)
    table_rows = [
        BreakdownRow(
            theme_id=theme_id,
            label=label,
            cells=[
                _cell(
                    v,
                    int(contributions[r, c]),
                    int(people[r, c]),
                    hidden=bool(suppressed[r, c]),
                    small=bool(small[r, c]),
                )
                for c, v in enumerate(values)
            ],
        )
        for r, (theme_id, label) in enumerate(rows)
    ]
    totals = [
        _cell(
            v,
            int(column_contributions[c]),
            int(column_people[c]),
            hidden=bool(column_small[c]),
            small=True,
        )
        for c, v in enumerate(values)
    ]
    return Breakdown(
        dimension=dimension, min_cell=min_cell, values=values, rows=table_rows, totals=totals
    )


def _cell(
    value: str, contributions: int, people: int, *, hidden: bool, small: bool
) -> BreakdownCell:
    if hidden:
        reason = "small_cell" if small else "complementary"
        return BreakdownCell(
            value=value, contributions=None, people=None, suppressed=True, reason=reason
        )
    return BreakdownCell(value=value, contributions=contributions, people=people, suppressed=False)


def _complementary(suppressed: np.ndarray, people: np.ndarray) -> None:
    """Suppress, in place, a second cell wherever a row or column has exactly one."""
    changed = True
    while changed:
        changed = False
        for matrix_s, matrix_p in ((suppressed, people), (suppressed.T, people.T)):
            for line_s, line_p in zip(matrix_s, matrix_p, strict=True):
                if line_s.sum() != 1:
                    continue
                options = np.flatnonzero(~line_s & (line_p > 0))
                if len(options):
                    line_s[options[np.argmin(line_p[options])]] = True
                    changed = True
