"""One pair of sentences compared with the real model, and its spans' words: shared by the test_scoring*.py files."""
from __future__ import annotations

from drift import compare
from drift.read.titles import article_from_text
from drift.score.scorer import ScoringSettings


def _single_pair(encoder, a_text: str, b_text: str, scoring: ScoringSettings = ScoringSettings()):
    a = article_from_text(a_text, id="a", detect_headline=False)
    b = article_from_text(b_text, id="b", detect_headline=False)
    report = compare([a, b], model=encoder, scoring=scoring)
    assert len(report.pairs) == 1, report.pairs
    return report.pairs[0]


def _span_texts(pair, article):
    return " ".join(s.text for s in pair.spans if s.article == article)
