"""Ranking metrics in plain numpy, so the benchmarks need nothing the project does not install."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def ranks(values: Sequence[float]) -> np.ndarray:
    """1-based ranks, ties sharing their average rank."""
    x = np.asarray(values, dtype=float)
    order = np.argsort(x, kind="mergesort")
    ranked = np.empty(len(x))
    ranked[order] = np.arange(1, len(x) + 1)
    for value in np.unique(x):
        tied = x == value
        ranked[tied] = ranked[tied].mean()
    return ranked


def auroc(negatives: Sequence[float], positives: Sequence[float]) -> float:
    """Probability that a positive outscores a negative (ties count half)."""
    r = ranks(list(negatives) + list(positives))
    n, p = len(negatives), len(positives)
    return float((r[n:].sum() - p * (p + 1) / 2) / (n * p))


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    y = np.asarray(labels)[np.argsort(-np.asarray(scores, dtype=float), kind="mergesort")]
    hits = np.cumsum(y)
    return float((hits / np.arange(1, len(y) + 1))[y == 1].mean()) if y.sum() else 0.0


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    return float(np.corrcoef(ranks(x), ranks(y))[0, 1])


def threshold_at(faithful: Sequence[float], rate: float = 0.05) -> float:
    """Smallest drift that flags at most ``rate`` of the faithful pairs (flagged: drift >= threshold)."""
    values = np.sort(np.asarray(faithful, dtype=float))[::-1]
    allowed = int(np.floor(rate * len(values)))
    if allowed >= len(values):
        return float(values[-1])
    # everything strictly above values[allowed] is flagged; nudge past ties
    return float(np.nextafter(values[allowed], np.inf))


def recall_by_type(scores: np.ndarray, faithful: np.ndarray, types: np.ndarray, names: Sequence[str],
                   rate: float = 0.05) -> tuple[np.ndarray, dict[str, float]]:
    """Which pairs are flagged at the cut that flags ``rate`` of the ``faithful`` ones (a mask), and each named
    type's recall there: one rule for DEMETR's per-type recall wherever it is read (train CV, the dev bench)."""
    flagged = scores >= threshold_at(scores[faithful], rate)
    return flagged, {name: round(float(flagged[types == name].mean()), 4) for name in names if (types == name).any()}
