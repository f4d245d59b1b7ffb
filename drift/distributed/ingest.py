"""A distributed ingest: Ray Data reads, prepares and embeds; one writer merges the shards in input order.

    units (driver) -> read, split, boilerplate, language (map tasks)
      -> embed (map_batches on an actor pool, one encoder per actor)
      -> back to the driver in input order -> one Parquet shard per unit -> Index.add_embedded

Story matching happens at the merge, in input order, so the stories are those a
local ingest of the same articles in the same order finds. A job is named by its
inputs (paths, sizes, modification times, ranges) and the index's model; its
shards wait in ``INDEX/jobs/JOB/`` until the job is done. Re-running a crashed job
stores nothing twice: shards the index records as merged are skipped, shards
already written are merged without being computed again, and the articles of a
half-merged shard are recognised by their content.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift.article import Article, free_id
from drift.distributed import shards
from drift.distributed.embedding import Embedder, EncoderRecipe, read_and_prepare
from drift.distributed.runtime import (
    RayOptions,
    cluster_cpus,
    configured,
    is_ray_error,
    job_error,
    ray_session,
    require_ray,
)
from drift.distributed.sources import UNIT_SIZE, Unit, plan, plan_key
from drift.errors import DriftError, IndexStoreError, JobError, check_count, check_type, from_record
from drift.limits import Limits
from drift.read.files import as_paths
from drift.store.index import Embedded, Index
from drift.store.results import Added, MergedShard
from drift.version import __version__

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

log = logging.getLogger("drift")

#: Logical CPUs a read-and-prepare task and an embedding actor ask Ray for. An actor takes most of a CPU
#: (its model runs one thread a CPU), leaving room for the small map tasks that feed it on the same node.
PREPARE_CPUS = 0.25
EMBED_CPUS = 0.75


@dataclass(frozen=True)
class IngestOptions:
    """How a distributed ingest cuts and keeps its work."""

    unit_size: int = UNIT_SIZE  # files, JSONL lines or Parquet rows per unit (and shard)
    batch_size: int = 32  # articles per embedding call
    job_dir: Path | None = None  # where shards wait; default INDEX/jobs/JOB
    keep_shards: bool = False  # keep the shards once merged

    def __post_init__(self) -> None:
        check_count("unit_size", self.unit_size, UNIT_SIZE)
        check_count("batch_size", self.batch_size, 32)
        if self.job_dir is not None:
            check_type(self.job_dir, (str, os.PathLike), "IngestOptions: job_dir", "a path (or None)")
            object.__setattr__(self, "job_dir", Path(self.job_dir))  # a str too, as everywhere a path is taken


@dataclass
class IngestResult:
    """What a distributed ingest did."""

    job: str
    added: list[Added] = field(default_factory=list)  # every article of the job; stored before: skipped=True
    unreadable: list[DriftError] = field(default_factory=list)  # per record that could not be read, as local's
    refused: list[DriftError] = field(default_factory=list)  # per record read but refused (a limit)
    units: int = 0  # shards in the job
    merged_before: int = 0  # shards an earlier run had merged: skipped
    reused: int = 0  # shards an earlier run had written: merged without being computed again
    seconds: dict[str, float] = field(default_factory=dict)  # total, merge (the single writer), shard_io

    @property
    def bad(self) -> list[DriftError]:
        """Every record skipped, in the order a local ingest reports them: what it could not read, then what it
        read and refused (``Index.add_many``'s ``on_error``)."""
        return self.unreadable + self.refused


def job_id(units: Sequence[Unit], fingerprint: str, backend: str, limits: Limits = Limits()) -> str:
    """Same inputs, model, limits and drift: same job, so a re-run resumes it."""
    key = f"{plan_key(units)}\0{fingerprint}\0{backend}\0{limits}\0{__version__}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def ingest(paths: str | Path | Sequence[str | Path], index: Index, ray_options: RayOptions = RayOptions(),
           options: IngestOptions = IngestOptions(), encoding: str | None = None,
           on_shard: Callable[[int, int, list[Added]], None] | None = None) -> IngestResult:
    """Read, prepare and embed ``paths`` (one path or a list, as ``read_articles``) on Ray, and merge them into
    ``index`` in input order.

    ``on_shard(done, total, added)`` is called after each shard is merged (or skipped).
    The index's ``limits`` apply as in ``Index.add_many``. A record that cannot be read
    or prepared is skipped and counted in ``bad``; a task
    that fails is retried by Ray, and a job that fails anyway raises JobError, keeping
    what was merged (run it again to resume). A DriftError a worker raises (a model it
    cannot load) is raised as itself, as a local ingest raises it.
    """
    paths = as_paths(paths, "drift.distributed.ingest")  # a str alone was its characters: "/" read the root
    for name, value, kind, what in (("index", index, Index, "an Index"), ("ray_options", ray_options, RayOptions,
                                     "a RayOptions"), ("options", options, IngestOptions, "an IngestOptions")):
        check_type(value, kind, f"drift.distributed.ingest: {name}", what)
    if index.read_only:  # before Ray computes the whole job and writes its shards into a reader's index
        raise IndexStoreError(f"{index.path}: opened read-only; open it with Index(path) to add articles")
    started = time.perf_counter()
    unplanned: list[DriftError] = []
    units = plan(paths, options.unit_size, encoding, index.limits, unplanned.append)
    expected = (index.model_fingerprint, index.encoder.backend)
    result = IngestResult(job_id(units, *expected, index.limits), units=len(units),
                          unreadable=unplanned)
    job_dir = options.job_dir or index.path / "jobs" / result.job
    made = not job_dir.exists()
    with _job_lock(job_dir, index.path, result.job):
        try:
            _run(units, job_dir, index, result, expected, ray_options, options, on_shard)
        except BaseException:  # no shard to resume from: no empty INDEX/jobs/JOB left behind in the index
            if options.job_dir is None and not any(job_dir.glob("*.parquet")):
                _remove_job_dir(job_dir)
            raise
        if not options.keep_shards and options.job_dir is None:
            _remove_job_dir(job_dir)
        elif not options.keep_shards:
            _remove_job_files(job_dir, units, made)
    result.seconds["total"] = time.perf_counter() - started
    return result


