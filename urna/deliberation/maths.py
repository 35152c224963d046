"""Opinion groups from a vote matrix: Polis's published algorithm, in numpy, SciPy and
scikit-learn, sparse from end to end (100,000 participants × 2,000 statements fit in memory).

The steps, as Polis runs them (Small et al., "Polis: Scaling deliberation by mapping high
dimensional opinion spaces", 2021) and as ``red-dwarf`` reproduces them in Python — the tests
run both on the same matrices and compare projections, groups, representative and consensus
statements:

1. **Matrix.** Participants × statements, agree +1, disagree -1, pass 0; a statement a
   participant has not seen is *missing*, not 0. Only published statements' votes come in.
2. **PCA with missing values.** Each missing cell is imputed with its statement's mean vote, so
   after centring it is exactly 0: the centred matrix keeps the sparsity of the votes. The two
   principal components are the top eigenvectors of its Gram matrix (statements × statements),
   with scikit-learn's sign convention (the largest loading of each component is positive).
3. **Sparsity-aware scaling.** A participant's projection is multiplied by
   ``sqrt(statements / their votes)``, so someone who voted on few statements is not pulled to
   the centre by the imputed means.
4. **Who is placed.** Participants with fewer than ``min_votes`` votes (Polis: 7) are projected
   but neither clustered nor drawn.
5. **Groups.** k-means for k = 2…5 on the placed participants' projections, each k started
   from the previous run's centres when there are some (Polis keeps its clusters that way), else
   from the first distinct points (Polis's deterministic start, red-dwarf's ``init="polis"``),
   and also, a deviation, from k-means++ with fixed seeds, keeping whichever fit is tighter
   (Polis's start alone often stops in a poor local optimum; ``restarts=0`` turns this off and
   gives the reference's groups exactly). k is chosen by silhouette score. Deviation, on
   purpose: Polis's "group-k smoother" waits for a new k to win several recomputes in a row;
   here a new k replaces the current one only when its silhouette beats the current k's by
   ``K_MARGIN`` — the same stability without keeping a history of runs. Above ``SILHOUETTE_SAMPLE``
   participants the silhouette is measured on a fixed-seed sample (exact silhouette is
   quadratic: 100,000 participants would take minutes); Polis bounds the same cost with 100
   "base clusters" instead.
6. **Representative statements** per group: in-group against out-group agreement (and
   disagreement) with Polis's pseudocounts — ``p = (1 + n_agree) / (2 + n_seen)``, the ratio
   ``repness = p_in / p_out``, a one-proportion z-test of ``p_in`` against ½ and a
   two-proportion z-test of in against out, both significant at 90 % one-sided — picked as
   Polis picks them (``repness_select``).
7. **Consensus statements**: over all participants, those agreed (or disagreed) with by more
   than half with a significant one-proportion test, best first; and each statement's
   group-aware consensus (the product over groups of the agreement probability).

The functions are pure: ``matrix_build`` from vote triplets, ``analyse`` from a matrix (and the
previous run's state, for stable groups). ``urna.deliberation.recompute`` reads the votes and
stores the result.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.linalg import eigh
from scipy.optimize import linear_sum_assignment
from scipy.stats import norm
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances, silhouette_score
from sklearn.utils import check_random_state

K_RANGE = range(2, 6)
K_MARGIN = 0.02
SEED = 0
RESTARTS = 4
SILHOUETTE_SAMPLE = 5000
PICK_MAX = 5
CONFIDENCE = 0.90
Z_CRITICAL = float(norm.ppf(CONFIDENCE))
MIN_VOTES = 7


@dataclass(frozen=True)
class Matrix:
    """A sparse vote matrix as triplets: row ``rows[i]`` (participant) voted ``values[i]`` on
    column ``cols[i]`` (statement). Rows and columns are the sorted ids below."""

    participant_ids: np.ndarray
    statement_ids: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participant_ids), len(self.statement_ids)

    def votes_per_participant(self) -> np.ndarray:
        return np.bincount(self.rows, minlength=self.shape[0])


def matrix_build(participants: Any, statements: Any, values: Any) -> Matrix:
    """The matrix of these votes (one per participant and statement), rows and columns the
    distinct participant and statement ids in ascending order."""
    participant_ids, rows = np.unique(np.asarray(participants, dtype=np.int64), return_inverse=True)
    statement_ids, cols = np.unique(np.asarray(statements, dtype=np.int64), return_inverse=True)
    return Matrix(
        participant_ids=participant_ids,
        statement_ids=statement_ids,
        rows=rows.astype(np.int32),
        cols=cols.astype(np.int32),
        values=np.asarray(values, dtype=np.int8),
    )


@dataclass(frozen=True)
class Previous:
    """What a recompute keeps from the last one, so groups stay put as votes arrive."""

    k: int = 0
    centres: list[list[float]] = field(default_factory=list)
    # Statement id → its loadings on the two components.
    components: dict[int, list[float]] = field(default_factory=dict)


@dataclass
class Analysis:
    participant_ids: np.ndarray
    statement_ids: np.ndarray
    projection: np.ndarray  # (participants, 2), scaled
    components: np.ndarray  # (2, statements)
    votes: np.ndarray  # votes per participant
    labels: np.ndarray  # group per participant, -1 when not placed
    k: int
    silhouettes: dict[int, float]
    centres: np.ndarray  # (k, 2)
    stats: dict[
        str, np.ndarray
    ]  # per group × statement: na, nd, ns, pa, pd, pat, pdt, ra, rd, rat, rdt
    repness: dict[int, list[dict[str, Any]]]
    consensus: dict[str, list[dict[str, Any]]]
    overall: dict[str, np.ndarray]  # per statement over everyone: na, nd, ns
    group_consensus: dict[str, np.ndarray]  # per statement: agree, disagree

    @property
    def placed(self) -> np.ndarray:
        return self.labels >= 0


# --- 2 and 3: projection ---------------------------------------------------------------------


def pca_project(matrix: Matrix, n_components: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Participants' projections on the first principal components (sparsity-scaled) and the
    components themselves, ``(projection (n, c), components (c, m))``."""
    n, m = matrix.shape
    c = min(n_components, m, n)
    projection = np.zeros((n, n_components))
    components = np.zeros((n_components, m))
    if c == 0:
        return projection, components
    counts = np.bincount(matrix.cols, minlength=m)
    means = np.bincount(matrix.cols, weights=matrix.values, minlength=m) / np.maximum(counts, 1)
    centred = sp.csr_matrix(
        (matrix.values - means[matrix.cols], (matrix.rows, matrix.cols)), shape=(n, m)
    )
    gram = (centred.T @ centred).toarray()
    _values, vectors = eigh(gram, subset_by_index=[m - c, m - 1])
    top = vectors[:, ::-1].T  # (c, m), largest eigenvalue first
    # scikit-learn's PCA sign: each component's largest loading is positive.
    signs = np.sign(top[np.arange(c), np.abs(top).argmax(axis=1)])
    top *= np.where(signs == 0, 1, signs)[:, None]
    components[:c] = top
    projection[:, :c] = centred @ top.T
    votes = np.bincount(matrix.rows, minlength=n)
    projection *= np.sqrt(m / np.maximum(votes, 1))[:, None]
    return projection, components


