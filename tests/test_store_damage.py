"""The persistent index under damage and crashes: truncated or stale vector files, emptied databases, read-only
directories, SIGKILL mid-ingest, concurrent writers and readers, the lock."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakes import HashEncoder, fake_articles

from drift.errors import IndexStoreError
from drift.store.index import Index

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"


# ---------------------------------------------------------------- damage and crashes


def test_truncated_vector_file_is_reported_then_rebuilt(tmp_path, caplog):
    arts = fake_articles(3, 2)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[:5])
    file = tmp_path / "ix" / "vectors.faiss"
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        problems = ix.verify()
        assert len(problems) == 1 and "truncated or damaged" in problems[0]
        assert ix.story(arts[5]).story == ix.story(arts[4]).story  # search still works: rebuilt from SQLite
    assert "rebuilding it from the database" in caplog.text
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        assert ix.verify() == []


@pytest.mark.parametrize("read_only", [False, True])
def test_an_emptied_database_beside_its_vectors_is_refused_not_made_anew(tmp_path, read_only):
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(fake_articles(2, 2))
    (tmp_path / "ix" / "drift.sqlite").write_bytes(b"")
    vectors = (tmp_path / "ix" / "vectors.faiss").read_bytes()
    with pytest.raises(IndexStoreError, match=r"drift.sqlite: the index database is empty, though .* holds an "):
        Index(tmp_path / "ix", model=HashEncoder(), read_only=read_only)
    assert (tmp_path / "ix" / "drift.sqlite").read_bytes() == b""  # nothing made anew over it
    assert (tmp_path / "ix" / "vectors.faiss").read_bytes() == vectors


def test_a_vector_file_behind_the_database_catches_up(tmp_path):
    arts = fake_articles(2, 2)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[:2])
    saved = (tmp_path / "ix" / "vectors.faiss").read_bytes()
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[2:])
    (tmp_path / "ix" / "vectors.faiss").write_bytes(saved)  # as if the process died before writing it
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        assert ix.verify() == []
        assert ix.story(arts[3]).story is not None
        assert ix.stats()["vectors"] == ix._cache.vectors.count



def test_another_indexs_vector_file_of_the_same_model_is_reported_then_rebuilt(tmp_path):
    """A vectors.faiss copied from another index of the same model (same dimension, fewer sentences): it opened,
    verify found nothing wrong, and searches answered with the other index's vectors under this one's ids."""
    arts = fake_articles(3, 2)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[:5])
    with Index(tmp_path / "other", model=HashEncoder()) as other:
        other.add_many(fake_articles(2, 1, seed=1))
    shutil.copy(tmp_path / "other" / "vectors.faiss", tmp_path / "ix" / "vectors.faiss")
    said = (f"{tmp_path / 'ix' / 'vectors.faiss'}: vector file is not the one this index last wrote (another "
            "index's, copied in? the database restored from a backup?)")
    with Index(tmp_path / "ix", model=HashEncoder(), read_only=True) as ix:
        assert ix.verify() == [said]
        assert ix.story(arts[5]).story == ix.story(arts[4]).story  # answered from SQLite's vectors
        assert ix.warnings == [f"{said}; rebuilding it from the database"]
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        assert ix.story(arts[5]).story == ix.story(arts[4]).story
        assert ix.warnings == [f"{said}; rebuilding it from the database"]
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:  # the rebuilt file was written, and recorded
        assert ix.verify() == [] and ix.warnings == []
    assert (tmp_path / "ix" / "vectors.faiss").read_bytes() != (tmp_path / "other" / "vectors.faiss").read_bytes()


def test_an_index_of_an_older_drift_without_a_recorded_vector_file_opens_and_records_it(tmp_path):
    """An index written before the vector file was recorded in the meta: its file is trusted as before, and
    recorded the next time it is written."""
    from drift.store.sync import WRITTEN_KEY

    arts = fake_articles(3, 2)
    path = tmp_path / "ix"
    with Index(path, model=HashEncoder()) as ix:
        ix.add_many(arts[:4])
    with sqlite3.connect(path / "drift.sqlite") as con:
        con.execute("DELETE FROM meta WHERE key = ?", (WRITTEN_KEY,))
    con.close()
    with Index(path, model=HashEncoder()) as ix:
        assert ix.verify() == [] and ix.warnings == []
        assert ix.story(arts[4]).story == ix.story(arts[5]).story
        assert WRITTEN_KEY not in ix.store.meta()  # nothing written, nothing recorded
        ix.add_many(arts[4:])
    with Index(path, model=HashEncoder()) as ix:
        assert len(ix.store.meta()[WRITTEN_KEY].split()) == 1  # the file written on close
        assert ix.verify() == [] and ix.warnings == []


def test_a_vector_file_ahead_of_the_database_is_rebuilt_not_trusted(tmp_path):
    """A database restored from a backup (or lost to a power cut) behind its vector file: the file's stale
    vectors carry sentence ids the database gives to new sentences, so they would vote for the wrong story."""
    arts = fake_articles(3, 2, seed=1)
    path = tmp_path / "ix"
    with Index(path, model=HashEncoder()) as ix:
        ix.add_many(arts[:2])  # story s0
    backup = (path / "drift.sqlite").read_bytes()
    with Index(path, model=HashEncoder()) as ix:
        ix.add(arts[2])  # s1v0, after the backup
    (path / "drift.sqlite").write_bytes(backup)  # the backup restored; vectors.faiss still holds s1v0
    with Index(path, model=HashEncoder()) as ix:
        ix.add(arts[4])  # s2v0 takes the sentence ids s1v0 had in the file
        assert ix.add_many([arts[3]])[0].new_story  # s1v1 does not join s2 through s1v0's stale vectors
        assert [p.split(": ", 1)[1] for p in ix.verify()] == [  # the stale file stays on disk until close
            "vector file is not the one this index last wrote (another index's, copied in? the database restored "
            "from a backup?)"]
        assert any("rebuilding it from the database" in w for w in ix.warnings)
    with Index(path, model=HashEncoder()) as ix:
        assert ix.verify() == []


_OPEN = """
import sys
sys.path.insert(0, {tests!r})
from drift.errors import IndexStoreError
from drift.store.index import Index
from fakes import HashEncoder
try:
    Index({path!r}, model=HashEncoder(), read_only={read_only}).close()
