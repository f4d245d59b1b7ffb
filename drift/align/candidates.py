"""A long version pair's cosines and scores, kept only for each sentence's best candidates.

Two 40-sentence versions make a 40 x 40 block, and the aligner keeps it dense
(``SentenceIndex.block``). Two 10,000-sentence versions would make 800 MB
blocks, several alive at once: memory would grow with the square of the
sentences. Past ``DENSE_CELLS`` cells a pair keeps, for every sentence of
either side, its ``CANDIDATES`` best cells by score (cosine plus the weighted
shared-word term), made a block of rows at a time, and a cell that is nobody's
candidate reads as ``FILL``, the value of a masked cell: a sentence's best,
runner-up and mutual-best tests only ever look at its strongest candidates.
``CandidateBlock`` answers the few ways the aligner reads a block (a row, a
column, a cell, a masked row or column), so the rule is one and the same in
both forms.
"""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, TypeAlias, overload

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.align.lexical import WordOverlap
    from drift.align.neighbours import SentenceIndex

#: A version pair's cosines or scores, either form; the aligner reads both the same way.
Block: TypeAlias = "np.ndarray | CandidateBlock"

#: Version pairs with more cells than this (about 2,048 x 2,048 sentences) keep candidates only.
DENSE_CELLS = 1 << 22
#: Best cells kept per sentence of either side, in a pair past ``DENSE_CELLS``.
CANDIDATES = 64
#: What a cell that is no candidate reads as: below every threshold, like a masked cell.
FILL = -1.0
#: How the aligner finds candidates; named in every report's signature.
INDEX_TYPE = f"exact cosine, float64, per version pair; past {DENSE_CELLS} cells the best {CANDIDATES} a sentence"
#: Rows of a long pair scored at once while candidates are picked (memory: rows x sentences floats).
_ROWS = 256


class CandidateBlock:
    """A [len(a), len(b)] matrix whose cells other than the candidates read as ``FILL``.

    Indexing as the aligner uses it: ``m[i, j]`` (a float), ``m[i, :]`` and ``m[:, j]`` (dense
    float64 rows and columns), ``m[i, :] = v`` and ``m[:, j] = v`` (masks).
    """

    def __init__(self, shape: tuple[int, int], rows: "np.ndarray", cols: "np.ndarray", values: "np.ndarray") -> None:
        """``rows``, ``cols``: the candidate cells, sorted by row then column, each once."""
        import numpy as np

        self.shape = shape
        self.values = np.asarray(values, dtype=np.float64)
        order = np.lexsort((rows, cols))  # cell positions, by column then row
        self._cols = cols
        self._indptr = np.searchsorted(rows, np.arange(shape[0] + 1))
        self._col_pos = order
        self._col_rows = rows[order]
        self._col_indptr = np.searchsorted(cols[order], np.arange(shape[1] + 1))

    def with_values(self, values: "np.ndarray") -> "CandidateBlock":
        """The same cells holding other values (the cosines beside the scores); the index arrays are shared."""
        import numpy as np

        other = copy.copy(self)
        other.values = np.asarray(values, dtype=np.float64)
        return other

    def row_cells(self, i: int) -> tuple["np.ndarray", "np.ndarray"]:
        """Row ``i``'s candidate columns (ascending) and their values."""
        lo, hi = self._indptr[i], self._indptr[i + 1]
        return self._cols[lo:hi], self.values[lo:hi]

    def column_cells(self, j: int) -> tuple["np.ndarray", "np.ndarray"]:
        """Column ``j``'s candidate rows (ascending) and their values."""
        lo, hi = self._col_indptr[j], self._col_indptr[j + 1]
        return self._col_rows[lo:hi], self.values[self._col_pos[lo:hi]]

    @overload
    def __getitem__(self, key: tuple[int, int]) -> float: ...

    @overload
    def __getitem__(self, key: tuple[int, slice] | tuple[slice, int]) -> "np.ndarray": ...

    def __getitem__(self, key: tuple[Any, Any]) -> "np.ndarray | float":
        import numpy as np

        i, j = key
        if isinstance(i, slice):
            out = np.full(self.shape[0], FILL)
            rows, values = self.column_cells(int(j))
            out[rows] = values
            return out
        if isinstance(j, slice):
            out = np.full(self.shape[1], FILL)
            cols, values = self.row_cells(int(i))
            out[cols] = values
            return out
        lo, hi = self._indptr[i], self._indptr[i + 1]
        k = lo + int(np.searchsorted(self._cols[lo:hi], j))
        return float(self.values[k]) if k < hi and self._cols[k] == j else FILL

    def __setitem__(self, key: tuple[Any, Any], value: float) -> None:
        i, j = key
        if isinstance(i, slice):
            lo, hi = self._col_indptr[int(j)], self._col_indptr[int(j) + 1]
            self.values[self._col_pos[lo:hi]] = value
        elif isinstance(j, slice):
            self.values[self._indptr[i]:self._indptr[i + 1]] = value
        else:
            raise TypeError("a candidate block masks whole rows or columns only")


def pair_blocks(index: "SentenceIndex", a: str, b: str, words: "WordOverlap | None",
                lexical: float) -> tuple[Block, Block]:
    """The cosines and the scores of version pair (a, b) (float64): dense up to ``DENSE_CELLS`` cells,
    else ``CandidateBlock`` s over the same cells."""
    va, vb = index.float64(a), index.float64(b)
    if len(va) * len(vb) <= DENSE_CELLS:
        full = index.block(a, b)
        return full, (full + lexical * words.matrix() if words is not None else full)
    rows, cols, cosines, scores = _candidates(va, vb, words, lexical)
    score = CandidateBlock((len(va), len(vb)), rows, cols, scores)
    return score.with_values(cosines), score


