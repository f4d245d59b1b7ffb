"""A run that makes a new index directory and then fails before storing an article leaves no directory behind.

A local ingest reads its inputs before it opens (and so makes) the index; a Ray
ingest cannot, as its workers read them. Either way, a failed run should leave the
disk as it found it: an index directory that existed is never touched, one the run
made is removed again, with the parents made for it, unless an article was stored
in it (by this run before it failed, or by another process meanwhile). It is removed
under the index's write lock, so another process that opened it meanwhile is not
caught mid-batch: its next batch fails in one line, it does not store into a
deleted file.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from drift.errors import IndexStoreError
from drift.store.database import read_only_connection, write_lock
from drift.store.paths import DB_NAME


@contextlib.contextmanager
def removed_unless_stored(directory: Path) -> Iterator[None]:
    """Run the block; if it raises (Ctrl-C too) and made ``directory``, which holds no article, remove it.

    Call it before the index is opened, and let the index be closed inside the block.
    """
    made = _first_missing(directory)
    try:
        yield
    except BaseException:
        if made is not None:
            _remove(directory, made)
        raise


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
    if (directory / DB_NAME).exists():
        try:  # under the write lock: a process that opened the index meanwhile is not mid-batch, and fails loudly
            with write_lock(directory, timeout=0):
                if _holds_articles(directory / DB_NAME):
                    return
                shutil.rmtree(directory, ignore_errors=True)
        except (IndexStoreError, OSError):  # another process is storing into it: its index now
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
