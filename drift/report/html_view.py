"""The HTML view: one self-contained page an editor can open, filter, print or mail.

Everything is inline (CSS, a few lines of JS) and a Content-Security-Policy forbids
any fetch, so the page works offline and leaks nothing when opened. Every piece of
article text goes through ``html.escape``: wire copy is untrusted input.
"""
from __future__ import annotations

import json
from html import escape as _html_escape
from typing import TYPE_CHECKING

from drift.report.display import shown
from drift.report.findings import PairSummary, segments, summarize

if TYPE_CHECKING:  # pragma: no cover
    from drift.article import Article
    from drift.report.report import Report
    from drift.score.scorer import Drift

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
#: Highlight colour of drifted words by kind; other kinds get ``OTHER_KIND``.
KIND_COLORS = {
    "lexical": "#ffe08a", "entity": "#9fd8ff", "number": "#ffb070", "negation": "#ff8a8a",
    "modality": "#e0b0ff", "attribution": "#b0c4ff", "quote": "#a8e6a1", "omission": "#d9d9d9",
    "addition": "#c8f0e0",
}
OTHER_KIND = "#f0c0d8"
#: Metadata shown for each version, in this order, with these labels.
METADATA_FIELDS = (("agency", "agency"), ("byline", "byline"), ("dateline", "dateline"),
                   ("published", "published"), ("version", "version"), ("format", "format"), ("path", "file"))

STYLE = """
:root{--fg:#1b1b1b;--muted:#6b6b6b;--line:#ddd;--major:#c0392b;--minor:#b7791f;--same:#5b8a5b}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:1rem;font:15px/1.5 Georgia,serif;color:var(--fg);
-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .3rem}
.muted,.summary{color:var(--muted);font-family:system-ui,sans-serif;font-size:.85rem}
.controls{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid var(--line);z-index:1;
font-family:system-ui,sans-serif;font-size:.9rem}
.legend span,.legend mark{margin-right:.4rem}
mark{color:inherit;padding:0 .1em;border-radius:2px;border-bottom:2px solid rgba(0,0,0,.35)}
table.versions{border-collapse:collapse;font-family:system-ui,sans-serif;font-size:.85rem;width:100%}
table.versions td,table.versions th{border-bottom:1px solid var(--line);padding:.25rem .4rem;text-align:left;
vertical-align:top;overflow-wrap:anywhere}
.row{display:grid;grid-template-columns:1fr 1fr;gap:.2rem 1rem;padding:.45rem 0;border-top:1px solid var(--line);
break-inside:avoid}
.row .meta{grid-column:1/-1;font-family:system-ui,sans-serif;font-size:.8rem;color:var(--muted)}
.row.colhead{font-family:system-ui,sans-serif;font-weight:bold;font-size:.85rem;border-top:none}
.cell .n{color:var(--muted);font-family:system-ui,sans-serif;font-size:.7rem;margin-right:.3rem}
.cell.empty{border-left:3px dashed var(--line)}
.badge{display:inline-block;padding:0 .35rem;border-radius:3px;color:#fff;font-weight:bold;margin-right:.4rem}
.badge.major{background:var(--major)}.badge.minor{background:var(--minor)}.badge.none{background:var(--same)}
.badge.addition{background:#2d7d6f}.badge.omission{background:#7d2d6f}.badge.context{background:#999}
.row.context .cell{color:#9a9a9a}.row.context .cell.boilerplate{text-decoration:line-through dotted}
body[data-min="minor"] .row[data-severity="none"],body[data-min="major"] .row[data-severity="none"],
body[data-min="major"] .row[data-severity="minor"],body[data-min="major"] .row[data-severity="unmatched"]
{display:none}
footer{margin-top:2rem;border-top:1px solid var(--line);padding-top:.5rem}
footer pre{white-space:pre-wrap;word-break:break-word;font-size:.75rem}
@media (max-width:700px){.row{grid-template-columns:1fr}.row.colhead{display:none}
.cell.a::before{content:"A ";font-weight:bold}.cell.b::before{content:"B ";font-weight:bold}
table.versions{display:block;overflow-x:auto}}
@media print{.controls select,.controls label{display:none}.controls{position:static}body{font-size:11pt}}
"""
SCRIPT = """
(function(){var s=document.getElementById('severity');
function apply(){document.body.setAttribute('data-min',s.value);}
s.addEventListener('change',apply);apply();})();
"""


