"""drift ingest / stories / check / index: stdout results, one-line errors, light help."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from drift.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
UNRELATED = ROOT / "tests" / "fixtures" / "unrelated"




def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_ingest_stories_check_and_index_commands(shared_model, tmp_path, report_schema):
    ix = str(tmp_path / "ix")
    first = run("ingest", str(UNRELATED), *map(str, SEEDS[1:]), "--index", ix)
    assert first.exit_code == 0, first.output
    assert first.stdout == (f"{ix}: {7 + 4} added (8 new stories); the index holds 11 articles in 8 stories\n")
    again = run("ingest", str(SEEDS[1]), "--index", ix)
    assert again.stdout == (f"{ix}: 0 added (0 new stories), 1 already stored and skipped ({SEEDS[1].stem}); "
                            "the index holds 11 articles in 8 stories\n")

    listed = json.loads(run("stories", "--index", ix, "--format", "json").stdout)
    seed_story = [s for s in listed["stories"] if len(s["articles"]) > 1]
    assert len(seed_story) == 1 and seed_story[0]["articles"] == [p.stem for p in SEEDS[1:]]
    assert set(seed_story[0]) == {"id", "articles", "title"}
    text = run("stories", "--index", ix).stdout
    assert f"story {seed_story[0]['id']}: {seed_story[0]['title']}\n  {SEEDS[1].stem}\n" in text

    checked = run("check", str(SEEDS[0]), "--index", ix, "--format", "json", "--ingest", "--against", "all")
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert list(jsonschema.Draft202012Validator(report_schema).iter_errors(report)) == []
    assert report["signature"]["version_pairs"] == [[SEEDS[0].stem, p.stem] for p in SEEDS[1:]]
    assert report["signature"]["model"] == "all-MiniLM-L6-v2"
    listed = json.loads(run("stories", "--index", ix, "--format", "json").stdout)
    assert [p.stem for p in SEEDS[1:]] + [SEEDS[0].stem] in [s["articles"] for s in listed["stories"]]

    stats = json.loads(run("index", "stats", "--index", ix, "--format", "json").stdout)
    assert stats["articles"] == 12 and stats["vector_index"] == "flat" and stats["model"] == "all-MiniLM-L6-v2"
    assert 0 < stats["vectors"] < stats["sentences"]  # boilerplate sentences get no vector
    verified = run("index", "verify", "--index", ix)
    assert verified.exit_code == 0
    assert verified.stdout == f"{ix}: ok (12 articles, {stats['vectors']} sentence vectors)\n"
    rebuilt = run("index", "rebuild", "--index", ix)
    assert rebuilt.exit_code == 0 and rebuilt.stdout == f"{ix}: rebuilt (flat)\n"


def test_the_index_backend_is_recorded_and_another_is_one_error_line(shared_model, tmp_path):
    ix = str(tmp_path / "ix")
    assert run("ingest", str(SEEDS[0]), "--index", ix, "--backend", "torch").exit_code == 0
    stats = json.loads(run("index", "stats", "--index", ix, "--format", "json").stdout)
    assert stats["backend"] == "torch"
    other = run("ingest", str(SEEDS[1]), "--index", ix, "--backend", "onnx")
    assert other.exit_code == 1
    assert other.stderr == (f"Error: {ix}: made with backend 'torch', not 'onnx'; leave --backend out to use torch, "
                            "or run `drift index rebuild --backend onnx` to re-embed the index with it\n")


def test_verify_reports_a_truncated_vector_file(tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from fakes import HashEncoder, story_articles

    from drift.read.titles import article_from_text
    from drift.store.index import Index

    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many([article_from_text(a["text"], id=a["id"]) for a in story_articles(2, 2)])
    file = tmp_path / "ix" / "vectors.faiss"
    file.write_bytes(file.read_bytes()[:-100])
    result = run("index", "verify", "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {file}: vector index file is truncated or damaged "
                             f"(checksum mismatch); run `drift index rebuild --index {tmp_path / 'ix'}`\n")


def test_verify_names_each_problem_by_its_file_once(tmp_path):
    """The index directory is in every problem's file name: it was printed before it as well ('ix: ix/...')."""
    import sqlite3

    sys.path.insert(0, str(ROOT / "tests"))
    from fakes import HashEncoder, story_articles

    from drift.read.titles import article_from_text
    from drift.store.index import Index

    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many([article_from_text(a["text"], id=a["id"]) for a in story_articles(2, 2)])
    db = tmp_path / "ix" / "drift.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM stories WHERE id = 1")
    con.close()
    result = run("index", "verify", "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: {db}: 2 articles belong to no story; "
                             f"run `drift index rebuild --from-articles --index {tmp_path / 'ix'}`\n")


