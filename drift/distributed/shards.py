"""The Parquet shard: one unit's articles as read and prepared, with their vectors, between workers and the merge.

One row per input record, in input order (``unit``, ``row``). A record that could
not be read or prepared keeps its row with ``error`` set, so it is counted once
and a re-run does not read it again. Sentences are parallel lists (offsets into
``text``, flags, language); ``embedded`` names the sentences that have a vector
(every one but boilerplate, the headline included), ``vectors`` holds them
(float32), ``word_spans`` and ``word_vectors`` (int32 pairs, float16) their words,
stored as in the index. ``model_fingerprint`` and ``backend`` say what embedded
the row, so the merge can refuse vectors from another model.

Shards are written to a temporary name and renamed: a shard file is whole or absent.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift.article import Article, Sentence
from drift.embed.encoder import WordVectors

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pyarrow as pa

SHARD_SCHEMA = "drift.shard/1"


def _prepared_fields() -> list[tuple[str, Any]]:
    import pyarrow as pa

    return [
        ("unit", pa.int64()), ("row", pa.int64()), ("label", pa.string()), ("error", pa.string()),
        ("id", pa.string()), ("text", pa.string()), ("source", pa.string()), ("title", pa.string()),
        ("title_end", pa.int64()), ("language", pa.string()), ("published", pa.string()), ("metadata", pa.string()),
        ("sentence_start", pa.list_(pa.int32())), ("sentence_end", pa.list_(pa.int32())),
        ("sentence_boilerplate", pa.list_(pa.bool_())), ("sentence_title", pa.list_(pa.bool_())),
        ("sentence_language", pa.list_(pa.string())),
    ]


def prepared_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(_prepared_fields())


def shard_schema(dim: int) -> pa.Schema:
    import pyarrow as pa

    return pa.schema(_prepared_fields() + [
        ("embedded", pa.list_(pa.int32())), ("vectors", pa.list_(pa.list_(pa.float32(), dim))),
        ("word_spans", pa.list_(pa.binary())), ("word_vectors", pa.list_(pa.binary())),
        ("model_fingerprint", pa.string()), ("backend", pa.string()),
    ])


@dataclass(frozen=True)
class Record:
    """One row of a shard: an article (None when ``error`` says why it could not be read) and its vectors."""

    unit: int
    row: int
    label: str
    error: str | None  # the DriftError as ``drift.errors.as_record`` keeps it: ``from_record`` gives it back
    article: Article | None
    embedded: dict[int, tuple[np.ndarray, WordVectors]] | None = None
    model_fingerprint: str | None = None
    backend: str | None = None


def prepared_row(unit: int, row: int, label: str, article: Article | None, error: str | None = None) -> dict[str, Any]:
    """A shard row before embedding; ``article`` must be prepared unless ``error`` is set."""
    out: dict[str, Any] = {"unit": unit, "row": row, "label": label, "error": error}
    if article is None:
        return out
    sentences = article.sentences if error is None else []
    return {**out, "id": article.id, "text": article.text, "source": article.source, "title": article.title,
            "title_end": article.title_end, "language": article.language, "published": article.published,
            "metadata": json.dumps(article.metadata, ensure_ascii=False, default=str),
            "sentence_start": [s.start for s in sentences], "sentence_end": [s.end for s in sentences],
            "sentence_boilerplate": [s.boilerplate for s in sentences], "sentence_title": [s.title for s in sentences],
            "sentence_language": [s.language for s in sentences]}


def prepared_table(rows: list[dict[str, Any]]) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=prepared_schema())


def with_vectors(table: pa.Table, embedded: Sequence[tuple[list[int], np.ndarray, list[WordVectors]]], dim: int,
                 fingerprint: str, backend: str) -> pa.Table:
    """``table`` (prepared rows) with each row's sentence indices, vectors and word vectors added."""
    import numpy as np
    import pyarrow as pa

    lengths = [len(indices) for indices, _, _ in embedded]
    offsets = pa.array(np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(np.int32))
    flat = (np.concatenate([v.reshape(-1, dim) for _, v, _ in embedded]) if embedded
            else np.zeros((0, dim), dtype=np.float32)).astype(np.float32, copy=False)
    vectors = pa.ListArray.from_arrays(offsets, pa.FixedSizeListArray.from_arrays(pa.array(flat.ravel()), dim))
    spans = [[np.asarray(w.spans, dtype=np.int32).reshape(-1, 2).tobytes() for w in words] for _, _, words in embedded]
    words16 = [[np.asarray(w.vectors, dtype=np.float16).tobytes() for w in words] for _, _, words in embedded]
    n = table.num_rows
    columns = {"embedded": pa.array([list(i) for i, _, _ in embedded], pa.list_(pa.int32())), "vectors": vectors,
               "word_spans": pa.array(spans, pa.list_(pa.binary())),
               "word_vectors": pa.array(words16, pa.list_(pa.binary())),
               "model_fingerprint": pa.array([fingerprint] * n, pa.string()),
               "backend": pa.array([backend] * n, pa.string())}
    schema = shard_schema(dim)
    return pa.Table.from_arrays([table.column(f.name) if f.name in table.column_names else columns[f.name]
                                 for f in schema], schema=schema)


