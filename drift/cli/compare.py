"""``drift compare``: align two or more versions of a story and report what drifted."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from drift.align.pairing import AUTO_ALL_PAIRS, MAX_ALL_PAIRS, PAIRINGS
from drift.cli.common import EXIT_DRIFT, EXIT_STATUS, emit, fail, limit_options, limits_of, message, setup_logging
from drift.cli.progress import Phase
from drift.embed.load import BACKENDS
from drift.errors import ConfigError, DriftError
from drift.read.formats import is_article_name
from drift.report.triage import LABEL_SCHEMES, MIN_SEVERITIES
from drift.report.views import FORMATS

#: Seconds to wait for the viewer's launcher before taking it as started.
LAUNCH_WAIT = 5.0


def on_terminal() -> bool:
    """Progress goes to stderr only when both streams are terminals (a pipe or a file gets none)."""
    return sys.stdout.isatty() and sys.stderr.isatty()


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
@click.option("-o", "--output", metavar="FILE", help="Write the report to FILE instead of stdout (-: stdout).")
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
@click.option("--min-severity", type=click.Choice(MIN_SEVERITIES), default="minor", show_default=True,
              help="Findings to list: minor (drift and sentences with no counterpart) or major only "
                   "(text, jsonl).")
@click.option("--kind", "kinds", metavar="KIND", multiple=True,
              help="List only findings of this kind (repeatable; text, jsonl), e.g. --kind number --kind negation.")
@click.option("--limit", type=click.IntRange(0), metavar="N", help="List at most N findings (text, jsonl).")
@click.option("--labels", type=click.Choice(LABEL_SCHEMES), default="short", show_default=True,
              help="Name versions by id, short label (v1..., or their agencies) or source file (text, html).")
@limit_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings on stderr.")
def compare(files: tuple[str, ...], fmt: str, output: str | None, open_report: bool, fail_on: str | None,
            color_choice: str, pairs: str, reference: str | None, model: str | None, backend: str, encoding: str | None,
            min_severity: str, kinds: tuple[str, ...], limit: int | None, labels: str, max_bytes: int,
            max_sentence_chars: int, max_sentences: int, quiet: bool) -> None:
    """Align the sentences of two or more versions and report what drifted.

    FILE is a text, Markdown, JSON, JSONL, NITF, NewsML-G2 or HTML file, a directory
    of them, or - for stdin; the format is found from the content. The text view
    opens with a summary (drifted pairs per version pair, versions ranked by how far
    they stray, kinds), then lists findings most severe first.
    """
    setup_logging(quiet)
    log = logging.getLogger("drift")
    if output == "-":  # stdout, as - is stdin among the FILEs: not a file named "-"
        output = None
    try:
        from drift.embed.load import as_encoder
        from drift.pipeline import compare as run_compare
        from drift.read.files import read_versions
        from drift.report.triage import Triage
        from drift.report.views import check_writable, write_report

        if output is not None:
            refuse_overwriting_an_input(output, files)
            check_writable(output, "-o")
        triage = Triage(min_severity, tuple(kinds), limit, labels)
        limits = limits_of(max_bytes, max_sentence_chars, max_sentences)
        skipped: list[str] = []

        def warn(problem: DriftError) -> None:
            log.warning("%s (skipped)", problem)
            skipped.append(f"{message(problem)} (skipped)")  # in the report as on stderr

        articles = read_versions(list(files), encoding=encoding, warn=warn, limits=limits)
        progress = not quiet and on_terminal()
        encoder = None
        if progress:  # load the model under its own label, not at 0% of the embedding bar
            with Phase("loading model", enabled=True):
                encoder = as_encoder(model, backend, progress=True)
                encoder.dim  # noqa: B018 - the first use loads the weights (or builds the ONNX export)
        report = run_compare(articles, reference=reference, model=encoder or model, progress=progress,
                             backend=backend, pairs=pairs, limits=limits)
        report.warnings[:0] = skipped
        to_file = output is not None or open_report
        color = _use_color(color_choice, to_file)
        rendered = report.render(fmt, color=color, triage=triage)
        if to_file:
            path = output or _temporary_path(fmt)
            write_report(rendered, path, "-o")
            if open_report and not open_in_viewer(path):
                log.warning("--open: no viewer to open %s (no desktop session); the report is written there", path)
        else:
            emit(rendered, nl=False, color=color)
    except DriftError as error:
        fail(error)
    if fail_on and report.drifted(fail_on):
        sys.exit(EXIT_DRIFT)


def refuse_overwriting_an_input(output: str, files: tuple[str, ...]) -> None:
    """``-o`` naming an input (through any symlink) would replace a version with its report: refused up front.

    So is an article file inside an input directory: the report would replace the
    version of that name, or, new, be read as a version by the next run on the directory.
    """
    target = Path(output).resolve()
    for name in files:
        if name == "-":
            continue
        path = Path(name).resolve()
        if path == target:
            raise ConfigError(f"-o {output}: is the input {name}, which the report would overwrite; "
                              "give another file")
        if path.is_dir() and target.parent == path and is_article_name(target.name):
            raise ConfigError(f"-o {output}: is in the input directory {name}, whose article files are all "
                              "read as versions; give a file outside it")


def open_in_viewer(path: str) -> bool:
    """Open ``path`` with the desktop's viewer, quietly; False when there is none to open it.

    On Linux that needs xdg-open and a desktop session (DISPLAY or WAYLAND_DISPLAY):
    without one, xdg-open falls through a list of browsers and prints an error for each.
    """
    if sys.platform == "win32":  # pragma: no cover - not run on the project's machines
        try:
            os.startfile(path)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    if sys.platform == "darwin":  # pragma: no cover
        command = ["open", path]
    else:
        opener = shutil.which("xdg-open")
        if opener is None or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return False
        command = [opener, path]
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
    except OSError:
        return False
    try:
        return process.wait(LAUNCH_WAIT) == 0
    except subprocess.TimeoutExpired:
        return True  # still starting the viewer: it found one


def _temporary_path(fmt: str) -> str:
    """A new file for --open without -o; it is left behind for the viewer to read."""
    suffix = {"text": ".txt"}.get(fmt, f".{fmt}")
    handle, path = tempfile.mkstemp(prefix="drift-report-", suffix=suffix)
    os.close(handle)
    return path
