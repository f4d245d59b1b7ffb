"""Alignment stage: reordering, 1:2 and 2:1 merges, unmatched sentences, the margin rule."""
from __future__ import annotations

from drift import compare
from drift.align.aligner import Aligner, AlignmentSettings
from drift.align.neighbours import SentenceIndex
from drift.read.titles import article_from_text
from drift.text.prepare import prepare_article

A_TEXT = (
    "The government announced a new tax on sugary drinks on Tuesday.\n"
    "The finance minister said the levy would raise two billion euros a year.\n"
    "Opposition parties called the measure unfair to poor families.\n"
    "The tax takes effect in January."
)


def _pairs(report):
    return {(p.alignment.a_sentences, p.alignment.b_sentences) for p in report.pairs}


def test_reordered_paragraphs_align(encoder):
    lines = A_TEXT.split("\n")
    a = article_from_text(A_TEXT, id="a", detect_headline=False)
    b = article_from_text("\n".join(reversed(lines)), id="b", detect_headline=False)
    report = compare([a, b], model=encoder)
    assert _pairs(report) == {((0,), (3,)), ((1,), (2,)), ((2,), (1,)), ((3,), (0,))}
    assert report.unmatched == []


def test_split_sentence_aligns_one_to_two(encoder):
    a = article_from_text(
        "The finance minister said the levy would raise two billion euros a year, "
        "and that the money would fund school meals.\nThe tax takes effect in January.", id="a",
        detect_headline=False)
    b = article_from_text(
        "The finance minister said the levy would raise two billion euros a year.\n"
        "The money will fund school meals, he added.\nThe tax takes effect in January.", id="b",
        detect_headline=False)
    report = compare([a, b], model=encoder)
    assert ((0,), (0, 1)) in _pairs(report)
    assert ((1,), (2,)) in _pairs(report)


def test_unrelated_sentence_is_left_unmatched(encoder):
    a = article_from_text(A_TEXT, id="a", detect_headline=False)
    b = article_from_text(A_TEXT + "\nA volcano erupted in Iceland, grounding flights across Europe.", id="b",
                          detect_headline=False)
    report = compare([a, b], model=encoder)
    assert [(u.article, u.sentence, u.missing_in) for u in report.unmatched] == [("b", 4, ("a",))]


def test_margin_rejects_a_weak_best_match_that_does_not_stand_out(encoder):
    a = prepare_article(article_from_text("Officials discussed the budget at length on Monday.", id="a",
                                          detect_headline=False))
    b = prepare_article(article_from_text(
        "The budget will be published next month.\nThe budget debate lasted for hours.", id="b",
        detect_headline=False))
    texts = [s.text for s in a.sentences + b.sentences]
    vectors = encoder.encode(texts)
    index = SentenceIndex(vectors, {"a": (0, 1), "b": (1, 3)})
    eligible = {"a": [0], "b": [0, 1]}
    best = float(max(vectors[0] @ vectors[1], vectors[0] @ vectors[2]))
    strict = AlignmentSettings(floor=0.0, sure=best + 0.01, margin=1.0)
    loose = AlignmentSettings(floor=0.0, sure=best + 0.01, margin=0.0)
    assert Aligner([a, b], index, eligible, encoder.encode, strict).align([("a", "b")])[0].alignments == []
    assert len(Aligner([a, b], index, eligible, encoder.encode, loose).align([("a", "b")])[0].alignments) == 1


def test_boilerplate_is_never_aligned_or_unmatched(encoder):
    body = "The tax takes effect in January.\nOpposition parties called the measure unfair."
    a = article_from_text(body + "\nNo Comments", id="a", detect_headline=False)
    b = article_from_text(body + "\nFor queries, please contact news@example.com", id="b", detect_headline=False)
    report = compare([a, b], model=encoder)
    assert all(2 not in p.alignment.a_sentences and 2 not in p.alignment.b_sentences for p in report.pairs)
    assert report.unmatched == []
    assert report.articles[0].sentences[2].boilerplate and report.articles[1].sentences[2].boilerplate
