"""The persistent-index commands: ``drift ingest``, ``stories``, ``check`` and ``index``.

Like the rest of the CLI, these only parse options, call ``drift.store``, and
turn a DriftError into one ``Error:`` line.
"""
from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from drift.cli.common import CHECK_EXIT_STATUS, EXIT_DRIFT, EXIT_NEW, emit, interrupted, limit_options, limits_of
from drift.cli.common import run as _run
from drift.errors import ConfigError, DriftError, InputError
from drift.limits import Limits
from drift.report.display import shown
from drift.report.views import FORMATS as REPORT_FORMATS
from drift.store.check import AGAINST, DEFAULT_AGAINST, GATES
from drift.store.database import DEFAULT_INDEX
from drift.store.fresh import removed_unless_stored

if TYPE_CHECKING:  # pragma: no cover
    from drift.store.index import Index
    from drift.store.results import Added

log = logging.getLogger("drift")

LIST_FORMATS = ("text", "json")
#: ``stories`` lists as text or json; ``stories --compare`` writes reports in any report format.
STORY_FORMATS = tuple(dict.fromkeys(LIST_FORMATS + REPORT_FORMATS))
ENGINES = ("local", "ray")
#: Warnings printed one by one before the rest are counted in one line.
WARN_AT_MOST = 20
#: Runs with at least this many articles show a progress bar (when stderr is a terminal).
PROGRESS_FROM = 32
#: Where ``ingest`` sends each record it skips: one warning line (the first WARN_AT_MOST), one count.
Skip = Callable[[DriftError], None]

_index_option = click.option("--index", "index_dir", metavar="DIR", default=str(DEFAULT_INDEX), show_default=True,
                             help="Index directory.")
_model_option = click.option("--model", metavar="NAME_OR_PATH",
                             help="Sentence-transformers model (default: the one the index was made with).")
_encoding_option = click.option("--encoding", metavar="CODEC", help="Text encoding of the inputs (default: UTF-8).")
_backend_option = click.option("--backend", type=click.Choice(("auto", "torch", "onnx")),
                               help="How the model runs (default: what the index was made with; a new index: auto, "
                                    "as drift compare).")
_quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings on stderr.")
_engine_option = click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                              help="local: this process; ray: Ray Data (a local Ray, or --ray-address).")
_ray_address_option = click.option("--ray-address", metavar="ADDR",
                                   help="A Ray cluster to run on (default $RAY_ADDRESS, else a local Ray).")
_workers_option = click.option("--workers", type=click.IntRange(1), metavar="N",
                               help="Ray actors that embed or compare (default: one per CPU of the cluster).")


def _open(index_dir: str, model: str | None = None, create: bool = False, read_only: bool = False,
          limits: Limits = Limits(), backend: str | None = None) -> "Index":
    from drift.store.index import Index

    return Index(index_dir, model=model, create=create, read_only=read_only, limits=limits, backend=backend)


@click.command()
# readable=False: an unreadable file is skipped with a warning like any bad input, not refused by click.
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True, readable=False))
@_index_option
@_model_option
@_backend_option
@_encoding_option
@_engine_option
@_ray_address_option
@_workers_option
@click.option("--strict", is_flag=True,
              help="Exit with status 1 when any input was skipped (the readable ones are still stored).")
@limit_options
@_quiet_option
def ingest(paths: tuple[str, ...], index_dir: str, model: str | None, backend: str | None, encoding: str | None,
           engine: str, ray_address: str | None, workers: int | None, strict: bool, max_bytes: int,
           max_sentence_chars: int, max_sentences: int, quiet: bool) -> None:
    """Read, split, embed and store articles (FILE, directory, JSON, JSONL, Parquet or -); stored ones are skipped.

    An unreadable input is skipped with one warning line and counted in the summary;
    the exit status is 1 only when nothing could be stored, or with --strict.
    """
    def action() -> None:
        _ray_only(engine, ray_address, workers)
        limits = limits_of(max_bytes, max_sentence_chars, max_sentences)
        problems: list[str] = []

        def skip(problem: DriftError) -> None:
            if len(problems) < WARN_AT_MOST:
                log.warning("%s (skipped)", problem)
            problems.append(str(problem))

        opener = functools.partial(_open, index_dir, model, create=True, limits=limits, backend=backend)
        with removed_unless_stored(Path(index_dir)):  # Ray makes the index before its workers read anything
            if engine == "ray":
                done, total = _ingest_on_ray(list(paths), opener, encoding, ray_address, workers, quiet, skip)
            else:
                done, total = _ingest_here(list(paths), opener, encoding, limits, quiet, skip)
        if len(problems) > WARN_AT_MOST:
            log.warning("and %d more inputs that could not be read (skipped)", len(problems) - WARN_AT_MOST)
        added = [d for d in done if not d.skipped]
        stored = [d.article for d in done if d.skipped]
        new = sum(d.new_story for d in added)
        line = f"{index_dir}: {len(added)} added ({new} new {_plural(new, 'story', 'stories')})"
        if stored:
            line += f", {len(stored)} already stored and skipped ({_first(stored)})"
        if problems:
            line += f", {len(problems)} unreadable and skipped"
        emit(shown(f"{line}; the index holds {total['articles']} {_plural(total['articles'], 'article', 'articles')} "
                   f"in {total['stories']} {_plural(total['stories'], 'story', 'stories')}"))
        if problems and (strict or not done):
            sys.exit(1)

    try:
        _run(quiet, action)
    except KeyboardInterrupt:  # each batch is one transaction: those committed are whole, the next rolled back
        interrupted(f"{index_dir}: interrupted; every batch stored before it is kept: run the same ingest again "
                    "to store the rest (stored articles are skipped)")


