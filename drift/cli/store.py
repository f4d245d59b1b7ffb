"""The persistent-index commands: ``drift ingest``, ``stories``, ``check`` and ``index``.

Like the rest of the CLI, these only parse options, call ``drift.store``, and
turn a DriftError into one ``Error:`` line.
"""
from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from drift.cli.common import run as _run
from drift.errors import ConfigError, InputError
from drift.report.views import FORMATS as REPORT_FORMATS
from drift.store.database import DEFAULT_INDEX

if TYPE_CHECKING:  # pragma: no cover
    from drift.store.index import Index

log = logging.getLogger("drift")

LIST_FORMATS = ("text", "json")
#: ``stories`` lists as text or json; ``stories --compare`` writes reports in any report format.
STORY_FORMATS = tuple(dict.fromkeys(LIST_FORMATS + REPORT_FORMATS))
ENGINES = ("local", "ray")
#: Warnings printed one by one before the rest are counted in one line.
WARN_AT_MOST = 20
#: Runs with at least this many articles show a progress bar (when stderr is a terminal).
PROGRESS_FROM = 32

_index_option = click.option("--index", "index_dir", metavar="DIR", default=str(DEFAULT_INDEX), show_default=True,
                             help="Index directory.")
_model_option = click.option("--model", metavar="NAME_OR_PATH",
                             help="Sentence-transformers model (default: the one the index was made with).")
_encoding_option = click.option("--encoding", metavar="CODEC", help="Text encoding of the inputs (default: UTF-8).")
_quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings on stderr.")
_engine_option = click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                              help="local: this process; ray: Ray Data (a local Ray, or --ray-address).")
_ray_address_option = click.option("--ray-address", metavar="ADDR",
                                   help="A Ray cluster to run on (default $RAY_ADDRESS, else a local Ray).")
_workers_option = click.option("--workers", type=click.IntRange(1), metavar="N",
                               help="Ray actors that embed or compare (default: one per CPU of the cluster).")


def _open(index_dir: str, model: str | None = None, create: bool = False) -> "Index":
    from drift.store.index import Index

    return Index(index_dir, model=model, create=create)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@_index_option
@_model_option
@_encoding_option
@_engine_option
@_ray_address_option
@_workers_option
@_quiet_option
def ingest(paths: tuple[str, ...], index_dir: str, model: str | None, encoding: str | None, engine: str,
           ray_address: str | None, workers: int | None, quiet: bool) -> None:
    """Read, split, embed and store articles (FILE, directory, JSON, JSONL, Parquet or -); stored ones are skipped."""
    def action() -> None:
        _ray_only(engine, ray_address, workers)
        bad: list[str] = []
        if engine == "ray":
            from drift.distributed.ingest import ingest as ingest_on_ray
            from drift.distributed.runtime import RayOptions

            with _open(index_dir, model, create=True) as ix, _ShardProgress(quiet) as on_shard:
                result = ingest_on_ray(list(paths), ix, RayOptions(ray_address, workers, silent=True),
                                       encoding=encoding, on_shard=on_shard)
                total = ix.store.counts()
            done, bad = result.added, result.bad
        else:
            from drift.read.files import read_articles

            articles = read_articles(list(paths), encoding=encoding)
            with _open(index_dir, model, create=True) as ix:
                with _progress(len(articles), quiet) as advance:
                    done = ix.add_many(articles, on_batch=lambda batch: advance(len(batch)))
                total = ix.store.counts()
        added = [d for d in done if not d.skipped]
        skipped = [d.article for d in done if d.skipped]
        new = sum(d.new_story for d in added)
        line = f"{index_dir}: {len(added)} added ({new} new {_plural(new, 'story', 'stories')})"
        if skipped:
            line += f", {len(skipped)} already stored and skipped ({_first(skipped)})"
        if bad:
            for problem in bad[:WARN_AT_MOST]:
                log.warning("%s (skipped)", problem)
            if len(bad) > WARN_AT_MOST:
                log.warning("and %d more records that could not be read (skipped)", len(bad) - WARN_AT_MOST)
            line += f", {len(bad)} unreadable {_plural(len(bad), 'record', 'records')} skipped"
        click.echo(f"{line}; the index holds {total['articles']} articles in {total['stories']} "
                   f"{_plural(total['stories'], 'story', 'stories')}")

    _run(quiet, action)


