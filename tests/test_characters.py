"""chrF, the share of characters two sides have in common, as the pair classifier reads it."""
from __future__ import annotations

import pytest

from drift.score.characters import shared_text


def chrf(a: str, b: str) -> float:
    """chrF with beta 1 over character 1- to 6-grams, spaces removed (``shared_text``'s first figure)."""
    return shared_text(a, b)[0]


def test_chrf_is_one_for_the_same_text_spaces_aside_and_zero_for_nothing_shared():
    assert chrf("Prices rose in March.", "Prices  rose in\nMarch.") == 1.0
    assert chrf("abc", "xyz") == 0.0
    assert chrf("", "Prices rose.") == 0.0


def test_chrf_averages_precision_and_recall_over_the_orders_it_can():
    # 1-grams: 2 of 3 shared; 2-grams: "ab" of 2; 3-grams: none of 1; no 4-grams: orders 1-3 count
    assert chrf("abc", "abd") == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    # one 1-gram against three: precision 1, recall 1/3, F 0.5
    assert chrf("a", "abc") == pytest.approx(0.5)


@pytest.mark.parametrize("a,b", [
    ("The Islamic State group claimed the attack near Moscow.", "ISIS claimed responsibility for the assault."),
    ("137 people were killed.", "At least 137 were killed on Friday, officials said."),
])
def test_chrf_has_the_same_bits_either_way_round(a, b):
    assert chrf(a, b) == chrf(b, a)
    assert 0.0 < chrf(a, b) < 1.0


def test_an_edited_copy_shares_more_than_a_retelling():
    copy = chrf("The minister praised the agreement on Tuesday.", "The minister condemned the agreement on Tuesday.")
    retold = chrf("The minister praised the agreement on Tuesday.", "On Tuesday the deal won the minister's praise.")
    assert copy > retold


def test_shared_text_gives_chrf_its_lower_side_and_the_words_in_common():
    f, low, words = shared_text("Prices rose sharply.", "Prices rose sharply in March.")
    assert f == chrf("Prices rose sharply.", "Prices rose sharply in March.") and low < f
    # "prices" and "rose" in common; "sharply." and "sharply" differ as written: 2 * 2 / (3 + 5)
    assert words == 0.5
    assert shared_text("b a", "a b c") == shared_text("a b c", "b a")


def test_numpy_counting_gives_the_bits_of_python_counters(monkeypatch):
    from drift.score import characters

    texts = ["The Islamic State group claimed the attack near Moscow.", "ISIS claimed the assault.",
             "aaaa aaa", "a", "日本語のテキスト", "x" * 7, "Prix: 1 200 € — hausse de 3 %"]
    fast = {(a, b): characters.shared_text(a, b) for a in texts for b in texts}
    monkeypatch.setattr(characters, "_ROOM", 0)  # no room: every pair counted in Python
    assert {(a, b): characters.shared_text(a, b) for a in texts for b in texts} == fast