def components_align(
    components: np.ndarray, projection: np.ndarray, statement_ids: np.ndarray, previous: Previous
) -> None:
    """Flip a component (and the projections on it) whose loadings point away from the previous
    run's on the statements both share, so the map does not mirror itself between recomputes."""
    if not previous.components:
        return
    for axis in range(components.shape[0]):
        before = np.array(
            [previous.components.get(int(s), [0.0] * (axis + 1))[axis] for s in statement_ids]
        )
        if float(before @ components[axis]) < 0:
            components[axis] *= -1
            projection[:, axis] *= -1


# --- 5: groups ---------------------------------------------------------------------------------


def _starting_centres(points: np.ndarray, k: int, previous: Previous) -> np.ndarray:
    """The previous centres, completed with the first distinct points (red-dwarf's
    ``PolisKMeans(init="polis")`` with ``init_centers``)."""
    given = np.array(previous.centres[:k], dtype=float).reshape(-1, points.shape[1])
    if len(given) == k:
        return given
    distinct = np.unique(points, axis=0)
    return np.vstack([given, distinct[: k - len(given)]])


def _relabel(fit: KMeans, previous: Previous) -> tuple[np.ndarray, np.ndarray]:
    """The fit's labels and centres, renumbered so each group keeps the number of the previous
    run's group nearest to it (groups are matched one to one by total distance)."""
    labels, centres = fit.labels_.astype(np.int64), fit.cluster_centers_
    if not previous.centres:
        return labels, centres
    before = np.array(previous.centres, dtype=float).reshape(-1, centres.shape[1])
    distances = np.linalg.norm(centres[:, None, :] - before[None, :, :], axis=2)
    k = len(centres)
    number = {
        int(new): int(old)
        for new, old in zip(*linear_sum_assignment(distances), strict=True)
        if old < k
    }
    free = iter(sorted(set(range(k)) - set(number.values())))
    order = np.array([number[new] if new in number else next(free) for new in range(k)])
    ranked = np.empty_like(centres)
    ranked[order] = centres
    return order[labels], ranked


