"""Which version pairs a run compares: every pair, or each version with one reference.

``auto`` compares all pairs up to ``AUTO_ALL_PAIRS`` versions and, past that,
each version with the central one, so work and report grow linearly with the
versions instead of with their square.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drift.errors import ConfigError, InputError, choices, given, suggested

if TYPE_CHECKING:  # pragma: no cover
    from drift.align.neighbours import SentenceIndex

log = logging.getLogger("drift")

PAIRINGS = ("auto", "all", "reference")
AUTO_ALL_PAIRS = 10
#: Beyond this many versions, all-pairs comparison is quadratic busywork: use a reference.
MAX_ALL_PAIRS = 250


@dataclass(frozen=True)
class PairPlan:
    """The version pairs to compare, and the reference they share (None: every pair)."""

    pairs: list[tuple[str, str]]
    reference: str | None
    chosen: str | None  # "given" (by the caller), "central" (by drift), or None


def check_pairing(pairs: str, reference: str | None) -> None:
    """A ConfigError when ``pairs`` is unknown or contradicts ``reference``."""
    if pairs not in PAIRINGS:
        raise ConfigError("unknown ", given("pairs", pairs), f"; choose one of {choices(PAIRINGS)}")
    if pairs == "all" and reference is not None:
        raise ConfigError(suggested("pairs", "all"), " compares every pair, so ", given("reference", reference),
                          " has no use; drop one of the two")


def check_pairing_size(pairs: str, versions: int) -> None:
    """An InputError when every pair of this many versions is asked for and would be too many."""
    if pairs == "all" and versions > MAX_ALL_PAIRS:
        raise InputError(
            f"{versions} versions make {versions * (versions - 1) // 2} version pairs; use ",
            suggested("pairs", "auto", "reference"),
            f" to compare each with one version (all pairs allowed up to {MAX_ALL_PAIRS})"
        )


def plan_pairs(versions: Sequence[str], index: "SentenceIndex", reference: str | None, pairs: str) -> PairPlan:
    """The pairing policy: the given reference, else every pair, else (``reference``, or ``auto`` past
    ``AUTO_ALL_PAIRS`` versions) the central version."""
    chosen = "given" if reference else None
    if not reference and (pairs == "reference" or (pairs == "auto" and len(versions) > AUTO_ALL_PAIRS)):
        reference, chosen = central_version(index) or versions[0], "central"
        log.info("%d versions: each is compared with the central version %s (pairs=all compares every pair)",
                 len(versions), reference)
    if reference:
        return PairPlan([(reference, v) for v in versions if v != reference], reference, chosen)
    return PairPlan(list(itertools.combinations(versions, 2)), None, chosen)


def central_version(index: "SentenceIndex") -> str | None:
    """The version most like all the others, the pivot when a run is too large for all pairs.

    Each version's mean sentence vector is compared with the mean of those means: a
    trimmed, extended or rewritten copy sits off that centre, a full faithful one near
    it. Linear in sentences, where scoring every pair grows with versions squared.
    Ties go to the earlier version; None when no version has a sentence to compare.
    """
    import numpy as np

    means = {}
    for article, (lo, hi) in index.ranges.items():
        if hi > lo:
            mean = index.vectors[lo:hi].mean(axis=0)
            means[article] = mean / (float(np.linalg.norm(mean)) or 1.0)
    if not means:
        return None
    centre = np.mean(list(means.values()), axis=0)
    return max(means, key=lambda article: float(means[article] @ centre))
