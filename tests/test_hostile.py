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
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes import HashEncoder, story_articles
from hostile_inputs import (
    FAKE_CLI,
    ROOT,
    SEEDS,
    damaged_index,
    fake_index,
    fifo,
    ingest_feed,
    lagging_index,
    nested_html,
    nested_nitf,
    seeds,
    tampered_index,
    two_megabyte_line,
    unreadable,
    write,
)
from hostile_library import LIBRARY

from drift.cli import main

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
