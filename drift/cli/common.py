"""What every command shares: one-line errors, warnings on stderr, exit statuses, the limits' options.

Results go to stdout, logs and progress to stderr. Exit status: 0 done, 1 bad
input or configuration (a one-line ``Error:`` on stderr), 2 bad usage, 3 drift at
the ``--fail-on`` severity or worse, 4 (``drift check --fail-on new`` only) a new
story, 130 interrupted (Ctrl-C, one ``Error:`` line). No traceback reaches the user:
a stdout that cannot be written (``> /dev/full``) and even a bug end in one line.
"""
from __future__ import annotations

import errno
import logging
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from drift.errors import DriftError, interrupted_by
from drift.limits import MAX_BYTES, MAX_SENTENCE_CHARS, MAX_SENTENCES, Limits
from drift.report.display import shown

#: Exit status when --fail-on finds drift of that severity or worse.
EXIT_DRIFT = 3
#: Exit status of `drift check --fail-on new` when the version starts a new story.
EXIT_NEW = 4
#: Exit status after Ctrl-C (128 + SIGINT, what a shell reports for a process SIGINT stopped).
EXIT_INTERRUPTED = 130
EXIT_STATUS = (
    "Exit status: 0 done (an unreadable input is skipped with a warning while two versions remain); "
    "1 bad input or configuration; 2 bad usage; 3 drift at the --fail-on severity or worse; 130 interrupted."
)
CHECK_EXIT_STATUS = (
    "Exit status: 0 done (a new story or an identical re-send included); 1 bad input or configuration; "
    "2 bad usage; 3 drift at the --fail-on severity or worse; 4 a new story, with --fail-on new; 130 interrupted."
)
F = TypeVar("F", bound=Callable[..., Any])


class _StderrHandler(logging.Handler):
    """One line per record on whatever stderr is now (click's, under test runners); input text neutralised.

    A DriftError logged as an argument (``log.warning("%s (skipped)", error)``) is said as ``fail`` says it.
    """

    def emit(self, record: logging.LogRecord) -> None:
        text = str(record.msg)
        if isinstance(record.args, tuple) and record.args:
            text %= tuple(message(a) if isinstance(a, DriftError) else a for a in record.args)
        elif record.args:
            text %= record.args
        try:
            click.echo(f"drift: {record.levelname.lower()}: {shown(text)}", err=True)
        except OSError:  # stderr gone or full (`2>/dev/full`, a closed pipe): a log line lost, not the report
            pass


def setup_logging(quiet: bool) -> None:
    log = logging.getLogger("drift")
    log.handlers[:] = [h for h in log.handlers if not isinstance(h, _StderrHandler)]
    log.addHandler(_StderrHandler())
    log.setLevel(logging.ERROR if quiet else logging.WARNING)


def flag(parameter: str) -> str:
    """The running command's option for a library parameter (``kinds`` -> ``--kind``), found by the name its
    value is passed under; ``--`` and the name in dashes when the command has none. A parameter whose option
    goes by another name (``path``, the ``--index`` of ``index_dir``) carries its flag itself (``Param.option``)."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        for option in ctx.command.params:
            if isinstance(option, click.Option) and option.name == parameter:
                return next((o for o in option.opts if o.startswith("--")), option.opts[0])
        ctx = ctx.parent
    return "--" + parameter.replace("_", "-")


def message(error: DriftError) -> str:
    """A DriftError as the command line says it: the flags of the parameters the library message names."""
    return error.spelled(flag)


def fail(error: DriftError) -> NoReturn:
    click.echo(f"Error: {shown(message(error))}", err=True)
    sys.exit(1)


def interrupted(what: str = "interrupted") -> NoReturn:
    """Ctrl-C, said in one line (click would print "Aborted!" and exit 1, as for an error)."""
    click.echo(f"Error: {shown(what)}", err=True)
    sys.exit(EXIT_INTERRUPTED)


def run(quiet: bool, action: Callable[[], None]) -> None:
    """Run a command's body with logging set up; a DriftError becomes one ``Error:`` line and exit 1."""
    setup_logging(quiet)
    try:
        action()
    except DriftError as error:
        fail(error)


class StdoutError(Exception):
    """Writing results to stdout failed (a full disk, a closed pipe)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.errno = error.errno


def emit(text: str, nl: bool = True, color: bool | None = None) -> None:
    """Write results to stdout, flushed, so a device that refuses them is caught here and said in one line.

    The bytes go out in a loop: a buffered write of more than a pipe holds returns a
    short count, not an error, when the reader goes away (``| head -c 1000``); the
    next write is what fails with EPIPE. color=None strips styles off a non-terminal, as click.echo.
    """
    stream = sys.stdout
    text += "\n" if nl else ""
    if not color and (color is False or not stream.isatty()):
        text = click.unstyle(text)
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is None:  # a text-only stream (a test's)
            stream.write(text)
        else:
            stream.flush()
            data = memoryview(text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
            while data:
                written = buffer.write(data)
                if not written:
                    raise OSError(errno.EIO, "stdout took none of the results")
                data = data[written:]
            buffer.flush()
        stream.flush()
    except OSError as error:
        raise StdoutError(error) from error


def stdout_failed(code: int | None, why: str) -> NoReturn:
    """Say that stdout refused the results (a closed pipe needs no words) and exit 1.

    stdout is pointed at /dev/null first, so the interpreter's last flush cannot
    fail again with a traceback.
    """
    if code != errno.EPIPE:
        click.echo(f"Error: <stdout>: cannot write the results ({why}); free space on that device, "
                   "or send the output elsewhere", err=True)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout is no real file (a test runner's)
        pass
    sys.exit(1)


def unexpected(error: BaseException) -> NoReturn:
    """A bug, said in one line; ``DRIFT_DEBUG=1`` shows the traceback instead. An error a Ctrl-C caused is the
    interrupt."""
    if interrupted_by(error):
        interrupted()
    if os.environ.get("DRIFT_DEBUG"):
        raise error
    click.echo(f"Error: unexpected {type(error).__name__}: {shown(str(error))[:300]}; this is a bug in drift: "
               "run again with DRIFT_DEBUG=1 for the traceback and report it", err=True)
    sys.exit(1)


def limit_options(command: F) -> F:
    """``--max-bytes``, ``--max-sentence-chars`` and ``--max-sentences``: the limits of ``drift.limits``."""
    for option in reversed((
        click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True, metavar="N",
                     help="Refuse an input larger than N bytes (read no further)."),
        click.option("--max-sentence-chars", type=click.IntRange(min=1), default=MAX_SENTENCE_CHARS,
                     show_default=True, metavar="N", help="Refuse a version with a sentence longer than N characters."),
        click.option("--max-sentences", type=click.IntRange(min=1), default=MAX_SENTENCES, show_default=True,
                     metavar="N", help="Refuse a run (or a stored batch) of more than N sentences to embed."),
    )):
        command = option(command)
    return command


def limits_of(max_bytes: int, max_sentence_chars: int, max_sentences: int) -> Limits:
    return Limits(max_bytes=max_bytes, max_sentence_chars=max_sentence_chars, max_sentences=max_sentences)
