"""What every command shares: one-line errors, warnings on stderr, exit statuses.

Results go to stdout, logs and progress to stderr. Exit status: 0 done, 1 bad
input or configuration (a one-line ``Error:`` on stderr), 2 bad usage, 3 drift at
the ``--fail-on`` severity or worse, 4 (``drift check --fail-on new`` only) a new story.
"""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import NoReturn

import click

from drift.errors import DriftError

#: Exit status when --fail-on finds drift of that severity or worse.
EXIT_DRIFT = 3
#: Exit status of `drift check --fail-on new` when the version starts a new story.
EXIT_NEW = 4
EXIT_STATUS = (
    "Exit status: 0 done (an unreadable input is skipped with a warning while two versions remain); "
    "1 bad input or configuration; 2 bad usage; 3 drift at the --fail-on severity or worse."
)
CHECK_EXIT_STATUS = (
    "Exit status: 0 done (a new story or an identical re-send included); 1 bad input or configuration; "
    "2 bad usage; 3 drift at the --fail-on severity or worse; 4 a new story, with --fail-on new."
)


class _StderrHandler(logging.Handler):
    """One line per record on whatever stderr is now (click's, under test runners)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"drift: {record.levelname.lower()}: {record.getMessage()}", err=True)


def setup_logging(quiet: bool) -> None:
    log = logging.getLogger("drift")
    log.handlers[:] = [h for h in log.handlers if not isinstance(h, _StderrHandler)]
    log.addHandler(_StderrHandler())
    log.setLevel(logging.ERROR if quiet else logging.WARNING)


def fail(error: DriftError) -> NoReturn:
    click.echo(f"Error: {error}", err=True)
    sys.exit(1)


def run(quiet: bool, action: Callable[[], None]) -> None:
    """Run a command's body with logging set up; a DriftError becomes one ``Error:`` line and exit 1."""
    setup_logging(quiet)
    try:
        action()
    except DriftError as error:
        fail(error)
