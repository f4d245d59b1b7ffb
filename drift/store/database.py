"""The SQLite side of a persistent index: the source of truth, and the write lock.

One database per index directory holds the articles as read (text, title,
metadata), their sentences with offsets and flags, each sentence's vector
(float32) and word vectors (float16, enough for word-level scoring), the
stories, and the model the vectors came from. WAL mode lets readers work while
a writer commits; one transaction per batch means a crash keeps whole batches
or nothing. Writers also hold an advisory file lock (``DIR/lock``) for the whole
batch, because story matching must see every earlier batch.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift.errors import IndexStoreError
from drift.store.paths import (
    DB_NAME,
    LOCK_NAME,
    check_database_path,
    check_parents,
    index_dir,
    store_error,
    unwritable,
)
from drift.store.results import Added, MergedShard
from drift.store.schema import SCHEMA, check_schema
from drift.store.schema import SCHEMA_VERSION as SCHEMA_VERSION
from drift.store.workdir import remove_stale

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.article import Article
    from drift.embed.encoder import WordVectors

#: Where an index lives unless the caller says otherwise.
DEFAULT_INDEX = Path("indexes") / "default"
#: How long a writer waits for another one before giving up with a clear message.
LOCK_TIMEOUT = 600.0
#: A writer checks a database up to this size (``PRAGMA quick_check``, well under a second) before adding to
#: it; a larger one is checked by ``drift index verify``, and its damage is reported where it is met.
CHECK_ON_OPEN_BYTES = 256 * 2**20



def content_hash(article: "Article") -> str:
    """What makes two articles the same content: their text and headline."""
    return hashlib.sha256(json.dumps([article.title, article.text]).encode("utf-8")).hexdigest()


class Store:
    """One SQLite connection to an index directory's database.

    ``read_only`` opens it as a WAL reader: it never waits for a writer and never writes.
    """

    def __init__(self, directory: Path, create: bool = True, read_only: bool = False) -> None:
        self.directory = directory
        self.path = directory / DB_NAME
        self.read_only = read_only
        if directory.exists() and not directory.is_dir():
            raise IndexStoreError(f"{directory}: is a file, not an index directory; give the directory of an index "
                                  "(", index_dir(), f", default {DEFAULT_INDEX})")
        check_parents(directory)
        if not self.path.exists() and (read_only or not create):
            raise IndexStoreError(f"{directory}: no drift index here; run `drift ingest FILE --index {directory}`")
        check_database_path(directory)
        try:
            if read_only:
                self.db = read_only_connection(self.path)
                check_schema(self.db, self.path)
                return
            directory.mkdir(parents=True, exist_ok=True)
            remove_stale(directory)  # what a rebuild killed outright left
            self.db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None)
            check_schema(self.db, self.path)  # before a statement writes to a database that is not drift's
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            self.file_id = _file_id(self.path)
        except (sqlite3.DatabaseError, OSError) as e:
            if "not a database" in str(e):
                raise IndexStoreError(f"{self.path}: not an SQLite database, or its first page is destroyed ({e}); "
                                      "move it away and ingest the articles again") from e
            if read_only and "readonly database" in str(e):
                raise unwritable(directory, str(e), reading=True) from e
            raise store_error(directory, e) from e

    def close(self) -> None:
        self.db.close()

    def check_before_writing(self) -> None:
        """Refuse to add to a damaged database (small enough to check at once): writing would spread the damage."""
        if self.read_only or self.path.stat().st_size > CHECK_ON_OPEN_BYTES:
            return
        try:
            found = [r[0] for r in self.db.execute("PRAGMA quick_check(3)")]
        except sqlite3.DatabaseError as e:
            found = [str(e)]
        if found != ["ok"]:
            what = "; ".join(line.replace("\n", " ") for line in found)[:300]
            self.db.close()
            raise IndexStoreError(f"{self.path}: the index database is damaged ({what}); "
                                  f"run `drift index rebuild --from-articles --index {self.directory}`")

    # -- meta ------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta"))

    def set_meta(self, values: dict[str, str]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())

    def generation(self) -> int:
        """How many times the vectors were remade with another model (the vector file records it too)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    # -- transactions and the lock ----------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic batch: everything inside commits together or not at all.

        A failure (a full disk, say) rolls back once and is raised as one IndexStoreError,
        not a chain of SQLite errors.
        """
        try:
            self.db.execute("BEGIN IMMEDIATE")
            if _file_id(self.path) != self.file_id:  # swapped under us (rebuild --from-articles): writes would land
                raise IndexStoreError(  # in the old file, kept aside, and be lost to the index
                    f"{self.path}: replaced by another process (`drift index rebuild --from-articles`) since it was "
                    "opened here; open the index again to write to the new database")
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as error:
            self._rollback()
            if isinstance(error, (sqlite3.Error, OSError)):
                raise store_error(self.directory, error) from None
            raise

    def _rollback(self) -> None:
        if self.db.in_transaction:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:  # SQLite already rolled back (e.g. after SQLITE_FULL)
                pass

    def write_lock(self, timeout: float = LOCK_TIMEOUT) -> contextlib.AbstractContextManager[None]:
        """Hold ``DIR/lock`` exclusively: one writer at a time, the next one waits up to ``timeout`` s."""
        return write_lock(self.directory, timeout)

    # -- writing ---------------------------------------------------------------
    def new_story(self, title: str | None) -> int:
        cur = self.db.execute("INSERT INTO stories (title, created) VALUES (?, ?)", (title, time.time()))
        return _rowid(cur)

    def insert_article(self, article: "Article", story: int, sha: str,
                       vectors: "dict[int, tuple[np.ndarray, WordVectors]]") -> list[int]:
        """Store an article and its sentences; returns the new sentence ids of ``vectors``' keys, in order."""
        cur = self.db.execute(
            "INSERT INTO articles (article_id, story, content_sha256, source, title, title_end, language, "
            "published, metadata, text, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, story, sha, article.source, article.title, article.title_end, article.language,
             article.published, json.dumps(article.metadata, ensure_ascii=False, allow_nan=False), article.text,
             time.time()),
        )
        row = cur.lastrowid
        ids = []
        for s in article.sentences:
            embedded = vectors.get(s.index)
            blobs = _pack(*embedded) if embedded is not None else (None, None, None)
            cur = self.db.execute(
                "INSERT INTO sentences (article, idx, start, end, boilerplate, title, language, vector, "
                "word_spans, word_vectors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (row, s.index, s.start, s.end, int(s.boilerplate), int(s.title), s.language, *blobs),
            )
            if embedded is not None:
                ids.append(_rowid(cur))
        return ids

    def record_shard(self, shard: tuple[str, str], problems: list[str], refused: list[str], earlier: list[Added],
                     added: list[Added]) -> None:
        """Note that a distributed job's shard is merged (inside the transaction that stored its last batch), with
        the ids its articles are stored under and its unreadable and refused records, which a re-run reports again.
        The refused ones end the problems, and count among the shard's articles (read, if not stored)."""
        ids = [a.article for a in earlier + added]
        self.db.execute("INSERT OR REPLACE INTO merged_shards VALUES (?, ?, ?, ?)",
                        (*shard, len(ids) + len(refused), time.time()))
        self.db.execute("INSERT OR REPLACE INTO shard_outcomes VALUES (?, ?, ?, ?)",
                        (*shard, json.dumps(ids), json.dumps(problems + refused)))

    def merged_shards(self, job: str) -> dict[str, MergedShard]:
        """The shards of a distributed job already merged, so a re-run skips them (and reports them as a local
        re-run would); one merged by a drift that kept no outcomes has none."""
        rows = self.db.execute("SELECT m.shard, m.articles, o.ids, o.problems FROM merged_shards m LEFT JOIN "
                               "shard_outcomes o ON o.job = m.job AND o.shard = m.shard WHERE m.job = ?", (job,))
        merged = {}
        for name, articles, ids, problems in rows:
            stored, bad = json.loads(ids or "[]"), json.loads(problems or "[]")
            refused = min(max(articles - len(stored), 0), len(bad)) if ids is not None else 0  # the last problems
            merged[name] = MergedShard([Added(aid, self.story_of_article(aid) or 0, skipped=True) for aid in stored],
                                       bad[:len(bad) - refused], bad[len(bad) - refused:])
        return merged

    def replace_vectors(self, rows: "list[tuple[int, np.ndarray, WordVectors]]") -> None:
        """New vectors for stored sentences (a rebuild with another model)."""
        self.db.executemany("UPDATE sentences SET vector = ?, word_spans = ?, word_vectors = ? WHERE id = ?",
                            [(*_pack(v, w), sid) for sid, v, w in rows])

    # -- reading ---------------------------------------------------------------
    def find_content(self, sha: str) -> str | None:
        """The id of the stored article with this content, if any."""
        row = self.db.execute("SELECT article_id FROM articles WHERE content_sha256 = ?", (sha,)).fetchone()
        return row[0] if row else None

    def id_taken(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE article_id = ?", (article_id,)).fetchone() is not None

    def stories_of(self, sentence_ids: list[int]) -> dict[int, int]:
        """Sentence id -> story id."""
        if not sentence_ids:
            return {}
        marks = ",".join("?" * len(sentence_ids))
        return dict(self.db.execute(
            f"SELECT s.id, a.story FROM sentences s JOIN articles a ON a.id = s.article WHERE s.id IN ({marks})",
            sentence_ids))

    def story_rows(self) -> list[tuple[int, str | None, list[str]]]:
        """(story id, title, article ids in the order added) for every story with an article.

        One statement, so one snapshot: read in two, a story a writer committed in between had articles and no
        story row (a KeyError in a reader)."""
        out: dict[int, tuple[int, str | None, list[str]]] = {}
        for sid, title, aid in self.db.execute("SELECT s.id, s.title, a.article_id FROM stories s JOIN articles a "
                                               "ON a.story = s.id ORDER BY s.id, a.id"):
            out.setdefault(sid, (sid, title, []))[2].append(aid)
        return list(out.values())

    def story_of_article(self, article_id: str) -> int | None:
        row = self.db.execute("SELECT story FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def articles(self, story: int | None = None) -> "list[Article]":
        """Stored articles (of one story, or all) with their sentences, as ``read_articles`` made them."""
        from drift.article import Article, Sentence

        where, args = ("WHERE story = ?", (story,)) if story is not None else ("", ())
        rows = self.db.execute(
            "SELECT id, article_id, source, title, title_end, language, published, metadata, text "
            f"FROM articles {where} ORDER BY id", args).fetchall()
        out = []
        for row, aid, source, title, title_end, language, published, meta, text in rows:
            sentences = [Sentence(i, start, end, text[start:end], bool(bp), bool(ti), lang)
                         for i, start, end, bp, ti, lang in self.db.execute(
                             "SELECT idx, start, end, boilerplate, title, language FROM sentences "
                             "WHERE article = ? ORDER BY idx", (row,))]
            out.append(Article(aid, text, source, title, language, published, json.loads(meta), sentences,
                               title_end))
        return out

    def stored_vectors(self, story: int) -> "dict[str, tuple[np.ndarray, WordVectors]]":
        """Sentence text -> (vector, word vectors) for every embedded sentence of a story."""
        out = {}
        for text, start, end, vec, spans, words in self.db.execute(
                "SELECT a.text, s.start, s.end, s.vector, s.word_spans, s.word_vectors FROM sentences s "
                "JOIN articles a ON a.id = s.article WHERE a.story = ? AND s.vector IS NOT NULL", (story,)):
            out[text[start:end]] = _unpack(vec, spans, words)
        return out

    def vector_chunks(self, after: int = 0, chunk: int = 50_000) -> "Iterator[tuple[np.ndarray, np.ndarray]]":
        """(sentence ids, vectors) of every embedded sentence with id > ``after``, in id order."""
        import numpy as np

        last = after
        while True:
            rows = self.db.execute("SELECT id, vector FROM sentences WHERE id > ? AND vector IS NOT NULL "
                                   "ORDER BY id LIMIT ?", (last, chunk)).fetchall()
            if not rows:
                return
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            yield ids, np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
            last = int(ids[-1])

    def sample_vectors(self, n: int) -> "np.ndarray":
        import numpy as np

        rows = self.db.execute("SELECT vector FROM sentences WHERE vector IS NOT NULL ORDER BY random() LIMIT ?",
                               (n,)).fetchall()
        return np.stack([np.frombuffer(r[0], dtype=np.float32) for r in rows])

    def sentence_texts(self, after: int = 0) -> Iterator[tuple[int, str]]:
        """(sentence id, text) of every embedded sentence, for re-embedding."""
        for sid, text, start, end in self.db.execute(
                "SELECT s.id, a.text, s.start, s.end FROM sentences s JOIN articles a ON a.id = s.article "
                "WHERE s.vector IS NOT NULL AND s.id > ? ORDER BY s.id", (after,)):
            yield sid, text[start:end]

    def count_vectors(self, up_to: int) -> int:
        """Embedded sentences with an id up to ``up_to``: what a vector file of that ``max_id`` must hold."""
        return self._count("SELECT COUNT(*) FROM sentences WHERE vector IS NOT NULL AND id <= ?", up_to)

    def max_sentence_id(self) -> int:
        return self._count("SELECT COALESCE(MAX(id), 0) FROM sentences")

    def counts(self) -> dict[str, int]:
        return {
            "stories": self._count("SELECT COUNT(DISTINCT story) FROM articles"),
            "articles": self._count("SELECT COUNT(*) FROM articles"),
            "sentences": self._count("SELECT COUNT(*) FROM sentences"),
            "vectors": self._count("SELECT COUNT(*) FROM sentences WHERE vector IS NOT NULL"),
            "max_vector_id": self._count("SELECT COALESCE(MAX(id), 0) FROM sentences WHERE vector IS NOT NULL"),
        }

    def _count(self, sql: str, *args: object) -> int:
        return int(self.db.execute(sql, args).fetchone()[0])

    def integrity_problems(self) -> list[str]:
        """What SQLite's own check and a few invariants of the schema find wrong, each naming the file."""
        try:
            problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        except sqlite3.DatabaseError as e:
            return [f"{self.path}: the index database is damaged ({e})"]
        if problems:
            found = "; ".join(p.replace("\n", " ") for p in problems[:3])
            more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
            return [f"{self.path}: the index database is damaged ({found}{more})"]
        orphans = self.db.execute("SELECT COUNT(*) FROM articles a LEFT JOIN stories s ON s.id = a.story "
                                  "WHERE s.id IS NULL").fetchone()[0]
        if orphans:
            problems.append(f"{self.path}: {orphans} articles belong to no story")
        bare = self.db.execute("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
                               "(SELECT 1 FROM sentences s WHERE s.article = a.id)").fetchone()[0]
        if bare:
            problems.append(f"{self.path}: {bare} articles have no sentences")
        return problems


@contextlib.contextmanager
def write_lock(directory: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold ``DIR/lock`` exclusively: one writer at a time, the next one waits up to ``timeout`` s."""
    path = directory / LOCK_NAME
    with open(path, "a+b") as f:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexStoreError(
                        f"{directory}: another drift process has been writing this index for over "
                        f"{timeout:g} s; wait for it to finish, or stop it and run `drift index verify`"
                    ) from e
                time.sleep(0.05)
        try:
            f.seek(0)
            f.truncate()
            f.write(f"{os.getpid()}\n".encode())
            f.flush()
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that can only read (``mode=ro``): a WAL reader never waits for the writer."""
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=LOCK_TIMEOUT, isolation_level=None)


def salvage_articles(path: Path, after: int = 0) -> "tuple[list[Article], int, dict[str, str], int]":
    """(every article row SQLite can still read, how many could not be, the meta table, the largest article row
    id read or tried) of a damaged database, of the rows after ``after`` (0: all).

    The whole table is read in one pass when it can be; past damage, row by row up
    to the largest id ever given, so one bad page costs only the rows on it.
    """
    from drift.article import Article

    db = read_only_connection(path)
    columns = "id, article_id, source, title, title_end, language, published, metadata, text"

    def article(row: tuple[Any, ...]) -> Article:
        _, aid, source, title, title_end, language, published, meta, text = row
        return Article(aid, text, source, title, language, published, json.loads(meta), [], title_end)

    try:
        try:
            meta = dict(db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError:
            meta = {}
        try:
            rows = db.execute(f"SELECT {columns} FROM articles WHERE id > ? ORDER BY id", (after,)).fetchall()
            return [article(r) for r in rows], 0, meta, max((r[0] for r in rows), default=after)
        except (sqlite3.DatabaseError, ValueError):
            pass
        top = after
        for sql in ("SELECT seq FROM sqlite_sequence WHERE name = 'articles'", "SELECT MAX(id) FROM articles"):
            try:
                top = max(top, int((db.execute(sql).fetchone() or [0])[0] or 0))
            except sqlite3.DatabaseError:
                continue
        found, lost = [], 0
        for row_id in range(after + 1, top + 1):
            try:
                row = db.execute(f"SELECT {columns} FROM articles WHERE id = ?", (row_id,)).fetchone()
            except sqlite3.DatabaseError:
                lost += 1
                continue
            if row is not None:
                try:
                    found.append(article(row))
                except (ValueError, TypeError):
                    lost += 1
        return found, lost, meta, top
    finally:
        db.close()


def _pack(vector: "np.ndarray", words: "WordVectors") -> tuple[bytes, bytes, bytes]:
    import numpy as np

    return (np.asarray(vector, dtype=np.float32).tobytes(),
            np.asarray(words.spans, dtype=np.int32).reshape(-1, 2).tobytes(),
            np.asarray(words.vectors, dtype=np.float16).tobytes())


def _unpack(vector: bytes, spans: bytes, words: bytes) -> "tuple[np.ndarray, WordVectors]":
    import numpy as np

    from drift.embed.encoder import WordVectors

    vec = np.frombuffer(vector, dtype=np.float32)
    span_list = [(int(a), int(b)) for a, b in np.frombuffer(spans, dtype=np.int32).reshape(-1, 2).tolist()]
    wv = np.frombuffer(words, dtype=np.float16).astype(np.float32).reshape(len(span_list), len(vec))
    return vec, WordVectors(span_list, wv)


def _file_id(path: Path) -> tuple[int, int]:
    """Which file ``path`` names now (device, inode), to notice it was swapped for another."""
    found = path.stat()
    return found.st_dev, found.st_ino


def _rowid(cursor: sqlite3.Cursor) -> int:
    """The id SQLite gave the row just inserted."""
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)
