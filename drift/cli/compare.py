"""The ``drift`` command: parses options, calls the library, turns DriftError into one line.

Results go to stdout, logs and progress to stderr. Exit status: 0 done, 1 bad
input or configuration (a one-line ``Error:`` on stderr), 2 bad usage, 3 drift at
the ``--fail-on`` severity or worse. Nothing heavy is imported here: torch and faiss
load on first real use.
"""
from __future__ import annotations

import logging
import os
import sys
import tempfile

import click

from drift import __version__
from drift.alignment import AUTO_ALL_PAIRS, MAX_ALL_PAIRS, PAIRINGS  # stdlib only, like the next two
from drift.embedding import BACKENDS  # stdlib only: torch loads on first use
from drift.errors import DriftError
from drift.reports import FORMATS

#: Exit status when --fail-on finds drift of that severity or worse.
EXIT_DRIFT = 3
EXIT_STATUS = (
    "Exit status: 0 done (an unreadable input is skipped with a warning while two versions remain); "
    "1 bad input or configuration; 2 bad usage; 3 drift at the --fail-on severity or worse."
)


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


def _use_color(choice: str, to_file: bool) -> bool:
    """auto: colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return not to_file and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@main.command(epilog=EXIT_STATUS)
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format: text view, JSON report, JSON Lines (one finding a line), HTML page.")
@click.option("-o", "--output", metavar="FILE", help="Write the report to FILE instead of stdout.")
@click.option("--open", "open_report", is_flag=True,
              help="Open the written report (FILE, or a temporary file) with the system viewer.")
@click.option("--fail-on", type=click.Choice(("minor", "major")),
              help=f"Exit with status {EXIT_DRIFT} when an aligned pair drifted this much or more.")
@click.option("--color", "color_choice", type=click.Choice(("auto", "always", "never")), default="auto",
              show_default=True, help="Colour the text format (auto: on a terminal, unless NO_COLOR is set).")
@click.option("--pairs", type=click.Choice(PAIRINGS), default="auto", show_default=True,
              help=f"Version pairs to compare: all (every pair, up to {MAX_ALL_PAIRS} versions), reference (each "
                   f"with --reference, else with the central version), auto (all up to {AUTO_ALL_PAIRS} versions, "
                   "else reference).")
@click.option("--reference", metavar="ID", help="Compare each version with this one instead of all pairs.")
@click.option("--model", metavar="NAME_OR_PATH", help="Sentence-transformers model (default: bundled all-MiniLM-L6-v2).")
@click.option("--backend", type=click.Choice(BACKENDS), default="auto", show_default=True,
              help="Model runtime: onnx (int8 ONNX Runtime, exported once on first use), torch, or auto "
                   "(onnx when onnxruntime is installed).")
@click.option("--encoding", metavar="CODEC", help="Text encoding of the inputs (default: UTF-8).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings on stderr.")
def compare(files: tuple[str, ...], fmt: str, output: str | None, open_report: bool, fail_on: str | None,
            color_choice: str, pairs: str, reference: str | None, model: str | None, backend: str, encoding: str | None,
            quiet: bool) -> None:
    """Align the sentences of two or more versions and report what drifted.

    FILE is a text, Markdown, JSON, JSONL, NITF, NewsML-G2 or HTML file, a directory
    of them, or - for stdin; the format is found from the content.
    """
    _setup_logging(quiet)
    log = logging.getLogger("drift")
    try:
        from drift.articles import read_versions
        from drift.pipeline import compare as run_compare
        from drift.reports import write_report

        articles = read_versions(list(files), encoding=encoding, warn=lambda e: log.warning("%s (skipped)", e))
        progress = not quiet and sys.stdout.isatty() and sys.stderr.isatty()
        report = run_compare(articles, reference=reference, model=model, progress=progress, backend=backend,
                             pairs=pairs)
        to_file = output is not None or open_report
        color = _use_color(color_choice, to_file)
        rendered = report.render(fmt, color=color)
        if to_file:
            path = output or _temporary_path(fmt)
            write_report(rendered, path)
            if open_report:
                click.launch(path)
        else:
            click.echo(rendered, nl=False, color=color)
    except DriftError as error:
        _fail(error)
    if fail_on and report.drifted(fail_on):
        sys.exit(EXIT_DRIFT)


@main.command()
@click.option("--data", type=click.Path(file_okay=False), help="Evaluation data (demetr/, ists/); default ../shared/data.")
@click.option("--seeds", type=click.Path(file_okay=False), help="The seed story; default ../shared/seeds.")
@click.option("--gold", type=click.Path(dir_okay=False), help="Seed gold; default ../shared/gold/seeds_public.json.")
@click.option("--out", default="bench-out", show_default=True, type=click.Path(file_okay=False),
              help="Where results.json, results.md and the plots go.")
@click.option("--quick", is_flag=True, help="Small sizes (minutes): a smoke test, not figures to publish.")
@click.option("--runs", type=click.IntRange(1), help="Timed runs per speed figure (default 3, quick 1).")
@click.option("--only", metavar="NAMES", help="Comma-separated benchmarks to run (default: all).")
def bench(data: str | None, seeds: str | None, gold: str | None, out: str, quick: bool, runs: int | None,
          only: str | None) -> None:
    """Run every benchmark (accuracy, speed, scale) from the source checkout; print the table.

    A missing dataset skips its benchmark with a line saying what to download.
    """
    _setup_logging(False)
    try:
        from pathlib import Path

        from drift.bench import run

        click.echo(run(Path(out), *(Path(p) if p else None for p in (data, seeds, gold)), quick=quick, runs=runs,
                       only=only.split(",") if only else None, command=" ".join(["drift", *sys.argv[1:]])))
    except DriftError as error:
        _fail(error)


def _temporary_path(fmt: str) -> str:
    """A new file for --open without -o; it is left behind for the viewer to read."""
    suffix = {"text": ".txt"}.get(fmt, f".{fmt}")
    handle, path = tempfile.mkstemp(prefix="drift-report-", suffix=suffix)
    os.close(handle)
    return path


from drift.cli_index import register as _register_index_commands  # noqa: E402 - needs ``main``

_register_index_commands(main)

if __name__ == "__main__":  # pragma: no cover
    main()
