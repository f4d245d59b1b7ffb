"""The report's views (text, colour, JSONL, HTML) and the CLI options around them.

A hand-made report keeps these exact: no model, no scorer, just the rendering.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from drift.align.aligner import Alignment, AlignmentSettings
from drift.cli import main
from drift.read.titles import article_from_text
from drift.report.findings import segments, summarize
from drift.report.report import Report, Unmatched
from drift.report.signature import Signature
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
TEXT_VIEW = f"""\
drift report  {SIGNATURE_LINE}

== a  vs  b: 3 aligned, 2 drifted (1 major, 1 minor); kinds: lexical 1, number 1; only in a: 1, only in b: 1
  same   0.00  sim 1.00  same wording
    A 0  Floods hit valley
    B 0  Floods hit valley
  minor  0.30  sim 0.90  lexical: 'Tuesday' here, 'Monday' in b
    A 1  Heavy rain flooded the valley on [[Tuesday]].
    B 1  Heavy rain flooded the valley on [[Monday]].
  major  0.70  sim 0.60  number: 'Forty' here, 'Fourteen' in b
    A 2  [[Forty]] people were rescued.
    B 2  [[Fourteen]] people were <rescued>.

== unmatched sentences
  omission  a 3 (missing in b): The governor declared an emergency.
  addition  b 3 (missing in a): Schools closed.
"""


def _span(article, word: str, kind: str, score: float) -> Span:
    start = article.text.index(word)
    return Span(article.id, start, start + len(word), word, kind, score)


def make_report() -> Report:
    a = prepare_article(article_from_text(A_TEXT, id="a", language="en"))
    b = prepare_article(article_from_text(B_TEXT, id="b", language="en"))
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


def test_jsonl_one_finding_per_line(report):
    lines = report.render("jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["finding"], r.get("severity")) for r in records] == [
        ("drift", "minor"), ("drift", "major"), ("omission", None), ("addition", None)]
    assert all(r["schema"] == "drift.finding/1" and r["signature"] == SIGNATURE_LINE for r in records)
    assert records[1]["a"] == {"article": "a", "sentences": [2], "text": "Forty people were rescued."}
    assert records[1]["spans"][1] == {"article": "b", "start": B_TEXT.index("Fourteen"),
                                      "end": B_TEXT.index("Fourteen") + 8, "text": "Fourteen", "kind": "number",
                                      "score": 0.8}
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
    # the added B sentence right after the row of B's sentence 2, the omitted A one at its place in A
    assert kinds == ["pair sev-none", "pair sev-minor", "pair sev-major", "unmatched addition",
                     "unmatched omission", "context"]
    assert 'class="badge context">boilerplate</span>' in page
    assert '<mark class="k-number" data-kind="number" title="number, score 0.80">Forty</mark>' in page
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


def test_color_follows_the_option_and_no_color(fake_compare):
    assert "\x1b[" in run("a.txt", "b.txt", "--color", "always").stdout
    assert run("a.txt", "b.txt", "--color", "never").stdout == TEXT_VIEW
    # auto: CliRunner's stdout is no terminal, so no colour; NO_COLOR would win anyway
    assert run("a.txt", "b.txt", env={"NO_COLOR": "1"}).stdout == TEXT_VIEW


def test_output_file_and_open(fake_compare, monkeypatch):
    launched: list[str] = []
    monkeypatch.setattr(click, "launch", lambda path, **kw: launched.append(path) or 0)
    result = run("a.txt", "b.txt", "--format", "html", "-o", "report.html", "--open")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert Path("report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert launched == ["report.html"]
    result = run("a.txt", "b.txt", "--format", "jsonl", "--open")
    assert result.exit_code == 0 and len(launched) == 2
    assert launched[1].endswith(".jsonl") and Path(launched[1]).read_text(encoding="utf-8").count("\n") == 4
    Path(launched[1]).unlink()


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
