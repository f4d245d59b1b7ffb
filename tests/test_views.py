"""The report's views (text, colour, JSONL, HTML) and the CLI options around them.

A hand-made report keeps these exact: no model, no scorer, just the rendering.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from drift.align.aligner import Alignment, AlignmentSettings
from drift.cli import main
from drift.errors import ConfigError
from drift.read.titles import article_from_text
from drift.report.findings import segments, summarize
from drift.report.report import Report, Unmatched
from drift.report.signature import Signature
from drift.report.text_view import cut, head
from drift.report.triage import Triage, relabel, select, version_labels
from drift.report.views import FORMATS
from drift.score.scorer import Drift, ScoringSettings, Span
from drift.text.prepare import prepare_article

FIXTURES = Path(__file__).parent / "fixtures"
A_TEXT = ("Floods hit valley\n\nHeavy rain flooded the valley on Tuesday.\nForty people were rescued.\n"
          "The governor declared an emergency.\nPosted by Jane.")
B_TEXT = ("Floods hit valley\n\nHeavy rain flooded the valley on Monday.\nFourteen people were <rescued>.\n"
          "Schools closed.")
SIGNATURE = Signature(drift="0.1.0", model="m", backend="b", model_languages=None, splitter="s", aligner="a",
                      scorer="c", index="i", alignment=AlignmentSettings(), scoring=ScoringSettings(), calibration="",
                      reference=None, reference_chosen=None, version_pairs=(("a", "b"),))
SIGNATURE_LINE = "drift:0.1.0|model:m|backend:b|splitter:s|aligner:a|scorer:c|index:i"
STRAY = "versions by stray, most first (stray: mean drift per sentence of its pairs; no counterpart counts 1):"
TEXT_VIEW = f"""\
drift report  {SIGNATURE_LINE}

== summary: 2 versions, 1 pair compared: 1 major, 1 minor, 2 sentences with no counterpart
{STRAY}
  1  v1  0.60  1 major, 1 minor, 1 unmatched  a
  2  v2  0.60  1 major, 1 minor, 1 unmatched  b
kinds: lexical 1, number 1

== findings, most severe first: 4 of 4
  major     0.70  v1/v2  sim 0.60  number: 'Forty' here, 'Fourteen' in v2
    v1 2  [[Forty]] people were rescued.
    v2 2  [[Fourteen]] people were <rescued>.
  minor     0.30  v1/v2  sim 0.90  lexical: 'Tuesday' here, 'Monday' in v2
    v1 1  Heavy rain flooded the valley on [[Tuesday]].
    v2 1  Heavy rain flooded the valley on [[Monday]].
  omission  v1 3 (missing in v2): The governor declared an emergency.
  addition  v2 3 (missing in v1): Schools closed.
"""
#: The three-version story's summary: the matrix, the ranking (b strays most), the kinds.
STORY_SUMMARY = f"""\
drift report  {SIGNATURE_LINE}

== summary: 3 versions, 3 pairs compared: 2 major, 3 minor, 3 sentences with no counterpart
drifted pairs (major/minor):
       v1   v2   v3
  v1    ·  1/1  0/1
  v2  1/1    ·  1/1
  v3  0/1  1/1    ·
{STRAY}
  1  v2  0.62  2 major, 2 minor, 1 unmatched  b
  2  v3  0.39  1 major, 2 minor, 1 unmatched  c
  3  v1  0.37  1 major, 2 minor, 1 unmatched  a
kinds: lexical 2, number 2, addition 2

"""
#: Every finding of the story, most severe first, then most drifted, across version pairs.
STORY_FINDINGS = """\
== findings, most severe first: 8 of 8
  major     0.85  v2/v3  sim 0.50  number: 'Fourteen' here, 'Forty' in v3
    v2 2  [[Fourteen]] people were <rescued>.
    v3 2  [[Forty]] people were rescued [[by the army]].
  major     0.70  v1/v2  sim 0.60  number: 'Forty' here, 'Fourteen' in v2
    v1 2  [[Forty]] people were rescued.
    v2 2  [[Fourteen]] people were <rescued>.
  minor     0.46  v1/v3  sim 0.80  addition: 'by the army' in v3, nothing like it here
    v1 2  Forty people were rescued.
    v3 2  Forty people were rescued [[by the army]].
  minor     0.35  v2/v3  sim 0.90  lexical: 'Monday' here, 'Tuesday' in v3
    v2 1  Heavy rain flooded the valley on [[Monday]].
    v3 1  Heavy rain flooded the valley on [[Tuesday]].
  minor     0.30  v1/v2  sim 0.90  lexical: 'Tuesday' here, 'Monday' in v2
    v1 1  Heavy rain flooded the valley on [[Tuesday]].
    v2 1  Heavy rain flooded the valley on [[Monday]].
  omission  v1 3 (missing in v2): The governor declared an emergency.
  addition  v2 3 (missing in v1, v3): Schools closed.
  omission  v3 3 (missing in v2): The governor declared an emergency.
