"""The worker side of a distributed ingest: the read-and-prepare task, and the embedding actor.

Workers get what to build, not a loaded model: a torch or ONNX encoder travels as
its class and model directory and is loaded once per actor (on a cluster, from
that node's own copy of the model, which is why every row says which model
fingerprint and backend embedded it); any other Encoder travels pickled.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drift.distributed import shards
from drift.distributed.sources import Unit, read_unit
from drift.embed.batching import BatchEncoder
from drift.embed.encoder import Encoder
from drift.embed.model import model_fingerprint
from drift.embed.onnx_backend import THREADS_VARIABLE
from drift.errors import DriftError, InputError, as_record
from drift.limits import Limits
from drift.text.prepare import prepared_within

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa


@dataclass(frozen=True)
class EncoderRecipe:
    """How a worker builds the index's encoder: a backend class and model directory, or the encoder itself."""

    backend_class: type[BatchEncoder] | None
    model: str | None
    name: str = ""
    encoder: Encoder | None = None

    @classmethod
    def of(cls, encoder: Encoder) -> EncoderRecipe:
        if isinstance(encoder, BatchEncoder):
            return cls(type(encoder), str(encoder.location), encoder.name)
        return cls(None, None, encoder.name, encoder)

    def build(self) -> Encoder:
        if self.encoder is not None:
            return self.encoder
        assert self.backend_class is not None
        built = self.backend_class(self.model)
        built.name = self.name  # the name the index knows it by, not its directory's
        return built


def identity(encoder: Encoder) -> tuple[str, str]:
    """(model fingerprint, backend): what a vector's origin must match to be stored in an index."""
    return model_fingerprint(encoder.name, getattr(encoder, "location", None)), encoder.backend


def read_and_prepare(batch: pa.Table, limits: Limits = Limits()) -> pa.Table:
    """Map task: read each unit of the batch, then split, mark boilerplate and detect languages.

    ``limits`` are the index's, so a record refused by a local ingest is refused here too.
    """
    rows: list[dict[str, Any]] = []
    for unit in (Unit.from_dict(u) for u in batch.to_pylist()):
        for row, (label, found) in enumerate(read_unit(unit, limits)):
            if isinstance(found, DriftError):
                rows.append(shards.prepared_row(unit.number, row, label, None, as_record(found)))
                continue
            rows.append(_prepared(unit.number, row, label, found, limits))
    return shards.prepared_table(rows)


def _prepared(unit: int, row: int, label: str, article: Any, limits: Limits) -> dict[str, Any]:
    try:
        return shards.prepared_row(unit, row, label, prepared_within(article, limits))
    except DriftError as problem:
        return shards.prepared_row(unit, row, label, article, as_record(problem))
    except Exception as e:  # noqa: BLE001 - one record's surprise must not stop the job: it is counted instead
        return shards.prepared_row(unit, row, label, article, as_record(InputError(
            f"{label}: cannot prepare ({type(e).__name__}: {e}); report this input")))


class Embedder:
    """Actor: one encoder, loaded once; embeds every non-boilerplate sentence (headline included) of a batch."""

    def __init__(self, recipe: EncoderRecipe, threads: int = 1) -> None:
        # one thread an actor, as the pool has one actor a CPU: ONNX Runtime would otherwise start a thread
        # for every core in every actor (torch follows OMP_NUM_THREADS, which Ray sets from the actor's CPUs)
        os.environ.setdefault(THREADS_VARIABLE, str(threads))
        with _recorded():
            self.encoder = recipe.build()
            self.fingerprint, self.backend = identity(self.encoder)

    def __call__(self, batch: pa.Table) -> pa.Table:
        with _recorded():
            return self._embedded(batch)

    def _embedded(self, batch: pa.Table) -> pa.Table:
        import numpy as np

        keys: list[tuple[int, int]] = []
        texts: list[str] = []
        for i, record in enumerate(shards.records(batch)):
            if record.error is None and record.article is not None:
                for s in record.article.sentences:
                    if not s.boilerplate:
                        keys.append((i, s.index))
                        texts.append(s.text)
        dim = self.encoder.dim
        per_row: list[tuple[list[int], Any, list[Any]]] = [([], [], []) for _ in range(batch.num_rows)]
        if texts:
            vectors, words = self.encoder.encode_with_words(texts)
            for (i, index), vector, word in zip(keys, vectors, words, strict=True):
                per_row[i][0].append(index)
                per_row[i][1].append(vector)
                per_row[i][2].append(word)
        embedded = [(indices, np.asarray(vecs, dtype=np.float32).reshape(-1, dim), words)
                    for indices, vecs, words in per_row]
        return shards.with_vectors(batch, embedded, dim, self.fingerprint, self.backend)


@contextlib.contextmanager
def _recorded() -> Iterator[None]:
    """A DriftError of a worker (a model it cannot load) reaches the driver only as the text of Ray's error: that
    text is its record (``as_record``), so ``runtime.job_error`` gives it back whole, flags and all."""
    try:
        yield
    except DriftError as e:
        raise type(e)(as_record(e)) from None
