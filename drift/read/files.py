"""Reading articles: plain text, Markdown, JSON, JSONL, NITF, NewsML-G2, HTML, directories and stdin.

Problems are reported as one-line InputErrors that name the file and say what to
do, so the CLI can print them unchanged; a caller that passes ``on_error`` keeps
going past an unreadable file (or a bad record of a JSON feed).
"""
from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Union

from drift.article import Article, unique_ids
from drift.errors import ArgumentError, InputError, check_callback, check_type, type_name
from drift.limits import Limits, check_limits
from drift.read.decode import _too_large, check_encoding, decode, read_bytes, read_limited
from drift.read.formats import ARTICLE_SUFFIXES, PARQUET_SUFFIXES, is_article_name, read_markup, sniff_json
from drift.read.json_input import parse_json, parse_jsonl
from drift.read.titles import article_from_text

#: One path, or several: ``read_articles("a.txt")`` reads one file, not the letters of its name.
Paths = Union[str, Path, Sequence[Union[str, Path]]]
#: What reading one input gives: its articles, and an InputError in place of each bad record.
Found = list[Union[Article, InputError]]


def _parse(text: str, label: str, stem: str, suffix: str, stdin: bool = False) -> Found:
    """Every article in one input (JSON arrays, JSONL and NewsML-G2 messages may hold several).

    A file's suffix says JSON or JSONL; stdin has none, so its content says.
    """
    if not text.strip():
        raise InputError(f"{label}: no text; give a file with at least one sentence")
    marked = read_markup(text, label, stem, suffix)
    if marked is not None:
        return list(marked)
    kind = sniff_json(text) if stdin else {".json": "json", ".jsonl": "jsonl"}.get(suffix)
    if kind == "json":
        return parse_json(text, label, stem)
    if kind == "jsonl":
        return parse_jsonl(text, label, stem)
    return [article_from_text(text, id=stem, source=label, markdown=suffix == ".md",
                              metadata=None if stdin else {"path": label})]


def _read_file(path: Path, label: str, encoding: str | None, limits: Limits) -> Found:
    if path.suffix.lower() in PARQUET_SUFFIXES:  # several articles, one a row
        from drift.read.parquet_input import read_parquet

        return read_parquet(path, label)
    text = decode(read_bytes(path, label, limits.max_bytes), label, encoding)
    return _parse(text, label, path.stem, path.suffix.lower())


def _guarded(read: Callable[[], Found], label: str) -> Found:
    """``read()``, with the failures of hostile input that are no InputError yet turned into one."""
    try:
        return read()
    except RecursionError as e:
        raise InputError(f"{label}: nested too deeply to read; give the story with less nesting") from e
    except MemoryError as e:
        raise InputError(f"{label}: too large to read in memory; give a smaller file") from e


def _first(found: Found) -> list[Article]:
    """The articles, or the first bad record's error."""
    error = next((f for f in found if isinstance(f, InputError)), None)
    if error is not None:
        raise error
    return [f for f in found if isinstance(f, Article)]


def read_article(path: str | Path, encoding: str | None = None, limits: Limits = Limits()) -> Article:
    """Read one article from a .txt, .md, .json, .jsonl or .parquet file (any other name: as text)."""
    check_type(path, (str, os.PathLike), "read_article: path", "a str or Path")
    check_limits(limits, "read_article")
    check_encoding(encoding, "read_article")
    label = str(path)
    articles = _first(_guarded(lambda: _read_file(Path(path), label, encoding, limits), label))
    if len(articles) != 1:
        raise InputError(f"{label}: holds {len(articles)} articles; use read_articles to read them all")
    return articles[0]


def _dir_files(directory: Path, label: str) -> list[Path]:
    """Article files directly inside ``directory`` (not recursive), hidden ones skipped, sorted."""
    try:
        entries = sorted(directory.iterdir())
    except OSError as e:
        raise InputError(f"{label}: cannot list directory ({e.strerror}); check the path") from e
    files = [p for p in entries if is_article_name(p.name) and p.is_file()]
    if not files:
        shown = label if label.endswith("/") else label + "/"
        raise InputError(
            f"{shown}: no articles found (looked for {', '.join(ARTICLE_SUFFIXES)}); "
            "give a directory containing articles"
        )
    return files


def _read_stdin(encoding: str | None, limits: Limits) -> str:
    """stdin through the same decoding, limits (and error messages) as files."""
    if sys.stdin is None:  # closed when the process started (``<&-``)
        raise InputError("-: standard input is closed; pipe the text in (< FILE), or give the file instead of -")
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream, e.g. in tests
        text = sys.stdin.read(limits.max_bytes + 1)
        if len(text) > limits.max_bytes:
            raise _too_large("<stdin>", limits.max_bytes)
        return text
    return decode(read_limited(buffer, "<stdin>", limits.max_bytes), "<stdin>", encoding)


def _read_stdin_articles(encoding: str | None, stdin_text: str | None, limits: Limits) -> Found:
    if stdin_text is not None and len(stdin_text) > limits.max_bytes:
        raise _too_large("<stdin>", limits.max_bytes)
    text = stdin_text if stdin_text is not None else _read_stdin(encoding, limits)
    return _parse(text, "<stdin>", "stdin", "", stdin=True)


