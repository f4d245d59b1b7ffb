"""Typed evidence without the model: two names in each other's place (the issue's "restructured relation")."""
from __future__ import annotations

import pytest
from evidence_helpers import findings


@pytest.mark.parametrize("a,b,words", [
    ("Russia blamed Ukraine for the attack.", "Ukraine blamed Russia for the attack.",
     (["Russia", "Ukraine"], ["Ukraine", "Russia"])),
    ("Macron told Putin that France would help.", "Putin told Macron that France would help.",
     (["Macron", "Putin"], ["Putin", "Macron"])),
    ("Flights from Paris to London were cancelled.", "Flights from London to Paris were cancelled.",
     (["Paris", "London"], ["London", "Paris"])),
    ("Germany beat France 2-1 on Sunday.", "France beat Germany 2-1 on Sunday.",
     (["Germany", "France"], ["France", "Germany"])),
    ("The European Union imposed sanctions on Belarus.", "Belarus imposed sanctions on the European Union.",
     (["European Union", "Belarus"], ["Belarus", "European Union"])),  # articles aside, the same words between
])
def test_names_in_each_others_place_are_a_change_of_role(a, b, words):
    assert findings(a, b)["role"] == words


@pytest.mark.parametrize("a,b", [
    ("Talks between Russia and Ukraine failed.", "Talks between Ukraine and Russia failed."),
    ("France and Germany signed the deal.", "Germany and France signed the deal."),
    ("Macron held talks with Putin in Paris.", "Putin held talks with Macron in Paris."),
    ("Macron met Putin in Paris.", "Putin met Macron in Paris."),
    ("Russia was blamed by Ukraine for the attack.", "Ukraine blamed Russia for the attack."),  # a passive
    ("Russia blamed Ukraine for the attack.", "Russia blamed Ukraine for the attack."),
    ("Russia blamed Ukraine, and Ukraine blamed Russia.", "Ukraine blamed Russia, and Russia blamed Ukraine."),
])
def test_no_change_of_role_where_the_names_are_equals_or_in_other_words(a, b):
    assert "role" not in findings(a, b)


def test_the_role_check_never_fires_on_names_in_the_same_order():
    from drift.score.evidence import read
    from drift.score.roles import reversible

    pairs = reversible(read("Police in Lyon arrested a man from Marseille on Monday."), openers=False)
    assert [tuple("Police in Lyon arrested a man from Marseille on Monday."[s:e] for s, e in p) for p in pairs] == [
        ("Lyon", "Marseille")]
    assert "role" not in findings("Police in Lyon arrested a man from Marseille on Monday.",
                                  "On Monday police in Lyon arrested a man from Marseille.")


def test_names_in_each_others_place_reach_the_model_as_names_changed(encoder):
    """The model has no column of its own for the role check (``features.FEATURE_KIND``): its findings are
    read as an entity change, on the pair and on the names' words, and drift rises above the copy's."""
    from drift import score_pairs
    from drift.pipeline import prepare_pairs
    from drift.score.features import PAIR_BASE, WORD_FEATURES

    pairs = [("Russia blamed Ukraine for the attack.", "Ukraine blamed Russia for the attack."),
             ("Russia blamed Ukraine for the attack.", "Russia blamed Ukraine for the attack!")]
    prepared = prepare_pairs(pairs, model=encoder)
    reversed_, copy = prepared.scorer.features_all(prepared.alignments, keep=True)
    assert [f.kind for f in reversed_.findings] == ["role"] and copy.findings == ()
    assert reversed_.base[PAIR_BASE.index("kind_entity")] > 0 == copy.base[PAIR_BASE.index("kind_entity")]
    entity = WORD_FEATURES.index("typed_entity")
    assert [round(x) for x in reversed_.words_a[:, entity]] == [1, 0, 1, 0, 0, 0]  # Russia, Ukraine
    first, second = score_pairs(pairs, model=encoder)
    assert first.drift > second.drift + 0.2
