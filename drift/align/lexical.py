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
    from scipy.sparse import csr_matrix

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
        self._rows: tuple[csr_matrix, csr_matrix] | None = None

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
        return self.rows(0, len(self._a))

    def rows(self, start: int, stop: int) -> "np.ndarray":
        """``matrix()[start:stop]``, made from sparse word rows: a block of a long version pair costs
        memory linear in its sentences, not sentences x vocabulary (``drift.align.candidates``)."""
        import numpy as np

        if start >= stop or not self._b:
            return np.zeros((max(0, stop - start), len(self._b)))
        a, b = self._sparse()
        return np.asarray((a[start:stop] @ b.T).todense())

    def _sparse(self) -> tuple["csr_matrix", "csr_matrix"]:
        """Unit rows of idf-weighted word indicators, as sparse matrices (made once)."""
        if self._rows is None:
            import numpy as np
            from scipy.sparse import csr_matrix

            vocab = {w: k for k, w in enumerate(sorted(self.weight))}
            idf = np.sqrt(np.array([self.weight[w] for w in sorted(self.weight)]))

            def rows(sentences: Sequence[frozenset[str]]) -> "csr_matrix":
                ids = [sorted(vocab[w] for w in sentence) for sentence in sentences]
                indptr = np.cumsum([0] + [len(x) for x in ids])
                cols = np.fromiter((k for x in ids for k in x), dtype=np.int64, count=int(indptr[-1]))
                lengths = np.diff(indptr)
                owner = np.repeat(np.arange(len(sentences)), lengths)
                values = idf[cols]
                norms = np.sqrt(np.bincount(owner, weights=values**2, minlength=len(sentences)))
                values = values / np.where(norms > 0, norms, 1.0)[owner]
                return csr_matrix((values, cols, indptr), shape=(len(sentences), len(vocab)))

            self._rows = (rows(self._a), rows(self._b))
        return self._rows
