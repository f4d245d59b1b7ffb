"""The drift report: the versioned JSON contract, and the registry of the formats it renders to."""
from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from drift.articles import Article
    from drift.scoring import Drift

SCHEMA = "drift.report/1"
#: Every output format, and the function (``module:name``, loaded on use) that renders it.
#: The CLI's ``--format`` choices come from here.
RENDERERS = {
    "text": "drift.text_report:render_text",
    "json": "drift.reports:render_json",
    "jsonl": "drift.findings:render_jsonl",
    "html": "drift.html_report:render_html",
}
FORMATS = tuple(RENDERERS)


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

    def render(self, fmt: str = "text", color: bool = False) -> str:
        """The report in one of ``FORMATS``; ``color`` adds terminal colours to the text format."""
        target = RENDERERS.get(fmt)
        if target is None:
            from drift.errors import ConfigError, choices

            raise ConfigError(f"unknown format {fmt!r}; choose one of {choices(FORMATS)}")
        module, name = target.split(":")
        return getattr(importlib.import_module(module), name)(self, color=color)


def render_json(report: Report, color: bool = False) -> str:
    return report.to_json()


def signature_line(signature: dict) -> str:
    """The compact sacrebleu-style form of a signature, for logs and the text view."""
    keys = ("drift", "model", "backend", "splitter", "aligner", "scorer", "index")
    parts = [f"{k}:{signature[k]}" for k in keys if k in signature]
    if signature.get("reference"):
        chosen = "(central)" if signature.get("reference_chosen") == "central" else ""
        parts.append(f"reference:{signature['reference']}{chosen}")
    return "|".join(parts)


def pairing_note(signature: dict) -> str | None:
    """Why not every pair was compared, when drift chose the reference itself."""
    if signature.get("reference_chosen") != "central":
        return None
    return (f"each version compared with {signature['reference']}, the central version "
            "(--pairs all compares every pair)")



def write_report(text: str, path: str | Path) -> None:
    """Write a rendered report to a file; a path that cannot be written is a ConfigError naming it."""
    from drift.errors import ConfigError

    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"-o {path}: cannot write ({e.strerror}); give a path in a writable directory") from e
