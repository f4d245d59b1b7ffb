"""The report's HTML view, and the compare command's options around the views (CLI)."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from sample_reports import (
    C_TEXT,
    FIXTURES,
    SIGNATURE_LINE,
    STORY_FINDINGS,
    STORY_SUMMARY,
    STRAY,
    TEXT_VIEW,
    make_report,
    make_story,
)

from drift.cli import main
from drift.report.triage import Triage

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
                             "'attribution', 'quote', 'negation', 'antonym', 'person', 'role', "
                             "'omission', 'addition'\n")


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
