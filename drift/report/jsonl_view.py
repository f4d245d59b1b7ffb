"""The JSON Lines view: one self-contained ``drift.finding/1`` record per finding, for log pipelines."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from drift.report.findings import sentence_text

if TYPE_CHECKING:  # pragma: no cover
    from drift.report.report import Report

FINDING_SCHEMA = "drift.finding/1"


def findings(report: "Report") -> list[dict]:
    """One self-contained record per drifted pair and per unmatched sentence, for log pipelines."""
    signature = report.signature.line()
    by_id = {a.id: a for a in report.articles}
    out: list[dict] = []
    for p in report.pairs:
        if p.severity == "none":
            continue
        al = p.alignment
        out.append({
            "schema": FINDING_SCHEMA, "finding": "drift", "severity": p.severity, "drift": p.drift,
            "similarity": al.similarity, "kinds": list(p.kinds), "explanation": p.explanation,
            "a": {"article": al.a, "sentences": list(al.a_sentences),
                  "text": sentence_text(by_id[al.a], al.a_sentences)},
            "b": {"article": al.b, "sentences": list(al.b_sentences),
                  "text": sentence_text(by_id[al.b], al.b_sentences)},
            "spans": [sp.to_dict() for sp in p.spans], "signature": signature,
        })
    for u in report.unmatched:
        out.append({
            "schema": FINDING_SCHEMA, "finding": u.kind, "article": u.article, "sentence": u.sentence,
            "text": by_id[u.article].sentences[u.sentence].text, "missing_in": list(u.missing_in),
            "signature": signature,
        })
    return out


def render_jsonl(report: "Report", color: bool = False) -> str:
    """Findings as JSON Lines; an empty string when nothing drifted."""
    return "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in findings(report))
