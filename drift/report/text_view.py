"""The text view of a report, for terminals and logs: a summary first, then the findings, worst first.

The summary answers "which version strayed, and where" in a screenful: a matrix of
drifted pairs per version pair, the versions ranked by stray (``triage``), the
kinds. The findings follow, most severe and most drifted first, long sentences cut
around the changed words (``…``); the JSON view keeps everything.

Colour is an explicit choice of the caller (the CLI turns it on for a terminal
without ``NO_COLOR``); without it drifted words are marked ``[[like this]]`` so
pipes and tests see them too.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from drift.report.display import shown
from drift.report.findings import segments
from drift.report.triage import (
    STRAY_DEFINITION,
    Summary,
    Triage,
    explained,
    select,
    severity_label,
    summary,
    version_labels,
)
from drift.score.scorer import Drift

if TYPE_CHECKING:  # pragma: no cover
    from drift.article import Article
    from drift.report.report import Report, Unmatched
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
LABEL_WIDTH = len("omission")
#: Sentences longer than this (characters) are cut around their changed words.
LONG = 160
#: Past this (characters) after the cut, only the stretch around the strongest change is kept.
WINDOW = 240
#: Words kept on each side of a changed word when a sentence is cut.
CONTEXT = 6
#: The matrix and the ranking stop at this many versions (the JSON summary has all).
SUMMARY_VERSIONS = 10
_WORD = re.compile(r"\S+")

Pieces = list[tuple[str, "Span | None"]]


def _shown(text: str) -> str:
    """Every input-derived string this view prints (sentences, ids, labels, titles, explanations) passes here:
    control characters, terminal escapes and bidi overrides come out as visible escapes (``display.shown``)."""
    return shown(text)


def _style(text: str, color: bool, **style: Any) -> str:
    return click.style(text, **style) if color else text


# ---------------------------------------------------------------- sentences


def cut(pieces: Pieces, long: int = LONG, context: int = CONTEXT) -> Pieces:
    """A long sentence's pieces with unchanged stretches far from any changed word replaced by ``…``.

    When changed words are so dense that this leaves more than ``WINDOW`` characters,
    only the stretch around the strongest change is kept.
    """
    if _length(pieces) <= long:
        return pieces
    kept = _context(pieces, long, context)
    return kept if _length(kept) <= WINDOW else _window(kept, WINDOW)


def _length(pieces: Pieces) -> int:
    return sum(len(text) for text, _ in pieces)


def _context(pieces: Pieces, long: int, context: int) -> Pieces:
    marked = [n for n, (_, span) in enumerate(pieces) if span is not None]
    if not marked:
        return [(head("".join(text for text, _ in pieces), long), None)]
    out: Pieces = []
    for n, (text, span) in enumerate(pieces):
        words = [m.span() for m in _WORD.finditer(text)]
        if span is not None or len(words) <= context:
            out.append((text, span))
        elif n < marked[0]:
            out.append(("… " + text[words[-context][0]:], None))
        elif n > marked[-1]:
            out.append((text[:words[context - 1][1]] + " …", None))
        elif len(words) > 2 * context:
            out.append((text[:words[context - 1][1]] + " … " + text[words[-context][0]:], None))
        else:
            out.append((text, None))
    return out


def _window(pieces: Pieces, budget: int) -> Pieces:
    """The strongest changed piece and as many neighbours as fit in ``budget`` characters, ``…`` at the cuts."""
    scores = {n: span.score for n, (_, span) in enumerate(pieces) if span is not None}
    strongest = max(scores, key=lambda n: (scores[n], -n))
    start, end, size = strongest, strongest + 1, len(pieces[strongest][0])
    while True:
        grown = False
        for n in (start - 1, end):
            if 0 <= n < len(pieces) and not start <= n < end and size + len(pieces[n][0]) <= budget:
                size += len(pieces[n][0])
                start, end = min(start, n), max(end, n + 1)
                grown = True
        if not grown:
            break
    first, last = pieces[start][0], pieces[end - 1][0]
    before: Pieces = [("…" if first[:1].isspace() else "… ", None)] if start > 0 else []
    after: Pieces = [("…" if last[-1:].isspace() else " …", None)] if end < len(pieces) else []
    return before + pieces[start:end] + after


def head(text: str, long: int = LONG) -> str:
    """The start of a long text, cut at a word, with ``…``."""
    if len(text) <= long:
        return text
    space = text.rfind(" ", 0, long + 1)
    return text[:space if space > 0 else long].rstrip() + " …"


def _marked(article: "Article", sentence_ids: Sequence[int], spans: Sequence["Span"], color: bool) -> str:
    pieces = []
    for text, span in cut(segments(article, sentence_ids, spans)):
        text = _shown(text)
        if span is None:
            pieces.append(text)
        elif color:
            pieces.append(click.style(text, **KIND_STYLE.get(span.kind, DEFAULT_KIND_STYLE)))
        else:
            pieces.append(f"[[{text}]]")
    return "".join(pieces)


def _ids(sentences: Sequence[int]) -> str:
    return "+".join(str(i) for i in sentences)


# ---------------------------------------------------------------- the summary


def summary_lines(report: "Report", found: Summary, labels: dict[str, str], color: bool) -> list[str]:
    """The head of the view: totals, the matrix of drifted pairs, the ranking, the kinds."""
    out = [_style("== summary: ", color, bold=True) + found.totals(len(report.articles))]
    compared = [v for v in found.versions if v.stray is not None]
    order = {a.id: n for n, a in enumerate(report.articles)}
    in_order = sorted(compared, key=lambda v: order[v.id])
    if 2 < len(in_order) <= SUMMARY_VERSIONS:  # two versions: the totals line says it all
        out.append("drifted pairs (major/minor):")
        names = [_shown(labels[v.id]) for v in in_order]
        cells = [[_cell(found, a.id, b.id) for b in in_order] for a in in_order]
        width = max(len(x) for x in names + [c for row in cells for c in row])
        side = max(map(len, names))
        out.append("  " + " " * side + "".join(f"  {n.rjust(width)}" for n in names))
        for name, row in zip(names, cells, strict=True):
            out.append("  " + name.ljust(side) + "".join(
                "  " + _style(c.rjust(width), color and not c.startswith(("0/", "·", "-")), fg="red") for c in row))
    out.append(f"versions by stray, most first (stray: {STRAY_DEFINITION}):")
    shown = found.versions[:SUMMARY_VERSIONS]
    side = max(len(_shown(labels[v.id])) for v in shown)
    for v in shown:
        label = _shown(labels[v.id]).ljust(side)
        rank = str(v.rank).rjust(len(str(len(found.versions)))) if v.rank else "-"
        if v.stray is None:
            line = f"  {rank}  {label}  not compared"
        else:
            line = (f"  {rank}  {label}  {v.stray:.2f}  {v.major} major, {v.minor} minor, "
                    f"{v.unmatched} unmatched")
        if labels[v.id] != v.id:
            line += f"  {_shown(v.id)}"
        out.append(line + ("  (reference)" if v.reference else ""))
    if len(found.versions) > len(shown):
        out.append(f"  … {len(found.versions) - len(shown)} more versions (--format json lists every one)")
    kinds = ", ".join(f"{k} {n}" for k, n in found.kinds.items())
    out.append(f"kinds: {kinds or 'none'}")
    return out


def _cell(found: Summary, a: str, b: str) -> str:
    if a == b:
        return "·"
    pair = found.pair(a, b)
    return f"{pair.major}/{pair.minor}" if pair else "-"


# ---------------------------------------------------------------- findings


def _drift_lines(p: Drift, by_id: dict[str, "Article"], labels: dict[str, str], side: int, width: int,
                 color: bool) -> list[str]:
    al = p.alignment
    label = severity_label(p)
    severity = _style(label, color, **SEVERITY_STYLE[p.severity]) + " " * (LABEL_WIDTH - len(label))
    pair = f"{_shown(labels[al.a])}/{_shown(labels[al.b])}"
    explanation = _shown(head(explained(p, labels)))
    out = [f"  {severity}  {p.drift:.2f}  {pair}  sim {al.similarity:.2f}  {explanation}"]
    for article, ids in ((al.a, al.a_sentences), (al.b, al.b_sentences)):
        out.append(f"    {_shown(labels[article]).ljust(side)} {_ids(ids).rjust(width)}  "
                   f"{_marked(by_id[article], ids, p.spans, color)}")
    return out


def _unmatched_line(u: "Unmatched", by_id: dict[str, "Article"], labels: dict[str, str], color: bool) -> str:
    sentence = by_id[u.article].sentences[u.sentence]
    kind = _style(u.kind, color, fg="magenta") + " " * (LABEL_WIDTH - len(u.kind))
    missing = ", ".join(_shown(labels[m]) for m in u.missing_in) + u.note
    return f"  {kind}  {_shown(labels[u.article])} {u.sentence} (missing in {missing}): {_shown(head(sentence.text))}"


def render_text(report: "Report", color: bool = False, triage: Triage | None = None) -> str:
    """Signature line, the summary, then the findings ``triage`` selects, most severe first."""
    triage = triage or Triage()
    by_id = {a.id: a for a in report.articles}
    labels = version_labels(report.articles, triage.labels)
    out = [_style(f"drift report  {_shown(report.signature.line())}", color, bold=True)]
    pairing = report.signature.pairing_note()
    if pairing:
        out.append(f"  {_shown(pairing)}")
    for note in report.signature.skipped:
        out.append(f"  not compared: {_shown(note.article)} ({_shown(note.reason)})")
    out.append("")
    out += summary_lines(report, summary(report, triage.labels), labels, color)
    chosen = select(report, triage)
    out.append("")
    title = f"== findings, most severe first: {len(chosen.shown)} of {chosen.total}"
    if len(chosen.shown) < chosen.total:
        title += f" ({triage.describe()})"
    out.append(_style(title, color, bold=True))
    drifts = [f for f in chosen.shown if isinstance(f, Drift)]
    side = max((len(_shown(labels[a])) for p in drifts for a in (p.alignment.a, p.alignment.b)), default=1)
    width = max((len(_ids(s)) for p in drifts for s in (p.alignment.a_sentences, p.alignment.b_sentences)), default=1)
    for f in chosen.shown:
        if isinstance(f, Drift):
            out += _drift_lines(f, by_id, labels, side, width, color)
        else:
            out.append(_unmatched_line(f, by_id, labels, color))
    if chosen.hidden_by_limit:
        out.append(f"  … {chosen.hidden_by_limit} more (raise --limit, or --format json for everything)")
    return "\n".join(out) + "\n"
