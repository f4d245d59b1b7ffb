"""``drift compare``: align two or more versions of a story and report what drifted."""
from __future__ import annotations

import logging
import os
import sys
import tempfile

import click

from drift.align.pairing import AUTO_ALL_PAIRS, MAX_ALL_PAIRS, PAIRINGS
from drift.cli.common import EXIT_DRIFT, EXIT_STATUS, emit, fail, limit_options, limits_of, setup_logging
from drift.embed.load import BACKENDS
from drift.errors import DriftError
from drift.report.views import FORMATS


def _use_color(choice: str, to_file: bool) -> bool:
    """auto: colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return not to_file and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@click.command(epilog=EXIT_STATUS)
# readable=False: an unreadable file is the library's to skip with a warning, not click's to refuse.
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True, readable=False))
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
@click.option("--model", metavar="NAME_OR_PATH",
              help="Sentence-transformers model (default: bundled all-MiniLM-L6-v2).")
@click.option("--backend", type=click.Choice(BACKENDS), default="auto", show_default=True,
              help="Model runtime: onnx (int8 ONNX Runtime, exported once on first use), torch, or auto "
                   "(onnx when onnxruntime is installed).")
@click.option("--encoding", metavar="CODEC", help="Text encoding of the inputs (default: UTF-8).")
@limit_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings on stderr.")
def compare(files: tuple[str, ...], fmt: str, output: str | None, open_report: bool, fail_on: str | None,
            color_choice: str, pairs: str, reference: str | None, model: str | None, backend: str, encoding: str | None,
            max_bytes: int, max_sentence_chars: int, max_sentences: int, quiet: bool) -> None:
    """Align the sentences of two or more versions and report what drifted.

    FILE is a text, Markdown, JSON, JSONL, NITF, NewsML-G2 or HTML file, a directory
    of them, or - for stdin; the format is found from the content.
    """
    setup_logging(quiet)
    log = logging.getLogger("drift")
    try:
        from drift.pipeline import compare as run_compare
        from drift.read.files import read_versions
        from drift.report.views import write_report

        limits = limits_of(max_bytes, max_sentence_chars, max_sentences)
        skipped: list[str] = []

        def warn(problem: DriftError) -> None:
            log.warning("%s (skipped)", problem)
            skipped.append(f"{problem} (skipped)")

        articles = read_versions(list(files), encoding=encoding, warn=warn, limits=limits)
        progress = not quiet and sys.stdout.isatty() and sys.stderr.isatty()
        report = run_compare(articles, reference=reference, model=model, progress=progress, backend=backend,
                             pairs=pairs, limits=limits)
        report.warnings[:0] = skipped
        to_file = output is not None or open_report
        color = _use_color(color_choice, to_file)
        rendered = report.render(fmt, color=color)
        if to_file:
            path = output or _temporary_path(fmt)
            write_report(rendered, path)
            if open_report:
                click.launch(path)
        else:
            emit(rendered, nl=False, color=color)
    except DriftError as error:
        fail(error)
    if fail_on and report.drifted(fail_on):
        sys.exit(EXIT_DRIFT)


def _temporary_path(fmt: str) -> str:
    """A new file for --open without -o; it is left behind for the viewer to read."""
    suffix = {"text": ".txt"}.get(fmt, f".{fmt}")
    handle, path = tempfile.mkstemp(prefix="drift-report-", suffix=suffix)
    os.close(handle)
    return path