except IndexStoreError as e:
    print(e)
"""


@pytest.mark.parametrize("read_only, said", [
    (True, "cannot read the index (attempt to write a readonly database): SQLite needs to create drift.sqlite-shm "
           "in the directory, which is read-only for this user; make it writable, or copy the index to a writable "
           "directory"),
    (False, "cannot write the index (attempt to write a readonly database): the directory or its files are "
            "read-only for this user; make them writable, or give path= another directory"),
])
def test_an_index_in_a_read_only_directory_is_one_line_naming_the_fix(tmp_path, read_only, said):
    """Even a reader writes drift.sqlite-shm beside the database; 'check the disk, then run drift index verify'
    sent the user to a command that fails the same way."""
    path = tmp_path / "ix"
    with Index(path, model=HashEncoder()) as ix:
        ix.add_many(fake_articles(1, 2))
    command = [sys.executable, "-c", _OPEN.format(tests=str(TESTS), path=str(path), read_only=read_only)]
    if os.geteuid() == 0:  # root writes anywhere: run without the capabilities that let it
        if not shutil.which("setpriv"):
            pytest.skip("needs setpriv to drop root's file permission override")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]
    path.chmod(0o555)
    try:
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        path.chmod(0o755)
    assert out.stdout.strip() == f"{path}: {said}", out.stderr

_INGEST = """
import sys, time
sys.path.insert(0, {tests!r})
from drift.read.titles import article_from_text
from drift.store.index import Index
from fakes import HashEncoder, fake_articles, story_articles

class Slow(HashEncoder):
    def encode_with_words(self, texts):
        time.sleep({delay})
        return super().encode_with_words(texts)

arts = [article_from_text(a["text"], id=a["id"]) for a in story_articles({stories}, 3, seed={seed}, prefix={prefix!r})]
with Index({path!r}, model=Slow()) as ix:
    ix.add_many(arts, batch_size=3, on_batch=lambda done: print(*[d.article for d in done], flush=True))