def _remove_job_dir(job_dir: Path) -> None:
    """The default folder of a job, INDEX/jobs/JOB, and INDEX/jobs itself once no job is left in it."""
    if job_dir.exists():
        shutil.rmtree(job_dir, ignore_errors=True)
        with contextlib.suppress(OSError):
            job_dir.parent.rmdir()


def _remove_job_files(job_dir: Path, units: Sequence[Unit], made: bool) -> None:
    """A caller's ``job_dir`` may hold other files (it was a whole folder removed): only the job's shards and
    lock go, and the folder itself when the job made it and leaves it empty."""
    for unit in units:
        _shard(job_dir, unit).unlink(missing_ok=True)
    (job_dir / ".lock").unlink(missing_ok=True)
    if made:
        with contextlib.suppress(OSError):
            job_dir.rmdir()


def _run(units: list[Unit], job_dir: Path, index: Index, result: IngestResult, expected: tuple[str, str],
         ray_options: RayOptions, options: IngestOptions,
         on_shard: Callable[[int, int, list[Added]], None] | None) -> None:
    """Skip the merged shards, merge the written ones, compute the rest on Ray: every unit, in input order."""
    merged = index.merged_shards(result.job)
    todo = [u for u in units if u.name not in merged and not _shard(job_dir, u).exists()]
    merge = _Merge(index, result, expected)
    with contextlib.ExitStack() as stack:
        stream: Generator[tuple[int, pa.Table], None, None] = _nothing()
        if todo:
            require_ray(ingest=True)  # said as this function's: it has no engine argument
            stack.enter_context(ray_session(ray_options.address, silent=ray_options.silent))
            stream = _by_unit(_computed(todo, EncoderRecipe.of(index.encoder), ray_options.workers, options.batch_size,
                                         index.limits))
        try:
            for done, unit in enumerate(units, 1):
                path = _shard(job_dir, unit)
                if unit.name in merged:
                    result.merged_before += 1
                    merge.remember(path, merged[unit.name])
                elif path.exists():
                    result.reused += 1
                    t = time.perf_counter()
                    table, _ = shards.read_shard(path)
                    result.seconds["shard_io"] = result.seconds.get("shard_io", 0.0) + time.perf_counter() - t
                    merge.check(table, path)
                    merge(unit, table)
                else:
                    number, table = next(stream, (None, None))
                    if number != unit.number or table is None:
                        raise JobError(f"job {result.job}: Ray returned shard {number} in place of {unit.number}; "
                                       "run the same command again to resume")
                    merge.check(table, path)
                    t = time.perf_counter()
                    shards.write_shard(table, path, {"job": result.job, "unit": unit.name})
                    result.seconds["shard_io"] = result.seconds.get("shard_io", 0.0) + time.perf_counter() - t
                    merge(unit, table)
                if on_shard:
                    on_shard(done, len(units), merge.last)
        except Exception as e:
            if is_ray_error(e):
                raise job_error(e, f"ingest job {result.job}") from e
            raise
        finally:
            stream.close()  # stops Ray Data's executor (and frees its actors) if the job stopped early


@contextlib.contextmanager
def _job_lock(job_dir: Path, index_path: Path, job: str) -> Iterator[None]:
    """One run of a job at a time: a second run of the same inputs would plan from shards the first is still
    writing (and then deleting), and fail midway; it is refused at once instead, before any work."""
    import fcntl

    while True:
        job_dir.mkdir(parents=True, exist_ok=True)
        path = job_dir / ".lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise JobError(f"{index_path}: job {job} (the same inputs) is running in another drift process; wait "
                           "for it to end, then run the same command again (what it stored is skipped)") from None
        try:
            current = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:  # not a lock file the run that held it removed with its folder meanwhile
            break
        os.close(fd)
    try:
        yield
    finally:
        os.close(fd)


