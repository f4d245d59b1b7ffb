"""Every story of an index with more than one version, compared: one after another, or in parallel on Ray.

Made for a nightly batch. Each story's report goes to its own file in ``out``,
``story-ID-VERSIONS.EXT``, where VERSIONS is a hash of the story's version ids:
written whole (a temporary name, then a rename), so a crash leaves no half file.
A story whose file for its current versions already exists is skipped, so a
re-run after a crash, or the next night's run, compares only stories that are
new or gained a version (their older file is then removed). A story that cannot
be compared (say its versions are in a language the model does not cover) is
named in ``failed``, never fatal.

On Ray, the driver reads each story's versions and stored vectors from the
index (workers need no access to it) and an actor pool compares them; merged
neighbour sentences, never stored, are embedded by the actor's own encoder.
"""
from __future__ import annotations

import contextlib
import hashlib
import pickle
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift.distributed.embedding import EncoderRecipe, identity
from drift.distributed.runtime import RayOptions, cluster_cpus, configured, is_ray_error, job_error, ray_session
from drift.embed.encoder import Encoder
from drift.errors import ConfigError, DriftError, JobError, ModelError, as_record, choices, from_record, given, param
from drift.report.views import write_report
from drift.store.index import Index
from drift.store.payload import StoryPayload, compare_payload
from drift.store.results import Story

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

ENGINES = ("local", "ray")
SUFFIXES = {"json": "json", "jsonl": "jsonl", "text": "txt", "html": "html"}
#: Stories handed to Ray at a time (per worker): bounds what the driver holds in memory.
WINDOW = 32
#: ``compare_stories``' ``out`` on a command line (``compare_dir`` in click).
OUT_OPTION = "--compare"


@dataclass
class ComparedStories:
    """What a run wrote to ``out``."""

    out: Path
    compared: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)  # their file for the current versions was there: skipped
    failed: dict[int, DriftError] = field(default_factory=dict)  # story -> why it could not be compared
    drifted: int = 0  # drifted aligned pairs in the stories compared
    major: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class _Outcome:
    story: int
    name: str
    content: str | None
    drifted: int = 0
    major: int = 0
    error: str | None = None  # ``drift.errors.as_record`` of the DriftError


def story_file(story: Story, fmt: str) -> str:
    """The file name of a story's report: its id, a hash of its versions, the format."""
    versions = hashlib.sha256("\n".join(story.articles).encode()).hexdigest()[:12]
    return f"story-{story.id}-{versions}.{SUFFIXES[fmt]}"


def compare_stories(index: Index, out: str | Path, fmt: str = "jsonl", engine: str = "local",
                    ray_options: RayOptions = RayOptions(), on_story: Callable[[int], None] | None = None
                    ) -> ComparedStories:
    """Compare every story with two versions or more and write one report per story to ``out``.

    ``fmt``: ``jsonl`` (``drift.finding/1``, one finding a line), ``json`` (``drift.report/1``),
    ``text`` or ``html``. ``on_story(story id)`` is called after each story is written or fails.
    """
    if fmt not in SUFFIXES:
        raise ConfigError(f"unknown format {fmt!r}; choose one of {choices(SUFFIXES)}")
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; choose one of {choices(ENGINES)}")
    started = time.perf_counter()
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(given("out", str(folder), quoted=False, option=OUT_OPTION),
                          f": cannot create the folder ({e.strerror}); give a writable directory") from e
    result = ComparedStories(folder)
    todo: list[tuple[int, str]] = []
    for story in index.stories():
        if len(story.articles) < 2:
            continue
        name = story_file(story, fmt)
        if (folder / name).exists():
            result.unchanged.append(story.id)
        else:
            todo.append((story.id, name))
    outcomes = (_local(index, todo, fmt) if engine == "local"
                else _on_ray(index, todo, fmt, ray_options))
    for outcome in outcomes:
        _record(result, folder, outcome)
        if on_story:
            on_story(outcome.story)
    result.seconds = time.perf_counter() - started
    return result