print("done", flush=True)
"""


def _ingest_process(path: Path, stories: int, seed: int, delay: float, prefix: str = "s") -> subprocess.Popen:
    script = _INGEST.format(tests=str(TESTS), path=str(path), stories=stories, seed=seed, delay=delay, prefix=prefix)
    return subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_sigkill_mid_ingest_loses_nothing_committed(tmp_path):
    path = tmp_path / "ix"
    proc = _ingest_process(path, stories=30, seed=1, delay=0.05)
    committed: list[str] = []
    while len(committed) < 9:  # three batches reported committed
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        committed.extend(line.split())
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with Index(path, model=HashEncoder()) as ix:
        assert ix.verify() == []
        stored = [a for s in ix.stories() for a in s.articles]
        assert set(committed) <= set(stored)
        assert len(stored) % 3 == 0 and len(stored) < 90  # whole batches only, and it was stopped early
        # it still works: the next batch goes in, and versions find their stories
        ix.add_many(fake_articles(30, 3, seed=1))
        assert len(ix.stories()) == 30 and ix.verify() == []


def test_two_concurrent_ingest_processes_both_succeed(tmp_path):
    path = tmp_path / "ix"
    # Overlapping inputs: the same 8 stories (24 versions) in both, plus 4 stories each of their own.
    a = _ingest_process(path, stories=8, seed=5, delay=0.02)
    b = _ingest_process(path, stories=8, seed=5, delay=0.03)
    c = _ingest_process(path, stories=4, seed=6, delay=0.01, prefix="t")
    for p in (a, b, c):
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.strip().endswith("done")
    with Index(path, model=HashEncoder()) as ix:
        assert ix.verify() == []
        groups = sorted(sorted(s.articles) for s in ix.stories())
    expected = sorted([[f"s{s}v{v}" for v in range(3)] for s in range(8)]
                      + [[f"t{s}v{v}" for v in range(3)] for s in range(4)])
    assert groups == expected


class _WriteDuring:
    """A connection that lets another writer commit right after its first statement starts."""

    def __init__(self, db, write) -> None:
        self.db, self.write = db, write

    def execute(self, *args):
        cursor = self.db.execute(*args)
        if self.write is not None:
            write, self.write = self.write, None
            write()
        return cursor

    def __getattr__(self, name):
        return getattr(self.db, name)


def test_a_reader_lists_stories_while_a_writer_commits_one(tmp_path):
    """stories() read the stories, then the articles: a story committed in between was a KeyError in the reader
    (seen once in 1,900 reads while an ingest ran)."""
    arts = fake_articles(2, 1)
    with Index(tmp_path / "ix", model=HashEncoder()) as writer:
        writer.add(arts[0])
        with Index(tmp_path / "ix", model=HashEncoder(), read_only=True) as reader:
            reader.store.db = _WriteDuring(reader.store.db, lambda: writer.add(arts[1]))
            assert [s.articles for s in reader.stories()] == [["s0v0"]]
            assert [s.articles for s in reader.stories()] == [["s0v0"], ["s1v0"]]


def test_a_writer_waits_for_the_lock_then_says_why_it_gave_up(tmp_path):
    with Index(tmp_path / "ix", model=HashEncoder(), lock_timeout=0.3) as ix:
        holder = Index(tmp_path / "ix", model=HashEncoder())
        with holder.store.write_lock():
            t = time.monotonic()
            with pytest.raises(IndexStoreError, match=r"another drift process has been writing this index "
                                                      r"for over 0.3 s; wait for it"):
                ix.add(fake_articles(1, 1)[0])
            assert time.monotonic() - t >= 0.3
        holder.close()
        ix.add(fake_articles(1, 1)[0])  # once free, the same writer gets in
        assert len(ix.stories()) == 1


def test_sqlite_is_in_wal_mode_with_the_model_recorded(tmp_path):
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add(fake_articles(1, 1)[0])
    db = sqlite3.connect(tmp_path / "ix" / "drift.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    meta = dict(db.execute("SELECT key, value FROM meta"))
    assert meta["model"] == "hash-test" and meta["dim"] == "32" and len(meta["model_fingerprint"]) == 16
    db.close()
