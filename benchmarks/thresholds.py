"""Severity thresholds on drift (a calibrated probability), set on the mqm dev splits.

An editor reads only flags, so a threshold must hold on two counts:

- **precision**: of the pairs flagged ``major``, at least 80% really drifted; of
  those flagged minor or major, at least 50%;
- **faithful pairs left alone**: at most 3% of faithful pairs flagged ``major``,
  at most 10% flagged at all.

Precision depends on a set's base rate (news dev is 63% drift by its noisy score
label, TED dev 17%), while the faithful flag rate carries over from set to set. So
each threshold is the strictest of every bar that can be met on each mqm dev set:
the lowest drift whose flags reach the precision bar (with at least ``MIN_FLAGGED``
flags; on a set where no drift does, that bar is left out and reported), and the
lowest drift that flags no more faithful pairs than the rate allows. Drift is
rounded to 4 decimals, as reports show it, before anything is compared.
"""
from __future__ import annotations

import math

import numpy as np

BARS = {"major": {"precision": 0.8, "faithful": 0.03}, "minor": {"precision": 0.5, "faithful": 0.10}}
MIN_FLAGGED = 10
RULE = ("strictest, over the mqm dev splits (TED talk.7, news 6 blocks), of: the lowest drift whose flags are at "
        "least 80% (major) / 50% (minor) drifted, where a set reaches it with 10 flags or more, and the lowest "
        "drift that flags at most 3% (major) / 10% (minor or major) of its faithful pairs")


def lowest_precise(p: np.ndarray, y: np.ndarray, bar: float) -> float | None:
    """The lowest drift at which the pairs at or over it are at least ``bar`` drifted (None: never)."""
    values = np.unique(p)[::-1]
    best = None
    for t in values:
        flagged = p >= t
        if flagged.sum() >= MIN_FLAGGED and y[flagged].mean() >= bar:
            best = float(t)
    return best


def lowest_rare(p: np.ndarray, y: np.ndarray, rate: float) -> float:
    """The lowest drift that flags at most ``rate`` of the faithful pairs."""
    faithful = np.sort(p[y == 0])[::-1]
    allowed = int(math.floor(rate * len(faithful)))
    if allowed >= len(faithful):
        return 0.0
    return float(faithful[allowed]) + 1e-4  # strictly above the first faithful pair it must not flag


def choose_thresholds(scores: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict:
    """``{"thresholds": {"minor", "major"}, "rule", "sources"}`` from each dev set's (drift, label) arrays."""
    sources: dict[str, dict] = {}
    chosen = {}
    for level, bars in BARS.items():
        candidates = []
        for name, (p, y) in scores.items():
            p = np.round(np.asarray(p, float), 4)
            y = np.asarray(y)
            precise = lowest_precise(p, y, bars["precision"])
            rare = lowest_rare(p, y, bars["faithful"])
            sources.setdefault(name, {})[level] = {"precision_bar": _r(precise), "faithful_bar": _r(rare)}
            candidates += [rare] + ([precise] if precise is not None else [])
        chosen[level] = math.ceil(max(candidates) * 1e4) / 1e4
    chosen["minor"] = min(chosen["minor"], chosen["major"])
    for name, (p, y) in scores.items():
        p = np.round(np.asarray(p, float), 4)
        sources[name]["at_thresholds"] = flag_figures(p, np.asarray(y), chosen["minor"], chosen["major"])
    return {"thresholds": chosen, "rule": RULE, "sources": sources}


def flag_figures(p: np.ndarray, y: np.ndarray, minor: float, major: float) -> dict:
    """Flag rates on faithful and drifted pairs and the precision of each severity at the thresholds."""
    flagged, big = p >= minor, p >= major
    only_minor = flagged & ~big
    return {
        "faithful_flagged": _r(flagged[y == 0].mean()), "faithful_major": _r(big[y == 0].mean()),
        "drifted_flagged": _r(flagged[y == 1].mean()), "drifted_major": _r(big[y == 1].mean()),
        "precision_major": _r(y[big].mean()) if big.any() else None, "major_flags": int(big.sum()),
        "precision_minor": _r(y[only_minor].mean()) if only_minor.any() else None,
        "minor_flags": int(only_minor.sum()),
        "precision_flagged": _r(y[flagged].mean()) if flagged.any() else None,
    }


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)
