"""Stage 9, the command line: ``drift compare``, ``bench``, ``ingest``, ``stories``, ``check``, ``index``.

Commands only parse options, call the library and turn a DriftError into one
``Error:`` line (``common``). Nothing heavy is imported here: torch and faiss
load on first real use, so ``drift --help`` stays instant.
"""
from __future__ import annotations

import os
import sys
from typing import Any

import click

from drift.cli import bench, compare, store
from drift.cli.common import StdoutError, fail, interrupted, stdout_failed, unexpected
from drift.errors import DriftError
from drift.version import __version__


class _Drift(click.Group):
    """The ``drift`` group: whatever a command lets through ends in one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort, click.ClickException):
            raise
        except DriftError as error:
            fail(error)
        except StdoutError as error:
            stdout_failed(error.errno, str(error))
        except KeyboardInterrupt:
            interrupted()
        except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
            unexpected(error)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:  # while the options are parsed: click would print "Aborted!" and exit 1
            interrupted()

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _check_streams()
        try:
            return super().main(*args, **kwargs)
        except SystemExit:
            # Buffered results still to be written: a full device refuses them here, at the latest.
            try:
                sys.stdout.flush()
            except OSError as error:
                stdout_failed(error.errno, error.strerror or str(error))
            raise


def _check_streams() -> None:
    """Refuse a closed stdout before any work; a closed stderr only silences the logs.

    Python sets a stream that was closed at exec to None. Without stdout the results
    would be lost after the work was done (an ingest stored, then crashed), so the
    run stops here; with stderr closed too there is nowhere to say why, and exit 1
    says it. A closed stdin is the reader's to refuse, and only when ``-`` is read.
    A closed descriptor 0 or 2 is held by /dev/null, so no file the run opens lands
    there (C libraries write their warnings to descriptor 2).
    """
    for fd, stream in ((0, sys.stdin), (2, sys.stderr)):
        if stream is None:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - lives as long as the process
        if sys.stdout is None:
            sys.exit(1)
    if sys.stdout is None:
        click.echo("Error: standard output is closed; redirect it to a file or /dev/null", err=True)
        sys.exit(1)


@click.group(cls=_Drift, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drift")
def main() -> None:
    """Find where versions of one wire story drifted apart in meaning."""


for _command in (compare.compare, bench.bench, store.ingest, store.stories, store.check, store.index):
    main.add_command(_command)