def _record(result: ComparedStories, folder: Path, outcome: _Outcome) -> None:
    if outcome.content is None:
        result.failed[outcome.story] = from_record(outcome.error) if outcome.error else JobError(
            f"story {outcome.story}: no report and no error came back; run the same command again")
        return
    path = folder / outcome.name
    write_report(outcome.content, path, param("out", option=OUT_OPTION), "give a writable directory")
    stale = f"story-{outcome.story}-"
    for old in folder.glob(f"{stale}*.{path.suffix.lstrip('.')}"):
        if old.name != outcome.name:
            old.unlink(missing_ok=True)
    result.compared.append(outcome.story)
    result.drifted += outcome.drifted
    result.major += outcome.major


def compare_one(payload: StoryPayload, name: str, fmt: str, encoder: Callable[[], Encoder]) -> _Outcome:
    """One story's report, rendered; a DriftError becomes the outcome's error instead of stopping the run."""
    try:
        report = compare_payload(payload, encoder)
    except DriftError as e:
        return _Outcome(payload.story, name, None, error=as_record(e))  # text: a Ray worker's outcome is a row
    # counterparts only, as the report's summary counts them: an overlap is not the same statement
    return _Outcome(payload.story, name, report.render(fmt), len(report.drifted("minor")),
                    len(report.drifted("major")))


def _local(index: Index, todo: Sequence[tuple[int, str]], fmt: str) -> Iterator[_Outcome]:
    for story, name in todo:
        yield compare_one(index.story_payload(story), name, fmt, lambda: index.encoder)


def _on_ray(index: Index, todo: Sequence[tuple[int, str]], fmt: str, ray_options: RayOptions) -> Iterator[_Outcome]:
    if not todo:
        return
    recipe = EncoderRecipe.of(index.encoder)
    expected = (index.model_fingerprint, index.encoder.backend)
    with ray_session(ray_options.address, silent=ray_options.silent):
        import ray.data
        from ray.data import ActorPoolStrategy

        cpus = cluster_cpus()
        size = ray_options.workers or cpus
        window = WINDOW * size
        try:
            for start in range(0, len(todo), window):
                items = [{"story": story, "name": name, "payload": pickle.dumps(index.story_payload(story))}
                         for story, name in todo[start:start + window]]
                ds: Any = ray.data.from_items(items, override_num_blocks=len(items))
                ds = ds.map_batches(StoryComparer, fn_constructor_args=(recipe, expected, fmt), batch_size=1,
                                    batch_format="pyarrow", num_cpus=1,
                                    compute=ActorPoolStrategy(min_size=min(size, cpus, len(items)),
                                                              max_size=min(size, len(items))))
                with contextlib.closing(iter(configured(ds).iter_rows())) as rows:  # stops Ray Data on an early stop
                    for row in rows:
                        yield _Outcome(int(row["story"]), str(row["name"]), row["content"], int(row["drifted"]),
                                       int(row["major"]), row["error"])
        except Exception as e:
            if is_ray_error(e):
                raise job_error(e, "comparing stories") from e
            raise


class StoryComparer:
    """Actor: compares stories from their payloads; loads its encoder only if a text was never stored."""

    def __init__(self, recipe: EncoderRecipe, expected: tuple[str, str], fmt: str) -> None:
        self.recipe = recipe
        self.expected = expected
        self.fmt = fmt
        self._encoder: Encoder | None = None

    def encoder(self) -> Encoder:
        if self._encoder is None:
            encoder = self.recipe.build()
            if identity(encoder) != self.expected:
                raise ModelError(f"this worker's model (fingerprint {identity(encoder)[0]}) is not the index's "
                                 f"({self.expected[0]}); install the same model and drift on every Ray node")
            self._encoder = encoder
        return self._encoder

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        rows: list[dict[str, Any]] = []
        for item in batch.to_pylist():
            outcome = compare_one(pickle.loads(item["payload"]), item["name"], self.fmt, self.encoder)
            rows.append({"story": outcome.story, "name": outcome.name, "content": outcome.content,
                         "drifted": outcome.drifted, "major": outcome.major, "error": outcome.error})
        schema = pa.schema([("story", pa.int64()), ("name", pa.string()), ("content", pa.string()),
                            ("drifted", pa.int64()), ("major", pa.int64()), ("error", pa.string())])
        return pa.Table.from_pylist(rows, schema=schema)
