"""A hand-made report and three-version story (no model, no scorer) and their exact views, shared by the
view tests (test_views*.py, test_cli_output.py) and conftest's report and fake_compare fixtures."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from drift.align.aligner import Alignment, AlignmentSettings
from drift.article import Article
from drift.read.titles import article_from_text
from drift.report.report import Report, Unmatched
from drift.report.signature import Signature
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


def _a_against_b(a: Article, b: Article) -> list[Drift]:
    """Versions a and b of both sample reports: same wording, a changed day (minor), a changed figure (major)."""
    return [
        Drift(Alignment("a", (0,), "b", (0,), 1.0), 0.0, "none", (), (), "same wording"),
        Drift(Alignment("a", (1,), "b", (1,), 0.9), 0.3, "minor", ("lexical",),
              (_span(a, "Tuesday", "lexical", 0.4), _span(b, "Monday", "lexical", 0.4)),
              "lexical: 'Tuesday' here, 'Monday' in b"),
        Drift(Alignment("a", (2,), "b", (2,), 0.6), 0.7, "major", ("number",),
              (_span(a, "Forty", "number", 0.8), _span(b, "Fourteen", "number", 0.8)),
              "number: 'Forty' here, 'Fourteen' in b"),
    ]


def make_report() -> Report:
    a, b = _articles(("a", A_TEXT), ("b", B_TEXT))
    assert a.sentences[4].boilerplate  # "Posted by Jane." is furniture
    pairs = _a_against_b(a, b)
    unmatched = [Unmatched("a", 3, ("b",), "omission"), Unmatched("b", 3, ("a",), "addition")]
    return Report(SIGNATURE, [a, b], pairs, unmatched)


def make_story() -> Report:
    """Three versions, every pair compared: findings of both severities in every pair, to sort and rank."""
    a, b, c = _articles(("a", A_TEXT), ("b", B_TEXT), ("c", C_TEXT))
    pairs = [
        *_a_against_b(a, b),
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
