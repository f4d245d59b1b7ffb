"""The JSON view: the ``drift.report/1`` contract itself (see README, and report.schema.json here)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from drift.report.triage import Triage

if TYPE_CHECKING:  # pragma: no cover
    from drift.report.report import Report


def render_json(report: "Report", color: bool = False, triage: Triage | None = None) -> str:
    """Everything, whatever ``triage`` says: JSON consumers filter for themselves."""
    return report.to_json()
