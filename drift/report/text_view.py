"""The text view of a report, for terminals and logs.

Columns line up so an editor can scan severities down the left edge. Colour is an
explicit choice of the caller (the CLI turns it on for a terminal without
``NO_COLOR``); without it drifted words are marked ``[[like this]]`` so pipes and
tests see them too.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from drift.report.display import shown
from drift.report.findings import segments, summarize

if TYPE_CHECKING:  # pragma: no cover
    from drift.article import Article
    from drift.report.report import Report
    from drift.score.scorer import Span

SEVERITY_STYLE: dict[str, dict[str, Any]] = {
    "major": {"fg": "red", "bold": True}, "minor": {"fg": "yellow", "bold": True}, "none": {"dim": True},
}
#: Drifted words by kind; kinds not listed get the default.
KIND_STYLE: dict[str, dict[str, Any]] = {
    "number": {"fg": "black", "bg": "yellow"}, "negation": {"fg": "white", "bg": "red"},
    "modality": {"fg": "black", "bg": "magenta"}, "entity": {"fg": "black", "bg": "cyan"},
    "attribution": {"fg": "black", "bg": "blue"}, "quote": {"fg": "black", "bg": "green"},
}
DEFAULT_KIND_STYLE: dict[str, Any] = {"underline": True, "bold": True}
LABEL_WIDTH = len("major")


def _style(text: str, color: bool, **style: Any) -> str:
    return click.style(text, **style) if color else text


def _marked(article: "Article", sentence_ids: Sequence[int], spans: Sequence["Span"], color: bool) -> str:
    pieces = []
    for raw, span in segments(article, sentence_ids, spans):
        text = shown(raw)
        if span is None:
            pieces.append(text)
        elif color:
            pieces.append(click.style(text, **KIND_STYLE.get(span.kind, DEFAULT_KIND_STYLE)))
        else:
            pieces.append(f"[[{text}]]")
    return "".join(pieces)


def _ids(sentences: Sequence[int]) -> str:
    return "+".join(str(i) for i in sentences)


def render_text(report: "Report", color: bool = False) -> str:
    """Signature line, then per version pair a summary line and its aligned pairs; unmatched last."""
    by_id = {a.id: a for a in report.articles}
    out = [_style(f"drift report  {shown(report.signature.line())}", color, bold=True)]
    pairing = report.signature.pairing_note()
    if pairing:
        out.append(f"  {shown(pairing)}")
    for note in report.signature.skipped:
        out.append(f"  not compared: {shown(note.article)} ({shown(note.reason)})")
    for summary in summarize(report):
        out.append("")
        out.append(_style(f"== {shown(summary.a)}  vs  {shown(summary.b)}: ", color, bold=True) + shown(summary.line()))
        width = max((len(_ids(s)) for p in summary.pairs for s in (p.alignment.a_sentences, p.alignment.b_sentences)),
                    default=1)
        for p in summary.pairs:
            al = p.alignment
            label = ("same" if p.severity == "none" else p.severity).ljust(LABEL_WIDTH)
            out.append(f"  {_style(label, color, **SEVERITY_STYLE[p.severity])}  {p.drift:.2f}  "
                       f"sim {al.similarity:.2f}  {shown(p.explanation)}")
            for side, article, ids in (("A", al.a, al.a_sentences), ("B", al.b, al.b_sentences)):
                out.append(f"    {side} {_ids(ids).rjust(width)}  {_marked(by_id[article], ids, p.spans, color)}")
    if report.unmatched:
        out.append("")
        out.append(_style("== unmatched sentences", color, bold=True))
        for u in report.unmatched:
            sentence = by_id[u.article].sentences[u.sentence]
            label = _style(u.kind.ljust(len("omission")), color, fg="magenta")
            out.append(f"  {label}  {shown(u.article)} {u.sentence} (missing in {shown(', '.join(u.missing_in))}): "
                       f"{shown(sentence.text)}")
    return "\n".join(out) + "\n"