def _kmeans(points: np.ndarray, k: int, previous: Previous, restarts: int) -> KMeans:
    """The better (lower inertia) of k-means from Polis's start and from k-means++ with fixed
    seeds. Deviation: Polis (and red-dwarf) start from the first distinct points only, which on
    planted groups often stops in a poor local optimum; the restarts keep Polis's answer
    whenever it is as good. ``restarts=0`` is Polis's start alone (the reference's answer)."""
    polis = KMeans(
        n_clusters=k, init=_starting_centres(points, k, previous), n_init=1, random_state=SEED
    ).fit(points)
    if not restarts:
        return polis
    other = KMeans(n_clusters=k, init="k-means++", n_init=restarts, random_state=SEED).fit(points)
    return other if other.inertia_ < polis.inertia_ * (1 - 1e-9) else polis


def groups_find(
    points: np.ndarray,
    *,
    previous: Previous = Previous(),
    margin: float = K_MARGIN,
    restarts: int = RESTARTS,
) -> tuple[np.ndarray, np.ndarray, int, dict[int, float]]:
    """k-means for each k in ``K_RANGE`` the points allow; returns ``(labels, centres, k,
    silhouettes)``. k = 0 (every label -1) when fewer than two distinct points."""
    distinct = len(np.unique(points, axis=0)) if len(points) else 0
    candidates = [k for k in K_RANGE if k <= distinct and k < len(points)]
    if not candidates:
        return np.full(len(points), -1), np.zeros((0, 2)), 0, {}
    # The silhouettes of every k are over the same points (all of them, or the same seeded
    # sample ``silhouette_score(sample_size=)`` would draw): their distances are computed once.
    sample = np.arange(len(points))
    if len(points) > SILHOUETTE_SAMPLE:
        sample = check_random_state(SEED).permutation(len(points))[:SILHOUETTE_SAMPLE]
    distances = pairwise_distances(points[sample])
    fits: dict[int, KMeans] = {}
    scores: dict[int, float] = {}
    for k in candidates:
        fit = fits[k] = _kmeans(points, k, previous, restarts)
        labels = fit.labels_[sample]
        if len(set(fit.labels_.tolist())) < 2 or len(np.unique(labels)) < 2:
            scores[k] = -1.0
            continue
        scores[k] = float(silhouette_score(distances, labels, metric="precomputed"))
    del distances
    best = max(candidates, key=lambda k: scores[k])  # the smallest k among equals
    if previous.k in scores and scores[best] < scores[previous.k] + margin:
        best = previous.k
    labels, centres = _relabel(fits[best], previous)
    return labels, centres, best, scores


# --- 6 and 7: statistics -------------------------------------------------------------------------


def _one_prop_test(success: np.ndarray, n: np.ndarray) -> np.ndarray:
    return 2 * np.sqrt(n + 1) * ((success + 1) / (n + 1) - 0.5)


def _two_prop_test(
    success_in: np.ndarray, success_out: np.ndarray, n_in: np.ndarray, n_out: np.ndarray
) -> np.ndarray:
    s1, s2, n1, n2 = success_in + 1, success_out + 1, n_in + 1, n_out + 1
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return np.where(pooled == 1, 0.0, z)


def _counts(
    group_of_vote: np.ndarray, cols: np.ndarray, values: np.ndarray, k: int, m: int
) -> dict[str, np.ndarray]:
    cell = group_of_vote * m + cols
    size = k * m
    return {
        "na": np.bincount(cell[values == 1], minlength=size).reshape(k, m),
        "nd": np.bincount(cell[values == -1], minlength=size).reshape(k, m),
        "ns": np.bincount(cell, minlength=size).reshape(k, m),
    }


