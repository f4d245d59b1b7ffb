"""The HTML view: one self-contained page an editor can open, filter, print or mail.

The page opens with the same summary as the text view (the pair matrix links into
each pair's section, the versions ranked by stray), then one section per version
pair. "Next major" / "previous major" (keys ``n`` / ``p``) walk the major drifts.
Badges speak of the pair on screen: a sentence of B with no counterpart in A is
"only in B" there, whatever other pairs say. On a phone the versions stack and
ids never break.

Everything is inline (CSS, a few lines of JS) and a Content-Security-Policy forbids
any fetch, so the page works offline and leaks nothing when opened. Every piece of
article text goes through ``_text`` (``_shown``, then ``html.escape``): wire copy
is untrusted input.
"""
from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING

from drift.report.display import shown
from drift.report.findings import PairSummary, segments, summarize
from drift.report.triage import STRAY_DEFINITION, Summary, Triage, explained, severity_label, summary, version_labels

if TYPE_CHECKING:  # pragma: no cover
    from drift.article import Article
    from drift.report.report import Report, Unmatched
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
#: The matrix stops at this many versions (the ranking lists them all).
MATRIX_VERSIONS = 12

STYLE = """
:root{--fg:#1b1b1b;--muted:#6b6b6b;--line:#ddd;--major:#c0392b;--minor:#b7791f;--same:#5b8a5b}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:1rem;font:15px/1.5 Georgia,serif;color:var(--fg);
overflow-wrap:break-word;-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .3rem}
.muted,.summary{color:var(--muted);font-family:system-ui,sans-serif;font-size:.85rem}
.id{white-space:nowrap;font-family:ui-monospace,monospace;font-size:.8rem}
.controls{position:sticky;top:0;background:#fff;padding:.4rem 0;border-bottom:1px solid var(--line);z-index:1;
font-family:system-ui,sans-serif;font-size:.9rem;display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:center}
.controls button{font:inherit;padding:.1rem .5rem}
.legend{font-family:system-ui,sans-serif;font-size:.85rem}
.legend span,.legend mark{margin-right:.4rem;display:inline-block}
mark{color:inherit;padding:0 .1em;border-radius:2px;border-bottom:2px solid rgba(0,0,0,.35)}
table{border-collapse:collapse;font-family:system-ui,sans-serif;font-size:.85rem}
td,th{border-bottom:1px solid var(--line);padding:.25rem .4rem;text-align:left;vertical-align:top}
table.versions{width:100%}
.scroll{overflow-x:auto;max-width:100%}
table.matrix td,table.matrix th{text-align:center;min-width:3rem}
table.matrix td.major a{color:var(--major);font-weight:bold}
table.ranking td.n{text-align:right}
section.pair-section,#summary{scroll-margin-top:4.5rem}
.row{display:grid;grid-template-columns:1fr 1fr;gap:.2rem 1rem;padding:.45rem 0;border-top:1px solid var(--line);
break-inside:avoid;scroll-margin-top:4.5rem}
.row.current{outline:3px solid var(--major);outline-offset:2px}
.row:focus{outline:3px solid var(--major)}
.row .meta{grid-column:1/-1;font-family:system-ui,sans-serif;font-size:.8rem;color:var(--muted)}
.row.colhead{font-family:system-ui,sans-serif;font-weight:bold;font-size:.85rem;border-top:none}
.cell .n{color:var(--muted);font-family:system-ui,sans-serif;font-size:.7rem;margin-right:.3rem}
.cell.empty{border-left:3px dashed var(--line)}
.badge{display:inline-block;padding:0 .35rem;border-radius:3px;color:#fff;font-weight:bold;margin-right:.4rem;
white-space:nowrap}
.badge.major{background:var(--major)}.badge.minor{background:var(--minor)}.badge.none{background:var(--same)}
.badge.only{background:#2d5f7d}.badge.context{background:#999}
.row.context .cell{color:#9a9a9a}.row.context .cell.boilerplate{text-decoration:line-through dotted}
body[data-min="minor"] .row[data-severity="none"],body[data-min="major"] .row[data-severity="none"],
body[data-min="major"] .row[data-severity="minor"],body[data-min="major"] .row[data-severity="unmatched"]
{display:none}
footer{margin-top:2rem;border-top:1px solid var(--line);padding-top:.5rem}
footer pre{white-space:pre-wrap;font-size:.75rem}
@media (max-width:700px){body{padding:.6rem}.row{grid-template-columns:1fr}.row.colhead{display:none}
.cell.a::before{content:attr(data-label) " ";font-weight:bold}
.cell.b::before{content:attr(data-label) " ";font-weight:bold}
table.versions,table.versions tbody,table.versions tr,table.versions td{display:block;width:auto}
table.versions tr.head{display:none}table.versions tr{border-bottom:1px solid var(--line);padding:.3rem 0}
table.versions td{border:none;padding:0}
table.versions td[data-label]:not(:empty)::before{content:attr(data-label) ": ";color:var(--muted)}
section.pair-section,#summary,.row{scroll-margin-top:6rem}.controls .keys{display:none}
table.ranking,table.matrix{font-size:.78rem}table.ranking td,table.ranking th{padding:.2rem .25rem}
.id{font-size:.72rem}}
@media print{.controls select,.controls label,.controls button,.controls .keys{display:none}
.controls{position:static}body{font-size:11pt}}
"""
SCRIPT = """
(function(){var s=document.getElementById('severity'),bar=document.querySelector('.controls'),
where=document.getElementById('major-at'),majors=[].slice.call(document.querySelectorAll('.row.sev-major')),cur=null;
function apply(){document.body.setAttribute('data-min',s.value);}
s.addEventListener('change',apply);apply();
function from(){if(cur){var r=cur.getBoundingClientRect();if(r.bottom>0&&r.top<innerHeight)return r.top;}
return bar.getBoundingClientRect().bottom;}
function go(step){if(!majors.length)return;var y=from(),pick=null,i;
if(step>0){for(i=0;i<majors.length;i++)if(majors[i].getBoundingClientRect().top>y+1){pick=majors[i];break;}
if(!pick)pick=majors[0];}
else{for(i=majors.length-1;i>=0;i--)if(majors[i].getBoundingClientRect().top<y-1){pick=majors[i];break;}
if(!pick)pick=majors[majors.length-1];}
if(cur)cur.classList.remove('current');cur=pick;pick.classList.add('current');
pick.focus({preventScroll:true});pick.scrollIntoView({block:'center'});
where.textContent='major '+(majors.indexOf(pick)+1)+' of '+majors.length;}
document.getElementById('next-major').addEventListener('click',function(){go(1);});
document.getElementById('prev-major').addEventListener('click',function(){go(-1);});
document.addEventListener('keydown',function(e){if(e.altKey||e.ctrlKey||e.metaKey)return;
var t=e.target.tagName;if(t==='INPUT'||t==='SELECT'||t==='TEXTAREA')return;
if(e.key==='n'||e.key==='j'){go(1);e.preventDefault();}else if(e.key==='p'||e.key==='k'){go(-1);e.preventDefault();}});
})();
"""


