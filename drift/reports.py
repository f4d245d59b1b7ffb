"""The drift report: the versioned JSON contract and a text view for terminals."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from drift.articles import Article
    from drift.scoring import Drift

SCHEMA = "drift.report/1"
FORMATS = ("text", "json")


@dataclass(frozen=True)
class Unmatched:
    """A sentence with no counterpart in some versions."""

    article: str
    sentence: int
    missing_in: tuple[str, ...]
    kind: str  # "addition": no other version says it; "omission": some versions left it out

    def to_dict(self) -> dict:
        return {"article": self.article, "sentence": self.sentence, "missing_in": list(self.missing_in),
                "kind": self.kind}


@dataclass
class Report:
    """Everything one comparison found, with the signature that reproduces it."""

    signature: dict
    articles: list["Article"]
    pairs: list["Drift"] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA,
            "signature": self.signature,
            "articles": [a.to_dict() for a in self.articles],
            "pairs": [p.to_dict() for p in self.pairs],
            "unmatched": [u.to_dict() for u in self.unmatched],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def drifted(self, at_least: str = "minor") -> list["Drift"]:
        """The pairs at or above a severity, most drifted first."""
        from drift.errors import ConfigError, choices
        from drift.scoring import SEVERITIES

        if at_least not in SEVERITIES:
            raise ConfigError(f"unknown severity {at_least!r}; choose one of {choices(SEVERITIES)}")
        floor = SEVERITIES.index(at_least)
        found = [p for p in self.pairs if SEVERITIES.index(p.severity) >= floor]
        return sorted(found, key=lambda p: -p.drift)

    def render(self, fmt: str = "text") -> str:
        if fmt == "json":
            return self.to_json()
        if fmt == "text":
            return render_text(self)
        from drift.errors import ConfigError, choices

        raise ConfigError(f"unknown format {fmt!r}; choose one of {choices(FORMATS)}")


def signature_line(signature: dict) -> str:
    """The compact sacrebleu-style form of a signature, for logs and the text view."""
    keys = ("drift", "model", "splitter", "aligner", "scorer", "index")
    parts = [f"{k}:{signature[k]}" for k in keys if k in signature]
    if signature.get("reference"):
        parts.append(f"reference:{signature['reference']}")
    return "|".join(parts)


def _mark(article: "Article", sentence_ids: tuple[int, ...] | list[int], spans: list) -> str:
    """Sentence text with the drifted spans in [[double brackets]]."""
    pieces = []
    for i in sentence_ids:
        s = article.sentences[i]
        text, cursor = [], s.start
        own = (sp for sp in spans if sp.article == article.id and s.start <= sp.start < s.end)
        for sp in sorted(own, key=lambda sp: sp.start):
            text.append(article.text[cursor:sp.start] + "[[" + article.text[sp.start:sp.end] + "]]")
            cursor = sp.end
        text.append(article.text[cursor:s.end])
        pieces.append("".join(text))
    return " ".join(pieces)


def _ids(sentences: tuple[int, ...] | list[int]) -> str:
    return "+".join(str(i) for i in sentences)


def render_text(report: Report) -> str:
    by_id = {a.id: a for a in report.articles}
    out = [f"drift report  {signature_line(report.signature)}"]
    for note in report.signature.get("skipped", []):
        out.append(f"  not compared: {note['article']} ({note['reason']})")
    groups: dict[tuple[str, str], list] = {}
    for p in report.pairs:
        groups.setdefault((p.alignment.a, p.alignment.b), []).append(p)
    for pair in report.signature.get("version_pairs", []):
        a, b = pair
        pairs = groups.get((a, b), [])
        counts = Counter(p.severity for p in pairs)
        out.append("")
        out.append(f"== {a}  vs  {b}: {len(pairs)} aligned, {counts['major']} major, {counts['minor']} minor")
        for p in sorted(pairs, key=lambda p: p.alignment.a_sentences):
            al = p.alignment
            spans = list(p.spans)
            label = "same" if p.severity == "none" else p.severity
            out.append(f"  [{label} {p.drift:.2f} sim {al.similarity:.2f}] {p.explanation}")
            out.append(f"    A {_ids(al.a_sentences)}: {_mark(by_id[a], al.a_sentences, spans)}")
            out.append(f"    B {_ids(al.b_sentences)}: {_mark(by_id[b], al.b_sentences, spans)}")
    if report.unmatched:
        out.append("")
        out.append("== unmatched sentences")
        for u in report.unmatched:
            sentence = by_id[u.article].sentences[u.sentence]
            out.append(f"  {u.article} {u.sentence} ({u.kind}; missing in {', '.join(u.missing_in)}): {sentence.text}")
    return "\n".join(out) + "\n"