def escape(text: str) -> str:
    """HTML-escaped, with control characters and bidi overrides neutralised (``drift.report.display``)."""
    return _html_escape(shown(text))


def _mark_style() -> str:
    rules = [f"mark.k-{kind}{{background:{color}}}" for kind, color in KIND_COLORS.items()]
    return "\n".join([f"mark{{background:{OTHER_KIND}}}", *rules])


def _marked(article: "Article", sentence_ids: tuple[int, ...], spans) -> str:
    """Escaped sentence text with drifted words in ``<mark class="k-KIND">``."""
    parts = []
    for text, span in segments(article, sentence_ids, spans):
        if span is None:
            parts.append(escape(text))
        else:
            kind = escape(span.kind)
            parts.append(f'<mark class="k-{kind}" data-kind="{kind}" title="{kind}, score {span.score:.2f}">'
                         f"{escape(text)}</mark>")
    return "".join(parts)


def _cell(side: str, article: "Article", ids: tuple[int, ...], spans=(), extra: str = "") -> str:
    number = "+".join(map(str, ids))
    return (f'<div class="cell {side}{extra}"><span class="n">{number}</span>'
            f"{_marked(article, ids, spans)}</div>")


def _empty(side: str) -> str:
    return f'<div class="cell {side} empty"></div>'


def _row(severity: str, css: str, meta: str, a_cell: str, b_cell: str) -> str:
    return (f'<div class="row {css}" data-severity="{severity}"><div class="meta">{meta}</div>'
            f"{a_cell}{b_cell}</div>")


def _pair_row(p: "Drift", a: "Article", b: "Article") -> str:
    al = p.alignment
    label = "same" if p.severity == "none" else p.severity
    meta = (f'<span class="badge {p.severity}">{label} {p.drift:.2f}</span>similarity {al.similarity:.2f} · '
            f"{escape(p.explanation)}")
    return _row(p.severity, f"pair sev-{p.severity}", meta,
                _cell("a", a, al.a_sentences, p.spans), _cell("b", b, al.b_sentences, p.spans))


def _rows(summary: PairSummary, a: "Article", b: "Article") -> list[str]:
    """Aligned pairs in reading order, with one-sided rows where they fall in the text.

    A sentence of A alone sits at its place in A; one of B alone follows the row
    holding the B sentence just before it.
    """
    keyed: list[tuple[tuple[float, float], str]] = []
    a_at: dict[int, float] = {}
    for p in summary.pairs:
        key = (float(p.alignment.a_sentences[0]), float(p.alignment.b_sentences[0]))
        for j in p.alignment.b_sentences:
            a_at[j] = key[0]
        keyed.append((key, _pair_row(p, a, b)))
    unmatched = {(u.article, u.sentence): u for u in summary.only_a + summary.only_b}
    paired_a = {i for p in summary.pairs for i in p.alignment.a_sentences}
    paired_b = set(a_at)
    for i, _s in enumerate(a.sentences):
        if i not in paired_a:
            keyed.append(((float(i), -1.0), _one_sided("a", a, i, unmatched.get((a.id, i)), b.id)))
    for j, _s in enumerate(b.sentences):
        if j not in paired_b:
            before = [a_at[k] for k in a_at if k < j]
            anchor = max(before) + 0.5 if before else -0.5
            keyed.append(((anchor, float(j)), _one_sided("b", b, j, unmatched.get((b.id, j)), a.id)))
    return [html for _, html in sorted(keyed, key=lambda item: item[0])]