def _shown(text: str) -> str:
    """Every input-derived string this view prints (sentences, ids, labels, titles, explanations) passes here:
    control characters, terminal escapes and bidi overrides come out as visible escapes (``display.shown``)."""
    return shown(text)


def _text(text: str) -> str:
    """Input text made safe to show, then escaped for HTML."""
    return escape(_shown(text))


def _id(article_id: str) -> str:
    """A version id that never breaks across lines."""
    return f'<span class="id">{_text(article_id)}</span>'


def _mark_style() -> str:
    rules = [f"mark.k-{kind}{{background:{color}}}" for kind, color in KIND_COLORS.items()]
    return "\n".join([f"mark{{background:{OTHER_KIND}}}", *rules])


def _marked(article: "Article", sentence_ids: tuple[int, ...], spans) -> str:
    """Escaped sentence text with drifted words in ``<mark class="k-KIND">``."""
    parts = []
    for text, span in segments(article, sentence_ids, spans):
        if span is None:
            parts.append(_text(text))
        else:
            kind = escape(span.kind)
            parts.append(f'<mark class="k-{kind}" data-kind="{kind}" title="{kind}, score {span.score:.2f}">'
                         f"{_text(text)}</mark>")
    return "".join(parts)


class _Pair:
    """One version pair's section: its two articles and the labels A and B carry on screen."""

    def __init__(self, summary: PairSummary, by_id: dict[str, "Article"], labels: dict[str, str]) -> None:
        self.summary = summary
        self.a, self.b = by_id[summary.a], by_id[summary.b]
        self.labels = labels
        self.name = {"a": labels[summary.a], "b": labels[summary.b]}

    def cell(self, side: str, ids: tuple[int, ...], spans=(), extra: str = "") -> str:
        article = self.a if side == "a" else self.b
        number = "+".join(map(str, ids))
        return (f'<div class="cell {side}{extra}" data-label="{_text(self.name[side])}"><span class="n">{number}</span>'
                f"{_marked(article, ids, spans)}</div>")

    def row(self, p: "Drift") -> str:
        al = p.alignment
        label = "same" if p.severity == "none" else severity_label(p)
        meta = (f'<span class="badge {p.severity}">{label} {p.drift:.2f}</span>similarity {al.similarity:.2f} · '
                f"{_text(explained(p, self.labels))}")
        focus = ' tabindex="-1"' if p.severity == "major" else ""
        return _row(p.severity, f"pair sev-{p.severity}", meta, self.cell("a", al.a_sentences, p.spans),
                    self.cell("b", al.b_sentences, p.spans), focus)

    def one_sided(self, side: str, i: int, unmatched: "Unmatched | None") -> str:
        """A sentence of one side with no counterpart on the other: "only in A" in this pair."""
        article = self.a if side == "a" else self.b
        other = "b" if side == "a" else "a"
        sentence = article.sentences[i]
        if unmatched is not None:
            meta = (f'<span class="badge only">only in {_text(self.name[side])}</span>'
                    f"no counterpart in {_text(self.name[other])}{unmatched.note}")
            cell = self.cell(side, (i,))
            severity, css = "unmatched", f"unmatched only-{side}"
        else:
            why = "boilerplate" if sentence.boilerplate else "headline" if sentence.title else "not compared"
            meta = f'<span class="badge context">{why}</span>'
            cell = self.cell(side, (i,), extra=" boilerplate" if sentence.boilerplate else "")
            severity, css = "none", "context"
        empty = f'<div class="cell {other} empty"></div>'
        cells = (cell, empty) if side == "a" else (empty, cell)
        return _row(severity, css, meta, *cells)

    def rows(self) -> list[str]:
        """Aligned pairs in reading order, with one-sided rows where they fall in the text.

        A sentence of A alone sits at its place in A; one of B alone follows the row
        holding the B sentence just before it.
        """
        s = self.summary
        keyed: list[tuple[tuple[float, float], str]] = []
        a_at: dict[int, float] = {}
        for p in s.pairs:
            key = (float(p.alignment.a_sentences[0]), float(p.alignment.b_sentences[0]))
            for j in p.alignment.b_sentences:
                a_at[j] = key[0]
            keyed.append((key, self.row(p)))
        unmatched = {(u.article, u.sentence): u for u in s.only_a + s.only_b}
        paired_a = {i for p in s.pairs for i in p.alignment.a_sentences}
        for i in range(len(self.a.sentences)):
            if i not in paired_a:
                keyed.append(((float(i), -1.0), self.one_sided("a", i, unmatched.get((self.a.id, i)))))
        for j in range(len(self.b.sentences)):
            if j not in a_at:
                before = [a_at[k] for k in a_at if k < j]
                anchor = max(before) + 0.5 if before else -0.5
                keyed.append(((anchor, float(j)), self.one_sided("b", j, unmatched.get((self.b.id, j)))))
        return [html for _, html in sorted(keyed, key=lambda item: item[0])]

    def section(self, n: int) -> str:
        s = self.summary
        head = (f'<div class="row colhead"><div class="cell a">A: {_text(self.name["a"])}</div>'
                f'<div class="cell b">B: {_text(self.name["b"])}</div></div>')
        ids = ""
        if self.name["a"] != s.a or self.name["b"] != s.b:
            ids = f'<p class="muted">{_id(s.a)} vs {_id(s.b)}</p>'
        return (f'<section class="pair-section" id="pair-{n}"><h2>{_text(self.name["a"])} vs '
                f'{_text(self.name["b"])}</h2>{ids}<p class="summary">{_text(s.line(self.labels))}</p>{head}'
                f'{"".join(self.rows())}</section>')


