"""A damaged ``drift.sqlite`` made whole again: every readable article stored anew (``rebuild --from-articles``).

The vector file can always be rebuilt from SQLite, but SQLite is the source of
truth: when its own pages are damaged, the only sound copy left is the article
text it still holds. Those articles are read out row by row, split, embedded and
matched into a fresh database beside the old one, which is then swapped in; the
old file is kept next to it for anyone who wants to dig further (as
``drift.sqlite.damaged-TIME``, or ``drift.sqlite.previous-TIME`` when it was sound:
the repair also runs on a healthy database, and says so). Writers may go on while
it runs: what they committed in the meantime is read out too, under the write lock
just before the swap, so no article stays behind in the old file.
"""
from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from drift.article import Article, free_id
from drift.errors import IndexStoreError, InputError
from drift.store.database import LOCK_TIMEOUT, Store, salvage_articles, write_lock
from drift.store.paths import DB_NAME, check_database_path, store_error
from drift.store.sync import VECTOR_FILE
from drift.store.workdir import remove_stale, work_directory

if TYPE_CHECKING:  # pragma: no cover
    from drift.embed.encoder import Encoder


@dataclass(frozen=True)
class Recovered:
    """What ``rebuild_from_articles`` did: articles stored again, rows lost, where the old file went and whether
    it was damaged (what ``Index.verify`` finds in a database) or sound."""

    stored: int
    unreadable: int
    skipped: list[InputError]
    kept: Path
    damaged: bool = True


def rebuild_from_articles(directory: str | Path, model: "str | Encoder | None" = None,
                          lock_timeout: float = LOCK_TIMEOUT) -> Recovered:
    """Store every article the database at ``directory`` still holds into a fresh one, and swap it in.

    ``model`` defaults to the one the old index recorded (when its meta table can be
    read), else the bundled model, and the backend likewise (one made before drift
    recorded it is torch). Stories are found again by matching, so their numbers may
    change; articles keep their ids.
    """
    from drift.store.arguments import RecordedBackend
    from drift.store.identity import family
    from drift.store.index import Index

    directory = Path(directory)
    db = directory / DB_NAME
    check_database_path(directory, "directory")
    remove_stale(directory)  # what a rebuild killed outright left (or the database it was swapping in)
    if not db.is_file():
        raise IndexStoreError(f"{directory}: no drift index here; run `drift ingest FILE --index {directory}`")
    articles, unreadable, meta, top = _salvage(db)
    if not articles:
        raise IndexStoreError(f"{db}: no article can be read from it ({unreadable} rows lost); move it away and "
                              "ingest the articles again")
    damaged = bool(unreadable) or _damaged(directory)
    chosen = model if model is not None else (meta.get("model_location") or meta.get("model") or None)
    recorded = meta.get("backend") or ("torch" if meta.get("model") else None)
    backend = RecordedBackend(family(recorded)) if recorded else None  # passed through, a caller's own ("hash") too
    skipped: list[InputError] = []
    with work_directory(directory) as work, Index(work, model=chosen, backend=backend) as fresh:
        fresh.add_many(articles, on_error=skipped.append)
        with write_lock(directory, lock_timeout):
            later, lost, _, _ = _salvage(db, after=top)  # what writers committed while this one ran
            fresh.add_many(later, on_error=skipped.append)
            articles, unreadable = articles + later, unreadable + lost
            fresh.close()  # the database whole in one file, the vector file written
            kept = _kept_name(db, damaged)
            _swap(directory, work, kept)
    return Recovered(len(articles) - len(skipped), unreadable, skipped, kept, damaged)


def _swap(directory: Path, work: Path, kept: Path) -> None:
    """Move the old database (with its WAL) to ``kept`` and the rebuilt one in, then its vector file.

    A failure or Ctrl-C half-way puts the old database back: the index was left without
    one, and the rebuilt one went with the work directory. The old vector file goes
    first: one missing is rebuilt from the database on open, but the old one beside
    the new database (stopped before the new one came in) could be trusted.
    """
    db = directory / DB_NAME
    moved: list[str] = []
    try:
        (directory / VECTOR_FILE).unlink(missing_ok=True)
        for suffix in ("", "-wal", "-shm"):  # a stale WAL beside the new file would be replayed into it
            if db.with_name(DB_NAME + suffix).exists():
                os.replace(db.with_name(DB_NAME + suffix), kept.with_name(kept.name + suffix))
                moved.append(suffix)
        os.replace(work / DB_NAME, db)
        moved.clear()  # the rebuilt database is in: nothing to put back
        if (work / VECTOR_FILE).exists():
            os.replace(work / VECTOR_FILE, directory / VECTOR_FILE)
    except BaseException as error:
        for suffix in reversed(moved):
            os.replace(kept.with_name(kept.name + suffix), db.with_name(DB_NAME + suffix))
        if isinstance(error, OSError):
            raise store_error(directory, error, "directory") from None
        raise


def _salvage(db: Path, after: int = 0) -> tuple[list[Article], int, dict[str, str], int]:
    """``salvage_articles``, with what a file too damaged to read at all raises said in one line."""
    try:
        return salvage_articles(db, after)
    except Exception as e:  # noqa: BLE001 - sqlite3 raises many kinds on a file this damaged
        raise IndexStoreError(f"{db}: no article can be read from it ({e}); move it away and ingest the "
                              "articles again") from None


def _kept_name(db: Path, damaged: bool) -> Path:
    """Where the old database goes: ``drift.sqlite.damaged-TIME`` (``previous-TIME``), ``-2``... when a rebuild
    in the same second kept one already (it was replaced, and with it the only copy of what it held)."""
    wanted = f"{DB_NAME}.{'damaged' if damaged else 'previous'}-{time.strftime('%Y%m%d-%H%M%S')}"
    return db.with_name(free_id(wanted, lambda name: any(db.with_name(name + end).exists()
                                                         for end in ("", "-wal", "-shm"))))


def _damaged(directory: Path) -> bool:
    """Whether ``index verify`` would call the database damaged (SQLite's check, the schema's invariants)."""
    try:
        store = Store(directory, read_only=True)
    except (IndexStoreError, sqlite3.Error, OSError):
        return True
    try:
        return bool(store.integrity_problems())
    except (sqlite3.Error, OSError):
        return True
    finally:
        store.close()