"""


C_TEXT = ("Floods hit valley\n\nHeavy rain flooded the valley on Tuesday.\nForty people were rescued by the army.\n"
          "The governor declared an emergency.")


def _span(article, word: str, kind: str, score: float) -> Span:
    start = article.text.index(word)
    return Span(article.id, start, start + len(word), word, kind, score)


def _articles(*texts: tuple[str, str]):
    return [prepare_article(article_from_text(text, id=aid, language="en")) for aid, text in texts]


def make_report() -> Report:
    a, b = _articles(("a", A_TEXT), ("b", B_TEXT))
    assert a.sentences[4].boilerplate  # "Posted by Jane." is furniture
    pairs = [
        Drift(Alignment("a", (0,), "b", (0,), 1.0), 0.0, "none", (), (), "same wording"),
        Drift(Alignment("a", (1,), "b", (1,), 0.9), 0.3, "minor", ("lexical",),
              (_span(a, "Tuesday", "lexical", 0.4), _span(b, "Monday", "lexical", 0.4)),
              "lexical: 'Tuesday' here, 'Monday' in b"),
        Drift(Alignment("a", (2,), "b", (2,), 0.6), 0.7, "major", ("number",),
              (_span(a, "Forty", "number", 0.8), _span(b, "Fourteen", "number", 0.8)),
              "number: 'Forty' here, 'Fourteen' in b"),
    ]
    unmatched = [Unmatched("a", 3, ("b",), "omission"), Unmatched("b", 3, ("a",), "addition")]
    return Report(SIGNATURE, [a, b], pairs, unmatched)


def make_story() -> Report:
    """Three versions, every pair compared: findings of both severities in every pair, to sort and rank."""
    a, b, c = _articles(("a", A_TEXT), ("b", B_TEXT), ("c", C_TEXT))
    pairs = [
        Drift(Alignment("a", (0,), "b", (0,), 1.0), 0.0, "none", (), (), "same wording"),
        Drift(Alignment("a", (1,), "b", (1,), 0.9), 0.3, "minor", ("lexical",),
              (_span(a, "Tuesday", "lexical", 0.4), _span(b, "Monday", "lexical", 0.4)),
              "lexical: 'Tuesday' here, 'Monday' in b"),
        Drift(Alignment("a", (2,), "b", (2,), 0.6), 0.7, "major", ("number",),
              (_span(a, "Forty", "number", 0.8), _span(b, "Fourteen", "number", 0.8)),
              "number: 'Forty' here, 'Fourteen' in b"),
        Drift(Alignment("a", (0,), "c", (0,), 1.0), 0.0, "none", (), (), "same wording"),
        Drift(Alignment("a", (1,), "c", (1,), 0.99), 0.05, "none", (), (), "same meaning"),
        Drift(Alignment("a", (2,), "c", (2,), 0.8), 0.46, "minor", ("addition",),
              (_span(c, "by the army", "addition", 0.5),), "addition: 'by the army' in c, nothing like it here"),
        Drift(Alignment("a", (3,), "c", (3,), 0.98), 0.02, "none", (), (), "same wording"),
        Drift(Alignment("b", (0,), "c", (0,), 1.0), 0.0, "none", (), (), "same wording"),
        Drift(Alignment("b", (1,), "c", (1,), 0.9), 0.35, "minor", ("lexical",),
              (_span(b, "Monday", "lexical", 0.4), _span(c, "Tuesday", "lexical", 0.4)),
              "lexical: 'Monday' here, 'Tuesday' in c"),
        Drift(Alignment("b", (2,), "c", (2,), 0.5), 0.85, "major", ("number", "addition"),
              (_span(b, "Fourteen", "number", 0.9), _span(c, "Forty", "number", 0.9),
               _span(c, "by the army", "addition", 0.5)),
              "number: 'Fourteen' here, 'Forty' in c"),
    ]
    unmatched = [Unmatched("a", 3, ("b",), "omission"), Unmatched("b", 3, ("a", "c"), "addition"),
                 Unmatched("c", 3, ("b",), "omission")]
    signature = replace(SIGNATURE, version_pairs=(("a", "b"), ("a", "c"), ("b", "c")))
    return Report(signature, [a, b, c], pairs, unmatched)


@pytest.fixture
def report() -> Report:
    return make_report()


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


# ---------------------------------------------------------------- HTML


def test_html_escapes_text_and_orders_rows(report):
    page = report.render("html")
    assert "people were &lt;rescued&gt;." in page and "<rescued>" not in page
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in page
    rows = page.split('<div class="row ')[2:]  # past the column heads
    kinds = [row.split('"', 1)[0] for row in rows]
    # the B sentence alone right after the row of B's sentence 2, the A one alone at its place in A
    assert kinds == ["pair sev-none", "pair sev-minor", "pair sev-major", "unmatched only-b",
                     "unmatched only-a", "context"]
    assert 'class="badge context">boilerplate</span>' in page
    assert '<mark class="k-number" data-kind="number" title="number, score 0.80">Forty</mark>' in page
    assert "only in v1: 1, only in v2: 1" in page


def _sections(page: str) -> dict[str, str]:
    """Each pair section's HTML by its heading (``v1 vs v2``)."""
    parts = page.split('<section class="pair-section"')[1:]
    return {part.split("<h2>", 1)[1].split("</h2>", 1)[0]: part for part in parts}


