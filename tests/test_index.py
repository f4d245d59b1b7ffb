"""Index stage: range-restricted nearest neighbours over one shared faiss index."""
from __future__ import annotations

import numpy as np

from drift.index import SentenceIndex


def _unit(rows):
    v = np.asarray(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_neighbours_stay_inside_the_other_article():
    vectors = _unit([[1, 0, 0], [0, 1, 0], [1, 0.1, 0], [0, 1, 0.1], [1, 0, 0.01]])
    index = SentenceIndex(vectors, {"a": (0, 2), "b": (2, 4), "c": (4, 5)})
    sims, ids = index.neighbours("a", "b", k=2)
    assert sims.shape == (2, 2)
    assert ids[0, 0] == 0 and ids[1, 0] == 1  # local indices within b
    assert sims[0, 0] > sims[0, 1]
    # c's single sentence is the best match for a[0] overall, but not inside b
    sims_c, ids_c = index.neighbours("a", "c", k=5)
    assert ids_c.shape == (2, 1) and ids_c[0, 0] == 0


def test_empty_article_gives_empty_result():
    vectors = _unit([[1, 0], [0, 1]])
    index = SentenceIndex(vectors, {"a": (0, 2), "b": (2, 2)})
    sims, ids = index.neighbours("a", "b", k=3)
    assert sims.shape == (2, 0) and ids.shape == (2, 0)
