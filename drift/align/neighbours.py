"""One faiss index over every sentence of every version, searched one version at a time.

Sentences of an article get contiguous ids, so "the nearest sentences of version B"
is a range-restricted search of the one shared index. Up to ``DENSE_LIMIT``
sentences, one exhaustive search answers every version pair at once: thousands
of tiny searches cost more in call overhead than the search itself.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

INDEX_TYPE = "faiss.IndexFlatIP"
DENSE_LIMIT = 3000  # sentences; the all-pairs table is DENSE_LIMIT**2 floats (36 MB)


class SentenceIndex:
    """Exact inner-product search (cosine on normalized vectors) with per-article ranges."""

    def __init__(self, vectors: "np.ndarray", ranges: dict[str, tuple[int, int]]) -> None:
        import faiss
        import numpy as np

        self._faiss = faiss
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.ranges = ranges
        self.index = faiss.IndexFlatIP(self.vectors.shape[1])
        if len(self.vectors):
            self.index.add(self.vectors)
        self._table: "np.ndarray | None" = None

    def neighbours(self, article: str, other: str, k: int) -> tuple["np.ndarray", "np.ndarray"]:
        """For each sentence of ``article``, its ``k`` nearest sentences in ``other``.

        Returns (similarities, local sentence indices in ``other``), both [n, k'],
        k' = min(k, sentences in other), best first.
        """
        import numpy as np

        lo, hi = self.ranges[article]
        olo, ohi = self.ranges[other]
        k = min(k, ohi - olo)
        if k == 0 or hi == lo:
            return np.zeros((hi - lo, 0), np.float32), np.zeros((hi - lo, 0), np.int64)
        if self.index.ntotal <= DENSE_LIMIT:
            block = self._all_pairs()[lo:hi, olo:ohi]
            ids = np.argsort(-block, axis=1, kind="stable")[:, :k]
            return np.take_along_axis(block, ids, axis=1), ids
        params = self._faiss.SearchParameters()
        params.sel = self._faiss.IDSelectorRange(olo, ohi)
        sims, ids = self.index.search(self.vectors[lo:hi], k, params=params)
        return sims, ids - olo

    def _all_pairs(self) -> "np.ndarray":
        """Every sentence's similarity to every other, from one exhaustive faiss search."""
        import numpy as np

        if self._table is None:
            n = self.index.ntotal
            sims, ids = self.index.search(self.vectors, n)
            table = np.empty((n, n), dtype=np.float32)
            np.put_along_axis(table, ids, sims, axis=1)
            self._table = table
        return self._table
