"""The index's and the distributed jobs' messages name what their reader can change: a library caller the argument
of what it called (``Index(path=...)``, ``check(against=...)``, ``compare_stories(out=...)``), a command line the
flag (``--index``, ``--against``, ``--compare``). They named the flags to both; the CLI's own exact-output tests
(tests/test_cli_store.py, tests/test_check.py, tests/test_distributed.py...) hold the flag side end to end."""
from __future__ import annotations

import socket
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click
import pytest
from fakes import HashEncoder, story_articles

from drift.article import Article
from drift.cli.common import message
from drift.cli.store import check as check_command
from drift.cli.store import ingest as ingest_command
from drift.cli.store import rebuild as rebuild_command
from drift.cli.store import stories as stories_command
from drift.errors import DriftError
from drift.read.titles import article_from_text
from drift.store.check import CheckResult, choose_targets, compare_checked
from drift.store.index import Index
from drift.store.paths import store_error
from drift.store.recover import rebuild_from_articles


def said(call: Callable[[], Any], command: click.Command) -> tuple[str, str]:
    """What ``call`` raises, as a library caller reads it and as ``command`` says it on the command line."""
    with pytest.raises(DriftError) as e:
        call()
    with click.Context(command):
        return str(e.value), message(e.value)


def _version(id: str, language: str = "en") -> Article:
    return Article(id=id, text=f"Text of {id}.", language=language)


# ---------------------------------------------------------------- check: against, fail_on


def test_an_unknown_against_names_the_argument_or_the_flag() -> None:
    assert said(lambda: choose_targets(_version("a"), [_version("b")], "newest"), check_command) == (
        "unknown against='newest'; choose one of 'source', 'latest', 'all'",
        "unknown --against 'newest'; choose one of 'source', 'latest', 'all'")


@pytest.mark.parametrize("fail_on, library", [
    (("major", "huge"), "unknown gate 'huge' in fail_on=('major', 'huge')"),
    (["huge"], "unknown gate 'huge' in fail_on=['huge']"),
    ("huge", "unknown fail_on='huge'"),
    (iter(["minor", "huge"]), "unknown gate 'huge' in fail_on=('minor', 'huge')"),
], ids=["tuple", "list", "one-name", "iterator"])
def test_an_unknown_gate_names_the_argument_or_the_flag(fail_on: Any, library: str) -> None:
    result = CheckResult("a", "a.txt", "new", "latest", None, None)  # type: ignore[arg-type]
    assert said(lambda: result.tripped(fail_on), check_command) == (
        f"{library}; choose one of 'minor', 'major', 'new'",
        "unknown --fail-on 'huge'; choose one of 'minor', 'major', 'new'")


def test_a_check_against_versions_in_uncovered_languages_suggests_against_all() -> None:
    payload = SimpleNamespace(articles=[_version("new"), _version("fr-1", "fr")], languages=frozenset({"en"}),
                              model="m", story=1, ref=SimpleNamespace(index="ix"))
    library, command_line = said(lambda: compare_checked(payload, None, "new.txt", "latest", None),  # type: ignore
                                 check_command)
    head = ("new.txt: the stored versions to compare it with (fr-1 (fr)) are in languages the index's model 'm' "
            "does not cover; pass ")
    tail = (" to compare it with every stored version, or re-embed the index with a multilingual model: "
            "`drift index rebuild --model NAME --index ix`")  # a command to run, said as such to both
    assert (library, command_line) == (f"{head}against='all'{tail}", f"{head}--against all{tail}")


# ---------------------------------------------------------------- the index directory: Index(path), --index


def _database_holding_an_index(tmp_path: Path) -> Path:
    nested = tmp_path / "ix" / "drift.sqlite"
    nested.mkdir(parents=True)
    (nested / "drift.sqlite").write_bytes(b"")
    return nested


def _foreign_database(tmp_path: Path) -> Path:
    db = tmp_path / "ix" / "drift.sqlite"
    db.parent.mkdir()
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE articles (headline TEXT)")
    con.close()
    return db


