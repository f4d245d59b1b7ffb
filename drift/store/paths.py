"""The files of an index directory, and what is wrong with them before SQLite says it less clearly.

SQLite meets a ``drift.sqlite`` that is a directory with "disk I/O error" or "unable
to open database file", which send the user to check the disk; these checks name
the file and the fix first.
"""
from __future__ import annotations

from pathlib import Path

from drift.errors import IndexStoreError

DB_NAME = "drift.sqlite"
LOCK_NAME = "lock"


def index_files(directory: Path) -> list[str]:
    """The files of an index besides its database and lock: a directory holding some is no new index."""
    own = {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal", LOCK_NAME}
    return [p.name for p in directory.iterdir() if p.name not in own]


def check_database_path(directory: Path) -> None:
    """Refuse a database that is a directory, or that was emptied beside an index's other files."""
    path = directory / DB_NAME
    if path.is_dir() and (path / DB_NAME).is_file():
        raise IndexStoreError(f"{path}: is a directory holding an index, not the index database; "
                              f"give --index {path}")
    if path.is_dir():
        raise IndexStoreError(f"{path}: is a directory, not the index database; give --index the directory that "
                              f"holds an index's {DB_NAME} file, or move {path} away")
    if path.exists() and path.stat().st_size == 0 and index_files(directory):
        raise IndexStoreError(f"{path}: the index database is empty, though {directory} holds an index's "
                              "files; restore it from a backup, or move the directory away and ingest the "
                              "articles again")
