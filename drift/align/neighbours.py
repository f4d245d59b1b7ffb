"""One run's sentence vectors, and the cosines between two versions' sentences.

Sentences of an article get contiguous rows. The cosines of a version pair come
from those two versions' vectors alone (one float64 block per pair): no kernel
choice or search structure depends on how many other versions are in the run,
so a pair's alignment depends on nothing but its two versions (issue 12; with a
batch-independent encoder, see drift.embed.batching). Exact and cheap: a version
pair of 40-sentence versions is a 40 x 40 product (a pair of thousands of
sentences keeps candidates only: drift.align.candidates).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

class SentenceIndex:
    """Unit sentence vectors of every version of a run, with per-article row ranges."""

    def __init__(self, vectors: "np.ndarray", ranges: dict[str, tuple[int, int]]) -> None:
        import numpy as np

        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.ranges = ranges
        self._wide: dict[str, np.ndarray] = {}

    def of(self, article: str) -> "np.ndarray":
        """An article's sentence vectors (float32 [n, dim], in sentence order)."""
        lo, hi = self.ranges[article]
        return self.vectors[lo:hi]

    def block(self, a: str, b: str) -> "np.ndarray":
        """Cosine of every sentence of ``a`` with every sentence of ``b``: float64 [len(a), len(b)].

        float64, so the block of (b, a) and the transpose of the block of (a, b) agree far below
        any threshold or the four decimals a report shows (``check`` and ``compare`` orient pairs
        differently).
        """
        import numpy as np

        va, vb = self.float64(a), self.float64(b)
        if not len(va) or not len(vb):
            return np.zeros((len(va), len(vb)))
        return va @ vb.T

    def float64(self, article: str) -> "np.ndarray":
        """``of(article)`` in float64 (made once per article)."""
        wide = self._wide.get(article)
        if wide is None:
            wide = self._wide[article] = self.of(article).astype("float64")
        return wide
