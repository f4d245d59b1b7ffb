"""A distributed ingest's inputs, cut into units of work in input order, and how a worker reads one unit.

The driver only lists directories, scans JSONL files for line breaks and reads
Parquet footers; decoding and parsing run in the workers. Consecutive small files
make one unit; a JSONL file is cut every ``size`` lines and a Parquet file every
``size`` rows. A unit is also a shard: its articles are embedded together,
written to one Parquet file and merged in one go, and its number orders it.
"""
from __future__ import annotations

import codecs
import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from drift.article import Article
from drift.distributed.runtime import LOCAL_INGEST
from drift.errors import DriftError, InputError
from drift.limits import Limits
from drift.read.decode import check_encoding, decode
from drift.read.files import _guarded, _read_file, input_targets
from drift.read.formats import PARQUET_SUFFIXES
from drift.read.json_input import jsonl_records

#: Inputs per unit (files, JSONL lines or Parquet rows) unless the caller says otherwise.
UNIT_SIZE = 64
FILES, JSONL, PARQUET = "files", "jsonl", "parquet"


@dataclass(frozen=True)
class Unit:
    """One task's worth of input: files, a line range of a JSONL file, or a row range of a Parquet file."""

    number: int
    kind: str
    paths: tuple[str, ...]
    labels: tuple[str, ...]
    start: int = 0  # JSONL: byte offset; Parquet: first row within the row group
    stop: int = 0  # JSONL: byte offset of the end; Parquet: rows
    first: int = 1  # JSONL: number of the first non-blank line; Parquet: of the first row (in the file, from 1)
    line: int = 1  # JSONL: physical line number of the first line, for messages
    row_group: int = 0
    encoding: str | None = None

    @property
    def name(self) -> str:
        return f"unit-{self.number:06d}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "paths": list(self.paths), "labels": list(self.labels)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unit:
        return cls(**{**data, "paths": tuple(data["paths"]), "labels": tuple(data["labels"])})


def plan(paths: Sequence[str | Path], size: int = UNIT_SIZE, encoding: str | None = None,
         limits: Limits = Limits(), on_error: Callable[[InputError], None] | None = None) -> list[Unit]:
    """The units of ``paths`` in input order (a directory: its article files, sorted, one level deep).

    A directory with no article files goes to ``on_error`` (raised without it), as in ``read_articles``.
    A JSONL file over ``limits.max_bytes`` is one unit of its own, which the worker refuses as a
    local ingest would.
    """
    check_encoding(encoding)  # an unknown codec is one error here, not one per file in the workers
    units: list[Unit] = []
    pending: list[tuple[str, str]] = []

    def flush() -> None:
        if pending:
            units.append(Unit(len(units), FILES, tuple(p for p, _ in pending), tuple(label for _, label in pending),
                              encoding=encoding))
            pending.clear()

    for p in paths:
        label = str(p)
        if label == "-":
            raise InputError("-: a distributed ingest cannot read stdin; save it to a file, or use ", LOCAL_INGEST)
        for target, name in input_targets(Path(p), label, on_error):
            suffix = target.suffix.lower()
            if suffix == ".jsonl" and target.is_file() and _size(target) <= limits.max_bytes and \
                    _cut_at_newlines(target, encoding):
                flush()
                units.extend(_jsonl_units(target, name, size, len(units), encoding))
            elif suffix in PARQUET_SUFFIXES and target.is_file():
                flush()
                units.extend(_parquet_units(target, name, size, len(units)))
            else:
                pending.append((str(target), name))
                if len(pending) >= size:
                    flush()
    flush()
    return units


