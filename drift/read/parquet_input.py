"""Parquet inputs: one article a row, with the fields of a JSON article as columns.

Archives of wire copy usually come as Parquet. A row needs a ``text`` (or ``body``)
column; ``id``, ``title``/``headline``, ``source``, ``language`` and ``published``
are read as in JSON, any other column goes to ``metadata``. A row without an id
gets ``STEM:N`` (N counts rows from 1). pyarrow is imported on first use.
"""
from __future__ import annotations

import datetime
import decimal
import logging
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from drift.article import Article
from drift.errors import InputError
from drift.read.json_input import KNOWN_FIELDS, _from_record

log = logging.getLogger("drift")
# What a value no JSON report can hold becomes: dropped from its object or list.
_DROP = object()


def _open(path: Path, label: str) -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:  # pragma: no cover - broken install
        raise InputError(f"{label}: reading Parquet needs pyarrow ({e}); run `make install`") from e
    try:
        return pq.ParquetFile(path)
    except FileNotFoundError as e:
        raise InputError(f"{label}: no such file; check the path") from e
    except (OSError, pa.ArrowException) as e:
        raise _unreadable(label, e) from e


def _unreadable(label: str, error: Exception) -> InputError:
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return InputError(f"{label}: cannot read as Parquet ({first}); give a Parquet file with a \"text\" column")


def _json_value(value: Any, dropped: set[str], column: str) -> Any:
    """A Parquet cell as JSON can hold it, or ``_DROP`` for bytes (``column`` then goes into ``dropped``).

    Reports and the index store metadata as JSON, which has no timestamp, decimal,
    NaN or bytes: a timestamp or date becomes ISO 8601, a decimal a number (null when
    not finite), NaN and infinities null, a duration its seconds; bytes say nothing a
    reader can show, so they go, with a warning.
    """
    if isinstance(value, (bytes, bytearray, memoryview)):
        dropped.add(column)
        return _DROP
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        items = ((str(k), _json_value(v, dropped, column)) for k, v in value.items())
        return {k: v for k, v in items if v is not _DROP}
    if isinstance(value, (list, tuple)):  # a map column comes as a list of (key, value) tuples
        return [v for v in (_json_value(v, dropped, column) for v in value) if v is not _DROP]
    return value


def _json_record(record: dict[str, Any], label: str, warned: set[str]) -> dict[str, Any]:
    """A row with every cell JSON-safe; bytes are dropped, with one warning per column and file."""
    out: dict[str, Any] = {}
    dropped: set[str] = set()
    for name, value in record.items():
        if name in KNOWN_FIELDS and isinstance(value, (bytes, bytearray)):
            out[name] = value  # refused by the record check, naming the field
            continue
        safe = _json_value(value, dropped, name)
        if safe is not _DROP:
            out[name] = safe
    for name in sorted(dropped - warned):
        warned.add(name)
        log.warning("%s: column %r holds bytes, which metadata cannot show; dropped from metadata "
                    "(store it as a string column to keep it)", label, name)
    return out


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
    warned: set[str] = set()
    for n, record in enumerate(table.to_pylist(), first):
        try:
            yield _from_record(_json_record(record, label, warned), label, f"row {n}", f"{path.stem}:{n}", label)
        except InputError as problem:
            yield problem


def read_parquet(path: Path, label: str) -> list[Article | InputError]:
    """Every row of a Parquet file, each an Article or why it is not one (a bad row skips only itself)."""
    out = list(parquet_records(path, label))
    if not out:
        raise InputError(f"{label}: no rows; give a Parquet file with at least one article")
    return out