@pytest.mark.parametrize("model", ["./no-such-model", ""])
def test_a_bad_model_makes_no_index_on_the_way(tmp_path, model):
    """The model was checked after the new index's directory and an empty drift.sqlite were made: an error
    left a half-made index behind."""
    ix = tmp_path / "new-index"
    result = run("ingest", str(SEEDS[0]), "--index", str(ix), "--model", model)
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {model or '--model'}")
    assert not ix.exists()


def test_an_article_in_a_language_the_model_does_not_cover_is_stored_with_a_warning(shared_model, tmp_path):
    """It was stored and matched with the English model's vectors without a word; comparisons skip it later."""
    french = tmp_path / "fr.txt"
    french.write_text("Le président de la République a annoncé lundi une hausse du niveau d'alerte après l'attentat "
                      "de Moscou.\n\nSelon l'Élysée, les services de renseignement français estiment que le groupe a "
                      "mené plusieurs tentatives sur le sol national ces derniers mois.\n", encoding="utf-8")
    ix = str(tmp_path / "ix")
    result = run("ingest", str(french), "--index", ix)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{ix}: 1 added (1 new story); the index holds 1 article in 1 story\n"  # not "1 articles"
    assert result.stderr == (
        f"drift: warning: {french}: language 'fr' is not covered by the index's model 'all-MiniLM-L6-v2': stored, "
        "but matched to a story with that model's vectors; `drift index rebuild --model NAME` re-embeds the index "
        "with a multilingual model\n")
    again = run("ingest", str(SEEDS[0]), "--index", ix, "-q")
    assert again.exit_code == 0 and again.stderr == ""


def test_a_file_whose_name_is_not_utf8_is_skipped_with_one_line_not_a_bug_report(shared_model, tmp_path):
    """Its id (the name's stem) keeps the undecodable byte as a lone surrogate, which compare reads and SQLite
    cannot store: ingest ended in 'Error: unexpected UnicodeEncodeError ...; this is a bug in drift'."""
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a.txt").write_bytes(SEEDS[0].read_bytes())
    with open(os.fsencode(feed) + b"/caf\xe9.txt", "wb") as f:
        f.write(SEEDS[1].read_bytes())
    ix = str(tmp_path / "ix")
    result = run("ingest", str(feed), "--index", ix)
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"{ix}: 1 added (1 new story), 1 unreadable and skipped; the index holds 1 article "
                             "in 1 story\n")
    assert result.stderr == (f"drift: warning: {feed}/caf\\udce9.txt: field \"id\" has a character that is no "
                             "UTF-8 text \\udce9; an index stores UTF-8 only: rename a file whose name is not UTF-8, "
                             "or fix the field (skipped)\n")


def test_missing_index_is_one_error_line(tmp_path):
    result = run("stories", "--index", str(tmp_path / "none"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: {tmp_path / 'none'}: no drift index here; "
                             f"run `drift ingest FILE --index {tmp_path / 'none'}`\n")


@pytest.mark.parametrize("args", [["ingest", "--help"], ["index", "--help"], ["check", "--help"],
                                  ["stories", "--help"]])
def test_index_help_imports_no_heavy_modules(tmp_path, args):
    script = (
        "import sys, drift.cli\n"
        "from click.testing import CliRunner\n"
        f"r = CliRunner().invoke(drift.cli.main, {args!r})\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = {'torch', 'faiss', 'sentence_transformers', 'numpy', 'ray', 'pyarrow'} & set(sys.modules)\n"
        "assert not heavy, sorted(heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("command", [["stories"], ["index", "verify"], ["index", "rebuild", "--from-articles"],
                                     ["ingest", str(SEEDS[0])]], ids=["stories", "verify", "rebuild", "ingest"])
