"""The tables of an index database, and what a database that is no index of this drift is told.

SQLite opens any database file. One of another program met drift's statements with
"no such column: story" (sent to check the disk), after a writer had already switched
it to WAL and added drift's tables to it; one of a drift with another index schema was
read and written as if it were this one's. Both are recognised before anything is
written, and named with the fix.

Tables added since ``drift.index/1`` (``shard_outcomes``) are created when a writer
opens an older index, so a table this drift does not know is no sign of another
version: only the recorded schema is.
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from drift.errors import IndexStoreError
from drift.store.paths import index_dir
from drift.version import __version__

SCHEMA_VERSION = "drift.index/1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL UNIQUE,
    story INTEGER NOT NULL REFERENCES stories(id),
    content_sha256 TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    title TEXT,
    title_end INTEGER,
    language TEXT NOT NULL,
    published TEXT,
    metadata TEXT NOT NULL,
    text TEXT NOT NULL,
    added REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story);
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article INTEGER NOT NULL REFERENCES articles(id),
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    boilerplate INTEGER NOT NULL,
    title INTEGER NOT NULL,
    language TEXT NOT NULL,
    vector BLOB,
    word_spans BLOB,
    word_vectors BLOB,
    UNIQUE (article, idx)
);
CREATE TABLE IF NOT EXISTS merged_shards (
    job TEXT NOT NULL,
    shard TEXT NOT NULL,
    articles INTEGER NOT NULL,
    merged REAL NOT NULL,
    PRIMARY KEY (job, shard)
);
CREATE TABLE IF NOT EXISTS shard_outcomes (
    job TEXT NOT NULL,
    shard TEXT NOT NULL,
    ids TEXT NOT NULL,
    problems TEXT NOT NULL,
    PRIMARY KEY (job, shard)
);
"""
#: The tables ``SCHEMA`` makes.
TABLES = frozenset(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", SCHEMA))


def check_schema(db: sqlite3.Connection, path: Path) -> None:
    """Refuse (closing ``db``) a database that is another program's, or an index of another schema version."""
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if not name.startswith("sqlite_")}
    if not tables:
        return  # a new index
    try:
        schema = dict(db.execute("SELECT key, value FROM meta WHERE key = 'schema'")).get("schema")
        ours = schema == SCHEMA_VERSION or (schema is None and tables <= TABLES)  # no vector stored yet: no schema
    except sqlite3.OperationalError as e:
        if "no such" not in str(e):  # a locked or damaged file: said where it is met
            raise
        schema, ours = None, False  # no meta table, or one of other columns
    if ours:
        return
    db.close()
    if isinstance(schema, str) and schema.startswith("drift.index/"):
        raise IndexStoreError(f"{path}: an index of another drift version (index schema {schema!r}; drift "
                              f"{__version__} reads {SCHEMA_VERSION!r}); open it with the drift that made it, or "
                              "upgrade drift")
    raise IndexStoreError(f"{path}: not a drift index database (it holds the tables {', '.join(sorted(tables)[:5])}); "
                          "give ", index_dir(), " the directory of a drift index, or a new directory for a new one")