def test_html_badges_speak_of_the_pair_on_screen():
    """b's sentence 3 is an *addition* for the run and c's an *omission*; in the v2 vs v3 section each is
    simply "only in" its own side."""
    sections = _sections(make_story().render("html"))
    assert list(sections) == ["v1 vs v2", "v1 vs v3", "v2 vs v3"]
    badges = re.findall(r'class="badge only">([^<]+)</span>no counterpart in ([^<]+)<', sections["v2 vs v3"])
    assert sorted(badges) == [("only in v2", "v3"), ("only in v3", "v2")]
    assert sorted(re.findall(r'class="badge only">([^<]+)<', sections["v1 vs v2"])) == ["only in v1", "only in v2"]
    assert 'class="badge only"' not in sections["v1 vs v3"]  # c's sentence 3 has its counterpart in a
    assert "added" not in "".join(sections.values()) and "omitted" not in "".join(sections.values())


def test_html_summary_links_into_each_pair_section():
    page = make_story().render("html")
    summary = page.split('<section id="summary">', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<a href="#(pair-\d)"[^>]*>(\d/\d)</a>', summary)
    # the matrix is symmetric: each pair is linked from both of its cells
    assert sorted(set(links)) == [("pair-1", "1/1"), ("pair-2", "0/1"), ("pair-3", "1/1")]
    assert len(links) == 6
    for target, _ in links:
        assert f'<section class="pair-section" id="{target}">' in page
    assert page.index('<section id="summary">') < page.index('<section class="pair-section"')
    ranking = re.findall(r'<td class="n">(\d)</td><td><b>(v\d)</b> <span class="id">(\w)</span></td>'
                         r'<td class="n">([\d.]+)</td>', summary)
    assert ranking == [("1", "v2", "b", "0.62"), ("2", "v3", "c", "0.39"), ("3", "v1", "a", "0.37")]
    assert '<button type="button" id="next-major"' in page and '<button type="button" id="prev-major"' in page


def test_html_labels_follow_the_option():
    page = make_story().render("html", triage=Triage(labels="id"))
    assert list(_sections(page)) == ["a vs b", "a vs c", "b vs c"]
    assert "only in a: 1, only in b: 1" in page


# ---------------------------------------------------------------- CLI


@pytest.fixture
def fake_compare(monkeypatch, tmp_path):
    """The command with the pipeline replaced by the hand-made report: reading stays real."""
    from drift import pipeline

    seen: list[list[str]] = []

    def compare(articles, **kwargs):
        seen.append([a.id for a in articles])
        return make_report()

    monkeypatch.setattr(pipeline, "compare", compare)
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(A_TEXT, encoding="utf-8")
    Path("b.txt").write_text(B_TEXT, encoding="utf-8")
    return seen


def run(*args: str, env: dict | None = None, input: bytes | None = None):
    return CliRunner().invoke(main, ["compare", *args], env=env, input=input)


@pytest.fixture
def fake_story(fake_compare, monkeypatch):
    """The command over the three-version story."""
    from drift import pipeline

    monkeypatch.setattr(pipeline, "compare", lambda articles, **kw: make_story())
    Path("c.txt").write_text(C_TEXT, encoding="utf-8")


def test_cli_summary_and_sorted_findings(fake_story):
    result = run("a.txt", "b.txt", "c.txt")
    assert result.exit_code == 0, result.output
    assert result.stdout == STORY_SUMMARY + STORY_FINDINGS


def test_cli_min_severity_and_limit(fake_story):
    result = run("a.txt", "b.txt", "c.txt", "--min-severity", "major", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout == STORY_SUMMARY + """\
== findings, most severe first: 1 of 8 (--min-severity major --limit 1)
  major     0.85  v2/v3  sim 0.50  number: 'Fourteen' here, 'Forty' in v3
    v2 2  [[Fourteen]] people were <rescued>.
    v3 2  [[Forty]] people were rescued [[by the army]].
  … 1 more (raise --limit, or --format json for everything)
"""


def test_cli_kind_is_repeatable(fake_story):
    result = run("a.txt", "b.txt", "c.txt", "--kind", "addition", "--kind", "negation")
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n\n", 2)[2] == """\
== findings, most severe first: 3 of 8 (--min-severity minor --kind addition --kind negation)
  major     0.85  v2/v3  sim 0.50  number: 'Fourteen' here, 'Forty' in v3
    v2 2  [[Fourteen]] people were <rescued>.
    v3 2  [[Forty]] people were rescued [[by the army]].
  minor     0.46  v1/v3  sim 0.80  addition: 'by the army' in v3, nothing like it here
    v1 2  Forty people were rescued.
    v3 2  Forty people were rescued [[by the army]].
  addition  v2 3 (missing in v1, v3): Schools closed.
"""


def test_cli_labels_id_prints_no_mapping(fake_story):
    result = run("a.txt", "b.txt", "c.txt", "--labels", "id", "--kind", "omission")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"""\
drift report  {SIGNATURE_LINE}

== summary: 3 versions, 3 pairs compared: 2 major, 3 minor, 3 sentences with no counterpart
drifted pairs (major/minor):
       a    b    c
  a    ·  1/1  0/1
  b  1/1    ·  1/1
  c  0/1  1/1    ·
{STRAY}
  1  b  0.62  2 major, 2 minor, 1 unmatched
  2  c  0.39  1 major, 2 minor, 1 unmatched
  3  a  0.37  1 major, 2 minor, 1 unmatched
kinds: lexical 2, number 2, addition 2

== findings, most severe first: 2 of 8 (--min-severity minor --kind omission)
  omission  a 3 (missing in b): The governor declared an emergency.
  omission  c 3 (missing in b): The governor declared an emergency.
"""


def test_cli_jsonl_follows_the_filters_and_json_keeps_everything(fake_story):
    jsonl = run("a.txt", "b.txt", "c.txt", "--format", "jsonl", "--min-severity", "major")
    assert [(r["a"]["article"], r["b"]["article"], r["drift"]) for r in map(json.loads, jsonl.stdout.splitlines())] \
        == [("b", "c", 0.85), ("a", "b", 0.7)]
    full = json.loads(run("a.txt", "b.txt", "c.txt", "--format", "json", "--min-severity", "major",
                          "--limit", "0").stdout)
    assert len(full["pairs"]) == 10 and len(full["unmatched"]) == 3
    assert [v["id"] for v in full["summary"]["versions"]] == ["b", "c", "a"]


def test_cli_unknown_kind_is_one_line(fake_story):
    result = run("a.txt", "b.txt", "--kind", "spelling")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == ("Error: unknown --kind 'spelling'; choose from 'lexical', 'entity', 'number', 'modality', "
                             "'attribution', 'quote', 'negation', 'antonym', 'person', 'omission', "
                             "'addition'\n")


@pytest.mark.parametrize("threshold, code", [(None, 0), ("minor", 3), ("major", 3)])
def test_fail_on_exit_status(fake_compare, threshold, code):
    result = run("a.txt", "b.txt", *(["--fail-on", threshold] if threshold else []))
    assert result.exit_code == code
    assert result.stdout == TEXT_VIEW and result.stderr == ""


def test_fail_on_major_passes_when_only_minor(fake_compare, monkeypatch):
    from drift import pipeline

    minor_only = make_report()
    minor_only.pairs = minor_only.pairs[:2]
    monkeypatch.setattr(pipeline, "compare", lambda articles, **kw: minor_only)
    assert run("a.txt", "b.txt", "--fail-on", "major").exit_code == 0
    assert run("a.txt", "b.txt", "--fail-on", "minor").exit_code == 3


def test_fail_on_ignores_overlaps_as_the_summary_does(fake_compare, monkeypatch):
    from drift import pipeline

    overlaps = make_report()
    overlaps.pairs = [replace(p, relation="overlap") for p in overlaps.pairs]
    monkeypatch.setattr(pipeline, "compare", lambda articles, **kw: overlaps)
    assert run("a.txt", "b.txt", "--fail-on", "minor").exit_code == 0
    assert overlaps.drifted("minor") == [] and overlaps.summary().minor == 0


def test_color_follows_the_option_and_no_color(fake_compare):
    assert "\x1b[" in run("a.txt", "b.txt", "--color", "always").stdout
    assert run("a.txt", "b.txt", "--color", "never").stdout == TEXT_VIEW
    # auto: CliRunner's stdout is no terminal, so no colour; NO_COLOR would win anyway
    assert run("a.txt", "b.txt", env={"NO_COLOR": "1"}).stdout == TEXT_VIEW


def test_output_file_and_open(fake_compare, monkeypatch):
    from drift.cli import compare as compare_command

    launched: list[str] = []
    monkeypatch.setattr(compare_command, "open_in_viewer", lambda path: launched.append(path) or True)
    result = run("a.txt", "b.txt", "--format", "html", "-o", "report.html", "--open")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert Path("report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert launched == ["report.html"]
    result = run("a.txt", "b.txt", "--format", "jsonl", "--open")
    assert result.exit_code == 0 and len(launched) == 2
    assert launched[1].endswith(".jsonl") and Path(launched[1]).read_text(encoding="utf-8").count("\n") == 4
    Path(launched[1]).unlink()


def test_open_without_a_viewer_is_one_warning(fake_compare, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = run("a.txt", "b.txt", "--format", "html", "--open")
    assert result.exit_code == 0 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    match = re.fullmatch(r"drift: warning: --open: no viewer to open (\S+\.html) \(no desktop session\); "
                         r"the report is written there", line)
    assert match, line
    assert Path(match.group(1)).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    Path(match.group(1)).unlink()


def test_progress_names_the_model_loading_phase_on_a_terminal(fake_compare, monkeypatch):
    from drift.cli import compare as compare_command
    from drift.embed import load

    loaded: list[str] = []

    class Slow:
        @property
        def dim(self) -> int:
            loaded.append("weights")
            return 3

    monkeypatch.setattr(load, "as_encoder", lambda model, backend, progress=False: Slow())
    assert "loading model" not in run("a.txt", "b.txt").stderr and loaded == []  # no terminal: no bar
    monkeypatch.setattr(compare_command, "on_terminal", lambda: True)
    result = run("a.txt", "b.txt")
    assert result.exit_code == 0 and result.stdout == TEXT_VIEW
    assert "loading model: 00:00" in result.stderr and loaded == ["weights"]
    assert "loading model" not in run("a.txt", "b.txt", "--quiet").stderr


def test_unwritable_output_is_one_line(fake_compare):
    result = run("a.txt", "b.txt", "-o", "no/such/dir/report.html")
    assert result.exit_code == 1
    assert result.stderr == ("Error: -o no/such/dir/report.html: cannot write (No such file or directory); "
                             "give a path in a writable directory\n")


def test_mixed_inputs_warn_once_and_run_the_rest(fake_compare):
    Path("broken.xml").write_text("<nitf><body>", encoding="utf-8")
    result = run("a.txt", "broken.xml", str(FIXTURES / "001_afp.nitf.xml"), str(FIXTURES / "001_example.html"))
    assert result.exit_code == 0, result.output
    assert result.stderr == ("drift: warning: broken.xml: not well-formed XML (line 1, column 12: no element found); "
                             "fix the XML or give the story as plain text (skipped)\n")
    assert fake_compare == [["a", "afp-001", "001_example"]]


def test_hostile_xml_with_one_other_version_is_an_error(fake_compare):
    Path("bomb.xml").write_text('<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><nitf>&b;</nitf>',
                                encoding="utf-8")
    result = run("a.txt", "bomb.xml")
    assert result.exit_code == 1
    assert result.stderr == ("Error: bomb.xml: XML declares entity 'a', which drift never expands (billion-laughs "
                             "or external-entity risk); remove the entity declarations from the DOCTYPE\n")
    assert fake_compare == []


def test_stdin_format_is_found_from_content(fake_compare):
    result = run("-", "b.txt", input=(FIXTURES / "001_afp.nitf.xml").read_bytes())
    assert result.exit_code == 0, result.output
    assert fake_compare == [["afp-001", "b"]]


def test_shown_escapes_hidden_tag_characters_and_keeps_every_script():
    from drift.report.display import shown

    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ok")  # invisible copies of "ok"
    assert shown(f"Ferry sank.{hidden} \u202eA\tB") == "Ferry sank.\\U000e006f\\U000e006b \\u202eA B"
    assert shown("Émile, 中国, مرحبا\u200f, नमस्ते") == "Émile, 中国, مرحبا\u200f, नमस्ते"
