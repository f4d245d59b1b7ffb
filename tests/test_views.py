"""The report's views (text, colour, JSONL, HTML) and the CLI options around them.

A hand-made report keeps these exact: no model, no scorer, just the rendering.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace

import click
import pytest
from sample_reports import B_TEXT, SIGNATURE_LINE, STORY_FINDINGS, STORY_SUMMARY, TEXT_VIEW, make_story

from drift.errors import ConfigError
from drift.report.findings import segments, summarize
from drift.report.report import Unmatched
from drift.report.text_view import cut, head
from drift.report.triage import Triage, relabel, select, version_labels
from drift.report.views import FORMATS
from drift.score.scorer import Span

# ---------------------------------------------------------------- text and JSONL


def test_text_view_exact(report):
    assert report.render("text") == TEXT_VIEW
    assert report.render() == TEXT_VIEW


def test_colour_marks_severity_and_words_instead_of_brackets(report):
    coloured = report.render("text", color=True)
    assert "\x1b[" in coloured
    assert "[[" not in coloured
    assert click.style("major", fg="red", bold=True) in coloured
    assert click.style("Forty", fg="black", bg="yellow") in coloured  # number kind
    plain = TEXT_VIEW.replace("[[", "").replace("]]", "")
    assert click.unstyle(coloured).replace("  ", " ") == plain.replace("  ", " ")


def test_summary_counts_by_kind(report):
    (summary,) = summarize(report)
    assert summary.line() == ("3 aligned, 2 drifted (1 major, 1 minor); kinds: lexical 1, number 1; "
                              "only in a: 1, only in b: 1")


def test_segments_cut_text_at_spans(report):
    a = report.articles[0]
    assert [(t, s.kind if s else None) for t, s in segments(a, (1, 2), report.pairs[1].spans + report.pairs[2].spans)] \
        == [("Heavy rain flooded the valley on ", None), ("Tuesday", "lexical"), (".", None), (" ", None),
            ("Forty", "number"), (" people were rescued.", None)]


# ---------------------------------------------------------------- triage: summary, order, filters, labels


def test_story_summary_then_findings_most_severe_first():
    assert make_story().render("text") == STORY_SUMMARY + STORY_FINDINGS


def test_summary_ranks_versions_by_stray():
    story = make_story()
    found = story.summary()
    # pair a-b: drifts 0 + 0.3 + 0.7 and two sentences with no counterpart, over 5 sentences
    assert [(p.a, p.b, p.stray) for p in found.pairs] == [("a", "b", 0.6), ("a", "c", 0.1325), ("b", "c", 0.64)]
    assert [(v.rank, v.id, v.stray) for v in found.versions] == [(1, "b", 0.62), (2, "c", 0.3862), (3, "a", 0.3662)]
    assert found.kinds == {"lexical": 2, "number": 2, "addition": 2}
    assert story.to_dict()["summary"]["versions"][0] == {
        "id": "b", "label": "v2", "rank": 1, "stray": 0.62, "compared_with": 2, "major": 2, "minor": 2,
        "unmatched": 1, "reference": False}


def test_a_subheading_with_no_counterpart_does_not_count_toward_stray():
    story = make_story()
    story.unmatched = [replace(u, heading=u.article == "b") for u in story.unmatched]
    found = story.summary()
    # b's sentence with no counterpart is a subheading: a-b is (0 + 0.3 + 0.7 + a's 1) / 4 sentences,
    # b-c (0 + 0.35 + 0.85 + c's 1) / 4; a-c has no subheading
    assert [(p.a, p.b, p.stray) for p in found.pairs] == [("a", "b", 0.5), ("a", "c", 0.1325), ("b", "c", 0.55)]
    assert found.unmatched == 3  # still listed and counted as sentences with no counterpart
    assert found.versions[0].unmatched == 1


def test_a_reference_run_ranks_against_the_reference_and_marks_it():
    story = make_story()
    story.signature = replace(story.signature, reference="a", reference_chosen="given",
                              version_pairs=(("a", "b"), ("a", "c")))
    story.pairs = [p for p in story.pairs if p.alignment.a == "a"]
    story.unmatched = [Unmatched("a", 3, ("b",), "omission"), Unmatched("b", 3, ("a",), "addition")]
    text = story.render("text")
    assert "       v1   v2   v3\n  v1    ·  1/1  0/1\n  v2  1/1    ·    -\n  v3  0/1    -    ·\n" in text
    assert ("  1  v2  0.60  1 major, 1 minor, 1 unmatched  b\n"
            "  2  v1  0.37  1 major, 2 minor, 1 unmatched  a  (reference)\n"
            "  3  v3  0.13  0 major, 1 minor, 0 unmatched  c\n") in text


def test_order_is_severity_then_drift_then_report_order():
    story = make_story()
    order = [(f.alignment.a, f.alignment.b, f.drift) if hasattr(f, "alignment") else (f.article, f.kind)
             for f in story.findings()]
    assert order == [("b", "c", 0.85), ("a", "b", 0.7), ("a", "c", 0.46), ("b", "c", 0.35), ("a", "b", 0.3),
                     ("a", "omission"), ("b", "addition"), ("c", "omission")]


@pytest.mark.parametrize("triage, expected", [
    (Triage(min_severity="major"), [("b", "c"), ("a", "b")]),
    (Triage(kinds=("addition",)), [("b", "c"), ("a", "c"), "b"]),  # pairs with an addition, and b's sentence
    (Triage(kinds=("omission", "lexical")), [("b", "c"), ("a", "b"), "a", "c"]),
    (Triage(limit=2), [("b", "c"), ("a", "b")]),
    (Triage(min_severity="major", kinds=("lexical",)), []),
])
def test_filters(triage, expected):
    shown = select(make_story(), triage).shown
    assert [(f.alignment.a, f.alignment.b) if hasattr(f, "alignment") else f.article for f in shown] == expected


@pytest.mark.parametrize("options, message", [
    ({"min_severity": "none"}, "unknown min_severity='none'; choose one of 'minor', 'major'"),
    ({"kinds": ("number", "numbers")},
     "unknown kind 'numbers' in kinds=('number', 'numbers'); choose from 'lexical', 'entity', 'number'"),
    ({"labels": "nick"}, "unknown labels='nick'; choose one of 'id', 'short', 'source'"),
    ({"limit": -1}, "limit=-1: must be 0 or more"),
])
def test_bad_triage_is_a_config_error_naming_the_choices(options, message):
    """A library caller is told about the argument it passed; it has no --min-severity (the CLI says that one)."""
    with pytest.raises(ConfigError, match="^" + re.escape(message)) as e:
        Triage(**options)
    assert e.value.parameters == tuple(options)


def test_labels_short_agency_source_and_id():
    a, b, c = make_story().articles
    assert version_labels([a, b, c]) == {"a": "v1", "b": "v2", "c": "v3"}
    assert version_labels([a, b], "id") == {"a": "a", "b": "b"}
    wire = [replace(x, metadata={"agency": agency}, source=f"in/{x.id}.xml")
            for x, agency in zip((a, b, c), ("AFP", "Reuters", "AFP"), strict=True)]
    assert version_labels(wire) == {"a": "AFP", "b": "Reuters", "c": "AFP-2"}
    assert version_labels(wire, "source") == {"a": "a.xml", "b": "b.xml", "c": "c.xml"}
    wire[1] = replace(wire[1], metadata={})  # one version without an agency: numbers for all
    assert version_labels(wire) == {"a": "v1", "b": "v2", "c": "v3"}


def test_relabel_swaps_whole_ids_outside_quotes():
    labels = {"a": "v1", "b": "v2", "001_x": "v3"}
    assert relabel("lexical: 'a' here, 'b' in b", labels) == "lexical: 'a' here, 'b' in v2"
    assert relabel("entity: 'Guyana' here, 'French Guiana' in 001_x", labels) == \
        "entity: 'Guyana' here, 'French Guiana' in v3"
    assert relabel("number: 'a-b' in ab", labels) == "number: 'a-b' in ab"


def test_long_sentences_are_cut_around_the_changed_words(report):
    words = [f"w{n}" for n in range(50)]
    text = " ".join(words[:18]) + " CHANGED " + " ".join(words[18:]) + "."
    span = Span("x", 0, 0, "CHANGED", "lexical", 0.9)
    pieces = [(" ".join(words[:18]) + " ", None), ("CHANGED", span), (" " + " ".join(words[18:]) + ".", None)]
    kept = "".join(f"[[{t}]]" if sp else t for t, sp in cut(pieces))
    assert len(text) > 160
    assert kept == "… w12 w13 w14 w15 w16 w17 [[CHANGED]] w18 w19 w20 w21 w22 w23 …"
    short = [("Forty people were ", None), ("rescued", span), (".", None)]
    assert cut(short) == short  # short sentences stay whole
    assert head("word " * 50) == ("word " * 32).rstrip() + " …"  # 160 characters at most, cut at a space
    assert head("Schools closed.") == "Schools closed."


def test_dense_changes_keep_the_stretch_around_the_strongest(report):
    weak, strong = Span("x", 0, 0, "", "lexical", 0.3), Span("x", 0, 0, "", "number", 0.9)
    pieces = [(f"change{n} " * 6, weak) if n != 7 else ("137", strong) for n in range(12)]
    kept = cut(pieces)
    assert kept[0] == ("… ", None) and kept[-1] == ("…", None)
    assert ("137", strong) in kept and sum(len(t) for t, _ in kept) <= 240 + 4


def test_jsonl_one_finding_per_line(report):
    lines = report.render("jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["finding"], r.get("severity")) for r in records] == [
        ("drift", "major"), ("drift", "minor"), ("omission", None), ("addition", None)]
    assert all(r["schema"] == "drift.finding/1" and r["signature"] == SIGNATURE_LINE for r in records)
    assert records[0]["a"] == {"article": "a", "sentences": [2], "text": "Forty people were rescued."}
    assert records[0]["spans"][1] == {"article": "b", "start": B_TEXT.index("Fourteen"),
                                      "end": B_TEXT.index("Fourteen") + 8, "text": "Fourteen", "kind": "number",
                                      "score": 0.8, "text_start": 0, "text_end": 8}
    for r in records[:2]:  # every span is found in its side's text by text_start/text_end, without the article
        sides = {r["a"]["article"]: r["a"]["text"], r["b"]["article"]: r["b"]["text"]}
        assert all(sides[sp["article"]][sp["text_start"]:sp["text_end"]] == sp["text"] for sp in r["spans"])
    assert records[3] == {"schema": "drift.finding/1", "finding": "addition", "article": "b", "sentence": 3,
                          "text": "Schools closed.", "missing_in": ["a"],
                          "signature": SIGNATURE_LINE}


def test_formats_registry():
    assert FORMATS == ("text", "json", "jsonl", "html")