def records(table: pa.Table) -> Iterator[Record]:
    """The rows of a prepared or embedded table as Articles (with their vectors when embedded)."""
    import numpy as np

    data = table.to_pydict() if "vectors" not in table.column_names else {
        name: table.column(name).to_pylist() for name in table.column_names if name != "vectors"}
    vectors = None
    if "vectors" in table.column_names:
        column = table.column("vectors").combine_chunks()
        dim = column.type.value_type.list_size
        flat = column.flatten().flatten().to_numpy(zero_copy_only=False).reshape(-1, dim)
        ends = np.cumsum(column.value_lengths().fill_null(0).to_numpy(zero_copy_only=False))
        vectors = np.split(flat, ends[:-1]) if len(ends) else []
    for i in range(table.num_rows):
        article = _article(data, i) if data["id"][i] is not None else None
        embedded = None
        if vectors is not None and data["error"][i] is None:
            embedded = {int(s): (vectors[i][k], _words(data["word_spans"][i][k], data["word_vectors"][i][k],
                                                        vectors[i].shape[1]))
                        for k, s in enumerate(data["embedded"][i])}
        yield Record(data["unit"][i], data["row"][i], data["label"][i], data["error"][i], article, embedded,
                     data.get("model_fingerprint", [None] * table.num_rows)[i],
                     data.get("backend", [None] * table.num_rows)[i])


def _article(data: dict[str, list[Any]], i: int) -> Article:
    text = data["text"][i]
    sentences = [Sentence(n, start, end, text[start:end], bp, title, language)
                 for n, (start, end, bp, title, language) in enumerate(zip(
                     data["sentence_start"][i] or [], data["sentence_end"][i] or [],
                     data["sentence_boilerplate"][i] or [], data["sentence_title"][i] or [],
                     data["sentence_language"][i] or [], strict=True))]
    return Article(data["id"][i], text, data["source"][i] or "", data["title"][i], data["language"][i],
                   data["published"][i], json.loads(data["metadata"][i] or "{}"), sentences, data["title_end"][i])


def _words(spans: bytes, vectors: bytes, dim: int) -> WordVectors:
    import numpy as np

    pairs = [(int(a), int(b)) for a, b in np.frombuffer(spans, dtype=np.int32).reshape(-1, 2).tolist()]
    return WordVectors(pairs, np.frombuffer(vectors, dtype=np.float16).astype(np.float32).reshape(len(pairs), dim))


def write_shard(table: pa.Table, path: Path, meta: dict[str, str]) -> None:
    """Write ``table`` to ``path`` whole or not at all (a temporary name, then a rename)."""
    import pyarrow.parquet as pq

    schema = table.schema.with_metadata({"drift": json.dumps({"schema": SHARD_SCHEMA, **meta})})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table.cast(schema), tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_shard(path: Path) -> tuple[pa.Table, dict[str, str]]:
    """A shard and the metadata it was written with."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    meta = json.loads((table.schema.metadata or {}).get(b"drift", b"{}"))
    return table, meta
