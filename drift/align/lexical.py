"""Shared words between two versions' sentences: what sentence vectors miss when two candidates are close.

A rewrite quotes the same words in a longer sentence ("proposed to the Russian
services, as to our partners in the region, increased cooperation") while another
sentence of the same topic scores a higher cosine. The word overlap of two
sentences tells the quoted one apart: the cosine of their word sets, each word
weighted by how rare it is in the two versions (IDF over their sentences), so
words every sentence has count for little. It depends on the two versions alone.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

#: Words of three letters or more: short function words carry no sign of a shared statement.
_WORD = re.compile(r"\w{3,}", re.UNICODE)


def words(text: str) -> frozenset[str]:
    """The distinct words of a sentence, case-folded."""
    return frozenset(w.casefold() for w in _WORD.findall(text))


class WordOverlap:
    """Shared words of two versions' sentences, weighted by rarity in those two versions."""

    def __init__(self, a: Sequence[frozenset[str]], b: Sequence[frozenset[str]]) -> None:
        df = Counter(w for sentence in (*a, *b) for w in sentence)
        n = len(a) + len(b)
        self.weight = {w: math.log(n / count) ** 2 for w, count in df.items()}  # idf squared
        self._a, self._b = list(a), list(b)

    def of(self, a: frozenset[str], b: frozenset[str]) -> float:
        """IDF-weighted cosine of two word sets (sentences or merged groups of either version), in [0, 1]."""
        norm = math.sqrt(sum(self.weight.get(w, 0.0) for w in a) * sum(self.weight.get(w, 0.0) for w in b))
        return sum(self.weight.get(w, 0.0) for w in a & b) / norm if norm else 0.0

    def within(self, a: frozenset[str], b: frozenset[str]) -> float:
        """How much of ``a`` (weighted by rarity) ``b`` says too, in [0, 1]: a split half is within
        the sentence it was cut from."""
        total = sum(self.weight.get(w, 0.0) for w in a)
        return sum(self.weight.get(w, 0.0) for w in a & b) / total if total else 0.0

    def matrix(self) -> "np.ndarray":
        """``of`` for every sentence of ``a`` with every sentence of ``b``: float64 [len(a), len(b)]."""
        import numpy as np

        if not self._a or not self._b:
            return np.zeros((len(self._a), len(self._b)))
        vocab = {w: k for k, w in enumerate(sorted(self.weight))}
        idf = np.sqrt(np.array([self.weight[w] for w in sorted(self.weight)]))

        def rows(sentences: Sequence[frozenset[str]]) -> "np.ndarray":
            m = np.zeros((len(sentences), len(vocab)))
            for row, sentence in enumerate(sentences):
                m[row, [vocab[w] for w in sentence]] = 1.0
            m *= idf
            norms = np.linalg.norm(m, axis=1, keepdims=True)
            return m / np.where(norms > 0, norms, 1.0)

        return rows(self._a) @ rows(self._b).T
