"""How much of their characters and words two texts share: whether a pair is an edited copy or two tellings.

One changed word means more in an edited copy than in two independent translations,
where most words differ anyway. The classifier reads the character n-gram F-score
(chrF, Popović 2015, as sacrebleu computes it but with beta 1, so that it is
symmetric), the lower of its precision and recall (a copy cut short or extended), and
the F-score of the words as written. Precision and recall swap exactly when the sides
do, so every feature here has the same bits either way round.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

#: Character n-gram orders, 1 to 6 as in chrF.
ORDERS = 6
#: Bits an n-gram's key may take: an int64 holds 63 without its sign.
_ROOM = 63


def shared_text(a: str, b: str) -> tuple[float, float, float]:
    """(chrF, the lower of chrF's precision and recall, word F-score) of two texts."""
    p, r = _character_precision_recall("".join(a.split()), "".join(b.split()))
    words_a, words_b = a.lower().split(), b.lower().split()
    shared = _shared(Counter(words_a), Counter(words_b))
    return _f(p, r), min(p, r), 2 * shared / max(1, len(words_a) + len(words_b))


def _character_precision_recall(a: str, b: str) -> tuple[float, float]:
    """chrF's precision and recall, averaged over the orders both sides have n-grams of.

    Each n-gram becomes one int64: characters numbered from 1 within the pair, ``bits`` bits
    each, so an n-gram's key lies in [2^(bits(n-1)), 2^(bits n)) and says its order. The
    counting is then numpy's: about two thirds of the time of Python counters, the same
    integers, so the same bits. A pair with too many distinct characters for 63 bits (over
    1,023) is counted in Python."""
    if not a or not b:
        return 0.0, 0.0
    alphabet, index = np.unique(np.frombuffer((a + b).encode("utf-32-le"), np.uint32), return_inverse=True)
    bits = len(alphabet).bit_length()
    if bits * ORDERS > _ROOM:
        shared = _shared_counted(a, b)
    else:
        codes = index.astype(np.int64) + 1
        grams_a, grams_b = _grams(codes[:len(a)], bits), _grams(codes[len(a):], bits)
        # one sort of both sides' n-grams: each distinct key's count on either side, the lower one shared
        keys, which = np.unique(np.concatenate([grams_a, grams_b]), return_inverse=True)
        count_a = np.bincount(which[:len(grams_a)], minlength=len(keys))
        count_b = np.bincount(which[len(grams_a):], minlength=len(keys))
        order = 1 + np.searchsorted(np.array([1 << bits * n for n in range(1, ORDERS)], np.int64), keys, "right")
        shared = np.bincount(order, weights=np.minimum(count_a, count_b), minlength=ORDERS + 1).tolist()
    precisions, recalls = [], []
    for n in range(1, ORDERS + 1):
        in_a, in_b = len(a) - n + 1, len(b) - n + 1
        if in_a >= 1 and in_b >= 1:
            precisions.append(shared[n] / in_a)
            recalls.append(shared[n] / in_b)
    return sum(precisions) / len(precisions), sum(recalls) / len(recalls)


def _grams(codes: np.ndarray, bits: int) -> np.ndarray:
    """Every 1- to 6-gram of ``codes`` as one int64 (each order from the one below it), repeats included."""
    parts = [codes]
    key = codes
    for n in range(2, min(ORDERS, len(codes)) + 1):
        key = (key[:-1] << bits) | codes[n - 1:]
        parts.append(key)
    return np.concatenate(parts)


def _shared_counted(a: str, b: str) -> list[float]:
    """Per order (index 0 unused), the n-grams both sides have, counted with Python counters."""
    shared = [0.0] * (ORDERS + 1)
    for n in range(1, ORDERS + 1):
        shared[n] = float(_shared(Counter([a[i:i + n] for i in range(len(a) - n + 1)]),
                                  Counter([b[i:i + n] for i in range(len(b) - n + 1)])))
    return shared


def _shared(a: Counter[str], b: Counter[str]) -> int:
    """How many items the two multisets have in common (an exact count, whichever side is iterated)."""
    shared = 0
    for item, times in a.items():
        there = b.get(item, 0)
        shared += times if times < there else there
    return shared


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0