@click.command()
@_index_option
@click.option("--format", "fmt", type=click.Choice(STORY_FORMATS), default=None,
              help="Listing: text (default) or json. With --compare: the report format of each story "
                   "(default jsonl: drift.finding/1 records).")
@click.option("--compare", "compare_dir", metavar="DIR",
              help="Compare every story with more than one version; one report per story goes to DIR "
                   "(stories whose versions did not change since are skipped).")
@_engine_option
@_ray_address_option
@_workers_option
@_quiet_option
def stories(index_dir: str, fmt: str | None, compare_dir: str | None, engine: str, ray_address: str | None,
            workers: int | None, quiet: bool) -> None:
    """The stories found so far, each with its versions; with --compare, the drift of every story."""
    def action() -> None:
        _ray_only(engine, ray_address, workers)
        if compare_dir is not None:
            _compare_stories(index_dir, compare_dir, fmt or "jsonl", engine, ray_address, workers)
            return
        if fmt not in (None, *LIST_FORMATS):
            raise ConfigError(f"--format {fmt} lists nothing; give --compare DIR to write {fmt} reports, "
                              f"or list stories as {' or '.join(LIST_FORMATS)}")
        with _open(index_dir) as ix:
            found = ix.stories()
        if fmt == "json":
            click.echo(json.dumps({"stories": [s.to_dict() for s in found]}, ensure_ascii=False, indent=2))
            return
        for s in found:
            click.echo(f"story {s.id}: {s.title or '(no title)'}")
            for aid in s.articles:
                click.echo(f"  {aid}")

    _run(quiet, action)


def _compare_stories(index_dir: str, out: str, fmt: str, engine: str, ray_address: str | None,
                     workers: int | None) -> None:
    from drift.distributed.runtime import RayOptions
    from drift.distributed.stories import compare_stories

    with _open(index_dir) as ix:
        done = compare_stories(ix, out, fmt, engine, RayOptions(ray_address, workers, silent=True))
    for story, why in sorted(done.failed.items())[:WARN_AT_MOST]:
        log.warning("story %d: %s (not compared)", story, why)
    n = len(done.compared)
    line = (f"{out}: {n} {_plural(n, 'story', 'stories')} compared ({done.drifted} drifted "
            f"{_plural(done.drifted, 'pair', 'pairs')}, {done.major} major)")
    if done.unchanged:
        line += f", {len(done.unchanged)} unchanged and skipped"
    if done.failed:
        line += f", {len(done.failed)} could not be compared ({_first([str(s) for s in sorted(done.failed)])})"
    click.echo(line)


@click.command()
@click.argument("file", type=click.Path(allow_dash=True))
@_index_option
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True,
              help="Report format on stdout.")
@click.option("--ingest", "also_ingest", is_flag=True, help="Also store the version in the index.")
@_model_option
@_encoding_option
@_quiet_option
def check(file: str, index_dir: str, fmt: str, also_ingest: bool, model: str | None, encoding: str | None,
          quiet: bool) -> None:
    """Find the story of a new version in the index and report its drift against the stored versions."""
    def action() -> None:
        from drift.read.files import read_articles

        articles = read_articles([file], encoding=encoding)
        if len(articles) != 1:
            raise InputError(f"{file}: holds {len(articles)} articles; check one version at a time")
        with _open(index_dir, model) as ix:
            report = ix.check(articles[0], ingest=also_ingest)
        click.echo(report.render(fmt), nl=False)

    _run(quiet, action)


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
def rebuild(index_dir: str, model: str | None) -> None:
    """Rebuild the vector file from the database (re-embedding only with another --model)."""
    def action() -> None:
        with _open(index_dir) as ix:
            ix.rebuild(model)
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


def _ray_only(engine: str, ray_address: str | None, workers: int | None) -> None:
    given = [name for name, value in (("--ray-address", ray_address), ("--workers", workers)) if value]
    if given and engine != "ray":
        raise ConfigError(f"{given[0]} needs --engine ray; add it, or leave {given[0]} out")


def _first(names: list[str], shown: int = 5) -> str:
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


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


class _ShardProgress:
    """A progress bar of merged shards for a distributed ingest (its size is known once the job is planned)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None

    def __enter__(self) -> Callable[[int, int, object], None]:
        return self.advance

    def advance(self, done: int, total: int, added: object) -> None:
        if self.bar is None and not self.quiet and total >= 2 and sys.stderr.isatty():
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc="merging", unit="shard", file=sys.stderr, leave=False)
        if self.bar is not None:
            self.bar.update(done - self.bar.n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
