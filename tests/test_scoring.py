"""Scoring stage: severity, word spans from token vectors, kinds, faithful paraphrases."""
from __future__ import annotations

import pytest

from drift import compare
from drift.articles import article_from_text


def _single_pair(encoder, a_text: str, b_text: str):
    a = article_from_text(a_text, id="a", detect_headline=False)
    b = article_from_text(b_text, id="b", detect_headline=False)
    report = compare([a, b], model=encoder)
    assert len(report.pairs) == 1, report.pairs
    return report.pairs[0]


def _span_texts(pair, article):
    return " ".join(s.text for s in pair.spans if s.article == article)


def test_identical_sentences_have_no_drift(encoder):
    pair = _single_pair(encoder, "The tax takes effect in January.", "The tax takes effect in January.")
    assert pair.severity == "none" and pair.drift == 0.0 and pair.spans == ()


def test_changed_verb_is_flagged_with_its_words(encoder):
    pair = _single_pair(
        encoder,
        "Intelligence services believe that this entity fomented this attack and carried it out.",
        "Intelligence services believe that this entity planned this attack and carried it out.",
    )
    assert pair.severity in ("minor", "major")
    assert "fomented" in _span_texts(pair, "a") and "planned" in _span_texts(pair, "b")
    assert "Intelligence" not in _span_texts(pair, "a")


def test_place_swap_is_an_entity_span(encoder):
    pair = _single_pair(encoder, "The president arrived in Guyana on Monday evening.",
                        "The president arrived in Senegal on Monday evening.")
    assert pair.severity in ("minor", "major")
    kinds = {s.kind for s in pair.spans if "Guyana" in s.text or "Senegal" in s.text}
    assert kinds == {"entity"}
    assert "entity" in pair.kinds and "Guyana" in pair.explanation


def test_changed_count_is_a_number_span(encoder):
    pair = _single_pair(encoder, "The attack left 137 people dead near Moscow.",
                        "The attack left 73 people dead near Moscow.")
    assert any(s.kind == "number" and s.text == "137" for s in pair.spans)


@pytest.mark.parametrize("a_text,b_text", [
    ("We will see how the context evolves and whether the coming days justify it.",
     "We will see how the context develops and whether the coming days justify it."),
    ("The minister raised the alert level to its maximum.", "The minister raised the alert level to its highest."),
    ("“It would be cynical,” he insisted to the press.", "\"It would be cynical,\" he insisted to the press."),
])
def test_faithful_paraphrases_are_never_major(encoder, a_text, b_text):
    pair = _single_pair(encoder, a_text, b_text)
    assert pair.severity in ("none", "minor")


def test_quote_style_alone_is_no_drift(encoder):
    pair = _single_pair(encoder, "“It would be cynical,” he insisted to the press.",
                        "\"It would be cynical,\" he insisted to the press.")
    assert pair.severity == "none" and pair.spans == ()


def test_drift_is_bounded_and_severity_follows_thresholds(seed_report):
    scoring = seed_report.signature["thresholds"]["scoring"]
    for pair in seed_report.pairs:
        assert 0.0 <= pair.drift <= 1.0
        expected = "major" if pair.drift >= scoring["major"] else "minor" if pair.drift >= scoring["minor"] else "none"
        assert pair.severity == expected
        if pair.severity == "none":
            assert pair.spans == () and pair.kinds == ()
        else:
            assert pair.explanation and set(pair.kinds) >= {s.kind for s in pair.spans}
