"""Index stage: range-restricted nearest neighbours over one shared faiss index."""
from __future__ import annotations

import numpy as np

from drift.align.neighbours import SentenceIndex


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


def test_dense_table_and_range_search_agree(monkeypatch):
    import drift.align.neighbours

    rng = np.random.default_rng(0)
    vectors = _unit(rng.normal(size=(40, 8)))
    ranges = {"a": (0, 10), "b": (10, 25), "c": (25, 40)}
    dense = SentenceIndex(vectors, ranges).neighbours("a", "c", k=4)
    monkeypatch.setattr(drift.align.neighbours, "DENSE_LIMIT", 0)
    ranged = SentenceIndex(vectors, ranges).neighbours("a", "c", k=4)
    assert np.array_equal(dense[1], ranged[1])
    assert np.allclose(dense[0], ranged[0], atol=1e-6)
    brute = vectors[0:10] @ vectors[25:40].T
    assert np.array_equal(dense[1][:, 0], brute.argmax(axis=1))