def _directory(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def _readonly(directory: Path) -> None:
    raise store_error(directory, sqlite3.OperationalError("attempt to write a readonly database"))


#: How each bad index directory is said: {P} is the parameter, the library's then the command line's.
BAD_INDEX_DIRECTORIES = [
    ("through-a-file", "{tmp}/feed.jsonl/ix: {tmp}/feed.jsonl is a file, not a directory; give {P} a path of "
                       "directories only", "path=", "--index"),
    ("a-file", "{tmp}/feed.jsonl: is a file, not an index directory; give the directory of an index ({P}, default "
               "indexes/default)", "path=", "--index"),
    ("database-holding-an-index", "{tmp}/ix/drift.sqlite: is a directory holding an index, not the index database; "
                                  "give {P}", "path='{tmp}/ix/drift.sqlite'", "--index {tmp}/ix/drift.sqlite"),
    ("database-a-directory", "{tmp}/ix/drift.sqlite: is a directory, not the index database; give {P} the directory "
                             "that holds an index's drift.sqlite file, or move {tmp}/ix/drift.sqlite away",
     "path=", "--index"),
    ("another-programs-database", "{tmp}/ix/drift.sqlite: not a drift index database (it holds the tables "
                                  "articles); give {P} the directory of a drift index, or a new directory for a new "
                                  "one", "path=", "--index"),
    ("read-only", "{tmp}/ix: cannot write the index (attempt to write a readonly database): the directory or its "
                  "files are read-only for this user; make them writable, or give {P} another directory",
     "path=", "--index"),
]


@pytest.mark.parametrize("case, message_, library, command_line", BAD_INDEX_DIRECTORIES,
                         ids=[case for case, *_ in BAD_INDEX_DIRECTORIES])
def test_a_bad_index_directory_names_indexs_path_or_the_index_flag(
        tmp_path: Path, case: str, message_: str, library: str, command_line: str) -> None:
    """``--index`` is ``index_dir`` in click, no library parameter's name: the parameter says its flag itself."""
    (tmp_path / "feed.jsonl").write_text("{}\n")
    calls: dict[str, Callable[[], Any]] = {
        "through-a-file": lambda: Index(tmp_path / "feed.jsonl" / "ix"),
        "a-file": lambda: Index(tmp_path / "feed.jsonl"),
        "database-holding-an-index": lambda: Index(_database_holding_an_index(tmp_path).parent),
        "database-a-directory": lambda: Index(_directory(tmp_path / "ix" / "drift.sqlite").parent),
        "another-programs-database": lambda: Index(_foreign_database(tmp_path).parent),
        "read-only": lambda: _readonly(tmp_path / "ix"),
    }
    assert said(calls[case], ingest_command) == (
        message_.format(tmp=tmp_path, P=library.format(tmp=tmp_path)),
        message_.format(tmp=tmp_path, P=command_line.format(tmp=tmp_path)))


def test_rebuild_from_articles_names_its_own_directory_parameter(tmp_path: Path) -> None:
    nested = _database_holding_an_index(tmp_path)
    assert said(lambda: rebuild_from_articles(nested.parent), rebuild_command) == (
        f"{nested}: is a directory holding an index, not the index database; give directory='{nested}'",
        f"{nested}: is a directory holding an index, not the index database; give --index {nested}")
    error = store_error(tmp_path, PermissionError(13, "Permission denied"), "directory")
    assert str(error).endswith("make them writable, or give directory= another directory")
    with click.Context(rebuild_command):
        assert message(error).endswith("make them writable, or give --index another directory")


# ---------------------------------------------------------------- the index's model and backend: Index(model=...)


def _hashed_index(path: Path) -> Path:
    with Index(path, model=HashEncoder()) as ix:
        ix.add_many([article_from_text(a["text"], id=a["id"]) for a in story_articles(1, 1)])
    return path


def test_another_model_than_the_indexs_names_the_model_argument_or_flag(tmp_path: Path) -> None:
    from drift.store.identity import fingerprint

    ix = _hashed_index(tmp_path / "ix")
    missing = ("{ix}: {given}: no such model directory or cached model on this machine; leave {model} out to use the "
               "index's model 'hash-test', or give a model that exists")
    assert said(lambda: Index(ix, model="no/such/model-dir"), check_command) == (
        missing.format(ix=ix, given="model='no/such/model-dir'", model="model="),
        missing.format(ix=ix, given="--model no/such/model-dir", model="--model"))
    other = (f"{ix}: made with model 'hash-test' (fingerprint {fingerprint(HashEncoder())}), not 'other'; pass "
             "{pass_}, or run `drift index rebuild --model other` to re-embed the index with it")  # a command
    assert said(lambda: Index(ix, model=HashEncoder("other")), check_command) == (
        other.format(pass_="model='hash-test'"), other.format(pass_="--model hash-test"))


def test_another_backend_than_the_indexs_names_the_backend_argument_or_flag(tmp_path: Path) -> None:
    ix = _hashed_index(tmp_path / "ix")
    message_ = ("{ix}: made with backend 'hash', not 'onnx'; leave {P} out to use hash, or run "
                "`drift index rebuild --backend onnx` to re-embed the index with it")
    assert said(lambda: Index(ix, model=HashEncoder(), backend="onnx"), ingest_command) == (
        message_.format(ix=ix, P="backend="), message_.format(ix=ix, P="--backend"))


# ---------------------------------------------------------------- distributed: engine, RayOptions(address=...)


def test_ray_that_cannot_be_imported_names_the_engine_or_the_distributed_ingest(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """compare_stories has engine=; drift.distributed.ingest has none, and stores with Index.add_many locally."""
    from drift.distributed.ingest import ingest
    from drift.distributed.runtime import require_ray

    for name in ("ray", "ray.data"):  # import ray.data: ImportError, whether Ray was imported before or not
        monkeypatch.setitem(sys.modules, name, None)
    said_ = ("{engine} needs Ray Data, which cannot be imported here (import of ray.data halted; None in "
             "sys.modules); "
             "install it with `pip install -r requirements.txt` (ray[data]), or use {instead}")
    command_line = said_.format(engine="--engine ray", instead="--engine local")
    assert said(require_ray, stories_command) == (
        said_.format(engine="engine='ray'", instead="engine='local'"), command_line)
    (tmp_path / "a.txt").write_text("The river rose overnight. Rescuers found 12 people.\n", encoding="utf-8")
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        assert said(lambda: ingest(tmp_path / "a.txt", ix), ingest_command) == (
            said_.format(engine="drift.distributed.ingest",
                         instead="a local ingest (read_articles, then Index.add_many)"), command_line)


def test_stdin_to_a_distributed_ingest_names_the_local_ingest_or_the_engine_flag() -> None:
    from drift.distributed.sources import plan

    assert said(lambda: plan(["-"]), ingest_command) == (
        "-: a distributed ingest cannot read stdin; save it to a file, or use a local ingest (read_articles, then "
        "Index.add_many)",
        "-: a distributed ingest cannot read stdin; save it to a file, or use --engine local")


def test_a_ray_address_that_cannot_be_joined_names_the_address_argument_or_the_flag() -> None:
    """``RayOptions(address=...)`` is ``--ray-address`` (``ray_address`` in click); $RAY_ADDRESS is said as such."""
    from drift.distributed.runtime import connect

    dashboard = ("{given}: a Ray dashboard (job submission) address, not a cluster's; give HEAD:6379, or "
                 "ray://HEAD:10001 through Ray Client, or leave {address} out to run on this machine")
    assert said(lambda: connect("http://127.0.0.1:8265"), stories_command) == (
        dashboard.format(given="address='http://127.0.0.1:8265'", address="address="),
        dashboard.format(given="--ray-address http://127.0.0.1:8265", address="--ray-address"))
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    refused = ("{given}: cannot connect to a Ray cluster (ConnectionRefusedError: nothing answers there); start one "
               "with `ray start --head` there, or leave {address} out to run on this machine")
    assert said(lambda: connect(f"127.0.0.1:{port}"), ingest_command) == (
        refused.format(given=f"address='127.0.0.1:{port}'", address="address="),
        refused.format(given=f"--ray-address 127.0.0.1:{port}", address="--ray-address"))


def test_a_stories_folder_or_report_that_cannot_be_written_names_out_or_the_compare_flag(tmp_path: Path) -> None:
    """``compare_stories``' ``out`` is ``--compare`` (``compare_dir`` in click); a report file in it is named
    alone to a library caller (``write_report``'s ``option`` is the argument's)."""
    import re

    from drift.distributed.stories import compare_stories

    (tmp_path / "file").write_text("", encoding="utf-8")
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many([article_from_text(a["text"], id=a["id"]) for a in story_articles(1, 2)])
        folder = tmp_path / "file" / "reports"
        assert said(lambda: compare_stories(ix, folder), stories_command) == (
            f"out='{folder}': cannot create the folder (Not a directory); give a writable directory",
            f"--compare {folder}: cannot create the folder (Not a directory); give a writable directory")
        library, command_line = said(lambda: compare_stories(ix, "/proc/self"), stories_command)  # no file goes there
    written = r"/proc/self/story-1-[0-9a-f]{12}\.jsonl: cannot write \(No such file or directory\); give a writable " \
              r"directory"
    assert re.fullmatch(written, library) and re.fullmatch(f"--compare {written}", command_line)