def test_a_database_that_is_a_directory_is_one_line_saying_so(tmp_path, command):
    """SQLite called it a disk I/O error (check the disk) or 'unable to open database file'."""
    (tmp_path / "ix" / "drift.sqlite").mkdir(parents=True)
    result = run(*command, "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: {tmp_path / 'ix' / 'drift.sqlite'}: is a directory, not the index database; "
                             "give --index the directory that holds an index's drift.sqlite file, or move "
                             f"{tmp_path / 'ix' / 'drift.sqlite'} away\n")
    assert [p.name for p in (tmp_path / "ix").iterdir()] == ["drift.sqlite"]


@pytest.mark.parametrize("command", [["stories"], ["index", "verify"], ["index", "rebuild"], ["ingest", str(SEEDS[0])]],
                         ids=["stories", "verify", "rebuild", "ingest"])
def test_a_vector_file_that_is_a_directory_is_one_line_saying_so(tmp_path, command):
    """SQLite said 'the index cannot be used (Is a directory); check the directory and its disk, then run drift
    index verify', which said the same; rebuild said 'check the disk, then run drift index rebuild'."""
    from fakes import HashEncoder

    from drift.read.titles import article_from_text
    from drift.store.index import Index

    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add(article_from_text("The minister spoke on Monday. Taxes will rise next year.", id="a"))
    (tmp_path / "ix" / "vectors.faiss").unlink()
    (tmp_path / "ix" / "vectors.faiss").mkdir()
    result = run(*command, "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: {tmp_path / 'ix' / 'vectors.faiss'}: is a directory, not the index's vector "
                             "file; move it away (the vector file is rebuilt from the database)\n")


@pytest.mark.parametrize("command", [["stories"], ["index", "verify"], ["ingest", str(SEEDS[0])]],
                         ids=["stories", "verify", "ingest"])
def test_an_index_path_through_a_file_is_one_line_naming_the_file(tmp_path, command):
    """ingest said 'the index cannot be used (Not a directory); check the directory and its disk, then run drift
    index verify', and stories sent the user to ingest there."""
    (tmp_path / "feed.jsonl").write_text("{}\n")
    result = run(*command, "--index", str(tmp_path / "feed.jsonl" / "ix"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: {tmp_path / 'feed.jsonl' / 'ix'}: {tmp_path / 'feed.jsonl'} is a file, not a "
                             "directory; give --index a path of directories only\n")


def test_an_index_inside_the_database_path_is_named(tmp_path):
    """``--index ix/drift.sqlite`` once made an index there: ``--index ix`` names the one to give."""
    nested = tmp_path / "ix" / "drift.sqlite"
    nested.mkdir(parents=True)
    (nested / "drift.sqlite").write_bytes(b"")
    result = run("stories", "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: {nested}: is a directory holding an index, not the index database; "
                             f"give --index {nested}\n")


def test_ctrl_c_during_ingest_exits_130_in_one_line_and_keeps_the_stored_batches(tmp_path):
    """A real SIGINT in the second batch's transaction: click said "Aborted!" and exited 1."""
    sys.path.insert(0, str(ROOT / "tests"))
    from fakes import story_articles
    from hostile_inputs import FAKE_CLI

    from drift.store.index import Index

    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(a) + "\n" for a in story_articles(10, 4)), encoding="utf-8")
    interrupt = (
        "import os, signal, drift.store.index as index\n"
        "insert, calls = index.Index._insert, []\n"
        "def interrupting(self, *args):\n"
        "    calls.append(1)\n"
        "    if len(calls) == 20:  # in the second batch of 16\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "    return insert(self, *args)\n"
        "index.Index._insert = interrupting\n"
    )
    script = FAKE_CLI.replace("from drift.cli import main", interrupt + "from drift.cli import main")
    proc = subprocess.run([sys.executable, "-c", script, "ingest", "feed.jsonl", "--index", "ix"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (proc.returncode, proc.stdout) == (130, "")
    assert proc.stderr == ("Error: ix: interrupted; every batch stored before it is kept: run the same ingest again "
                           "to store the rest (stored articles are skipped)\n")
    with Index(tmp_path / "ix", read_only=True) as ix:
        assert ix.verify() == [] and ix.store.counts()["articles"] == 16


def test_ctrl_c_in_any_command_is_one_line_and_exit_130(tmp_path, monkeypatch):
    from drift.read import files

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "read_versions", interrupted)
    result = run("compare", str(SEEDS[0]), str(SEEDS[1]))
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "Error: interrupted\n")
