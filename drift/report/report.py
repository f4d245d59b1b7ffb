"""The drift report: what one comparison found, as the versioned JSON contract ``drift.report/1``."""
from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drift.errors import ConfigError, check_type, choices
from drift.report.triage import Finding, Summary, Triage, select, summary
from drift.score.scorer import SEVERITIES

if TYPE_CHECKING:  # pragma: no cover
    from drift.article import Article
    from drift.report.signature import Signature
    from drift.score.scorer import Drift

SCHEMA = "drift.report/1"


@dataclass(frozen=True)
class Unmatched:
    """A sentence with no counterpart in some versions."""

    article: str
    sentence: int
    missing_in: tuple[str, ...]
    kind: str  # "addition": no other version says it; "omission": some versions left it out
    heading: bool = False  # a subheading (drift.text.sentences.is_subheading): a section title, not a claim

    @property
    def note(self) -> str:
        """What every view adds after the versions that lack it: that it is a subheading, not a claim."""
        return "; a subheading" if self.heading else ""

    def to_dict(self) -> dict[str, Any]:
        out = {"article": self.article, "sentence": self.sentence, "missing_in": list(self.missing_in),
               "kind": self.kind}
        return {**out, "heading": True} if self.heading else out


@dataclass
class Report:
    """Everything one comparison found, with the signature that reproduces it."""

    signature: "Signature"
    articles: list["Article"]
    pairs: list["Drift"] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    #: One line per version skipped or not compared, and why: the library never prints, so they come back here.
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "schema": SCHEMA,
            "signature": self.signature.to_dict(),
            "summary": self.summary().to_dict(),
            "articles": [a.to_dict() for a in self.articles],
            "pairs": [p.to_dict() for p in self.pairs],
            "unmatched": [u.to_dict() for u in self.unmatched],
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out

    def summary(self, labels: str = "short") -> Summary:
        """The version pair matrix, the versions ranked by stray, and the kinds (``drift.report.triage``)."""
        return summary(self, labels)

    def findings(self, triage: Triage | None = None) -> list[Finding]:
        """Drifted pairs and sentences with no counterpart, most severe first, filtered by ``triage``."""
        return select(self, _triage(triage, "findings")).shown

    def to_json(self, indent: int | None = 2) -> str:
        return json_text(self.to_dict(), indent)

    def drifted(self, at_least: str = "minor") -> list["Drift"]:
        """The drifted pairs at or above a severity, most drifted first: counterparts only, as the summary
        counts them (an overlap is not the same statement, so it did not drift: ``--fail-on`` ignores it)."""
        if at_least not in SEVERITIES:
            raise ConfigError(f"unknown severity {at_least!r}; choose one of {choices(SEVERITIES)}")
        floor = SEVERITIES.index(at_least)
        found = [p for p in self.pairs if p.relation != "overlap" and SEVERITIES.index(p.severity) >= floor]
        return sorted(found, key=lambda p: -p.drift)

    def render(self, fmt: str = "text", color: bool = False, triage: Triage | None = None) -> str:
        """The report in one of ``drift.report.views.FORMATS``; ``color`` adds terminal colours to text,
        ``triage`` chooses the findings and version labels the text, JSONL and HTML views show."""
        from drift.report.views import render

        return render(self, fmt, color, _triage(triage, "render"))


def json_text(data: dict[str, Any], indent: int | None = 2) -> str:
    """A report's dict (or a check's, which holds one) as JSON, with a caller's metadata values JSON has no type
    for written as ``_json_value`` says."""
    return json.dumps(data, ensure_ascii=False, indent=indent, default=_json_value)


def _json_value(value: Any) -> Any:
    """A library caller's metadata value JSON has no type for, as the report writes it: a date or time in ISO
    form, a set as a sorted list, anything else as its ``str`` (a report is read, never loaded back)."""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def _triage(value: object, method: str) -> Triage:
    """A Triage, or the default for None; anything else (``"major"``) fails here, not deep inside a view."""
    if value is None:
        return Triage()
    check_type(value, Triage, f"Report.{method}: triage", "a drift.report.triage.Triage (or None)",
               "pass e.g. triage=Triage(min_severity='major')")
    return value  # type: ignore[return-value]