def _probabilities(counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    na, nd, ns = counts["na"], counts["nd"], counts["ns"]
    return {
        "pa": (1 + na) / (2 + ns),
        "pd": (1 + nd) / (2 + ns),
        "pat": _one_prop_test(na, ns),
        "pdt": _one_prop_test(nd, ns),
    }


def group_statistics(matrix: Matrix, labels: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """In-group against out-group statistics of every statement, arrays of shape (k, m), over
    the placed participants only (``labels`` -1 are left out, as Polis does)."""
    m = matrix.shape[1]
    group_of_vote = labels[matrix.rows]
    kept = group_of_vote >= 0
    counts = _counts(group_of_vote[kept], matrix.cols[kept], matrix.values[kept], k, m)
    stats = {**counts, **_probabilities(counts)}
    out = {name: counts[name].sum(axis=0)[None, :] - counts[name] for name in counts}
    out_p = _probabilities(out)
    stats["ra"] = stats["pa"] / out_p["pa"]
    stats["rd"] = stats["pd"] / out_p["pd"]
    stats["rat"] = _two_prop_test(counts["na"], out["na"], counts["ns"], out["ns"])
    stats["rdt"] = _two_prop_test(counts["nd"], out["nd"], counts["ns"], out["ns"])
    return stats


def _row(stats: dict[str, np.ndarray], g: int, j: int) -> dict[str, float]:
    return {name: float(values[g, j]) for name, values in stats.items()}


def _formatted(row: dict[str, float], statement_id: int, *, repness: bool) -> dict[str, Any]:
    """A statement's figures in Polis's form, for the direction it is strongest in."""
    agree = row["rat"] > row["rdt"] if repness else row["pat"] > row["pdt"]
    n, p, t, r, rt = ("na", "pa", "pat", "ra", "rat") if agree else ("nd", "pd", "pdt", "rd", "rdt")
    out: dict[str, Any] = {
        "tid": statement_id,
        "n-success": int(row[n]),
        "n-trials": int(row["ns"]),
        "p-success": row[p],
        "p-test": row[t],
    }
    if repness:
        out.update(
            {
                "repness": row[r],
                "repness-test": row[rt],
                "repful-for": "agree" if agree else "disagree",
            }
        )
    else:
        out["cons-for"] = "agree" if agree else "disagree"
    return out


def _significant(row: dict[str, float]) -> bool:
    z = Z_CRITICAL
    return (row["pat"] > z and row["rat"] > z) or (row["pdt"] > z and row["rdt"] > z)


def _beats_best_agree(row: dict[str, float], best: dict[str, float] | None) -> bool:
    if row["na"] == 0 and row["nd"] == 0:
        return False
    if best is None:
        return row["pat"] > Z_CRITICAL or (row["ra"] > 1.0 and row["pa"] > 0.5)
    if best["ra"] > 1.0:
        return row["ra"] * row["rat"] * row["pa"] * row["pat"] > (
            best["ra"] * best["rat"] * best["pa"] * best["pat"]
        )
    return row["pa"] * row["pat"] > best["pa"] * best["pat"]


def repness_select(
    stats: dict[str, np.ndarray], statement_ids: np.ndarray, g: int, pick_max: int = PICK_MAX
) -> list[dict[str, Any]]:
    """Polis's representative statements of group ``g``: its best agreed statement first, then
    the significant ones by ``repness × repness-test × p × p-test``, at most ``pick_max``, agreed
    before disagreed. With nothing significant, the single most representative one.

    Deviation: when statements are significant but none qualifies as the best agreed one,
    red-dwarf 0.4.0 returns no statement for the group (its list is only filled after a head);
    here the significant ones are returned."""
    rows = [_row(stats, g, j) for j in range(len(statement_ids))]
    best_agree: int | None = None
    for j, row in enumerate(rows):
        if _beats_best_agree(row, None if best_agree is None else rows[best_agree]):
            best_agree = j
    significant = [j for j, row in enumerate(rows) if _significant(row)]
    head: list[dict[str, Any]] = []
    if best_agree is not None:
        best = _formatted(rows[best_agree], int(statement_ids[best_agree]), repness=True)
        head = [{**best, "n-agree": best["n-success"], "best-agree": True}]
    elif not significant:
        best_j = None
        for j, row in enumerate(rows):
            if best_j is None or max(row["rat"], row["rdt"]) > max(
                rows[best_j]["rat"], rows[best_j]["rdt"]
            ):
                best_j = j
        if best_j is not None:
            head = [_formatted(rows[best_j], int(statement_ids[best_j]), repness=True)]
    chosen = [_formatted(rows[j], int(statement_ids[j]), repness=True) for j in significant]
    metric = np.array(
        [s["repness"] * s["repness-test"] * s["p-success"] * s["p-test"] for s in chosen]
    )
    chosen = [chosen[i] for i in np.argsort(-metric, kind="stable")]
    head_tid = head[0]["tid"] if head else None
    selected = (head + [s for s in chosen if s["tid"] != head_tid])[:pick_max]
    return sorted(selected, key=lambda s: s["repful-for"])


def consensus_select(
    overall: dict[str, np.ndarray], statement_ids: np.ndarray, pick_max: int = PICK_MAX
) -> dict[str, list[dict[str, Any]]]:
    """Statements most participants agree (disagree) with: probability above ½ and a significant
    one-proportion test, ranked by ``p × p-test``, at most ``pick_max`` each way."""
    stats = {**overall, **_probabilities(overall)}
    result: dict[str, list[dict[str, Any]]] = {}
    for direction, p, t in (("agree", "pa", "pat"), ("disagree", "pd", "pdt")):
        p_row, t_row = stats[p][0], stats[t][0]
        candidates = np.flatnonzero((p_row > 0.5) & (t_row > Z_CRITICAL))
        order = candidates[np.argsort(-(p_row * t_row)[candidates], kind="stable")]
        picked = []
        for j in order[:pick_max]:
            item = _formatted(_row(stats, 0, j), int(statement_ids[j]), repness=False)
            item.pop("cons-for")
            picked.append(item)
        result[direction] = picked
    return result


# --- the whole run -------------------------------------------------------------------------------


def analyse(
    matrix: Matrix,
    *,
    min_votes: int = MIN_VOTES,
    previous: Previous = Previous(),
    restarts: int = RESTARTS,
) -> Analysis:
    """Project, group and describe the groups of a vote matrix (module docstring);
    ``restarts=0`` groups exactly as Polis and red-dwarf do (see ``_kmeans``)."""
    n, m = matrix.shape
    projection, components = pca_project(matrix)
    components_align(components, projection, matrix.statement_ids, previous)
    votes = matrix.votes_per_participant()
    placed = np.flatnonzero(votes >= min_votes)
    group_labels, centres, k, silhouettes = groups_find(
        projection[placed], previous=previous, restarts=restarts
    )
    labels = np.full(n, -1, dtype=np.int64)
    labels[placed] = group_labels
    stats = group_statistics(matrix, labels, k) if k else {}
    overall = _counts(np.zeros(len(matrix.rows), dtype=np.int64), matrix.cols, matrix.values, 1, m)
    pa = stats.get("pa", np.zeros((0, m)))
    pd = stats.get("pd", np.zeros((0, m)))
    return Analysis(
        participant_ids=matrix.participant_ids,
        statement_ids=matrix.statement_ids,
        projection=projection,
        components=components,
        votes=votes,
        labels=labels,
        k=k,
        silhouettes=silhouettes,
        centres=centres,
        stats=stats,
        repness={g: repness_select(stats, matrix.statement_ids, g) for g in range(k)},
        consensus=consensus_select(overall, matrix.statement_ids),
        overall={name: values[0] for name, values in overall.items()},
        group_consensus={"agree": pa.prod(axis=0), "disagree": pd.prod(axis=0)},
    )


def ellipse(points: np.ndarray) -> dict[str, float]:
    """The ellipse two standard deviations around a group's points (centre, radii, angle in
    degrees), what the map draws for the group."""
    centre = points.mean(axis=0)
    if len(points) < 3:
        return {"cx": float(centre[0]), "cy": float(centre[1]), "rx": 0.0, "ry": 0.0, "angle": 0.0}
    values, vectors = np.linalg.eigh(np.cov(points.T))
    values = np.clip(values, 0, None)
    angle = float(np.degrees(np.arctan2(vectors[1, 1], vectors[0, 1])))
    return {
        "cx": float(centre[0]),
        "cy": float(centre[1]),
        "rx": float(2 * np.sqrt(values[1])),
        "ry": float(2 * np.sqrt(values[0])),
        "angle": angle,
    }


def projection_pack(analysis: Analysis) -> bytes:
    """Every placed participant's id, point and group, compressed (``projection_unpack``)."""
    placed = analysis.placed
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        ids=analysis.participant_ids[placed],
        xy=analysis.projection[placed].astype(np.float32),
        group=analysis.labels[placed].astype(np.int8),
    )
    return buffer.getvalue()


def projection_unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not blob:
        return (
            np.zeros(0, dtype=np.int64),
            np.zeros((0, 2), dtype=np.float32),
            np.zeros(0, dtype=np.int8),
        )
    with np.load(io.BytesIO(bytes(blob))) as data:
        return data["ids"], data["xy"], data["group"]
