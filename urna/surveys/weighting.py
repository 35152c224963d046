"""Weights and weighted estimates.

``rake`` adjusts weights so the weighted sample matches population margins (department, age
group, sex) one dimension after another until they all hold: iterative proportional fitting,
done by ``samplics`` (``SampleWeight.rake``). Categories go in as integer codes (numpy sorts
them far faster than strings). A respondent without a value in every raking dimension, or with
a category the margins lack, gets no weight and stays out of the weighted estimates (counted in
the unweighted ones). A margin category no respondent has is dropped, and each dimension's
remaining totals are scaled to one common total so the margins stay consistent.

Estimates: a weighted proportion or mean, its 95 % margin of error under Kish's design effect
of unequal weights (``deff = n Σw² / (Σw)²``; the effective sample is n / deff), and n.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

with warnings.catch_warnings():
    # samplics 0.6 warns on import that it is archived (its authors now ship "svy"); its
    # raking is the one call below, so moving to svy touches only ``rake``.
    warnings.simplefilter("ignore", FutureWarning)
    from samplics.weighting import SampleWeight

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Raking:
    weights: np.ndarray  # NaN where a respondent could not be weighted
    iterations_margins: dict[str, dict[str, float]]  # the margins actually used
    dropped: dict[str, list[str]]  # margin categories no respondent has


def rake(
    categories: Mapping[str, Sequence[str]],
    margins: Mapping[str, Mapping[str, float]],
    *,
    tol: float = 1e-6,
    max_iter: int = 200,
) -> Raking:
    """Weights of ``n`` respondents (``categories[dim][i]`` is respondent i's category) raked to
    ``margins[dim][category]`` population totals."""
    dims = [d for d in margins if d in categories]
    n = len(next(iter(categories.values()))) if categories else 0
    weights = np.full(n, np.nan)
    if not dims or n == 0:
        return Raking(weights, {}, {})
    columns = {d: np.asarray(categories[d], dtype=object) for d in dims}
    usable = np.ones(n, dtype=bool)
    for d in dims:
        usable &= np.isin(columns[d], list(margins[d]))
    dropped: dict[str, list[str]] = {}
    used: dict[str, dict[str, float]] = {}
    for d in dims:
        present = set(columns[d][usable].tolist())
        dropped[d] = sorted(c for c in margins[d] if c not in present)
        used[d] = {c: float(v) for c, v in margins[d].items() if c in present}
    if not usable.any():
        return Raking(weights, used, dropped)
    total = float(np.mean([sum(v.values()) for v in used.values()]))
    codes, control = {}, {}
    for d in dims:
        index = {c: i for i, c in enumerate(sorted(used[d]))}
        codes[d] = np.array([index[c] for c in columns[d][usable]], dtype=np.int64)
        scale = total / sum(used[d].values())
        control[d] = {index[c]: v * scale for c, v in used[d].items()}
    raked = SampleWeight().rake(
        samp_weight=np.ones(int(usable.sum())),
        margins=codes,
        control=control,
        tol=tol,
        ctrl_tol=tol,
        max_iter=max_iter,
    )
    weights[usable] = np.asarray(raked, dtype=float)
    return Raking(weights, used, dropped)


def kish_deff(weights: np.ndarray) -> float:
    w = weights[~np.isnan(weights)]
    if w.size == 0 or w.sum() == 0:
        return float("nan")
    return float(w.size * np.sum(w * w) / np.sum(w) ** 2)


@dataclass(frozen=True)
class Estimate:
    value: float
    moe: float
    deff: float
    n: int


def proportion(weights: np.ndarray, hits: np.ndarray) -> Estimate:
    """Weighted share of ``hits`` (booleans) among the weighted respondents."""
    keep = ~np.isnan(weights)
    w, y = weights[keep], hits[keep].astype(float)
    n = int(w.size)
    if n == 0 or w.sum() == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), n)
    p = float(np.sum(w * y) / np.sum(w))
    deff = kish_deff(w)
    return Estimate(p, Z95 * float(np.sqrt(deff * p * (1 - p) / n)), deff, n)


def mean(weights: np.ndarray, values: np.ndarray) -> Estimate:
    keep = ~np.isnan(weights) & ~np.isnan(values)
    w, x = weights[keep], values[keep]
    n = int(w.size)
    if n == 0 or w.sum() == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), n)
    m = float(np.sum(w * x) / np.sum(w))
    variance = float(np.sum(w * (x - m) ** 2) / np.sum(w))
    deff = kish_deff(w)
    moe = Z95 * float(np.sqrt(deff * variance / n)) if n > 1 else float("nan")
    return Estimate(m, moe, deff, n)
