"""The views as their readers take them: a log pipeline splitting JSON Lines, an editor matching labels to files."""
from __future__ import annotations

import json
from dataclasses import replace

from sample_reports import A_TEXT, B_TEXT, SIGNATURE, _articles, _span

from drift.align.aligner import Alignment
from drift.report.report import Report, Unmatched
from drift.report.triage import relabel, version_labels
from drift.score.scorer import Drift


def test_jsonl_is_one_record_a_line_for_any_line_splitter():
    # ids (and so "article", "missing_in") may hold U+2028, U+2029 or NEL: JSON lets a string hold them raw,
    # and str.splitlines (and JavaScript before ES2019) cut a record there
    a, b = _articles(("a\u2028x", A_TEXT), ("b\x85y\u2029", B_TEXT))
    report = Report(replace(SIGNATURE, version_pairs=((a.id, b.id),)), [a, b], [],
                    [Unmatched(a.id, 3, (b.id,), "omission"), Unmatched(b.id, 3, (a.id,), "addition")])
    out = report.render("jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["article"], r["missing_in"]) for r in records] == [(a.id, [b.id]), (b.id, [a.id])]
    assert out.count("\n") == 2 and "\\u2028" in out and "\\u0085" in out


def test_explanations_name_versions_by_their_labels_whatever_the_ids_and_words():
    # a file "Reuters story.txt" is the id "Reuters story"; wire copy writes "France's" with a straight apostrophe
    a, b = _articles(("AFP story", A_TEXT), ("Reuters story", B_TEXT))
    why = "number: 'Forty' here, 'Fourteen' in Reuters story; entity: 'France's' here, nothing like it in Reuters story"
    drift = Drift(Alignment(a.id, (2,), b.id, (2,), 0.6), 0.7, "major", ("number", "entity"),
                  (_span(a, "Forty", "number", 0.8), _span(b, "Fourteen", "number", 0.8)), why)
    report = Report(replace(SIGNATURE, version_pairs=((a.id, b.id),)), [a, b], [drift])
    relabelled = "number: 'Forty' here, 'Fourteen' in v2; entity: 'France's' here, nothing like it in v2"
    assert f"v1/v2  sim 0.60  {relabelled}\n" in report.render("text")
    assert relabelled.replace("'", "&#x27;") in report.render("html")
    assert relabel("quote: 'x' in Reuters story, nothing like it here", {"Reuters story": "v2"}) == \
        "quote: 'x' in v2, nothing like it here"


def test_relabel_swaps_only_the_versions_an_explanation_names():
    labels = {"it": "v1", "b": "v2", "AFP": "v3", "AFP story": "v4"}
    assert relabel("entity: 'it in b' here, nothing like it in it", labels) == \
        "entity: 'it in b' here, nothing like it in v1"  # the story's words are no version, even "in b"
    assert relabel("lexical: 'x' in AFP story; number: 'y' in AFP", labels) == \
        "lexical: 'x' in v4; number: 'y' in v3"
    assert relabel("overlap (similarity 0.50): each says something the other does not", labels) == \
        "overlap (similarity 0.50): each says something the other does not"


def test_short_labels_never_name_another_version():
    # files v2.txt and v3.txt: "v1", "v2" would make v2 the label of v3.txt, and an editor open the wrong file
    a, b = _articles(("v2", A_TEXT), ("v3", B_TEXT))
    assert version_labels([a, b]) == {"v2": "v2", "v3": "v3"}
    report = Report(replace(SIGNATURE, version_pairs=((a.id, b.id),)), [a, b], [],
                    [Unmatched(a.id, 3, (b.id,), "omission")])
    assert "  omission  v2 3 (missing in v3): The governor declared an emergency.\n" in report.render("text")
    in_order = _articles(("v1", A_TEXT), ("v2", B_TEXT))  # labels that are each version's own id are fine
    assert version_labels(in_order) == {"v1": "v1", "v2": "v2"}
    agencies = [replace(x, metadata={"agency": agency}) for x, agency in zip(in_order, ("v2", "AFP"), strict=True)]
    assert version_labels(agencies) == {"v1": "v1", "v2": "v2"}  # an agency too
    assert version_labels(_articles(("a", A_TEXT), ("v1", B_TEXT))) == {"a": "a", "v1": "v1"}
