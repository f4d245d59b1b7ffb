"""Reading articles: plain text, Markdown, JSON, JSONL, NITF, NewsML-G2, HTML, directories and stdin.

Problems are reported as one-line InputErrors that name the file and say what to
do, so the CLI can print them unchanged; a caller that passes ``on_error`` keeps
going past an unreadable file.
"""
from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from drift.article import Article, unique_ids
from drift.errors import InputError
from drift.read.decode import decode, read_bytes
from drift.read.formats import ARTICLE_SUFFIXES, PARQUET_SUFFIXES, read_markup
from drift.read.json_input import parse_json, parse_jsonl
from drift.read.titles import article_from_text


def _read_file(path: Path, label: str, encoding: str | None) -> list[Article]:
    """Every article in one file (JSON arrays, JSONL, Parquet and NewsML-G2 messages may hold several)."""
    if path.suffix.lower() in PARQUET_SUFFIXES:
        from drift.read.parquet_input import read_parquet

        return read_parquet(path, label)
    text = decode(read_bytes(path, label), label, encoding)
    if not text.strip():
        raise InputError(f"{label}: no text; give a file with at least one sentence")
    suffix = path.suffix.lower()
    marked = read_markup(text, label, path.stem, suffix)
    if marked is not None:
        return marked
    if suffix == ".json":
        return parse_json(text, label, path.stem)
    if suffix == ".jsonl":
        return parse_jsonl(text, label, path.stem)
    return [article_from_text(text, id=path.stem, source=label, markdown=suffix == ".md",
                              metadata={"path": label})]


def read_article(path: str | Path, encoding: str | None = None) -> Article:
    """Read one article from a .txt, .md, .json, .jsonl or .parquet file (any other name: as text)."""
    label = str(path)
    articles = _read_file(Path(path), label, encoding)
    if len(articles) != 1:
        raise InputError(f"{label}: holds {len(articles)} articles; use read_articles to read them all")
    return articles[0]


def _dir_files(directory: Path, label: str) -> list[Path]:
    """Article files directly inside ``directory`` (not recursive), hidden ones skipped, sorted."""
    try:
        entries = sorted(directory.iterdir())
    except OSError as e:
        raise InputError(f"{label}: cannot list directory ({e.strerror}); check the path") from e
    files = [p for p in entries if not p.name.startswith(".") and p.is_file()
             and p.suffix.lower() in ARTICLE_SUFFIXES]
    if not files:
        shown = label if label.endswith("/") else label + "/"
        raise InputError(
            f"{shown}: no articles found (looked for {', '.join(ARTICLE_SUFFIXES)}); "
            "give a directory containing articles"
        )
    return files



def _read_stdin(encoding: str | None) -> str:
    """stdin through the same decoding (and error messages) as files."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream, e.g. in tests
        return sys.stdin.read()
    return decode(buffer.read(), "<stdin>", encoding)


def _read_stdin_articles(encoding: str | None, stdin_text: str | None) -> list[Article]:
    text = stdin_text if stdin_text is not None else _read_stdin(encoding)
    marked = read_markup(text, "<stdin>", "stdin", "") if text.strip() else None
    return marked if marked is not None else [article_from_text(text, id="stdin", source="<stdin>")]


def read_articles(
    paths: Sequence[str | Path],
    encoding: str | None = None,
    stdin_text: str | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> list[Article]:
    """Read files, directories (their article files, one level deep) and ``-`` (stdin).

    Order follows ``paths``; a directory contributes its files in sorted order.
    Repeated ids get ``-2``, ``-3``... suffixes. With ``on_error``, a file that cannot
    be read is handed to it as an InputError and skipped, so one bad feed file does
    not stop the others; without it, the first such error is raised.
    """
    out: list[Article] = []

    def attempt(read: Callable[[], list[Article]]) -> None:
        try:
            out.extend(read())
        except InputError as error:
            if on_error is None:
                raise
            on_error(error)

    for p in paths:
        label = str(p)
        if label == "-":
            attempt(lambda: _read_stdin_articles(encoding, stdin_text))
            continue
        path = Path(p)
        targets = [(f, str(f)) for f in _dir_files(path, label)] if path.is_dir() else [(path, label)]
        for target, name in targets:
            attempt(functools.partial(_read_file, target, name, encoding))
    return unique_ids(out)


def read_versions(
    paths: Sequence[str | Path],
    encoding: str | None = None,
    warn: Callable[[InputError], None] = lambda error: None,
) -> list[Article]:
    """Read the versions to compare, skipping unreadable files while two or more remain.

    Each skipped file goes to ``warn``. When fewer than two versions can be read, the
    first problem is raised instead: there is nothing to compare, so it is an error.
    """
    problems: list[InputError] = []
    articles = read_articles(paths, encoding=encoding, on_error=problems.append)
    if problems and len(articles) < 2:
        raise problems[0]
    for problem in problems:
        warn(problem)
    return articles