def _cut_at_newlines(path: Path, encoding: str | None) -> bool:
    """Whether a JSONL file's lines end at its b"\\n" bytes. Not in UTF-16/32 (a BOM, or --encoding), where a line
    break is two or four bytes and 0x0A also occurs inside characters, nor in a codec that writes a line break
    otherwise (EBCDIC): such a file is one unit, read whole, as a local ingest reads it."""
    if encoding is not None:
        name = codecs.lookup(encoding).name
        if name.startswith(("utf-16", "utf-32")) or not "\n".encode(name).endswith(b"\n"):
            return False
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:
        return True  # the unit's reader reports it
    return not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE))  # UTF-32-LE too


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _jsonl_units(path: Path, label: str, size: int, number: int, encoding: str | None) -> Iterator[Unit]:
    """Byte ranges of ``size`` non-blank lines each; a file that cannot be opened is one unit (read as an error)."""
    try:
        f = open(path, "rb")
    except OSError:
        yield Unit(number, FILES, (str(path),), (label,), encoding=encoding)
        return
    with f:
        start = offset = 0
        lines = records = 0  # physical lines and non-blank lines before ``offset``
        start_line, start_record, in_unit = 1, 1, 0
        for raw in f:
            offset += len(raw)
            lines += 1
            if raw.strip():
                records += 1
                in_unit += 1
            if in_unit == size:
                yield Unit(number, JSONL, (str(path),), (label,), start, offset, start_record, start_line,
                           encoding=encoding)
                number += 1
                start, start_line, start_record, in_unit = offset, lines + 1, records + 1, 0
        if in_unit or not records:  # the rest; an empty file still gets a unit, so it is reported
            yield Unit(number, JSONL, (str(path),), (label,), start, offset, start_record, start_line,
                       encoding=encoding)


def _parquet_units(path: Path, label: str, size: int, number: int) -> Iterator[Unit]:
    from drift.read.parquet_input import row_groups

    try:
        groups = row_groups(path, label)
    except InputError:
        yield Unit(number, FILES, (str(path),), (label,))  # read (and reported) by a worker like any bad file
        return
    first = 1
    for group, rows in enumerate(groups):
        for start in range(0, rows, size):
            count = min(size, rows - start)
            yield Unit(number, PARQUET, (str(path),), (label,), start, count, first + start, row_group=group)
            number += 1
        first += rows
    if not any(groups):
        yield Unit(number, FILES, (str(path),), (label,))


def plan_key(units: Sequence[Unit]) -> str:
    """What identifies a job's input: every unit, with the size and modification time of its files."""
    digest = hashlib.sha256()
    for unit in units:
        stats: list[list[int] | None] = []
        for p in unit.paths:
            try:
                st = os.stat(p)
                stats.append([st.st_size, st.st_mtime_ns])
            except OSError:
                stats.append(None)
        digest.update(json.dumps([unit.to_dict(), stats], sort_keys=True).encode())
    return digest.hexdigest()


def read_unit(unit: Unit, limits: Limits = Limits()) -> Iterator[tuple[str, Article | DriftError]]:
    """(label, article or why it could not be read) for every record of a unit, in order."""
    if unit.kind == FILES:
        for path, label in zip(unit.paths, unit.labels, strict=True):
            try:
                found = _guarded(functools.partial(_read_file, Path(path), label, unit.encoding, limits), label)
            except DriftError as problem:
                yield label, problem
                continue
            for article in found:
                yield label, article
    elif unit.kind == JSONL:
        yield from _read_jsonl(unit)
    else:
        from drift.read.parquet_input import parquet_records

        label = unit.labels[0]
        try:
            for row in parquet_records(Path(unit.paths[0]), label, unit.row_group, unit.start, unit.stop,
                                       unit.first):
                yield label, row
        except DriftError as problem:
            yield label, problem


def _read_jsonl(unit: Unit) -> Iterator[tuple[str, Article | DriftError]]:
    """One line range of a JSONL file; a bad line is one bad record, the others are read."""
    path, label = Path(unit.paths[0]), unit.labels[0]
    try:
        with open(path, "rb") as f:
            f.seek(unit.start)
            data = f.read(unit.stop - unit.start)
        text = decode(data, label, unit.encoding)
    except OSError as e:
        yield label, InputError(f"{label}: cannot read ({e.strerror}); check the file")
        return
    except DriftError as problem:
        yield label, problem
        return
    if not text.strip():
        yield label, InputError(f"{label}: no text; give a file with at least one sentence")
        return
    for item in jsonl_records(text, label, path.stem, unit.line, unit.first):
        yield label, item