def as_paths(paths: object, caller: str = "read_articles") -> list[str | Path]:
    """``paths`` as a list of paths: one path alone is a list of one; anything else is an ArgumentError."""
    if isinstance(paths, (str, os.PathLike)):
        return [paths if isinstance(paths, (str, Path)) else Path(os.fspath(paths))]
    if isinstance(paths, (bytes, bytearray, dict)) or not isinstance(paths, Iterable):
        raise ArgumentError(f"{caller}: paths must be a path or a list of paths, not {type_name(paths)}")
    out: list[str | Path] = []
    for p in paths:
        if not isinstance(p, (str, os.PathLike)):
            raise ArgumentError(f"{caller}: every path must be a str or Path, not {type_name(p)}")
        out.append(p if isinstance(p, (str, Path)) else Path(os.fspath(p)))
    return out


def input_targets(path: Path, label: str,
                  on_error: Callable[[InputError], None] | None = None) -> list[tuple[Path, str]]:
    """A file as itself, a directory as its article files; one read, one error policy for every engine."""
    try:
        return [(f, str(f)) for f in _dir_files(path, label)] if path.is_dir() else [(path, label)]
    except InputError as error:
        if on_error is None:
            raise
        on_error(error)
        return []


def read_articles(
    paths: Paths,
    encoding: str | None = None,
    stdin_text: str | None = None,
    on_error: Callable[[InputError], None] | None = None,
    limits: Limits = Limits(),
) -> list[Article]:
    """Read files, directories (their article files, one level deep) and ``-`` (stdin).

    ``paths`` is one path or a list of them. Order follows ``paths``; a directory
    contributes its files in sorted order. Repeated ids get ``-2``, ``-3``...
    suffixes. ``-`` is read once: stdin is spent after that, so a second ``-`` is
    an InputError (not an empty version). With ``on_error``, a file (or a JSON
    record) that cannot be read is handed to it as an InputError and skipped, so
    one bad feed file does not stop the others; without it, the first such error
    is raised. No input is read past ``limits.max_bytes``.
    """
    check_limits(limits, "read_articles")
    check_encoding(encoding, "read_articles")
    check_callback(on_error, "read_articles", "on_error")
    return _read_inputs(paths, encoding, stdin_text, on_error, limits, each_file_once=False)


def _given_again(name: str, first: str) -> Found:
    """The error for an input given a second time (as itself, through a directory or another path)."""
    if name == "-":
        raise InputError("-: standard input given twice; it can be read only once: give - once")
    also = "" if name == first else f" (also as {first})"
    raise InputError(f"{name}: given twice{also}; give each version once")


def _read_inputs(paths: Paths, encoding: str | None, stdin_text: str | None,
                 on_error: Callable[[InputError], None] | None, limits: Limits, each_file_once: bool) -> list[Article]:
    """``read_articles``; with ``each_file_once``, a file met again (same real path) is an InputError too."""
    out: list[Article] = []
    seen: dict[str, str] = {}  # an input's key (its real path, or "-") -> the name it was first read under

    def attempt(read: Callable[[], Found], label: str) -> None:
        try:
            found = _guarded(read, label)
        except InputError as error:
            found = [error]
        if on_error is None:
            found = list(_first(found))
        for item in found:
            if isinstance(item, InputError):
                assert on_error is not None
                on_error(item)
            else:
                out.append(item)

    def first_time(key: str, name: str) -> bool:
        if key in seen:
            attempt(functools.partial(_given_again, name, seen[key]), name)
            return False
        seen[key] = name
        return True

    for p in as_paths(paths):
        label = str(p)
        if label == "-":
            if first_time("-", "-"):
                attempt(lambda: _read_stdin_articles(encoding, stdin_text, limits), "<stdin>")
            continue
        for target, name in input_targets(Path(p), label, on_error):
            if not each_file_once or first_time(os.path.realpath(target), name):
                attempt(functools.partial(_read_file, target, name, encoding, limits), name)
    return unique_ids(out)


def read_versions(
    paths: Paths,
    encoding: str | None = None,
    warn: Callable[[InputError], None] = lambda error: None,
    limits: Limits = Limits(),
) -> list[Article]:
    """Read the versions to compare, skipping unreadable files while two or more remain.

    Each skipped file goes to ``warn``. A file given twice (``a.txt a.txt``, or a
    directory and a file in it) is read once, the repeat skipped the same way: a
    version compared with itself says nothing. When fewer than two versions can be
    read, the first problem is raised instead: there is nothing to compare, so it is
    an error.
    """
    check_limits(limits, "read_versions")
    check_encoding(encoding, "read_versions")
    check_callback(warn, "read_versions", "warn")
    problems: list[InputError] = []
    articles = _read_inputs(paths, encoding, None, problems.append, limits, each_file_once=True)
    if problems and len(articles) < 2:
        raise problems[0]
    for problem in problems:
        warn(problem)
    return articles