def _ingest_here(paths: list[str], opener: Callable[[], Index], encoding: str | None, limits: Limits,
                 quiet: bool, skip: Skip) -> tuple[list[Added], dict[str, int]]:
    from drift.read.files import read_articles

    unreadable: list[InputError] = []
    articles = read_articles(paths, encoding=encoding, on_error=unreadable.append, limits=limits)
    _skip_unreadable(bool(articles), unreadable, skip)
    with opener() as ix:
        with _progress(len(articles), quiet) as advance:
            done = ix.add_many(articles, on_batch=lambda batch: advance(len(batch)), on_error=skip)
        return done, ix.store.counts()


def _ingest_on_ray(paths: list[str], opener: Callable[[], Index], encoding: str | None, ray_address: str | None,
                   workers: int | None, quiet: bool, skip: Skip) -> tuple[list[Added], dict[str, int]]:
    """As ``_ingest_here``, with the reading, splitting and embedding on Ray (``drift.distributed``); the
    index's limits apply in the workers."""
    from drift.distributed.ingest import ingest as ingest_on_ray
    from drift.distributed.runtime import RayOptions, require_ray

    require_ray()  # before the index is created
    with opener() as ix, _ShardProgress(quiet) as on_shard:
        result = ingest_on_ray(paths, ix, RayOptions(ray_address, workers, silent=True), encoding=encoding,
                               on_shard=on_shard)
        total = ix.store.counts()
    _skip_unreadable(bool(result.added or result.refused), result.unreadable, skip)
    for problem in result.refused:  # read, then refused (a limit): as Index.add_many's on_error
        skip(problem)
    return result.added, total


def _skip_unreadable(read: bool, unreadable: Sequence[DriftError], skip: Skip) -> None:
    """Warn of each input that could not be read; when none could (``read`` false), fail in one line."""
    if not read and len(unreadable) == 1:
        raise unreadable[0]  # one input, one problem: the error line says it all
    for problem in unreadable:
        skip(problem)
    if not read:
        raise InputError(f"none of the {len(unreadable)} inputs could be read (see the warnings above); "
                         "fix them and run again")


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
        if engine == "ray":  # a listing reads the index here: nothing would run on Ray
            raise ConfigError("--engine ray compares stories (--compare DIR) on Ray; a listing reads the index "
                              "here: add --compare DIR, or leave --engine out")
        with _open(index_dir, read_only=True) as ix:
            found = ix.stories()
        if fmt == "json":
            emit(json.dumps({"stories": [s.to_dict() for s in found]}, ensure_ascii=False, indent=2))
            return
        emit("".join(f"story {s.id}: {shown(s.title or '(no title)')}\n" + "".join(f"  {shown(aid)}\n"
                                                                                   for aid in s.articles)
                     for s in found), nl=False)

    _run(quiet, action)


