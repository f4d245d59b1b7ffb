"""The ``drift`` command: parses options, calls the library, turns DriftError into one line.

Results go to stdout, logs and progress to stderr. Exit status: 0 done, 1 bad
input or configuration (a one-line ``Error:`` on stderr), 2 bad usage.
Nothing heavy is imported here: torch and faiss load on first real use.
"""
from __future__ import annotations

import logging
import sys

import click

from drift import __version__
from drift.errors import DriftError

FORMATS = ("text", "json")


class _StderrHandler(logging.Handler):
    """One line per record on whatever stderr is now (click's, under test runners)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"drift: {record.levelname.lower()}: {record.getMessage()}", err=True)


def _setup_logging(quiet: bool) -> None:
    log = logging.getLogger("drift")
    log.handlers[:] = [h for h in log.handlers if not isinstance(h, _StderrHandler)]
    log.addHandler(_StderrHandler())
    log.setLevel(logging.ERROR if quiet else logging.WARNING)


def _fail(error: DriftError) -> None:
    click.echo(f"Error: {error}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drift")
def main() -> None:
    """Find where versions of one wire story drifted apart in meaning."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format on stdout.")
@click.option("--reference", metavar="ID", help="Compare each version with this one instead of all pairs.")
@click.option("--model", metavar="NAME_OR_PATH", help="Sentence-transformers model (default: bundled all-MiniLM-L6-v2).")
@click.option("--encoding", metavar="CODEC", help="Text encoding of the inputs (default: UTF-8).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings on stderr.")
def compare(files: tuple[str, ...], fmt: str, reference: str | None, model: str | None,
            encoding: str | None, quiet: bool) -> None:
    """Align the sentences of two or more versions (FILE, directory, JSON, JSONL or - for stdin)
    and report what drifted."""
    _setup_logging(quiet)
    try:
        from drift.articles import read_articles
        from drift.pipeline import compare as run_compare

        articles = read_articles(list(files), encoding=encoding)
        progress = not quiet and sys.stdout.isatty() and sys.stderr.isatty()
        report = run_compare(articles, reference=reference, model=model, progress=progress)
        click.echo(report.render(fmt), nl=False)
    except DriftError as error:
        _fail(error)


from drift.cli_index import register as _register_index_commands  # noqa: E402 - needs ``main``

_register_index_commands(main)

if __name__ == "__main__":  # pragma: no cover
    main()
