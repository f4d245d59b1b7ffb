"""The library rows of the hostile-input table in test_hostile.py: each checks one hostile input end to end."""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes import HashEncoder, story_articles
from hostile_inputs import TESTS, fake_index, nested_html, nested_nitf

from drift.errors import ArgumentError, DriftError, IndexStoreError, InputError


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