def _one_sided(side: str, article: "Article", i: int, unmatched, other: str) -> str:
    sentence = article.sentences[i]
    if unmatched is not None:
        word = "added" if unmatched.kind == "addition" else "omitted"
        meta = (f'<span class="badge {unmatched.kind}">{word}</span>only in {escape(article.id)}, '
                f"no counterpart in {escape(other)}")
        cell = _cell(side, article, (i,))
        severity, css = "unmatched", f"unmatched {unmatched.kind}"
    else:
        why = "boilerplate" if sentence.boilerplate else "headline" if sentence.title else "not compared"
        meta = f'<span class="badge context">{why}</span>'
        cell = _cell(side, article, (i,), extra=" boilerplate" if sentence.boilerplate else "")
        severity, css = "none", "context"
    cells = (cell, _empty("b")) if side == "a" else (_empty("a"), cell)
    return _row(severity, css, meta, *cells)


def _versions(report: "Report") -> str:
    """One row per version; metadata columns only where some version has a value."""
    metas = [a.report_metadata() for a in report.articles]
    fields = [(key, label) for key, label in METADATA_FIELDS if any(m.get(key) for m in metas)]
    head = "".join(f"<th>{label}</th>" for label in ("id", "headline", "language", *(name for _, name in fields)))
    rows = []
    for a, meta in zip(report.articles, metas, strict=True):
        cells = [a.id, a.title or "", a.language] + [str(meta.get(key, "")) for key, _ in fields]
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    return f'<table class="versions"><tr>{head}</tr>{"".join(rows)}</table>'


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _legend() -> str:
    kinds = " ".join(f'<mark class="k-{k}">{k}</mark>' for k in KIND_COLORS)
    badges = " ".join(f'<span class="badge {c}">{w}</span>' for c, w in
                     (("major", "major"), ("minor", "minor"), ("none", "same"), ("addition", "added"),
                      ("omission", "omitted"), ("context", "boilerplate")))
    return f'<div class="legend">drifted words: {kinds}<br>rows: {badges}</div>'


def _signature_json(report: "Report") -> str:
    """The signature as indented JSON; each line neutralised (JSON already escapes controls, not bidi)."""
    dumped = json.dumps(report.signature.to_dict(), ensure_ascii=False, indent=2)
    return "\n".join(escape(line) for line in dumped.splitlines())


def render_html(report: "Report", color: bool = False) -> str:
    """The whole page as one string."""
    by_id = {a.id: a for a in report.articles}
    summaries = summarize(report)
    sections = []
    for n, s in enumerate(summaries, 1):
        a, b = by_id[s.a], by_id[s.b]
        head = (f'<div class="row colhead"><div class="cell a">A: {escape(s.a)}</div>'
                f'<div class="cell b">B: {escape(s.b)}</div></div>')
        sections.append(f'<section class="pair-section" id="pair-{n}"><h2>{escape(s.a)} vs {escape(s.b)}</h2>'
                        f'<p class="summary">{escape(s.line())}</p>{head}{"".join(_rows(s, a, b))}</section>')
    skipped = "".join(f'<p class="muted">not compared: {escape(x.article)} ({escape(x.reason)})</p>'
                      for x in report.signature.skipped)
    note = report.signature.pairing_note()
    skipped += f'<p class="muted">{escape(note)}</p>' if note else ""
    drifted = sum(len(s.drifted) for s in summaries)
    title = "drift report: " + ", ".join(a.id for a in report.articles[:4]) + ("…" if len(report.articles) > 4 else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{STYLE}{_mark_style()}</style></head>
<body data-min="all">
<h1>drift report</h1>
<p class="muted">{_count(len(report.articles), "version")}, {_count(len(summaries), "version pair")},
{_count(drifted, "drifted sentence pair")}, {_count(len(report.unmatched), "unmatched sentence")}</p>
<div class="controls"><label for="severity">Show </label><select id="severity">
<option value="all">every sentence</option><option value="minor">drift and unmatched sentences</option>
<option value="major">major drift only</option></select>{_legend()}</div>
<h2>Versions</h2>{_versions(report)}{skipped}
{"".join(sections)}
<footer><p class="muted">signature: <code>{escape(report.signature.line())}</code></p>
<details><summary class="muted">full signature</summary>
<pre>{_signature_json(report)}</pre></details></footer>
<script>{SCRIPT}</script>
</body></html>
"""
