"""The JSON Lines view: one self-contained ``drift.finding/1`` record per finding, for log pipelines.

Records come most severe first (as the text view lists them) and follow the same
``Triage`` filters; each one carries the full sentence texts, uncut.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from drift.report.findings import in_sentence_text, sentence_text
from drift.report.triage import Finding, Triage, select
from drift.score.scorer import Drift, Span

if TYPE_CHECKING:  # pragma: no cover
    from drift.article import Article
    from drift.report.report import Report

FINDING_SCHEMA = "drift.finding/1"
#: Line breaks to ``str.splitlines`` and other readers that JSON lets a string hold raw (``ensure_ascii=False``
#: writes them so): escaped, so a record is one line for every reader, and loads back as the same text.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _record(f: Finding, by_id: dict[str, "Article"], signature: str) -> dict[str, Any]:
    if isinstance(f, Drift):
        al = f.alignment
        return {
            "schema": FINDING_SCHEMA, "finding": "drift", "severity": f.severity, "drift": f.drift,
            "relation": f.relation, "similarity": al.similarity, "kinds": list(f.kinds), "explanation": f.explanation,
            "a": {"article": al.a, "sentences": list(al.a_sentences),
                  "text": sentence_text(by_id[al.a], al.a_sentences)},
            "b": {"article": al.b, "sentences": list(al.b_sentences),
                  "text": sentence_text(by_id[al.b], al.b_sentences)},
            "spans": [_span(sp, by_id[sp.article], al.a_sentences if sp.article == al.a else al.b_sentences)
                      for sp in f.spans], "signature": signature,
        }
    return {
        "schema": FINDING_SCHEMA, "finding": f.kind, "article": f.article, "sentence": f.sentence,
        "text": by_id[f.article].sentences[f.sentence].text, "missing_in": list(f.missing_in),
        **({"heading": True} if f.heading else {}), "signature": signature,
    }


def _span(span: Span, article: "Article", sentence_ids: tuple[int, ...]) -> dict[str, Any]:
    """A span as the report writes it, plus where it lies in its side's ``text`` (``text_start``/``text_end``):
    ``start``/``end`` index the whole article, which a record does not carry."""
    where = in_sentence_text(article, sentence_ids, span)
    return {**span.to_dict(), **({"text_start": where[0], "text_end": where[1]} if where else {})}


def findings(report: "Report", triage: Triage | None = None) -> list[dict[str, Any]]:
    """One self-contained record per finding ``triage`` selects (by default every drifted pair and
    every sentence with no counterpart), most severe first."""
    signature = report.signature.line()
    by_id = {a.id: a for a in report.articles}
    return [_record(f, by_id, signature) for f in select(report, triage).shown]


def render_jsonl(report: "Report", color: bool = False, triage: Triage | None = None) -> str:
    """Findings as JSON Lines, one record a line whoever splits them; an empty string when nothing drifted."""
    return "".join(json.dumps(f, ensure_ascii=False).translate(_LINE_BREAKS) + "\n" for f in findings(report, triage))
