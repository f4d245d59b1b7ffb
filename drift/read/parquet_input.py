"""Parquet inputs: one article a row, with the fields of a JSON article as columns.

Archives of wire copy usually come as Parquet. A row needs a ``text`` (or ``body``)
column; ``id``, ``title``/``headline``, ``source``, ``language`` and ``published``
are read as in JSON, any other column goes to ``metadata``. A row without an id
gets ``STEM:N`` (N counts rows from 1). pyarrow is imported on first use.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from drift.article import Article
from drift.errors import InputError
from drift.read.json_input import _from_record


def _open(path: Path, label: str) -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:  # pragma: no cover - broken install
        raise InputError(f"{label}: reading Parquet needs pyarrow ({e}); run `make install`") from e
    try:
        return pq.ParquetFile(path)
    except FileNotFoundError as e:
        raise InputError(f"{label}: no such file") from e
    except (OSError, pa.ArrowException) as e:
        raise _unreadable(label, e) from e


def _unreadable(label: str, error: Exception) -> InputError:
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return InputError(f"{label}: cannot read as Parquet ({first}); give a Parquet file with a \"text\" column")


def row_groups(path: Path, label: str) -> list[int]:
    """Rows in each row group, from the file's footer (nothing else is read)."""
    meta = _open(path, label).metadata
    return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]


def parquet_records(path: Path, label: str, row_group: int | None = None, start: int = 0, count: int | None = None,
                    first: int = 1) -> Iterator[Article | InputError]:
    """The rows of a file (or ``count`` rows of one row group from ``start``), each an Article or why it is not one.

    ``first`` is the number of the first row yielded, counted in the whole file from 1.
    """
    pf = _open(path, label)
    names = set(pf.schema_arrow.names)
    if not names & {"text", "body"}:
        raise InputError(f"{label}: no \"text\" or \"body\" column (columns: {', '.join(sorted(names))}); "
                         "give one article a row with its text in a \"text\" column")
    import pyarrow as pa

    try:
        table = pf.read_row_group(row_group) if row_group is not None else pf.read()
    except (OSError, pa.ArrowException) as e:
        raise _unreadable(label, e) from e
    if count is not None or start:
        table = table.slice(start, count)
    for n, record in enumerate(table.to_pylist(), first):
        try:
            yield _from_record(record, label, f"row {n}", f"{path.stem}:{n}", label)
        except InputError as problem:
            yield problem


def read_parquet(path: Path, label: str) -> list[Article | InputError]:
    """Every row of a Parquet file, each an Article or why it is not one (a bad row skips only itself)."""
    out = list(parquet_records(path, label))
    if not out:
        raise InputError(f"{label}: no rows; give a Parquet file with at least one article")
    return out
