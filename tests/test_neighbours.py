"""Index stage: exact cosines between two versions' sentences, from their own vectors only."""
from __future__ import annotations

import numpy as np

from drift.align.neighbours import SentenceIndex


def _unit(rows):
    v = np.asarray(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_block_holds_every_cosine_of_two_versions_and_nothing_else():
    vectors = _unit([[1, 0, 0], [0, 1, 0], [1, 0.1, 0], [0, 1, 0.1], [1, 0, 0.01]])
    index = SentenceIndex(vectors, {"a": (0, 2), "b": (2, 4), "c": (4, 5)})
    block = index.block("a", "b")
    assert block.shape == (2, 2) and block.dtype == np.float64
    assert block.argmax(axis=1).tolist() == [0, 1]  # local indices within b
    assert np.allclose(block, vectors[0:2].astype(np.float64) @ vectors[2:4].astype(np.float64).T)
    assert index.block("a", "c").shape == (2, 1)
    assert np.array_equal(index.of("c"), vectors[4:5])


def test_empty_article_gives_an_empty_block():
    vectors = _unit([[1, 0], [0, 1]])
    index = SentenceIndex(vectors, {"a": (0, 2), "b": (2, 2)})
    assert index.block("a", "b").shape == (2, 0) and index.block("b", "a").shape == (0, 2)


def test_a_pairs_cosines_do_not_depend_on_the_other_versions_of_the_run():
    rng = np.random.default_rng(0)
    vectors = _unit(rng.normal(size=(40, 8)))
    small = SentenceIndex(vectors[:25], {"a": (0, 10), "b": (10, 25)})
    large = SentenceIndex(vectors, {"a": (0, 10), "b": (10, 25), "c": (25, 40)})
    assert np.array_equal(small.block("a", "b"), large.block("a", "b"))
    assert np.abs(large.block("a", "b") - large.block("b", "a").T).max() < 1e-12