def _row(severity: str, css: str, meta: str, a_cell: str, b_cell: str, extra: str = "") -> str:
    return (f'<div class="row {css}" data-severity="{severity}"{extra}><div class="meta">{meta}</div>'
            f"{a_cell}{b_cell}</div>")


def _versions(report: "Report", labels: dict[str, str]) -> str:
    """One row per version; metadata columns only where some version has a value."""
    metas = [a.report_metadata() for a in report.articles]
    fields = [(key, label) for key, label in METADATA_FIELDS if any(m.get(key) for m in metas)]
    named = any(labels[a.id] != a.id for a in report.articles)
    columns = (["version"] if named else []) + ["id", "headline", "language", *(name for _, name in fields)]
    head = "".join(f"<th>{label}</th>" for label in columns)
    rows = []
    for a, meta in zip(report.articles, metas, strict=True):
        cells = ([f"<b>{_text(labels[a.id])}</b>"] if named else []) + [_id(a.id)]
        cells += [_text(a.title or ""), _text(a.language)]
        cells += [_text(str(meta.get(key, ""))).replace("/", "/<wbr>") for key, _ in fields]  # paths break at /
        rows.append("<tr>" + "".join(f'<td data-label="{c}">{x}</td>' for c, x in zip(columns, cells, strict=True))
                    + "</tr>")
    return f'<table class="versions"><tr class="head">{head}</tr>{"".join(rows)}</table>'


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _summary(report: "Report", found: Summary, labels: dict[str, str]) -> str:
    """The head of the page: totals, the matrix of drifted pairs (links to the sections), the ranking, the kinds."""
    totals = found.totals(len(report.articles))
    compared = [a.id for a in report.articles if any(a.id in (p.a, p.b) for p in found.pairs)]
    matrix = ""
    if 2 < len(compared) <= MATRIX_VERSIONS:  # two versions: one pair, one section
        head = "".join(f'<th scope="col">{_text(labels[v])}</th>' for v in compared)
        rows = []
        for a in compared:
            cells = []
            for b in compared:
                pair = found.pair(a, b)
                if a == b or pair is None:
                    cells.append(f"<td>{'·' if a == b else '–'}</td>")
                else:
                    css = ' class="major"' if pair.major else ""
                    cells.append(f'<td{css}><a href="#pair-{pair.section}" title="{pair.aligned} aligned, '
                                 f'{pair.only_a + pair.only_b} with no counterpart">{pair.major}/{pair.minor}</a></td>')
            rows.append(f'<tr><th scope="row">{_text(labels[a])}</th>{"".join(cells)}</tr>')
        matrix = (f'<p class="muted">drifted pairs (major/minor); each number opens its pair</p>'
                  f'<div class="scroll"><table class="matrix"><tr><th></th>{head}</tr>{"".join(rows)}</table></div>')
    ranking = []
    for v in found.versions:
        name = f"<b>{_text(labels[v.id])}</b>" + (f" {_id(v.id)}" if labels[v.id] != v.id else "")
        name += " (reference)" if v.reference else ""
        if v.stray is None:
            ranking.append(f'<tr><td class="n">–</td><td>{name}</td><td colspan="3">not compared</td></tr>')
        else:
            ranking.append(f'<tr><td class="n">{v.rank}</td><td>{name}</td><td class="n">{v.stray:.2f}</td>'
                           f'<td class="n">{v.major}/{v.minor}</td><td class="n">{v.unmatched}</td></tr>')
    kinds = ", ".join(f"{escape(k)} {n}" for k, n in found.kinds.items()) or "none"
    return (f'<section id="summary"><h2>Summary</h2><p class="muted">{totals}</p>{matrix}'
            f'<p class="muted">versions by stray, most first (stray: {escape(STRAY_DEFINITION)})</p>'
            f'<div class="scroll"><table class="ranking"><tr><th>#</th><th>version</th><th>stray</th>'
            f'<th>major/<wbr>minor</th><th>unmatched</th></tr>{"".join(ranking)}</table></div>'
            f'<p class="muted">kinds: {kinds}</p></section>')


