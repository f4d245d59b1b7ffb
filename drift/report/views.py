"""The registry of report formats: every view, loaded on use, and writing a rendered report to a file.

The CLI's ``--format`` choices come from ``FORMATS``, so a new view is one line here.
Every renderer takes the same ``Triage`` (which findings, how versions are named):
the text, JSON Lines and HTML views follow it, the JSON view keeps everything.
"""
from __future__ import annotations

import errno
import importlib
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from drift.errors import ConfigError, Param, check_flag, choices
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
    check_flag(color, "render: color")
    return renderer(fmt)(report, color=color, triage=triage or Triage())


#: What to do when a report file cannot be written.
WRITE_FIX = "give a path in a writable directory"


def check_writable(path: str | Path, option: str | Param | None = None, fix: str = WRITE_FIX) -> None:
    """Refuse up front a path ``write_report`` could not write: a folder that is missing, or no folder, or
    read-only, or a directory for a file.

    A run takes seconds to minutes; a typo in ``-o`` found only when the report is
    written loses them. The ConfigError is the one the write would raise. What only
    the write can tell (a full disk, a file too large) is still said then.
    """
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file() and not target.is_dir():
        return  # a device or a pipe: written in place
    if target.is_dir():
        code = errno.EISDIR
    elif not target.parent.exists():
        code = errno.ENOENT
    elif not target.parent.is_dir():
        code = errno.ENOTDIR
    elif not os.access(target.parent, os.W_OK | os.X_OK):  # the temporary file goes beside it
        code = errno.EACCES
    else:
        return
    raise _cannot_write(path, os.strerror(code), option, fix)


def _cannot_write(path: str | Path, why: str, option: str | Param | None, fix: str) -> ConfigError:
    """The path alone for a library caller; ``option`` names the flag that gave it on a command line: the
    command line's own (``-o``), or a library argument's, whose caller reads the path alone (``compare_stories``'
    ``out``, ``--compare`` on a command line)."""
    if isinstance(option, Param):
        return ConfigError(Param(option.name, str(path), str(path), option.option), f": cannot write ({why}); {fix}")
    return ConfigError(f"{option + ' ' if option else ''}{path}: cannot write ({why}); {fix}")


def write_report(text: str, path: str | Path, option: str | Param | None = None, fix: str = WRITE_FIX) -> None:
    """Write a rendered report whole or not at all: a temporary file beside it, then a rename.

    Every report file (``drift compare -o``, ``drift stories --compare``) is written
    here, so a full disk or a crash never leaves a truncated report, nor empties the
    one already there. A failure is a ConfigError naming the path, after the command line's ``option`` that gave
    it when there is one (``-o``, or the Param of the argument it came from), and ``fix``.
    """
    target = Path(os.path.realpath(path))  # through a symlink: the file it points to is replaced
    tmp: Path | None = None
    try:
        if target.exists() and not target.is_file():  # a device or a pipe (/dev/null, /dev/stdout): no rename
            target.write_text(text, encoding="utf-8")
            return
        name = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        # created 0666 less the umask, as any file the user writes (mkstemp's 0600 would hide the report), without
        # reading the umask by setting it: that would change it for every thread of a library caller
        handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        tmp = name  # ours to remove from here on
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as e:
        raise _cannot_write(path, e.strerror or str(e), option, fix) from e
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
