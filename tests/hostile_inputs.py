"""Hostile inputs built at test time, and the real `drift` command with the fake model (FAKE_CLI); shared by the
hostile-input table (test_hostile.py, hostile_library.py) and the CLI tests."""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from fakes import HashEncoder, story_articles

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
UNRELATED = sorted((ROOT / "tests" / "fixtures" / "unrelated").glob("*.txt"))
TESTS = ROOT / "tests"

# The real ``drift`` command, with the hashing encoder in place of the sentence model (fast, no weights).
FAKE_CLI = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
from fakes import HashEncoder
import drift.embed.load, drift.store.index
fake = lambda model=None, backend="auto", progress=False: HashEncoder()
drift.embed.load.load_encoder = fake
drift.store.index.load_encoder = fake  # the index loads its recorded backend ("hash") through this
drift.store.index.as_encoder = lambda model=None, backend="auto", progress=False: (
    model if not (model is None or isinstance(model, str)) else HashEncoder())
from drift.cli import main
main(sys.argv[1:], prog_name="drift")
"""


# ---------------------------------------------------------------- inputs, built at test time

def seeds(d: Path) -> None:
    """``a.txt`` and ``b.txt``: two good versions of one story."""
    shutil.copy(SEEDS[0], d / "a.txt")
    shutil.copy(SEEDS[1], d / "b.txt")


def write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        seeds(d)
        (d / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return build


def fake_index(d: Path, stories: int = 3, versions: int = 2) -> Path:
    """An index of synthetic stories made with the hashing encoder."""
    from drift.read.titles import article_from_text
    from drift.store.index import Index

    with Index(d / "ix", model=HashEncoder()) as ix:
        ix.add_many([article_from_text(a["text"], id=a["id"]) for a in story_articles(stories, versions)])
    return d / "ix"


def two_megabyte_line() -> str:
    words = "the river flooded homes in the valley while crews rescued people from rooftops".split()
    return " ".join(words[i % len(words)] for i in range(400_000))[:2_000_000]


def nested_html(depth: int) -> str:
    story = "<p>Heavy rain flooded the river valley on Tuesday, forcing thousands of residents to leave.</p>"
    return "<html><body>" + "<div>" * depth + story + "</div>" * depth + "</body></html>"


def nested_nitf(depth: int) -> str:
    story = "<p>Heavy rain flooded the river valley on Tuesday, forcing thousands of residents to leave.</p>"
    return ("<nitf><body><body.content>" + "<block>" * depth + story + "</block>" * depth
            + "</body.content></body></nitf>")


def ingest_feed(d: Path) -> None:
    """Ten good articles and one empty file in one directory."""
    (d / "feed").mkdir()
    for p in SEEDS + UNRELATED[:5]:
        shutil.copy(p, d / "feed" / p.name)
    (d / "feed" / "empty.txt").write_bytes(b"")


def fifo(d: Path) -> None:
    seeds(d)
    os.mkfifo(d / "pipe.txt")


def unreadable(d: Path) -> None:
    seeds(d)
    (d / "secret.txt").write_text("The river rose overnight.\n", encoding="utf-8")
    (d / "secret.txt").chmod(0)
    (d / "empty.txt").write_bytes(b"")


def damaged_index(d: Path) -> None:
    """An index whose articles table has a destroyed page (the stories query meets it)."""
    path = fake_index(d, stories=20, versions=3)
    db = path / "drift.sqlite"
    original = db.read_bytes()
    for page in range(2, len(original) // 4096):
        data = bytearray(original)
        data[page * 4096 + 100: page * 4096 + 600] = b"\xff" * 500
        db.write_bytes(bytes(data))
        try:
            con = sqlite3.connect(db)
            con.execute("SELECT story, article_id FROM articles ORDER BY id").fetchall()
            con.close()
        except sqlite3.DatabaseError:
            return
    raise AssertionError("no page of the articles table found to damage")


def lagging_index(d: Path) -> None:
    """An index whose vector file lags behind SQLite, as after a writer killed before saving it."""
    from drift.read.titles import article_from_text
    from drift.store.index import Index

    arts = [article_from_text(a["text"], id=a["id"]) for a in story_articles(3, 2)]
    with Index(d / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[:3])
    saved = (d / "ix" / "vectors.faiss").read_bytes()
    with Index(d / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[3:])
    (d / "ix" / "vectors.faiss").write_bytes(saved)
    (d / "vectors.before").write_bytes(saved)
    (d / "new.txt").write_text(story_articles(3, 3)[-1]["text"], encoding="utf-8")


def tampered_index(d: Path) -> None:
    """A vector file whose header says another ``max_id`` (same length, so the layout holds)."""
    fake_index(d)
    file = d / "ix" / "vectors.faiss"
    raw = file.read_bytes()
    m = re.search(rb'"max_id": (\d+)', raw)
    assert m is not None
    digits = m.group(1)
    forged = str(int(digits) - 1).rjust(len(digits), "1").encode()
    file.write_bytes(raw[:m.start(1)] + forged + raw[m.end(1):])
