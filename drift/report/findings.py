"""What a report found, in the shapes its views need: per version pair, per line, per word.

The text view, the HTML view and the JSONL log lines all count and mark the same
way because they all come through here.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from drift.article import Article
    from drift.report.report import Report, Unmatched
    from drift.score.scorer import Drift, Span


@dataclass
class PairSummary:
    """One version pair: its aligned pairs, and its sentences found in only one of the two."""

    a: str
    b: str
    pairs: list["Drift"] = field(default_factory=list)
    only_a: list["Unmatched"] = field(default_factory=list)
    only_b: list["Unmatched"] = field(default_factory=list)

    @property
    def drifted(self) -> list["Drift"]:
        """Counterpart pairs that drifted (an overlap is not a drifted pair: see ``overlaps``)."""
        return [p for p in self.pairs if p.severity != "none" and p.relation != "overlap"]

    @property
    def overlaps(self) -> list["Drift"]:
        """Pairs that share content but each say something the other does not (drift.score.relation),
        with something to show. They count as the omission and addition they report, not as drift."""
        return [p for p in self.pairs if p.severity != "none" and p.relation == "overlap"]

    def counts(self) -> Counter:
        """Counterpart pairs by severity, ``overlap`` pairs, and drifted pairs (overlaps included) by
        kind (``kind:entity``)."""
        out = Counter(p.severity for p in self.pairs if p.relation != "overlap")
        out["overlap"] = len(self.overlaps)
        out.update(f"kind:{k}" for p in self.drifted + self.overlaps for k in p.kinds)
        return out

    def line(self, names: Mapping[str, str] | None = None) -> str:
        """``14 aligned, 5 drifted (2 major, 3 minor), 1 overlap; kinds: entity 2; only in A: 1, only in B: 2``.

        ``names`` maps version ids to the labels to show (ids by default).
        """
        a, b = (names or {}).get(self.a, self.a), (names or {}).get(self.b, self.b)
        counts = self.counts()
        text = (f"{len(self.pairs)} aligned, {len(self.drifted)} drifted "
                f"({counts['major']} major, {counts['minor']} minor)")
        if counts["overlap"]:
            text += f", {counts['overlap']} overlap{'s' if counts['overlap'] > 1 else ''}"
        kinds = sorted((k.removeprefix("kind:"), n) for k, n in counts.items() if k.startswith("kind:"))
        if kinds:
            text += "; kinds: " + ", ".join(f"{k} {n}" for k, n in kinds)
        return text + f"; only in {a}: {len(self.only_a)}, only in {b}: {len(self.only_b)}"


def summarize(report: "Report") -> list[PairSummary]:
    """Every compared version pair, in the signature's order."""
    pairs = report.signature.version_pairs or sorted({(p.alignment.a, p.alignment.b) for p in report.pairs})
    out = {tuple(vp): PairSummary(vp[0], vp[1]) for vp in pairs}
    for p in report.pairs:
        summary = out.get((p.alignment.a, p.alignment.b))
        if summary is not None:
            summary.pairs.append(p)
    by_article: dict[str, list[Unmatched]] = {}
    for u in report.unmatched:
        by_article.setdefault(u.article, []).append(u)
    for summary in out.values():
        summary.pairs.sort(key=lambda p: p.alignment.a_sentences)
        summary.only_a = [u for u in by_article.get(summary.a, ()) if summary.b in u.missing_in]
        summary.only_b = [u for u in by_article.get(summary.b, ()) if summary.a in u.missing_in]
    return list(out.values())


def segments(article: "Article", sentence_ids: Sequence[int],
             spans: Sequence["Span"]) -> list[tuple[str, "Span | None"]]:
    """The text of some sentences cut into pieces, each a drifted span or plain text.

    Sentences are joined by one space; spans of other articles are ignored.
    """
    out: list[tuple[str, Span | None]] = []
    for n, i in enumerate(sentence_ids):
        s = article.sentences[i]
        if n:
            out.append((" ", None))
        cursor = s.start
        own = sorted((sp for sp in spans if sp.article == article.id and s.start <= sp.start < s.end),
                     key=lambda sp: sp.start)
        for sp in own:
            if sp.start < cursor:
                continue  # overlapping spans: the first one wins
            if sp.start > cursor:
                out.append((article.text[cursor:sp.start], None))
            end = min(sp.end, s.end)
            out.append((article.text[sp.start:end], sp))
            cursor = end
        if cursor < s.end:
            out.append((article.text[cursor:s.end], None))
    return out


def sentence_text(article: "Article", sentence_ids: Sequence[int]) -> str:
    return "".join(text for text, _ in segments(article, sentence_ids, ()))


def in_sentence_text(article: "Article", sentence_ids: Sequence[int], span: "Span") -> tuple[int, int] | None:
    """Where ``span`` lies in ``sentence_text(article, sentence_ids)`` (the sentences joined by one space, as
    ``segments`` joins them): a record that carries that text but not the article can still mark the words.
    None for a span outside those sentences."""
    at = 0
    for i in sentence_ids:
        s = article.sentences[i]
        if s.start <= span.start < s.end:
            start = at + span.start - s.start
            return start, start + min(span.end, s.end) - span.start
        at += s.end - s.start + 1
    return None
