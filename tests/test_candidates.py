"""Alignment stage, long version pairs: each sentence's best candidates instead of a dense block.

The rule must be the same one: a candidate block reads like the dense block with every cell that is
no candidate at ``FILL``, and aligning from it gives what the dense rule gives on that matrix.
"""
from __future__ import annotations

import numpy as np
import pytest
import test_alignment as cases

from drift.align import candidates
from drift.align.candidates import FILL, CandidateBlock, link, link_dense, pair_blocks
from drift.align.lexical import WordOverlap
from drift.align.neighbours import SentenceIndex


def _index(n_a: int, n_b: int, seed: int = 0) -> SentenceIndex:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n_a + n_b, 6)).astype(np.float32)
    v[n_a:n_a + n_b // 2] = v[: n_b // 2] + 0.2 * v[n_a:n_a + n_b // 2]  # half of b echoes a: strong cells
    return SentenceIndex(v / np.linalg.norm(v, axis=1, keepdims=True), {"a": (0, n_a), "b": (n_a, n_a + n_b)})


def _words(n: int, seed: int) -> list[frozenset[str]]:
    rng = np.random.default_rng(seed)
    return [frozenset(f"w{k}" for k in rng.choice(40, size=5, replace=False)) for _ in range(n)]


def _long(monkeypatch: pytest.MonkeyPatch, k: int) -> None:
    monkeypatch.setattr(candidates, "DENSE_CELLS", 0)
    monkeypatch.setattr(candidates, "CANDIDATES", k)
    monkeypatch.setattr(candidates, "_ROWS", 7)  # several row blocks, so the column merge is exercised


def _filled(block: CandidateBlock) -> np.ndarray:
    return np.array([block[i, :] for i in range(block.shape[0])])


def test_a_long_pair_keeps_each_sentences_best_cells_and_reads_the_rest_as_fill(monkeypatch):
    index, words = _index(30, 25), WordOverlap(_words(30, 1), _words(25, 2))
    dense_cos, dense_score = pair_blocks(index, "a", "b", words, 0.2)
    _long(monkeypatch, 4)
    cos, score = pair_blocks(index, "a", "b", words, 0.2)
    assert isinstance(score, CandidateBlock) and isinstance(cos, CandidateBlock)
    kept = _filled(score) != FILL
    assert kept.sum() <= 4 * (30 + 25)  # linear in the sentences, not their product
    for i in range(30):  # every row's and every column's four best are kept, with their exact values
        assert kept[i, np.argsort(-dense_score[i])[:4]].all()
    for j in range(25):
        assert kept[np.argsort(-dense_score[:, j])[:4], j].all()
    assert np.allclose(_filled(score)[kept], dense_score[kept]) and np.allclose(_filled(cos)[kept], dense_cos[kept])
    assert (_filled(score)[~kept] == FILL).all()
    filled = _filled(score)
    assert np.array_equal(np.array([score[:, j] for j in range(25)]).T, filled)
    assert all(score[i, j] == filled[i, j] for i in range(30) for j in range(25))
    score[3, :] = -1.0
    score[:, 5] = -1.0
    assert (_filled(score)[3] == -1.0).all() and (_filled(score)[:, 5] == -1.0).all()
    assert cos[3, 0] == _filled(cos)[3, 0]  # masking the scores leaves the cosines alone


@pytest.mark.parametrize("seed", range(6))
def test_linking_from_candidates_is_the_dense_rule_on_the_filled_matrix(monkeypatch, seed):
    index, words = _index(40, 35, seed), WordOverlap(_words(40, seed + 10), _words(35, seed + 20))
    _long(monkeypatch, 3)
    _, score = pair_blocks(index, "a", "b", words, 0.2)
    assert isinstance(score, CandidateBlock)
    rng = np.random.default_rng(seed)
    rows = sorted(rng.choice(40, size=30, replace=False).tolist())
    cols = sorted(rng.choice(35, size=28, replace=False).tolist())
    for floor, sure, margin in ((0.3, 0.55, 0.03), (0.0, 2.0, 0.0), (0.45, 0.8, 0.05)):
        got = link(score, rows, cols, floor, sure, margin)
        assert got == link_dense(_filled(score), rows, cols, floor, sure, margin)
    assert got  # the cases pair something


def test_when_every_cell_is_a_candidate_a_long_pair_aligns_as_a_dense_one(monkeypatch, encoder, seed_paths):
    from drift import compare, read_articles

    dense = compare(read_articles(seed_paths[:2]), model=encoder)
    _long(monkeypatch, 10_000)
    long = compare(read_articles(seed_paths[:2]), model=encoder)
    assert [(p.alignment, p.relation) for p in long.pairs] == [(p.alignment, p.relation) for p in dense.pairs]
    assert long.unmatched == dense.unmatched


@pytest.mark.parametrize("case", [cases.test_near_duplicates_are_told_apart_by_their_aligned_neighbours,
                                  cases.test_a_weak_pair_between_aligned_neighbours_needs_no_margin,
                                  cases.test_a_merged_half_whose_words_are_in_the_partner_joins_though_its_cosine_ranks_it_elsewhere])
def test_the_hand_built_cases_align_the_same_from_three_candidates_a_sentence(monkeypatch, case):
    _long(monkeypatch, 3)
    case()