def _compare_stories(index_dir: str, out: str, fmt: str, engine: str, ray_address: str | None,
                     workers: int | None) -> None:
    from drift.distributed.runtime import RayOptions
    from drift.distributed.stories import compare_stories

    with _open(index_dir, read_only=True) as ix:
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
    emit(line)


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
@limit_options
@_quiet_option
def check(file: str, index_dir: str, fmt: str, against: str, fail_on: tuple[str, ...], also_ingest: bool,
          model: str | None, encoding: str | None, max_bytes: int, max_sentence_chars: int,
          max_sentences: int, quiet: bool) -> None:
    """Check a new version against its story in the index: new story, identical re-send, or its drift.

    The text format prints one line (what it was compared with and why), then the
    report; a new story or an identical re-send is that one line. JSON is a
    drift.report/1 report with "story" (null for a new story) and a "check" block.
    """
    outcome: list[str | None] = [None]

    def action() -> None:
        from drift.read.files import read_articles

        limits = limits_of(max_bytes, max_sentence_chars, max_sentences)
        articles = read_articles([file], encoding=encoding, limits=limits)
        if len(articles) != 1:
            raise InputError(f"{file}: holds {len(articles)} articles; check one version at a time")
        # Without --ingest, check only reads: it never waits for a writer and never writes.
        with _open(index_dir, model, read_only=not also_ingest, limits=limits) as ix:
            result = ix.check(articles[0], ingest=also_ingest, against=against)
        if fmt == "json":
            emit(result.to_json())
        elif fmt == "text":
            emit(_shown(result.line()))
            if result.status == "compared":
                emit("\n" + result.report.render("text"), nl=False)
        else:
            emit(result.report.render(fmt), nl=False)
        outcome[0] = result.tripped(fail_on)

    _run(quiet, action)
    if outcome[0] == "new":
        sys.exit(EXIT_NEW)
    if outcome[0]:
        sys.exit(EXIT_DRIFT)


def _shown(text: str) -> str:
    """Every input-derived line this module prints (a check's ids and file names) passes here."""
    return shown(text)


@click.group()
def index() -> None:
    """Check, rebuild or describe an index."""


@index.command()
@_index_option
def verify(index_dir: str) -> None:
    """Check the database and the vector file; exit 1 if anything is wrong."""
    def action() -> None:
        from drift.errors import IndexStoreError

        with _open(index_dir, read_only=True) as ix:
            problems = ix.verify()
            counts = ix.store.counts() if not problems else {}
        if problems:
            damaged = any("index database" in p or "belong to no story" in p or "have no sentences" in p
                          for p in problems)
            fix = "rebuild --from-articles" if damaged else "rebuild"
            # every problem names its file, which names the index already
            raise IndexStoreError(f"{'; '.join(problems)}; run `drift index {fix} --index {index_dir}`")
        emit(f"{index_dir}: ok ({counts['articles']} articles, {counts['vectors']} sentence vectors)")

    _run(False, action)


@index.command()
@_index_option
@click.option("--model", metavar="NAME_OR_PATH",
              help="Re-embed every stored sentence with this model (default: keep the index's model).")
@click.option("--backend", type=click.Choice(("auto", "torch", "onnx")),
              help="Re-embed every stored sentence with this backend (default: keep the index's).")
@click.option("--from-articles", is_flag=True,
              help="Repair a damaged database: store every article it still holds into a fresh one (re-embedded).")
def rebuild(index_dir: str, model: str | None, backend: str | None, from_articles: bool) -> None:
    """Rebuild the vector file from the database (re-embedding only with another --model or --backend).

    With --from-articles, the database itself is rebuilt: every article it can still
    read is split, embedded and matched into a new database, and the old file is
    kept beside it as drift.sqlite.damaged-TIME (drift.sqlite.previous-TIME when it
    had no damage).
    """
    def action() -> None:
        if from_articles:
            from drift.store.recover import rebuild_from_articles

            done = rebuild_from_articles(index_dir, model)
            for problem in done.skipped:
                logging.getLogger("drift").warning("%s (skipped)", problem)
            lost = f", {done.unreadable} unreadable rows lost" if done.unreadable else ""
            old = "the damaged database" if done.damaged else "the previous database (no damage found)"
            emit(f"{index_dir}: rebuilt from {done.stored} articles{lost}; {old} is kept as {done.kept}")
            return
        with _open(index_dir) as ix:
            ix.rebuild(model, backend)
            kind = ix.stats()["vector_index"]
        emit(f"{index_dir}: rebuilt ({kind})")

    _run(False, action)


@index.command()
@_index_option
@click.option("--format", "fmt", type=click.Choice(LIST_FORMATS), default="text", show_default=True)
def stats(index_dir: str, fmt: str) -> None:
    """Sizes, model and the vector index kind in use."""
    def action() -> None:
        with _open(index_dir, read_only=True) as ix:
            found = ix.stats()
        if fmt == "json":
            emit(json.dumps(found, indent=2))
            return
        emit("".join(f"{key}: {json.dumps(value) if isinstance(value, dict) else shown(str(value))}\n"
                     for key, value in found.items()), nl=False)

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
