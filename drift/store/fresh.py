"""A run that makes a new index directory and then fails before storing an article leaves no directory behind.

A local ingest reads its inputs before it opens (and so makes) the index; a Ray
ingest cannot, as its workers read them. Either way, a failed run should leave the
disk as it found it: an index directory that existed is never touched, one the run
made is removed again, with the parents made for it, and a directory that was there
but held no index (an empty one made for it) is left holding what it held, unless
an article was stored in it (by this run before it failed, or by another process
meanwhile). It is removed, or emptied of what the run made,
under the index's write lock, so another process that opened it meanwhile is not
caught mid-batch: its next batch fails in one line, it does not store into a
deleted file.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from drift.errors import IndexStoreError
from drift.store.database import read_only_connection, write_lock
from drift.store.paths import DB_NAME


@contextlib.contextmanager
def removed_unless_stored(directory: Path) -> Iterator[None]:
    """Run the block; if it raises (Ctrl-C too) and made ``directory``, which holds no article, remove it; if
    ``directory`` was there but held no index, remove what the block made in it.

    Call it before the index is opened, and let the index be closed inside the block.
    """
    made = _first_missing(directory)
    held = _held(directory) if made is None else None
    try:
        yield
    except BaseException:
        if made is not None:
            _remove(directory, made)
        elif held is not None:
            _restore(directory, held)
        raise


def _held(directory: Path) -> set[str] | None:
    """What an existing directory holds while it holds no index database (None: it holds one, or is no directory)."""
    if not directory.is_dir() or os.path.lexists(directory / DB_NAME):
        return None
    try:
        return set(os.listdir(directory))
    except OSError:
        return None


def _restore(directory: Path, held: set[str]) -> None:
    """Remove what was made in ``directory`` beside what it ``held`` (the index's database, lock, vector file, job
    folder), unless an article is stored in it now."""
    def remove() -> None:
        for name in set(os.listdir(directory)) - held:
            path = directory / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    try:
        if not directory.is_dir() or set(os.listdir(directory)) <= held:
            return
    except OSError:
        return
    _unless_stored(directory, remove)


def _unless_stored(directory: Path, remove: Callable[[], None]) -> bool:
    """Run ``remove`` under the index's write lock unless its database holds an article (or another process holds
    the lock: it is storing into it, so the index is its own now); whether it ran."""
    try:  # under the write lock: a process that opened the index meanwhile is not mid-batch, and fails loudly
        with write_lock(directory, timeout=0):
            if _holds_articles(directory / DB_NAME):
                return False
            remove()
            return True
    except (IndexStoreError, OSError):
        return False


def _first_missing(directory: Path) -> Path | None:
    """The outermost of ``directory`` and its parents that does not exist yet; None when ``directory`` exists."""
    missing = None
    for path in (directory, *directory.parents):
        if os.path.lexists(path):
            break
        missing = path
    return missing


def _remove(directory: Path, made: Path) -> None:
    if directory.is_symlink() or not directory.is_dir():
        return
    if (directory / DB_NAME).exists() and not _unless_stored(
            directory, lambda: shutil.rmtree(directory, ignore_errors=True)):
        return
    chain = [directory, *directory.parents]
    for path in chain[:chain.index(made) + 1]:  # innermost first; one holding anything else stays
        try:
            path.rmdir()
        except FileNotFoundError:
            continue
        except OSError:
            return


def _holds_articles(database: Path) -> bool:
    """Whether the index database holds an article; one that cannot be read is kept, as if it did."""
    if not database.exists():
        return False
    try:
        db = read_only_connection(database)
        try:
            return bool(db.execute("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return True
