"""``rebuild --from-articles`` under stress: killed mid-run, run beside writers and other rebuilds."""
from __future__ import annotations

import fcntl
import logging
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fakes import HashEncoder, fake_articles

from drift.errors import IndexStoreError
from drift.read.titles import article_from_text
from drift.store.database import DB_NAME
from drift.store.index import Index
from drift.store.recover import rebuild_from_articles
from drift.text.sentences import SPLITTER

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"


def small_index(path: Path) -> list[list[str]]:
    with Index(path, model=HashEncoder()) as ix:
        ix.add_many(fake_articles(3, 2))
        return [s.articles for s in ix.stories()]


def leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.glob(".rebuild-*"))


_REBUILD = """
import sys
sys.path.insert(0, {tests!r})
from drift.store.recover import rebuild_from_articles
from fakes import HashEncoder

class Held(HashEncoder):
    def encode_with_words(self, texts):
        print("embedding", flush=True)
        sys.stdin.readline()  # held here until the test says go (or kills it)
        return super().encode_with_words(texts)

rebuild_from_articles({path!r}, model=Held())
print("done", flush=True)
"""


def _rebuild_process(path: Path) -> subprocess.Popen:
    """A rebuild --from-articles in another process, stopped in its first embedding, inside its work directory."""
    proc = subprocess.Popen([sys.executable, "-c", _REBUILD.format(tests=str(TESTS), path=str(path))], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "embedding\n", proc.communicate()[1]
    return proc


@pytest.mark.parametrize("next_one", ["writer", "rebuild"])
def test_a_rebuild_killed_midway_leaves_nothing_the_next_writer_or_rebuild_keeps(tmp_path, next_one):
    """SIGKILL mid-rebuild left DIR/.rebuild-PID, a second half-made index, there for good."""
    path = tmp_path / "ix"
    stories = small_index(path)
    proc = _rebuild_process(path)
    proc.kill()
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert leftovers(path) == [f".rebuild-{proc.pid}"]  # what the kill left
    if next_one == "writer":
        with Index(path, model=HashEncoder()) as ix:
            assert leftovers(path) == []
            assert ix.verify() == [] and [s.articles for s in ix.stories()] == stories
    else:
        assert not rebuild_from_articles(path, model=HashEncoder()).damaged
        assert leftovers(path) == []
        with Index(path, model=HashEncoder(), read_only=True) as ix:
            assert ix.verify() == [] and [s.articles for s in ix.stories()] == stories


def test_a_running_rebuilds_directory_is_never_removed(tmp_path):
    path = tmp_path / "ix"
    stories = small_index(path)
    proc = _rebuild_process(path)
    try:
        Index(path, model=HashEncoder()).close()  # a writer opens the index while the rebuild runs
        assert leftovers(path) == [f".rebuild-{proc.pid}"]
        out, err = proc.communicate("go\n" * 10, timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0 and out == "done\n", err
    assert leftovers(path) == []
    with Index(path, model=HashEncoder(), read_only=True) as ix:
        assert ix.verify() == [] and [s.articles for s in ix.stories()] == stories


def test_a_leftover_is_kept_while_its_pid_lives_or_its_lock_is_held(tmp_path):
    """A live PID (another process took it, or an older drift's rebuild, which took no lock) and a held lock
    (a rebuild whose PID this process cannot see, in another container) each keep the directory."""
    path = tmp_path / "ix"
    small_index(path)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    live, locked = path / f".rebuild-{sleeper.pid}", path / f".rebuild-{int(dead.stdout)}"
    for work in (live, locked):
        (work / "part").mkdir(parents=True)
    fd = os.open(locked, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        Index(path, model=HashEncoder()).close()
        assert leftovers(path) == sorted([live.name, locked.name])
    finally:
        os.close(fd)
        sleeper.kill()
        sleeper.wait()
    Index(path, model=HashEncoder()).close()
    assert leftovers(path) == []


@pytest.mark.parametrize("command", ["writer", "rebuild"])
def test_a_rebuild_killed_while_swapping_keeps_the_database_it_was_swapping_in(tmp_path, command):
    """Killed between moving the old database aside and the new one in, the leftover holds the only current
    database: removing it (and making a new empty index there) would lose the index."""
    path = tmp_path / "ix"
    small_index(path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    work = path / f".rebuild-{int(dead.stdout)}"
    work.mkdir()
    os.replace(path / "drift.sqlite", work / "drift.sqlite")
    with pytest.raises(IndexStoreError, match=rf"ix/drift.sqlite: missing: a rebuild was stopped while swapping in "
                                              rf"the database it rebuilt, .*{work.name}/drift.sqlite; move that file "
                                              r"to .*ix/drift.sqlite \(the previous one is kept"):
        if command == "writer":
            Index(path, model=HashEncoder())
        else:
            rebuild_from_articles(path, model=HashEncoder())
    assert (work / "drift.sqlite").is_file() and not (path / "drift.sqlite").exists()


def test_rebuilds_in_the_same_second_each_keep_their_previous_database(tmp_path, monkeypatch):
    """The old database was kept as drift.sqlite.previous-TIME: a second rebuild in the same second replaced that
    file, and with it the only copy of the database the first rebuild replaced."""
    import time

    path = tmp_path / "ix"
    small_index(path)
    monkeypatch.setattr(time, "strftime", lambda fmt, *args: "20260101-120000")
    first = rebuild_from_articles(path, model=HashEncoder()).kept
    second = rebuild_from_articles(path, model=HashEncoder()).kept
    assert (first.name, second.name) == ("drift.sqlite.previous-20260101-120000",
                                         "drift.sqlite.previous-20260101-120000-2")
    assert first.is_file() and second.is_file() and first.read_bytes() != second.read_bytes()


class _IngestingMeanwhile(HashEncoder):
    """The rebuild's encoder: on its first call, a writer stores ``articles`` into the index being rebuilt."""

    def __init__(self, path: Path, articles) -> None:
        super().__init__()
        self.meanwhile = (path, articles)

    def encode_with_words(self, texts):
        if self.meanwhile is not None:
            path, articles = self.meanwhile
            self.meanwhile = None
            with Index(path, model=HashEncoder()) as writer:
                assert [a.article for a in writer.add_many(articles)] == [a.id for a in articles]
        return super().encode_with_words(texts)


def test_articles_a_writer_stores_while_a_rebuild_runs_are_not_lost(tmp_path):
    """The rebuild read the articles once, at its start: what an ingest stored while it embedded stayed behind in
    the old file, kept aside as drift.sqlite.previous-TIME, and was gone from the index the ingest reported it in."""
    path = tmp_path / "ix"
    small_index(path)
    meanwhile = fake_articles(2, 1, seed=7, prefix="t")
    done = rebuild_from_articles(path, model=_IngestingMeanwhile(path, meanwhile))
    assert done.stored == 8 and done.unreadable == 0
    with Index(path, model=HashEncoder(), read_only=True) as ix:
        stored = sorted(a for s in ix.stories() for a in s.articles)
        assert stored == sorted([f"s{s}v{v}" for s in range(3) for v in range(2)] + ["t0v0", "t1v0"])
        assert ix.verify() == []


@pytest.mark.parametrize("failure, said", [
    (KeyboardInterrupt(), None),
    (PermissionError(13, "Permission denied"), "cannot write the index (Permission denied)"),
], ids=["ctrl-c", "refused"])
def test_a_swap_stopped_half_way_keeps_the_old_database_in_place(tmp_path, monkeypatch, failure, said):
    """Stopped between moving the old database aside and the rebuilt one in, the index had no drift.sqlite at all
    ("no drift index here"), and the rebuilt one was removed with the work directory."""
    path = tmp_path / "ix"
    stories = small_index(path)
    replace = os.replace

    def failing(src, dst):
        if Path(src).name == "drift.sqlite" and Path(src).parent.name.startswith(".rebuild-"):
            raise failure
        replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(type(failure) if said is None else IndexStoreError) as stopped:
        rebuild_from_articles(path, model=HashEncoder())
    monkeypatch.undo()
    assert said is None or said in str(stopped.value)
    assert (path / "drift.sqlite").is_file() and not list(path.glob("drift.sqlite.*"))  # nothing kept aside
    assert leftovers(path) == []
    with Index(path, model=HashEncoder()) as ix:
        assert ix.verify() == [] and [s.articles for s in ix.stories()] == stories


def test_a_vector_file_that_cannot_be_moved_in_leaves_no_stale_one_beside_the_rebuilt_database(tmp_path,
                                                                                              monkeypatch):
    """The old vectors.faiss stayed beside the rebuilt database, whose sentence ids it does not describe, and the
    error was a bare PermissionError ("a bug in drift")."""
    path = tmp_path / "ix"
    stories = small_index(path)
    replace = os.replace

    def failing(src, dst):
        if Path(src).name == "vectors.faiss" and Path(src).parent.name.startswith(".rebuild-"):
            raise PermissionError(13, "Permission denied")
        replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(IndexStoreError, match=r"cannot write the index \(Permission denied\)"):
        rebuild_from_articles(path, model=HashEncoder())
    monkeypatch.undo()
    assert len(list(path.glob("drift.sqlite.previous-*[0-9]"))) == 1 and not (path / "vectors.faiss").exists()
    with Index(path, model=HashEncoder()) as ix:  # the rebuilt database, its vector file made from it
        assert ix.verify() == [] and [s.articles for s in ix.stories()] == stories


def test_rebuild_from_articles_passes_a_callers_recorded_backend_through(tmp_path, monkeypatch):
    """An index made with a caller's Encoder records its backend (``hash``); rebuilding it from its articles
    opens the fresh index with that recorded family, which is no choice of drift's and must not be refused as
    one (``Index(path, backend="gpu")`` is)."""
    import drift.store.index

    path = tmp_path / "ix"
    stories = small_index(path)
    monkeypatch.setattr(drift.store.index, "load_encoder", lambda model=None, backend="auto", progress=False:
                        HashEncoder())  # what the recorded model name loads (as the CLI's fake does)
    done = rebuild_from_articles(path)
    assert done.stored == 6 and not done.damaged
    with Index(path, model=HashEncoder(), read_only=True) as ix:
        assert ix.recorded_backend == "hash"
        assert ix.verify() == [] and [s.articles for s in ix.stories()] == stories


def test_an_index_split_by_another_splitter_is_named_until_rebuilt(tmp_path: Path, caplog) -> None:
    """An index from before the splitter was recorded (or split by another) still answers, with one warning that
    names the fix; ``rebuild --from-articles`` splits every article again and records the splitter."""
    path = tmp_path / "ix"
    with Index(path, model=HashEncoder()) as ix:
        ix.add_many([article_from_text("PARIS (AFP) - The president spoke on Monday.\nHe left for Berlin.\n", id="a")])
        assert ix.store.meta()["splitter"] == SPLITTER
        assert "The president spoke on Monday." in [text for _, text in ix.store.sentence_texts()]  # dateline cut
    caplog.set_level(logging.WARNING, "drift")
    with Index(path, model=HashEncoder()):
        pass
    assert not [r for r in caplog.records if "split by" in r.getMessage()]
    with sqlite3.connect(path / DB_NAME) as db:  # as drift before drift-news/3 left it
        db.execute("DELETE FROM meta WHERE key = 'splitter'")
    db.close()
    with Index(path, model=HashEncoder()) as ix:
        said = ix.warnings
    assert said == [r.getMessage() for r in caplog.records if "split by" in r.getMessage()] == [
        f"{path}: its sentences were split by an older splitter, while this drift splits with {SPLITTER}, so stored "
        f"and new versions may differ where only the splitting does; `drift index rebuild --from-articles --index "
        f"{path}` splits them again"]
    caplog.clear()
    rebuild_from_articles(path, model=HashEncoder())
    with Index(path, model=HashEncoder()) as ix:
        assert ix.store.meta()["splitter"] == SPLITTER
    assert not [r for r in caplog.records if "split by" in r.getMessage()]