def _legend() -> str:
    kinds = " ".join(f'<mark class="k-{k}">{k}</mark>' for k in KIND_COLORS)
    badges = " ".join(f'<span class="badge {c}">{w}</span>' for c, w in
                      (("major", "major"), ("minor", "minor"), ("none", "same"), ("only", "only in A / B"),
                       ("context", "boilerplate")))
    return f'<p class="legend">drifted words: {kinds}<br>rows: {badges}</p>'


def _controls(majors: int) -> str:
    return (f'<div class="controls"><label for="severity">Show</label><select id="severity">'
            f'<option value="all">every sentence</option><option value="minor">drift and unmatched sentences</option>'
            f'<option value="major">major drift only</option></select>'
            f'<button type="button" id="prev-major" title="previous major drift (key p)">◀ previous major</button>'
            f'<button type="button" id="next-major" title="next major drift (key n)">next major ▶</button>'
            f'<span id="major-at" class="muted">{_count(majors, "major")}</span>'
            f'<span class="muted keys">keys n / p</span></div>')


def _signature_line(report: "Report") -> str:
    """The compact signature, free to wrap after each ``|`` (it is one long word otherwise)."""
    return "|<wbr>".join(_text(part) for part in report.signature.line().split("|"))


def _signature_json(report: "Report") -> str:
    """The signature as indented JSON, each line neutralised (JSON escapes controls, not bidi overrides)."""
    dumped = json.dumps(report.signature.to_dict(), ensure_ascii=False, indent=2)
    return "\n".join(_text(line) for line in dumped.splitlines())