def _nothing() -> Generator[tuple[int, pa.Table], None, None]:
    yield from ()


def _shard(job_dir: Path, unit: Unit) -> Path:
    return job_dir / f"{unit.name}.parquet"


def _computed(units: list[Unit], recipe: EncoderRecipe, workers: int | None, batch_size: int,
              limits: Limits) -> Iterator[pa.Table]:
    """The Ray Data pipeline over ``units``: embedded shard rows, streamed back in input order."""
    import ray.data
    from ray.data import ActorPoolStrategy

    cpus = cluster_cpus()
    size = min(workers or cpus, len(units))
    fits = max(1, int((cpus - PREPARE_CPUS) / EMBED_CPUS))  # more wait for the cluster to grow (or never start)
    ds: Any = ray.data.from_items([u.to_dict() for u in units], override_num_blocks=min(len(units), 2000))
    ds = ds.map_batches(read_and_prepare, batch_size=1, batch_format="pyarrow", num_cpus=PREPARE_CPUS,
                        fn_kwargs={"limits": limits})
    ds = ds.map_batches(Embedder, fn_constructor_args=(recipe,), batch_size=batch_size,
                        batch_format="pyarrow", compute=ActorPoolStrategy(min_size=min(size, fits), max_size=size),
                        num_cpus=EMBED_CPUS)
    yield from configured(ds, ordered=True).iter_batches(batch_size=None, batch_format="pyarrow")


def _by_unit(batches: Iterator[pa.Table]) -> Generator[tuple[int, pa.Table], None, None]:
    """Regroup streamed rows into whole units (rows arrive in input order; batches cut units anywhere)."""
    import pyarrow as pa

    pending: list[pa.Table] = []
    current: int | None = None
    for batch in batches:
        numbers = batch.column("unit").to_pylist()
        start = 0
        for i in range(1, len(numbers) + 1):
            if i == len(numbers) or numbers[i] != numbers[start]:
                if current is not None and numbers[start] != current:
                    yield current, pa.concat_tables(pending)
                    pending = []
                current = numbers[start]
                pending.append(batch.slice(start, i - start))
                start = i
    if current is not None:
        yield current, pa.concat_tables(pending)


class _Merge:
    """The single writer: each unit's articles go into the index in input order, with local ingest's ids."""

    def __init__(self, index: Index, result: IngestResult, expected: tuple[str, str]) -> None:
        self.index = index
        self.result = result
        self.expected = expected
        self.seen: set[str] = set()  # ids given so far in this job's input order (as read_articles renames)
        self.last: list[Added] = []

    def remember(self, path: Path, shard: MergedShard) -> None:
        """A shard merged by an earlier run: reported as a local re-run would (its articles already stored, its
        bad records again); its ids count for the renaming of repeated ids while the job's shards are kept."""
        self.last = shard.added
        self.result.added.extend(shard.added)
        self.result.unreadable.extend(map(from_record, shard.problems))
        self.result.refused.extend(map(from_record, shard.refused))
        if path.exists():
            import pyarrow.parquet as pq

            for aid in pq.read_table(path, columns=["id"]).column("id").to_pylist():
                if aid is not None:
                    self._rename(aid)

    def check(self, table: pa.Table, path: Path) -> None:
        """Refuse vectors made by another model or backend than the index's (one line), before storing any."""
        rows = table.select(["model_fingerprint", "backend"]).to_pylist()
        wrong = next(((r["model_fingerprint"], r["backend"]) for r in rows
                      if (r["model_fingerprint"], r["backend"]) != self.expected), None)
        if wrong is not None:
            raise IndexStoreError(
                f"{self.index.path}: a worker embedded {path.stem} with model fingerprint {wrong[0]} ({wrong[1]}), "
                f"the index holds {self.expected[0]} ({self.expected[1]}); install the same model and drift on "
                "every Ray node, or ingest into an index made with that model")

    def __call__(self, unit: Unit, table: pa.Table) -> None:
        t = time.perf_counter()
        items: list[tuple[Article, Embedded]] = []
        unreadable: list[str] = []  # as_record of each: the index keeps them so for a re-run
        refused: list[str] = []  # read (the row has its article), but not prepared: a limit, nothing to store
        for record in shards.records(table):
            new_id = self._rename(record.article.id) if record.article is not None else None
            if record.error is not None:
                (unreadable if record.article is None else refused).append(record.error)
            elif record.article is not None and record.embedded is not None:
                items.append((replace(record.article, id=new_id or record.article.id), record.embedded))
        self.result.unreadable.extend(map(from_record, unreadable))
        self.result.refused.extend(map(from_record, refused))
        self.last = self.index.add_embedded(items, shard=(self.result.job, unit.name), problems=unreadable,
                                            refused=refused)
        self.result.added.extend(self.last)
        self.result.seconds["merge"] = self.result.seconds.get("merge", 0.0) + time.perf_counter() - t

    def _rename(self, wanted: str) -> str:
        new = free_id(wanted, self.seen.__contains__)
        self.seen.add(new)
        return new
