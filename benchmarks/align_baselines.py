"""Two alignment baselines over the same sentence vectors drift uses (comparison code, not product).

* ``monotone_dp``: the bertalign / vecalign family. Dynamic programming over
  1:1, 1:2, 2:1, 1:0 and 0:1 beads, in order; a bead of k sentences scores
  (cosine - ``skip``) * k / 2, skipped sentences score 0, so a pair is kept only
  when its cosine beats the skip penalty. Merged sentences get their own vectors
  (the texts joined and embedded, as vecalign does).
* ``mutual_best``: every pair of sentences that are each other's nearest
  neighbour, with no margin and no floor.

Both return sentence pairs ``{(i, j)}``: a 1:2 bead is two pairs.
"""
from __future__ import annotations

import numpy as np

#: The DP's skip penalty: drift's own alignment floor, so both ask for the same similarity.
SKIP = 0.45


def mutual_best(a: np.ndarray, b: np.ndarray) -> set[tuple[int, int]]:
    """Pairs (i, j) where j is i's most similar sentence and i is j's."""
    if not len(a) or not len(b):
        return set()
    sims = a @ b.T
    best_b = sims.argmax(axis=1)
    best_a = sims.argmax(axis=0)
    return {(i, int(j)) for i, j in enumerate(best_b) if best_a[j] == i}


def monotone_dp(a: np.ndarray, b: np.ndarray, a_merged: np.ndarray, b_merged: np.ndarray,
                skip: float = SKIP) -> set[tuple[int, int]]:
    """Best monotone bead sequence. ``a_merged[i]`` is the vector of sentences i and i+1 joined."""
    n, m = len(a), len(b)
    sims = a @ b.T if n and m else np.zeros((n, m), dtype=np.float32)
    score = np.full((n + 1, m + 1), -np.inf)
    score[0, 0] = 0.0
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            options = []
            if i:
                options.append((score[i - 1, j], (1, 0)))
            if j:
                options.append((score[i, j - 1], (0, 1)))
            if i and j:
                options.append((score[i - 1, j - 1] + (sims[i - 1, j - 1] - skip), (1, 1)))
            if i and j >= 2:
                options.append((score[i - 1, j - 2] + 1.5 * (float(a[i - 1] @ b_merged[j - 2]) - skip), (1, 2)))
            if i >= 2 and j:
                options.append((score[i - 2, j - 1] + 1.5 * (float(a_merged[i - 2] @ b[j - 1]) - skip), (2, 1)))
            best, step = max(options, key=lambda o: o[0])
            score[i, j] = best
            back[(i, j)] = step
    pairs: set[tuple[int, int]] = set()
    i, j = n, m
    while i or j:
        di, dj = back[(i, j)]
        if di and dj:
            pairs.update((x, y) for x in range(i - di, i) for y in range(j - dj, j))
        i, j = i - di, j - dj
    return pairs


def prf(predicted: set, gold: set) -> dict[str, float]:
    """Precision, recall and F1 of sentence pairs."""
    hit = len(predicted & gold)
    p = hit / len(predicted) if predicted else 0.0
    r = hit / len(gold) if gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}
