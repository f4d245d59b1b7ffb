"""Issue 13's hostile list, as one table: bad input never aborts the run or leaks a traceback.

Each row is one hostile input tried as the issue's tester tried it: through the CLI
(in process, or in a subprocess where a real file descriptor, a resource limit or
dropped privileges are needed) or through the library. Every input is built in
``tmp_path`` when the row runs; nothing large or third-party is committed.

A CLI row checks the exit status, every stderr line (a one-line ``Error:``, or
``drift: warning: ... (skipped)`` lines while two good versions remain) and that no
traceback escaped. Subprocess rows run the real command with the fast hashing
encoder of ``tests/fakes.py`` in place of the sentence model.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes import HashEncoder, story_articles

from drift.cli import main
from drift.errors import ArgumentError, DriftError, IndexStoreError, InputError

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


# ---------------------------------------------------------------- the table

@dataclass
class Case:
    """One hostile input. ``via``: ``cli`` (CliRunner), ``process`` (a real ``drift`` process, fake model),
    or ``library`` (``check`` does everything)."""

    id: str
    build: Callable[[Path], Any] = seeds
    args: list[str] = field(default_factory=list)
    code: int = 0
    stderr: list[str] = field(default_factory=list)  # one regex per line, in order
    check: Callable[..., None] | None = None
    via: str = "cli"
    model: bool = False
    stdin: bytes | None = None
    fifo_timeout: float | None = None


def warned(name: str, what: str) -> str:
    return rf"drift: warning: {re.escape(name)}: {what}.* \(skipped\)"


def error(name: str, what: str) -> str:
    return rf"Error: {re.escape(name)}: {what}.*"


def json_report(result: Any) -> dict[str, Any]:
    return json.loads(result.stdout)


def compared(*ids: str) -> Callable[..., None]:
    def check(result: Any, d: Path) -> None:
        report = json_report(result)
        assert [a["id"] for a in report["articles"]] == list(ids)
    return check


def skipped_in_report(result: Any, d: Path) -> None:
    import jsonschema

    report = json_report(result)
    schema = json.loads((ROOT / "drift" / "report" / "report.schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(report)) == []
    assert [a["id"] for a in report["articles"]] == ["a", "b"]
    assert len(report["warnings"]) == 1 and report["warnings"][0].endswith("(skipped)")


# -- library rows ----------------------------------------------------------------------

def lib_on_error_gets_every_hostile_file(d: Path) -> None:
    from drift.read.files import read_articles

    (d / "deep.json").write_text("[" * 100_000)
    (d / "huge.json").write_text('{"text": "Rain fell.", "n": 1' + "0" * 5000 + "}")
    (d / "divs.html").write_text(nested_html(1000))
    (d / "blocks.xml").write_text(nested_nitf(5000))
    problems: list[InputError] = []
    found = read_articles([d / "deep.json", d / "huge.json", d / "divs.html", d / "blocks.xml", d / "a.txt"],
                          on_error=problems.append)
    assert [a.id for a in found] == ["divs", "blocks", "a"]
    assert [str(p).split(":")[0] for p in problems] == [str(d / "deep.json"), str(d / "huge.json")]
    assert "nested too deeply" in str(problems[0]) and "5001 digits" in str(problems[1])


def lib_single_path(d: Path) -> None:
    from drift.read.files import read_articles

    assert [a.id for a in read_articles(str(d / "a.txt"))] == ["a"]
    assert [a.id for a in read_articles(d / "a.txt")] == ["a"]
    with pytest.raises(ArgumentError, match="paths must be a path or a list of paths, not bytes"):
        read_articles(b"a.txt")  # type: ignore[arg-type]


def lib_wrong_types(d: Path) -> None:
    from drift import article_from_text, compare
    from drift.read.files import read_articles, read_versions
    from drift.store.index import Index

    good = article_from_text("Rain fell on Paris.", id="good")
    calls: list[tuple[Callable[[], Any], str]] = [
        (lambda: compare(None), "compare: articles must be a list of Articles, not None"),  # type: ignore[arg-type]
        (lambda: compare([str(d / "a.txt"), str(d / "b.txt")]), "every version must be an Article, not str"),  # type: ignore[list-item]
        (lambda: article_from_text(None, id="x"), "text must be a str, not None"),  # type: ignore[arg-type]
        (lambda: article_from_text("Rain fell.", id=None), "id must be a non-blank str, not None"),  # type: ignore[arg-type]
        (lambda: Index(None), "Index: path must be a str or Path"),  # type: ignore[arg-type]
        (lambda: article_from_text(None), "text must be a str, not None"),  # type: ignore[arg-type]
        (lambda: article_from_text("Rain fell."), "id must be a non-blank str, not None"),
        (lambda: compare([good, None]), "every version must be an Article, not None"),  # type: ignore[list-item]
        (lambda: compare([good, good], limits=5), "compare: limits must be a drift.Limits, not int"),  # type: ignore[arg-type]
        (lambda: read_articles(d / "a.txt", limits=5), "read_articles: limits must be a drift.Limits"),  # type: ignore[arg-type]
        (lambda: read_articles(d / "a.txt", limits={"max_bytes": 5}), "limits must be a drift.Limits, not dict"),  # type: ignore[arg-type]
        (lambda: read_articles(d / "a.txt", on_error=5), "on_error must be a function"),  # type: ignore[arg-type]
        (lambda: read_versions([d / "a.txt"], warn=3), "read_versions: warn must be a function"),  # type: ignore[arg-type]
        (lambda: Index(d / "never", limits=5), "Index: limits must be a drift.Limits"),  # type: ignore[arg-type]
    ]
    for call, message in calls:
        with pytest.raises(DriftError, match=re.escape(message)) as caught:
            call()
        assert isinstance(caught.value, TypeError)
    with Index(d / "ix", model=HashEncoder()) as ix:
        with pytest.raises(ArgumentError, match=r"Index.add: give an Article .*not str"):
            ix.add(str(d / "a.txt"))  # type: ignore[arg-type]
    assert not (d / "never").exists()


def lib_never_prints(d: Path) -> None:
    """A run that skips a version warns the caller through the report, and writes nothing to stderr."""
    script = (
        f"import sys; sys.path.insert(0, {str(TESTS)!r})\n"
        "from fakes import HashEncoder\n"
        "from drift import compare, read_articles\n"
        f"report = compare(read_articles([{str(d / 'a.txt')!r}, {str(d / 'b.txt')!r}, {str(d / 'bp.txt')!r}]),"
        " model=HashEncoder())\n"
        "print(report.warnings)\n"
    )
    (d / "bp.txt").write_text("By John Smith\nPhoto: AFP\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "no sentences found" in proc.stdout and "(skipped)" in proc.stdout


def lib_xml_declaration(d: Path) -> None:
    from drift.read.files import read_article

    (d / "latin.xml").write_bytes(
        '<?xml version="1.0" encoding="ISO-8859-1"?><nitf><body><body.content>'
        "<p>Le café a fermé mardi à Paris.</p></body.content></body></nitf>".encode("latin-1"))
    assert read_article(d / "latin.xml").text == "Le café a fermé mardi à Paris."


def lib_fifo(d: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.read import decode
    from drift.read.files import read_articles

    monkeypatch.setattr(decode, "FIFO_TIMEOUT", 0.3)
    os.mkfifo(d / "pipe.txt")
    problems: list[InputError] = []
    assert [a.id for a in read_articles([d / "a.txt", d / "pipe.txt"], on_error=problems.append)] == ["a"]
    assert "named pipe (FIFO) with no writer after 0.3 s" in str(problems[0])


def lib_stale_temporary_removed(d: Path) -> None:
    from drift.read.titles import article_from_text
    from drift.store.index import Index

    path = fake_index(d)
    stale = path / "vectors.faiss.tmp-999999"
    stale.write_bytes(b"")
    with Index(path, model=HashEncoder()) as ix:
        ix.add(article_from_text("A ferry sank off the coast on Monday.\nAll passengers were rescued.", id="new"))
    assert not stale.exists()
    assert [p.name for p in path.iterdir() if ".tmp-" in p.name] == []


def lib_repair_warning(d: Path, caplog: pytest.LogCaptureFixture) -> None:
    from drift.store.index import Index

    path = fake_index(d)
    file = path / "vectors.faiss"
    file.write_bytes(file.read_bytes()[:-50])
    with caplog.at_level(logging.WARNING, logger="drift"):
        with Index(path, model=HashEncoder()) as ix:
            ix.stats()
            warnings = ix.warnings
    assert warnings == [f"{file}: vector index file is truncated or damaged (checksum mismatch); "
                        "rebuilding it from the database"]
    assert "run `drift index rebuild`" not in caplog.text


def lib_full_disk_on_save(d: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The vector file cannot be written: one IndexStoreError, and no temporary file left behind."""
    import errno

    import faiss

    from drift.store.index import Index

    path = fake_index(d)
    real = faiss.write_index

    def full(index: Any, writer: Any) -> None:
        real(index, writer)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(faiss, "write_index", full)
    with pytest.raises(IndexStoreError, match=r"vectors.faiss: cannot write the vector file \(No space left on "
                                              r"device\); the database is intact: free some space"):
        with Index(path, model=HashEncoder()) as ix:
            ix.rebuild()
    assert [p.name for p in path.iterdir() if ".tmp-" in p.name] == []


