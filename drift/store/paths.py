"""The files of an index directory, and what is wrong with them before SQLite says it less clearly.

SQLite meets a ``drift.sqlite`` that is a directory with "disk I/O error" or "unable
to open database file", which send the user to check the disk; these checks name
the file and the fix first.
"""
from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from drift.errors import IndexStoreError, Param, param, suggested

DB_NAME = "drift.sqlite"
LOCK_NAME = "lock"
VECTOR_NAME = "vectors.faiss"
#: The index directory's flag on every command line (where its option's Python name is ``index_dir``).
INDEX_OPTION = "--index"


def index_dir(parameter: str = "path", directory: Path | None = None) -> Param:
    """The index directory as a message names it: ``Index``'s ``path=`` (``rebuild_from_articles``'
    ``directory=``), ``--index`` on a command line; with ``directory``, that one to pass (``path='ix'`` /
    ``--index ix``)."""
    if directory is None:
        return param(parameter, option=INDEX_OPTION)
    return suggested(parameter, str(directory), option=INDEX_OPTION)


def index_files(directory: Path) -> list[str]:
    """The files of an index besides its database and lock: a directory holding some is no new index."""
    own = {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal", LOCK_NAME}
    return [p.name for p in directory.iterdir() if p.name not in own]


def check_parents(directory: Path) -> None:
    """An index path that runs through a file (``feed.jsonl/ix``): SQLite said "Not a directory; check the disk"."""
    for parent in directory.parents:
        if parent.exists():
            if not parent.is_dir():
                raise IndexStoreError(f"{directory}: {parent} is a file, not a directory; give ", index_dir(),
                                      " a path of directories only")
            return


def check_database_path(directory: Path, parameter: str = "path") -> None:
    """Refuse a database or vector file that is a directory, or a database emptied beside an index's other files.

    ``parameter`` names the directory as the library function that was given it calls it.
    """
    path = directory / DB_NAME
    if path.is_dir() and (path / DB_NAME).is_file():
        raise IndexStoreError(f"{path}: is a directory holding an index, not the index database; "
                              "give ", index_dir(parameter, path))
    if path.is_dir():
        raise IndexStoreError(f"{path}: is a directory, not the index database; give ", index_dir(parameter),
                              f" the directory that holds an index's {DB_NAME} file, or move {path} away")
    if (directory / VECTOR_NAME).is_dir():  # SQLite's "Is a directory" said "check the disk", then verify
        raise IndexStoreError(f"{directory / VECTOR_NAME}: is a directory, not the index's vector file; move it "
                              "away (the vector file is rebuilt from the database)")
    if path.exists() and path.stat().st_size == 0 and index_files(directory):
        raise IndexStoreError(f"{path}: the index database is empty, though {directory} holds an index's "
                              "files; restore it from a backup, or move the directory away and ingest the "
                              "articles again")


def store_error(directory: Path, error: Exception, parameter: str = "path") -> IndexStoreError:
    """One line for what SQLite or the disk said, with the fix that works for it (``parameter``: as in
    ``check_database_path``)."""
    what = str(error) or type(error).__name__
    if isinstance(error, OSError):
        what = error.strerror or what
    full = "full" in what.lower() or (isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT))
    if full:
        return IndexStoreError(f"{directory}: the disk is full ({what}); nothing of the batch being written was "
                               "kept and every earlier batch is safe: free some space and run again")
    if "disk i/o error" in what.lower() or (isinstance(error, OSError) and error.errno in (errno.EIO, errno.EFBIG)):
        return IndexStoreError(f"{directory}: a write to the disk failed ({what}); nothing of the batch being "
                               "written was kept and every earlier batch is safe: free some space or check the "
                               "disk, then run again")
    if isinstance(error, sqlite3.ProgrammingError) and "closed database" in what:  # a misuse, not the disk
        return IndexStoreError(f"{directory}: the index is closed; open it again (Index(path)), or use it "
                               "inside its `with Index(path) as index:` block")
    if isinstance(error, sqlite3.ProgrammingError) and "same thread" in what:  # a misuse, not the disk
        return IndexStoreError(f"{directory}: this Index was opened in another thread, and an Index is used by the "
                               "thread that opened it; open one Index(path) in each thread (writers take turns "
                               "under the index's lock)")
    if "readonly database" in what or (isinstance(error, OSError) and error.errno in (errno.EACCES, errno.EPERM,
                                                                                     errno.EROFS)):
        return unwritable(directory, what, parameter=parameter)
    if type(error) is sqlite3.DatabaseError or "malformed" in what or "not a database" in what:
        return IndexStoreError(f"{directory / DB_NAME}: the index database is damaged ({what}); "
                               f"run `drift index rebuild --from-articles --index {directory}`")
    return IndexStoreError(f"{directory}: the index cannot be used ({what}); check the directory and its disk, "
                           f"then run `drift index verify --index {directory}`")


def unwritable(directory: Path, what: str, reading: bool = False, parameter: str = "path") -> IndexStoreError:
    """SQLite writes beside the database even to read it (``drift.sqlite-shm``, when no writer holds one open):
    a read-only directory stops readers too, which "check the disk" does not explain."""
    if reading:
        return IndexStoreError(f"{directory}: cannot read the index ({what}): SQLite needs to create "
                               f"{DB_NAME}-shm in the directory, which is read-only for this user; make it "
                               "writable, or copy the index to a writable directory")
    return IndexStoreError(f"{directory}: cannot write the index ({what}): the directory or its files are "
                           "read-only for this user; make them writable, or give ", index_dir(parameter),
                           " another directory")
