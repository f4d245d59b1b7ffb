"""The persistent-index commands: ``drift ingest``, ``stories``, ``check`` and ``index``.

Like the rest of the CLI, these only parse options, call ``drift.store``, and
turn a DriftError into one ``Error:`` line.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from drift.cli.common import CHECK_EXIT_STATUS, EXIT_DRIFT, EXIT_NEW
from drift.cli.common import run as _run
from drift.errors import InputError
from drift.report.views import FORMATS as REPORT_FORMATS
from drift.store.check import AGAINST, DEFAULT_AGAINST, GATES
from drift.store.database import DEFAULT_INDEX

if TYPE_CHECKING:  # pragma: no cover
    from drift.store.index import Index

LIST_FORMATS = ("text", "json")
#: Runs with at least this many articles show a progress bar (when stderr is a terminal).
PROGRESS_FROM = 32

_index_option = click.option("--index", "index_dir", metavar="DIR", default=str(DEFAULT_INDEX), show_default=True,
                             help="Index directory.")
_model_option = click.option("--model", metavar="NAME_OR_PATH",
                             help="Sentence-transformers model (default: the one the index was made with).")
_encoding_option = click.option("--encoding", metavar="CODEC", help="Text encoding of the inputs (default: UTF-8).")
_backend_option = click.option("--backend", type=click.Choice(("auto", "torch", "onnx")),
                               help="How the model runs (default: what the index was made with; a new index: auto, "
                                    "as drift compare).")
_quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings on stderr.")


def _open(index_dir: str, model: str | None = None, create: bool = False, backend: str | None = None) -> "Index":
    from drift.store.index import Index

    return Index(index_dir, model=model, create=create, backend=backend)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@_index_option
@_model_option
@_backend_option
@_encoding_option
@_quiet_option
def ingest(paths: tuple[str, ...], index_dir: str, model: str | None, backend: str | None, encoding: str | None,
           quiet: bool) -> None:
    """Read, split, embed and store articles (FILE, directory, JSON, JSONL or -); stored ones are skipped."""
    def action() -> None:
        from drift.read.files import read_articles

        articles = read_articles(list(paths), encoding=encoding)
        with _open(index_dir, model, create=True, backend=backend) as ix:
            with _progress(len(articles), quiet) as advance:
                done = ix.add_many(articles, on_batch=lambda batch: advance(len(batch)))
            total = ix.store.counts()
        added = [d for d in done if not d.skipped]
        skipped = [d.article for d in done if d.skipped]
        new = sum(d.new_story for d in added)
        line = f"{index_dir}: {len(added)} added ({new} new {_plural(new, 'story', 'stories')})"
        if skipped:
            shown = ", ".join(skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
            line += f", {len(skipped)} already stored and skipped ({shown})"
        click.echo(f"{line}; the index holds {total['articles']} articles in {total['stories']} "
                   f"{_plural(total['stories'], 'story', 'stories')}")

    _run(quiet, action)


@click.command()
@_index_option
@click.option("--format", "fmt", type=click.Choice(LIST_FORMATS), default="text", show_default=True)
def stories(index_dir: str, fmt: str) -> None:
    """The stories found so far, each with its versions."""
    def action() -> None:
        with _open(index_dir) as ix:
            found = ix.stories()
        if fmt == "json":
            click.echo(json.dumps({"stories": [s.to_dict() for s in found]}, ensure_ascii=False, indent=2))
            return
        for s in found:
            click.echo(f"story {s.id}: {s.title or '(no title)'}")
            for aid in s.articles:
                click.echo(f"  {aid}")

    _run(False, action)


@click.command(epilog=CHECK_EXIT_STATUS)
@click.argument("file", type=click.Path(allow_dash=True))
@_index_option
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True,
              help="Report format on stdout.")
@click.option("--against", type=click.Choice(AGAINST), default=DEFAULT_AGAINST, show_default=True,
              help="Stored versions to compare with: latest (the version it replaces: same guid, doc id or id, "
                   "else the story's latest), source (the one its metadata marks as source, else the lowest "
                   "version, else the first stored), or all.")
@click.option("--fail-on", "fail_on", type=click.Choice(GATES), multiple=True,
              help=f"Exit {EXIT_DRIFT} on drift this severe or worse against those versions; new: exit {EXIT_NEW} "
                   "when the version starts a new story (repeatable).")
@click.option("--ingest", "also_ingest", is_flag=True, help="Also store the version in the index.")
@_model_option
@_encoding_option
@_quiet_option
def check(file: str, index_dir: str, fmt: str, against: str, fail_on: tuple[str, ...], also_ingest: bool,
          model: str | None, encoding: str | None, quiet: bool) -> None:
    """Check a new version against its story in the index: new story, identical re-send, or its drift.

    The text format prints one line (what it was compared with and why), then the
    report; a new story or an identical re-send is that one line. JSON is a
    drift.report/1 report with "story" (null for a new story) and a "check" block.
    """
    outcome: list[str | None] = [None]

    def action() -> None:
        from drift.read.files import read_articles

        articles = read_articles([file], encoding=encoding)
        if len(articles) != 1:
            raise InputError(f"{file}: holds {len(articles)} articles; check one version at a time")
        with _open(index_dir, model) as ix:
            result = ix.check(articles[0], ingest=also_ingest, against=against)
        if fmt == "json":
            click.echo(result.to_json())
        elif fmt == "text":
            click.echo(_shown(result.line()))
            if result.status == "compared":
                click.echo("\n" + result.report.render("text"), nl=False)
        else:
            click.echo(result.report.render(fmt), nl=False)
        outcome[0] = result.tripped(fail_on)

    _run(quiet, action)
    if outcome[0] == "new":
        sys.exit(EXIT_NEW)
    if outcome[0]:
        sys.exit(EXIT_DRIFT)


def _shown(text: str) -> str:
    """Every input-derived line this module prints (a check's ids and file names) passes here."""
    return text


@click.group()
def index() -> None:
    """Check, rebuild or describe an index."""


@index.command()
@_index_option
def verify(index_dir: str) -> None:
    """Check the database and the vector file; exit 1 if anything is wrong."""
    def action() -> None:
        from drift.errors import IndexStoreError

        with _open(index_dir) as ix:
            problems = ix.verify()
            counts = ix.store.counts()
        if problems:
            raise IndexStoreError(f"{index_dir}: {'; '.join(problems)}; run `drift index rebuild --index {index_dir}`")
        click.echo(f"{index_dir}: ok ({counts['articles']} articles, {counts['vectors']} sentence vectors)")

    _run(False, action)


@index.command()
@_index_option
@click.option("--model", metavar="NAME_OR_PATH",
              help="Re-embed every stored sentence with this model (default: keep the index's model).")
@click.option("--backend", type=click.Choice(("auto", "torch", "onnx")),
              help="Re-embed every stored sentence with this backend (default: keep the index's).")
def rebuild(index_dir: str, model: str | None, backend: str | None) -> None:
    """Rebuild the vector file from the database (re-embedding only with another --model or --backend)."""
    def action() -> None:
        with _open(index_dir) as ix:
            ix.rebuild(model, backend)
            kind = ix.stats()["vector_index"]
        click.echo(f"{index_dir}: rebuilt ({kind})")

    _run(False, action)


@index.command()
@_index_option
@click.option("--format", "fmt", type=click.Choice(LIST_FORMATS), default="text", show_default=True)
def stats(index_dir: str, fmt: str) -> None:
    """Sizes, model and the vector index kind in use."""
    def action() -> None:
        with _open(index_dir) as ix:
            found = ix.stats()
        if fmt == "json":
            click.echo(json.dumps(found, indent=2))
            return
        for key, value in found.items():
            click.echo(f"{key}: {json.dumps(value) if isinstance(value, dict) else value}")

    _run(False, action)


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


class _progress:
    """A progress bar on stderr for long runs at a terminal; otherwise nothing."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.bar = None
        if not quiet and total >= PROGRESS_FROM and sys.stderr.isatty():
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc="ingesting", unit="article", file=sys.stderr, leave=False)

    def __enter__(self) -> Callable[[int], None]:
        return self.bar.update if self.bar is not None else (lambda n: None)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
