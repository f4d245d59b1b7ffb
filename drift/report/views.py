"""The registry of report formats: every view, loaded on use, and writing a rendered report to a file.

The CLI's ``--format`` choices come from ``FORMATS``, so a new view is one line here.
Every renderer takes the same ``Triage`` (which findings, how versions are named):
the text, JSON Lines and HTML views follow it, the JSON view keeps everything.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from drift.errors import ConfigError, choices
from drift.report.triage import Triage

if TYPE_CHECKING:  # pragma: no cover
    from drift.report.report import Report

#: Every output format, and the function (``module:name``) that renders it.
RENDERERS = {
    "text": "drift.report.text_view:render_text",
    "json": "drift.report.json_view:render_json",
    "jsonl": "drift.report.jsonl_view:render_jsonl",
    "html": "drift.report.html_view:render_html",
}
FORMATS = tuple(RENDERERS)


class Renderer(Protocol):
    def __call__(self, report: "Report", color: bool = False, triage: Triage | None = None) -> str: ...


def renderer(fmt: str) -> Renderer:
    """The function that renders ``fmt``; a ConfigError naming the valid formats otherwise."""
    target = RENDERERS.get(fmt)
    if target is None:
        raise ConfigError(f"unknown format {fmt!r}; choose one of {choices(FORMATS)}")
    module, name = target.split(":")
    found: Renderer = getattr(importlib.import_module(module), name)
    return found


def render(report: "Report", fmt: str = "text", color: bool = False, triage: Triage | None = None) -> str:
    """``report`` in format ``fmt``; ``color`` adds terminal colours to the text view."""
    return renderer(fmt)(report, color=color, triage=triage or Triage())


def write_report(text: str, path: str | Path) -> None:
    """Write a rendered report to a file; a path that cannot be written is a ConfigError naming it."""
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"-o {path}: cannot write ({e.strerror}); give a path in a writable directory") from e