def render_html(report: "Report", color: bool = False, triage: Triage | None = None) -> str:
    """The whole page as one string; ``triage.labels`` names the versions (the page shows every finding)."""
    triage = triage or Triage()
    by_id = {a.id: a for a in report.articles}
    labels = version_labels(report.articles, triage.labels)
    summaries = summarize(report)
    sections = [_Pair(s, by_id, labels).section(n) for n, s in enumerate(summaries, 1)]
    skipped = "".join(f'<p class="muted">not compared: {_id(x.article)} ({_text(x.reason)})</p>'
                      for x in report.signature.skipped)
    note = report.signature.pairing_note()
    skipped += f'<p class="muted">{_text(note)}</p>' if note else ""
    found = summary(report, triage.labels)
    majors = sum(1 for p in report.pairs if p.severity == "major" and (p.alignment.a, p.alignment.b)
                 in {(s.a, s.b) for s in summaries})
    title = "drift report: " + ", ".join(a.id for a in report.articles[:4]) + ("…" if len(report.articles) > 4 else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_text(title)}</title>
<style>{STYLE}{_mark_style()}</style></head>
<body data-min="all">
<h1>drift report</h1>
{_controls(majors)}
{_summary(report, found, labels)}
{_legend()}
<h2>Versions</h2>{_versions(report, labels)}{skipped}
{"".join(sections)}
<footer><p class="muted">signature: <code>{_signature_line(report)}</code></p>
<details><summary class="muted">full signature</summary>
<pre>{_signature_json(report)}</pre></details></footer>
<script>{SCRIPT}</script>
</body></html>
"""