def _candidates(va: "np.ndarray", vb: "np.ndarray", words: "WordOverlap | None",
                lexical: float) -> tuple["np.ndarray", "np.ndarray", "np.ndarray", "np.ndarray"]:
    """Each row's and each column's ``CANDIDATES`` best cells by score, a block of rows at a time:
    the cells (sorted by row, then column), their cosines and their scores."""
    import numpy as np

    n_a, n_b = len(va), len(vb)
    k_row, k_col = min(CANDIDATES, n_b), min(CANDIDATES, n_a)
    found: list[tuple[np.ndarray, ...]] = []
    col_score: np.ndarray = np.empty((0, n_b))
    col_cos: np.ndarray = np.empty((0, n_b))
    col_row: np.ndarray = np.empty((0, n_b), dtype=np.int64)
    for lo in range(0, n_a, _ROWS):
        hi = min(lo + _ROWS, n_a)
        cos = va[lo:hi] @ vb.T
        score = cos + lexical * words.rows(lo, hi) if words is not None else cos
        best = np.argpartition(-score, k_row - 1, axis=1)[:, :k_row]
        rows = np.repeat(np.arange(lo, hi), k_row)
        found.append((rows, best.ravel(), cos[rows - lo, best.ravel()], score[rows - lo, best.ravel()]))
        col_score, col_cos = np.vstack([col_score, score]), np.vstack([col_cos, cos])
        col_row = np.vstack([col_row, np.broadcast_to(np.arange(lo, hi)[:, None], score.shape)])
        if len(col_score) > k_col:
            keep = np.argpartition(-col_score, k_col - 1, axis=0)[:k_col]
            col_score, col_cos, col_row = (np.take_along_axis(m, keep, axis=0) for m in (col_score, col_cos, col_row))
    found.append((col_row.ravel(), np.tile(np.arange(n_b), len(col_row)), col_cos.ravel(), col_score.ravel()))
    rows, cols, cosines, scores = (np.concatenate(parts) for parts in zip(*found, strict=True))
    cells, first = np.unique(rows * n_b + cols, return_index=True)  # sorted by row, then column
    return cells // n_b, cells % n_b, cosines[first], scores[first]


def mutual_pairs(score: Block, rows: list[int], cols: list[int], floor: float,
                 sure: float, margin: float) -> list[tuple[int, int]]:
    """The aligner's mutual-best rule (``aligner._link``) on either form of block."""
    if isinstance(score, CandidateBlock):
        return link(score, rows, cols, floor, sure, margin)
    return link_dense(score, rows, cols, floor, sure, margin)


def link_dense(score: "np.ndarray", rows: list[int], cols: list[int], floor: float, sure: float,
                margin: float) -> list[tuple[int, int]]:
    """The rule on a dense block: mutual best pairs by score among ``rows`` x ``cols``, strongest first,
    each kept when sure or clear of both runner-ups (competitive linking: a sentence already paired is
    no rival)."""
    import numpy as np

    if not rows or not cols:
        return []
    sub = score[np.ix_(rows, cols)]
    best_c = sub.argmax(axis=1)
    best_r = sub.argmax(axis=0)
    mutual = sorted(((float(sub[r, c]), r, int(c)) for r, c in enumerate(best_c)
                     if best_r[c] == r and sub[r, c] >= floor), key=lambda t: (-t[0], t[1], t[2]))
    free_r = np.ones(len(rows), dtype=bool)
    free_c = np.ones(len(cols), dtype=bool)
    out = []
    for sim, r, c in mutual:
        row, col = free_c.copy(), free_r.copy()
        row[c], col[r] = False, False
        runner_up = max(float(sub[r][row].max(initial=0.0)), float(sub[:, c][col].max(initial=0.0)))
        if sim >= sure or sim - runner_up >= margin:
            out.append((rows[r], cols[c]))
            free_r[r], free_c[c] = False, False
    return out


def link(score: CandidateBlock, rows: list[int], cols: list[int], floor: float, sure: float,
         margin: float) -> list[tuple[int, int]]:
    """``link_dense`` on a candidate block: the same mutual-best and competitive-linking rule, read
    from each sentence's candidates (a cell that is none reads as ``FILL``, below every floor)."""
    import numpy as np

    row_ok = np.zeros(score.shape[0], dtype=bool)
    row_ok[rows] = True
    col_ok = np.zeros(score.shape[1], dtype=bool)
    col_ok[cols] = True
    best_col = {r: best for r in rows if (best := _best(*score.row_cells(r), col_ok)) is not None}
    best_row = {c: best[1] for c in cols if (best := _best(*score.column_cells(c), row_ok)) is not None}
    mutual = sorted(((value, r, c) for r, (value, c) in best_col.items() if value >= floor and best_row.get(c) == r),
                    key=lambda t: (-t[0], t[1], t[2]))
    out = []
    for value, r, c in mutual:
        across, values = score.row_cells(r)
        down, col_values = score.column_cells(c)
        runner_up = max(float(values[col_ok[across] & (across != c)].max(initial=0.0)),
                        float(col_values[row_ok[down] & (down != r)].max(initial=0.0)))
        if value >= sure or value - runner_up >= margin:
            out.append((r, c))
            row_ok[r], col_ok[c] = False, False
    return out


def _best(index: "np.ndarray", values: "np.ndarray", allowed: "np.ndarray") -> tuple[float, int] | None:
    """The largest allowed value and its index (the first of equals), or None."""
    keep = allowed[index]
    if not keep.any():
        return None
    k = int(values[keep].argmax())
    return float(values[keep][k]), int(index[keep][k])