def lib_typed_checks_grow_linearly(d: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sentence that lists names: comparisons of names grow with their number, not its square."""
    import random

    from drift.score import evidence
    from drift.score.lookup import ALL_PAIRS_UP_TO

    calls = {"same_name": 0, "_same_word": 0}
    for name in calls:
        real = getattr(evidence, name)

        def counted(x: str, y: str, real: Callable[[str, str], bool] = real, name: str = name) -> bool:
            calls[name] += 1
            return bool(real.__wrapped__(x, y))  # type: ignore[attr-defined]  # past the lru_cache

        monkeypatch.setattr(evidence, name, counted)

    def listing(n: int, seed: int) -> str:
        rng = random.Random(seed)
        word = lambda: "".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3)).capitalize()  # noqa: E731
        return "Officials named " + ", ".join(f"{word()} {word()}" for _ in range(n)) + " as the organisers"

    n = 1600  # names a side, two words each: every name and name word is looked up once
    evidence.read.cache_clear()
    evidence.compare_readings(evidence.read(listing(n, 1)), evidence.read(listing(n, 2)))
    lookups = 2 * (n + 2 * n)
    # At most ALL_PAIRS_UP_TO candidates a lookup: linear. Comparing every name with every other is 2 * n * n.
    assert sum(calls.values()) <= ALL_PAIRS_UP_TO * lookups < 2 * n * n, calls


def lib_old_vector_file_rebuilt(d: Path) -> None:
    from drift.store.index import Index

    path = fake_index(d)
    file = path / "vectors.faiss"
    file.write_bytes(file.read_bytes().replace(b"DRIFTVEC2\n", b"DRIFTVEC1\n", 1))
    with Index(path, model=HashEncoder()) as ix:
        assert ix.verify() == [f"{file}: vector file of an older drift (format 1, header not checksummed)"]
        ix.stats()
        assert ix.warnings == [f"{file}: vector file of an older drift (format 1, header not checksummed); "
                               "rebuilding it from the database"]
    assert file.read_bytes().startswith(b"DRIFTVEC2\n")
    with Index(path, model=HashEncoder()) as ix:
        assert ix.verify() == [] and ix.warnings == []


def lib_add_many_skips_and_bounds(d: Path) -> None:
    from drift.limits import Limits
    from drift.read.titles import article_from_text
    from drift.store.index import Index

    arts = [article_from_text(a["text"], id=a["id"]) for a in story_articles(4, 2, sentences=6)]
    bad = article_from_text("By John Smith\nPhoto: AFP\n", id="furniture")
    batches: list[int] = []
    problems: list[InputError] = []
    with Index(d / "ix", model=HashEncoder(), limits=Limits(max_sentences=14)) as ix:
        done = ix.add_many([arts[0], bad, *arts[1:]], on_batch=lambda b: batches.append(len(b)),
                           on_error=problems.append)
    assert [a.article for a in done] == [a.id for a in arts]
    assert [str(p) for p in problems] == ["furniture: no sentences found; give story text, not only a headline, "
                                          "captions or site furniture"]
    assert batches == [2, 2, 2, 2]  # 6 sentences an article: a third would pass 14
    with Index(d / "ix", model=HashEncoder(), read_only=True) as ix:
        with pytest.raises(IndexStoreError, match="opened read-only"):
            ix.add(arts[0])


LIBRARY: dict[str, Callable[..., None]] = {
    "typed-checks-grow-linearly": lib_typed_checks_grow_linearly,
    "old-vector-file-format-rebuilt": lib_old_vector_file_rebuilt,
    "add_many-skips-bad-articles-and-bounds-batches": lib_add_many_skips_and_bounds,
    "on_error-gets-deep-json-huge-int-and-reads-deep-markup": lib_on_error_gets_every_hostile_file,
    "read_articles-takes-one-path": lib_single_path,
    "wrong-types-are-DriftErrors": lib_wrong_types,
    "library-never-prints": lib_never_prints,
    "xml-declaration-encoding": lib_xml_declaration,
    "fifo-without-writer-times-out": lib_fifo,
    "stale-vectors-tmp-removed": lib_stale_temporary_removed,
    "repair-warning-hint": lib_repair_warning,
    "full-disk-on-vector-save": lib_full_disk_on_save,
}


# -- subprocess rows -------------------------------------------------------------------

def full_disk_ingest(d: Path) -> None:
    feed = [{"id": a["id"], "text": a["text"]} for a in story_articles(150, 2, sentences=12)]
    (d / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in feed), encoding="utf-8")


def after_full_disk(proc: Any, d: Path) -> None:
    from drift.store.index import Index

    assert [p.name for p in (d / "ix").iterdir() if ".tmp-" in p.name] == []
    with Index(d / "ix", model=HashEncoder()) as ix:
        assert ix.verify() == []
        assert 0 < ix.stats()["articles"] < 300  # earlier batches kept, the one being written rolled back


def vectors_untouched(proc: Any, d: Path) -> None:
    """It answered while a writer held the lock, and left the lagging vector file as it was."""
    assert proc.stdout.startswith("index: ix\n") or '"schema": "drift.report/1"' in proc.stdout, proc.stdout
    assert (d / "ix" / "vectors.faiss").read_bytes() == (d / "vectors.before").read_bytes()


# ---------------------------------------------------------------- every row

CASES = [
    # -- resource limits
    Case("2MB-line-no-punctuation-is-refused", write("line.txt", two_megabyte_line()),
         ["compare", "a.txt", "b.txt", "line.txt", "--format", "json"], 0,
         [warned("line.txt", r"sentence 1 has 2,000,000 characters, over the limit of 10,000 per sentence; .*"
                             r"--max-sentence-chars N \(library: Limits\(max_sentence_chars=N\)\)")],
         skipped_in_report, model=True),
    Case("2MB-line-alone-is-the-error", write("line.txt", two_megabyte_line()), ["compare", "a.txt", "line.txt"], 1,
         [error("line.txt", r"sentence 1 has 2,000,000 characters, over the limit of 10,000 per sentence")]),
    Case("input-over-max-bytes", write("big.txt", "The river rose overnight. " * 100),
         ["compare", "a.txt", "b.txt", "big.txt", "--max-bytes", "2500", "--format", "json"], 0,
         [warned("big.txt", r"larger than the limit of 2,500 bytes per input; .*--max-bytes N "
                            r"\(library: Limits\(max_bytes=N\)\)")], skipped_in_report, model=True),
    Case("dev-zero-fails-fast", seeds, ["compare", "a.txt", "/dev/zero", "b.txt", "--format", "json"], 0,
         [warned("/dev/zero", r"larger than the limit of 20,000,000 bytes per input")], skipped_in_report, model=True),
    Case("sentences-per-run", seeds, ["compare", "a.txt", "b.txt", "--max-sentences", "5"], 1,
         [r"Error: \d+ sentences to compare in 2 versions, over the limit of 5 per run; .*--max-sentences N .*"],
         model=True),
    # -- tracebacks instead of one line
    Case("deep-json", write("deep.json", "[" * 100_000), ["compare", "a.txt", "b.txt", "deep.json",
                                                          "--format", "json"], 0,
         [warned("deep.json", "JSON nested too deeply to read")], skipped_in_report, model=True),
    Case("deep-json-alone", write("deep.json", "[" * 100_000), ["compare", "a.txt", "deep.json"], 1,
         [error("deep.json", "JSON nested too deeply to read; give one object per article")]),
    Case("json-int-of-5000-digits", write("huge.json", '{"id": 1' + "0" * 5000 + ', "text": "Rain fell."}'),
         ["compare", "a.txt", "huge.json"], 1,
         [error("huge.json", r"holds an integer of 5001 digits \(at most 100 are read\); quote it as a string")]),
    Case("html-1000-nested-divs", write("divs.html", nested_html(1000)),
         ["compare", "a.txt", "divs.html", "--format", "json"], 0, [], compared("a", "divs"), model=True),
    Case("nitf-5000-nested-blocks", write("blocks.xml", nested_nitf(5000)),
         ["compare", "a.txt", "blocks.xml", "--format", "json"], 0, [], compared("a", "blocks"), model=True),
    Case("full-disk-during-ingest", full_disk_ingest, ["ingest", "feed.jsonl", "--index", "ix"], 1,
         # An ENOSPC says "database or disk is full"; the EFBIG of the file size limit used here, "disk I/O error".
         [r"Error: ix: (the disk is full|a write to the disk failed) \(.*\); nothing of the batch being written "
          r"was kept and every earlier batch is safe: free some space( or check the disk)?, (and|then) run again"],
         after_full_disk, via="process"),
    Case("stdout-to-dev-full", seeds, ["compare", "a.txt", "b.txt", ">/dev/full"], 1,
         [r"Error: <stdout>: cannot write the results \(No space left on device\); free space on that device, "
          r"or send the output elsewhere"], via="process"),
    # -- one bad input must not sink the run
    Case("boilerplate-only-version", write("bp.txt", "By John Smith\nPhoto: AFP\n"),
         ["compare", "a.txt", "b.txt", "bp.txt", "--format", "json"], 0,
         [warned("bp.txt", "no sentences found; give story text")], skipped_in_report, model=True),
    Case("ingest-stores-the-good-files", ingest_feed, ["ingest", "feed", "--index", "ix"], 0,
         [warned("feed/empty.txt", "no text")],
         lambda r, d: r.stdout.endswith(", 1 unreadable and skipped; the index holds 10 articles in 6 stories\n")
         or pytest.fail(r.stdout), model=True),
    Case("ingest-strict-exits-1", ingest_feed, ["ingest", "feed", "--index", "ix", "--strict"], 1,
         [warned("feed/empty.txt", "no text")], lambda r, d: "10 added" in r.stdout or pytest.fail(r.stdout),
         model=True),
    Case("ingest-nothing-readable", write("empty.txt", b""), ["ingest", "empty.txt", "--index", "ix"], 1,
         [error("empty.txt", "no text; give a file with at least one sentence")]),
    Case("unreadable-file-is-one-line-not-usage", unreadable, ["compare", "secret.txt", "empty.txt"], 1,
         [error("secret.txt", "permission denied; make the file readable")], via="process"),
    Case("unreadable-file-skipped", unreadable, ["compare", "secret.txt", "a.txt", "b.txt", "--format", "json"], 0,
         [warned("secret.txt", "permission denied; make the file readable")], skipped_in_report, via="process"),
    Case("json-on-stdin", seeds, ["compare", "a.txt", "-", "--format", "json"], 0, [], compared("a", "piped"),
         model=True, stdin=json.dumps({"id": "piped", "text": SEEDS[1].read_text(encoding="utf-8")}).encode()),
    Case("jsonl-on-stdin", seeds, ["compare", "-", "--format", "json"], 0, [], compared("x", "y"), model=True,
         stdin=(json.dumps({"id": "x", "text": SEEDS[0].read_text(encoding="utf-8")}) + "\n"
                + json.dumps({"id": "y", "text": SEEDS[1].read_text(encoding="utf-8")}) + "\n").encode()),
    # -- input correctness
    Case("utf16-without-bom", write("wide.txt", SEEDS[2].read_text(encoding="utf-8").encode("utf-16-le")),
         ["compare", "a.txt", "wide.txt"], 1,
         [error("wide.txt", "looks like UTF-16-LE text without a byte-order mark; pass --encoding utf-16-le$")]),
    Case("utf16-le-on-utf8-is-implausible", seeds, ["compare", "a.txt", "b.txt", "--encoding", "utf-16-le"], 1,
         [error("a.txt", r"--encoding utf-16-le gives implausible text \(the bytes are valid UTF-8\); drop "
                         r"--encoding or pass the file's real encoding")]),
    Case("json-nan",
         write("feed.json", json.dumps([{"id": [1], "text": "Rain fell."}, {"id": "p", "published": {"x": 1},
                                                                            "text": "Rain fell."},
                                        {"id": "  ", "text": "Rain fell."}, {"id": "n", "text": "Rain."}])
               .replace('"Rain."', "NaN")),
         ["compare", "a.txt", "b.txt", "feed.json"], 0,
         [warned("feed.json", "holds NaN, which is not valid JSON; use null or a string")], model=True),
    Case("json-fields-of-the-wrong-type-each-named",
         write("feed.jsonl", "".join(json.dumps(r) + "\n" for r in (
             {"id": [1], "text": "Rain fell."}, {"id": "p", "published": {"x": 1}, "text": "Rain fell."},
             {"id": "  ", "text": "Rain fell."}))), ["compare", "a.txt", "b.txt", "feed.jsonl", "--format", "json"],
         0, [warned("feed.jsonl", r'line 1: field "id" is a list, not a non-blank string or an integer'),
             warned("feed.jsonl", r'line 2: field "published" is an object, not a non-blank string or an integer'),
             warned("feed.jsonl", r'line 3: field "id" is a blank string')], compared("a", "b"), model=True),
    Case("fifo-without-writer", fifo, ["compare", "a.txt", "pipe.txt"], 1,
         [error("pipe.txt", r"named pipe \(FIFO\) with no writer after 0.3 s; start the program that writes")],
         fifo_timeout=0.3),
    Case("control-characters-text-view",
         write("ctrl.json", json.dumps({"id": "fake\n== forged vs fake", "text": SEEDS[1].read_text(
             encoding="utf-8").replace("Macron", "Ma\u202ecron\u202c \x1b]0;pwned\x07")})),
         ["compare", "a.txt", "ctrl.json", "--color", "never"], 0, [],
         lambda r, d: _neutralised(r.stdout), model=True),
    Case("control-characters-html-view",
         write("ctrl.json", json.dumps({"id": "x\u202eid", "text": SEEDS[1].read_text(encoding="utf-8")
                                        .replace("Macron", "Ma\u202ecron\u202c")})),
         ["compare", "a.txt", "ctrl.json", "--format", "html"], 0, [],
         lambda r, d: _neutralised(r.stdout), model=True),
    Case("control-characters-kept-in-json",
         write("ctrl.json", json.dumps({"id": "fake\n== forged", "text": "Ma\u202ecron \x1b]0;t\x07 spoke.\n"
                                        + SEEDS[1].read_text(encoding="utf-8")})),
         ["compare", "a.txt", "ctrl.json", "--format", "json"], 0, [],
         lambda r, d: _exact_in_json(json_report(r))),
    # -- index edges
    Case("damaged-sqlite-verify-names-a-working-fix", damaged_index, ["index", "verify", "--index", "ix"], 1,
         [r"Error: ix/drift.sqlite: the index database is damaged .*; "
          r"run `drift index rebuild --from-articles --index ix`"]),
    Case("damaged-sqlite-stories-notices", damaged_index, ["stories", "--index", "ix"], 1,
         [r"Error: ix/drift.sqlite: the index database is damaged \(database disk image is malformed\); "
          r"run `drift index rebuild --from-articles --index ix`"]),
    Case("damaged-sqlite-ingest-notices", lambda d: (damaged_index(d), seeds(d)), ["ingest", "a.txt", "--index", "ix"],
         1, [r"Error: ix/drift.sqlite: the index database is damaged \(.+\); "
             r"run `drift index rebuild --from-articles --index ix`"], via="process"),
    Case("damaged-sqlite-rebuild-from-articles", damaged_index, ["index", "rebuild", "--from-articles",
                                                                 "--index", "ix"], 0, [],
         lambda r, d: _recovered(r, d), via="process"),
    Case("healthy-sqlite-rebuild-from-articles-says-no-damage", fake_index,
         ["index", "rebuild", "--from-articles", "--index", "ix"], 0, [], lambda r, d: _recovered_sound(r, d),
         via="process"),
    Case("readers-never-wait-or-write", lagging_index, ["index", "stats", "--index", "ix"], 0, [], vectors_untouched,
         via="process"),
    Case("check-never-waits-or-writes", lagging_index, ["check", "new.txt", "--index", "ix", "--format", "json"], 0,
         [], vectors_untouched, via="process"),
    Case("control-characters-stories-lines", lambda d: _control_index(d), ["stories", "--index", "ix"], 0, [],
         lambda r, d: _neutralised_stories(r.stdout)),
    Case("tampered-vector-header", tampered_index, ["index", "verify", "--index", "ix"], 1,
         [r"Error: ix/vectors.faiss: vector index file is truncated or damaged \(checksum mismatch\); "
          r"run `drift index rebuild --index ix`"]),
    Case("missing-model-hint", lambda d: (fake_index(d), seeds(d)),
         ["check", "a.txt", "--index", "ix", "--model", "no/such/model-dir"], 1,
         [r"Error: ix: --model no/such/model-dir: no such model directory or cached model on this machine; "
          r"leave --model out to use the index's model 'hash-test', or give a model that exists"]),
    Case("index-that-is-a-file", write("passwd", "root:x:0:0::/root:/bin/sh\n"), ["stories", "--index", "passwd"], 1,
         [r"Error: passwd: is a file, not an index directory; give the directory of an index \(--index, "
          r"default indexes/default\)"]),
] + [Case(name, via="library", check=check) for name, check in LIBRARY.items()]


def _neutralised(out: str) -> None:
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "\\u202e" in out
    assert not any(line.startswith("== forged") for line in out.splitlines())


def _control_index(d: Path) -> None:
    from drift.read.titles import article_from_text
    from drift.store.index import Index

    text = "A \u202eferry\u202c sank \x1b]0;pwned\x07 off the coast on Monday.\nAll passengers were rescued."
    with Index(d / "ix", model=HashEncoder()) as ix:
        ix.add(article_from_text(text, id="fake\nstory 9: forged", title="Ferry \u202esinks\u202c"))


def _neutralised_stories(out: str) -> None:
    assert out == "story 1: Ferry \\u202esinks\\u202c\n  fake\\nstory 9: forged\n", out


def _exact_in_json(report: dict[str, Any]) -> None:
    fake = next(a for a in report["articles"] if a["id"] == "fake\n== forged")
    assert "Ma\u202ecron \x1b]0;t\x07 spoke." in fake["text"]


def _recovered(proc: Any, d: Path) -> None:
    from drift.store.index import Index

    assert re.fullmatch(r"ix: rebuilt from (\d+) articles(, \d+ unreadable rows lost)?; the damaged database is "
                        r"kept as ix/drift.sqlite.damaged-[\d-]+\n", proc.stdout), proc.stdout
    stored = int(re.search(r"from (\d+) articles", proc.stdout).group(1))  # type: ignore[union-attr]
    assert 0 < stored <= 60
    with Index(d / "ix", model=HashEncoder()) as ix:
        assert ix.verify() == []
        assert ix.stats()["articles"] == stored


def _recovered_sound(proc: Any, d: Path) -> None:
    assert re.fullmatch(r"ix: rebuilt from 6 articles; the previous database \(no damage found\) is kept as "
                        r"ix/drift.sqlite.previous-[\d-]+\n", proc.stdout), proc.stdout
    assert not list((d / "ix").glob("*damaged*"))


# ---------------------------------------------------------------- running a row

def _run_process(case: Case, d: Path) -> subprocess.CompletedProcess[str]:
    args = [a for a in case.args if not a.startswith(">")]
    stdout: Any = open("/dev/full", "w") if ">/dev/full" in case.args else subprocess.PIPE
    prefix: list[str] = []
    if "unreadable" in case.id and os.geteuid() == 0:  # root reads anything: drop the privilege that lets it
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("needs setpriv (util-linux) to make a file unreadable for root")
        prefix = [setpriv, "--inh-caps=-dac_override,-dac_read_search",
                  "--bounding-set=-dac_override,-dac_read_search"]

    def limit() -> None:
        if "full-disk" in case.id:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (600_000, 600_000))  # a few batches fit, not the feed

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ROOT)}
    with contextlib.ExitStack() as stack:
        if "never-wait" in case.id:  # a writer holds the lock the whole time (one that waited would time out)
            from drift.store.database import write_lock

            stack.enter_context(write_lock(d / "ix", timeout=1))
        proc = subprocess.run([*prefix, sys.executable, "-c", FAKE_CLI, *args], cwd=d, stdout=stdout,
                              stderr=subprocess.PIPE, text=True, timeout=120, env=env, preexec_fn=limit)
    if stdout is not subprocess.PIPE:
        stdout.close()
    return proc


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest,
                       caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    if case.via == "library":
        seeds(tmp_path)
        assert case.check is not None
        wanted = case.check.__code__.co_varnames[:case.check.__code__.co_argcount]
        fixtures = {"monkeypatch": monkeypatch, "caplog": caplog}
        case.check(tmp_path, *[fixtures[name] for name in wanted[1:]])
        return
    case.build(tmp_path)
    if case.via == "process":
        result: Any = _run_process(case, tmp_path)
        code, stderr = result.returncode, result.stderr
    else:
        if case.model:
            request.getfixturevalue("shared_model")
        if case.fifo_timeout is not None:
            from drift.read import decode

            monkeypatch.setattr(decode, "FIFO_TIMEOUT", case.fifo_timeout)
        result = CliRunner().invoke(main, case.args, input=case.stdin)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        code, stderr = result.exit_code, result.stderr
    assert "Traceback" not in stderr
    assert code == case.code, (code, stderr, result.stdout if hasattr(result, "stdout") else "")
    lines = stderr.splitlines()
    assert len(lines) == len(case.stderr), lines
    for line, pattern in zip(lines, case.stderr, strict=True):
        assert re.fullmatch(pattern, line), (line, pattern)
    if case.check is not None:
        case.check(result, tmp_path)


def test_every_row_of_the_table_has_its_own_name() -> None:
    assert len({c.id for c in CASES}) == len(CASES)


# ---------------------------------------------------------------- the pieces the table relies on

def test_shown_escapes_only_what_can_hide_reorder_or_forge_text() -> None:
    from drift.report.display import shown

    assert shown("id\n== forged\r") == "id\\n== forged\\r"
    assert shown("\x1b]0;pwned\x07 \x1b[31mred\x9b") == "\\x1b]0;pwned\\x07 \\x1b[31mred\\x9b"
    assert shown("a\u202eb\u2066c\u2069\u2028") == "a\\u202eb\\u2066c\\u2069\\u2028"
    assert shown("tab\there") == "tab here"
    kept = "Café, Zelenskyy, «Moscou», مرحبا\u200f, שלום, می\u200cخواهم, 東京, 😀, no\u00a0break"
    assert shown(kept) == kept


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_text_without_a_bom_is_named(codec: str) -> None:
    from drift.read.decode import decode

    data = SEEDS[0].read_text(encoding="utf-8").encode(codec)
    with pytest.raises(InputError, match=rf"looks like {codec.upper()} text without a byte-order mark; "
                                         rf"pass encoding='{codec}'$"):
        decode(data, "x.txt")
    assert decode(data, "x.txt", codec) == SEEDS[0].read_text(encoding="utf-8").removeprefix("\ufeff")


def test_latin1_on_utf8_is_implausible_but_latin1_on_latin1_reads() -> None:
    from drift.read.decode import decode

    with pytest.raises(InputError, match=r"^x.txt: encoding='latin-1' gives implausible text \(the bytes are valid "
                                         r"UTF-8\); drop encoding= or pass the file's real encoding "
                                         r"\(e.g. encoding='utf-8'\)$"):
        decode("Le café a fermé.".encode(), "x.txt", "latin-1")
    assert decode("Le café a fermé.".encode("latin-1"), "x.txt", "latin-1") == "Le café a fermé."
    assert decode(b"Plain ASCII text.", "x.txt", "cp1252") == "Plain ASCII text."


def test_stdin_prose_that_opens_with_a_bracket_stays_prose() -> None:
    from drift.read.files import read_articles

    text = "[Updated 3 pm] Heavy rain flooded the valley on Tuesday.\nCrews rescued forty people.\n"
    [article] = read_articles(["-"], stdin_text=text)
    assert article.id == "stdin" and article.text == text


def test_limits_are_positive_whole_numbers() -> None:
    from drift.errors import ConfigError
    from drift.limits import Limits

    assert Limits().max_bytes == 20_000_000
    for bad in ({"max_bytes": 0}, {"max_sentences": -1}, {"max_sentence_chars": 1.5}, {"max_bytes": True}):
        with pytest.raises(ConfigError, match="not a positive whole number"):
            Limits(**bad)  # type: ignore[arg-type]


def test_a_bug_is_one_line_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Whatever escapes a command (here a stand-in bug in the reader) ends in one line and exit 1."""
    from drift.read import files

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("stand-in bug\nsecond line")

    monkeypatch.setattr(files, "read_versions", broken)
    seeds(tmp_path)
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr == ("Error: unexpected RuntimeError: stand-in bug\\nsecond line; this is a bug in drift: "
                             "run again with DRIFT_DEBUG=1 for the traceback and report it\n")
