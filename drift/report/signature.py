"""The signature on every report: what reproduces the run, built once and never changed.

Like sacrebleu's, it names everything a score depends on (drift version, model and
backend, splitter, aligner, scorer, index type, every threshold, which version
pairs were compared), so two reports can be told comparable or not at a glance.
``to_dict`` is the JSON contract; ``line`` the compact form for logs.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from drift.align.aligner import AlignmentSettings
from drift.score.scorer import ScoringSettings

#: The keys the compact line shows, in order.
_LINE_KEYS = ("drift", "model", "backend", "splitter", "aligner", "scorer", "index")


@dataclass(frozen=True)
class SkippedVersion:
    """A version read but not compared, and why (its language, say)."""

    article: str
    language: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"article": self.article, "language": self.language, "reason": self.reason}


@dataclass(frozen=True)
class StoryRef:
    """Where a report's versions came from when a persistent index compared them."""

    index: str
    id: int
    matcher: str
    thresholds: Mapping[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "id": self.id, "matcher": self.matcher, "thresholds": dict(self.thresholds)}


@dataclass(frozen=True)
class Signature:
    """Everything a report's scores depend on."""

    drift: str
    model: str
    backend: str
    model_languages: tuple[str, ...] | None  # None: the model covers any language
    splitter: str
    aligner: str
    scorer: str
    index: str
    alignment: AlignmentSettings
    scoring: ScoringSettings
    calibration: str
    reference: str | None
    reference_chosen: str | None  # "given", "central" or None
    version_pairs: tuple[tuple[str, str], ...]
    skipped: tuple[SkippedVersion, ...] = ()
    story: StoryRef | None = None

    @property
    def pairs(self) -> str:
        """``reference`` when every version was compared with one, else ``all``."""
        return "reference" if self.reference else "all"

    def to_dict(self) -> dict[str, Any]:
        """The ``signature`` object of ``drift.report/1``."""
        out: dict[str, Any] = {
            "drift": self.drift,
            "model": self.model,
            "backend": self.backend,
            "model_languages": list(self.model_languages) if self.model_languages is not None else "any",
            "splitter": self.splitter,
            "aligner": self.aligner,
            "scorer": self.scorer,
            "index": self.index,
            "thresholds": {"alignment": self.alignment.to_dict(), "scoring": self.scoring.to_dict()},
            "calibration": self.calibration,
            "pairs": self.pairs,
            "reference": self.reference,
            "reference_chosen": self.reference_chosen,
            "version_pairs": [list(p) for p in self.version_pairs],
            "skipped": [s.to_dict() for s in self.skipped],
        }
        if self.story is not None:
            out["story"] = self.story.to_dict()
        return out

    def line(self) -> str:
        """The compact sacrebleu-style form, for logs and the text view."""
        values = self.to_dict()
        parts = [f"{k}:{values[k]}" for k in _LINE_KEYS]
        if self.reference:
            chosen = "(central)" if self.reference_chosen == "central" else ""
            parts.append(f"reference:{self.reference}{chosen}")
        return "|".join(parts)

    def pairing_note(self) -> str | None:
        """Why not every pair was compared, when drift chose the reference itself."""
        if self.reference_chosen != "central":
            return None
        return (f"each version compared with {self.reference}, the central version "
                "(--pairs all compares every pair)")
