"""Distributed ingestion from the command line, and bad input: what each engine says and leaves behind."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import ray
from conftest import ROOT, SEEDS
from distributed_helpers import snapshot, write_jsonl
from fakes import HashEncoder, story_articles

from drift.distributed.ingest import IngestOptions, ingest
from drift.distributed.runtime import RayOptions
from drift.errors import IndexStoreError
from drift.read.files import read_articles
from drift.store.index import Index

ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the encoders below travel to the workers


# ---------------------------------------------------------------- the command line


def test_engine_options_need_the_ray_engine_and_formats_their_mode(tmp_path):
    from click.testing import CliRunner

    from drift.cli import main

    result = CliRunner().invoke(main, ["ingest", str(SEEDS), "--index", str(tmp_path), "--workers", "2"])
    assert result.exit_code == 1 and result.stderr == "Error: --workers needs --engine ray; add it, or leave " \
                                                       "--workers out\n"
    result = CliRunner().invoke(main, ["stories", "--index", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 1 and result.stderr == ("Error: --format jsonl lists nothing; give --compare DIR "
                                                       "to write jsonl reports, or list stories as text or json\n")
    result = CliRunner().invoke(main, ["stories", "--index", str(tmp_path), "--engine", "ray"])
    assert result.exit_code == 1 and result.stderr == ("Error: --engine ray compares stories (--compare DIR) on Ray; "
                                                       "a listing reads the index here: add --compare DIR, or leave "
                                                       "--engine out\n")  # it was silently ignored
    result = CliRunner().invoke(main, ["ingest", "-", "--index", str(tmp_path), "--engine", "ray"], input="x")
    assert result.exit_code == 1 and result.stderr == ("Error: -: a distributed ingest cannot read stdin; save it "
                                                       "to a file, or use --engine local\n")


def test_a_ray_address_nobody_listens_on_is_one_line_at_once():
    import socket
    import time

    from drift.distributed.runtime import connect
    from drift.errors import ConfigError

    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.perf_counter()
    with pytest.raises(ConfigError, match=rf"^address='127.0.0.1:{port}': cannot connect to a Ray cluster "):
        connect(f"127.0.0.1:{port}")
    assert time.perf_counter() - started < 5  # Ray itself retried for minutes, deaf to SIGTERM


def _dies_once(marker: str) -> int:
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(1)
    return 1


def test_ray_events_about_a_dead_worker_never_reach_a_command_lines_stdout(ray_local, tmp_path, capfd):
    """Ray's driver prints "(raylet) A worker died ..." to stdout, where the command line writes its results."""
    import time

    from drift.distributed.runtime import ray_session

    with ray_session(silent=True):
        dies_once = ray.remote(max_retries=1)(_dies_once)
        assert ray.get(dies_once.remote(str(tmp_path / "died"))) == 1  # retried once on a new worker
        time.sleep(5)  # Ray's error listener prints what the raylet publishes a moment later
    assert (tmp_path / "died").exists() and capfd.readouterr().out == ""


def test_ray_that_cannot_be_imported_is_one_line_and_creates_no_index(tmp_path):
    shim = tmp_path / "shim" / "ray"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text('raise ImportError("No module named \'ray\'")\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{shim.parent}{os.pathsep}{ROOT}"}
    done = subprocess.run([sys.executable, "-m", "drift", "ingest", str(SEEDS), "--index", str(tmp_path / "ix"),
                           "--engine", "ray"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == ("Error: --engine ray needs Ray Data, which cannot be imported here (No module named "
                           "'ray'); install it with `pip install -r requirements.txt` (ray[data]), or use "
                           "--engine local\n")
    assert not (tmp_path / "ix").exists()  # nothing created for a job that could not start


def test_a_bad_ray_address_from_the_environment_is_named_as_such(monkeypatch):
    """$RAY_ADDRESS, not --ray-address, is what to fix; an http:// one is a dashboard's, not a cluster's."""
    import socket

    from drift.distributed.runtime import connect
    from drift.errors import ConfigError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("RAY_ADDRESS", f"127.0.0.1:{port}")
    with pytest.raises(ConfigError, match=rf"^\$RAY_ADDRESS 127.0.0.1:{port}: cannot connect to a Ray cluster "
                                          r"\(ConnectionRefusedError: nothing answers there\); start one with "
                                          r"`ray start --head` there, or unset RAY_ADDRESS to run on this machine$"):
        connect()
    monkeypatch.setenv("RAY_ADDRESS", "http://127.0.0.1:8265")  # what Ray's job submission docs export
    with pytest.raises(ConfigError, match=r"^\$RAY_ADDRESS http://127.0.0.1:8265: a Ray dashboard \(job "
                                          r"submission\) address, not a cluster's; give HEAD:6379, or "
                                          r"ray://HEAD:10001 through Ray Client, or unset RAY_ADDRESS"):
        connect()
    with pytest.raises(ConfigError, match=r"^address='nohost.invalid:6379': cannot connect to a Ray cluster "
                                          r"\(gaierror: no such host\); .* or leave address= out"):
        connect("nohost.invalid:6379")


def test_a_second_run_of_a_running_job_is_refused_at_once_in_one_line(tmp_path):
    """Two runs of one job planned from each other's shards (written, then deleted) and failed midway with
    "Ray returned shard 1 in place of 6"; the second is refused before any work, the first is not disturbed."""
    import fcntl

    from drift.errors import JobError

    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 2)])
    job_dir = tmp_path / "job"
    job_dir.mkdir()
    with open(job_dir / ".lock", "a") as running:  # the first run holds its job's lock
        fcntl.flock(running.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with Index(tmp_path / "ix", model=HashEncoder()) as ix:
            with pytest.raises(JobError, match=rf"^{re.escape(str(tmp_path / 'ix'))}: job [0-9a-f]{{16}} \(the same "
                                               r"inputs\) is running in another drift process; wait for it to end, "
                                               r"then run the same command again \(what it stored is skipped\)$"):
                ingest([source], ix, options=IngestOptions(job_dir=job_dir))
            assert ix.stories() == []
    assert sorted(p.name for p in job_dir.iterdir()) == [".lock"]  # nothing of the running job's was touched


def test_a_callers_job_dir_keeps_what_else_it_holds(ray_local, tmp_path):
    """A successful run removed the whole IngestOptions(job_dir=...) folder, whatever else the caller kept in
    it; now only the job's shards and lock go, and the folder only when the job made it."""
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 2)])
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "notes.txt").write_text("mine", encoding="utf-8")
    fresh = tmp_path / "fresh" / "job"
    for n, job_dir in enumerate((scratch, fresh)):
        with Index(tmp_path / f"ix{n}", model=HashEncoder()) as ix:
            result = ingest([source], ix, options=IngestOptions(job_dir=job_dir, unit_size=1))
            assert len(result.added) == 4 and result.units == 4  # a shard a record
    assert sorted(p.name for p in scratch.iterdir()) == ["notes.txt"]
    assert (scratch / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not fresh.exists() and (tmp_path / "fresh").exists()  # only the folder the job made


def test_drift_distributed_ingest_is_the_documented_function_whatever_was_imported_before():
    """The submodule ``drift.distributed.ingest``, once imported (the CLI does), hid the lazy function."""
    script = ("import drift.distributed.ingest\n"
              "from drift.distributed import ingest\n"
              "import drift.distributed\n"
              "assert callable(ingest) and drift.distributed.ingest is ingest, (ingest, drift.distributed.ingest)\n"
              "assert ingest.__module__ == 'drift.distributed.ingest'\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr


def test_a_read_only_index_is_refused_before_any_work(tmp_path):
    """It was refused at the first merge: after a whole Ray job, with shards written into the reader's index."""
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 2)])
    with Index(tmp_path / "ix", model=HashEncoder()):
        pass
    with Index(tmp_path / "ix", read_only=True) as ix:
        with pytest.raises(IndexStoreError, match=r"opened read-only; open it with Index\(path\) to add articles$"):
            ingest([source], ix)
    assert not (tmp_path / "ix" / "jobs").exists()  # no shard written, no Ray job run


class _Unloadable(HashEncoder):
    """Cannot be built on the workers, as a model missing on a node."""

    def __setstate__(self, state):
        from drift.errors import ModelError

        raise ModelError("the model files are missing on this node")


def test_a_worker_that_cannot_load_the_model_is_one_line_on_a_command_lines_stderr(ray_local, tmp_path,
                                                                                   monkeypatch):
    """Ray Data logged its own stack traces (a hundred lines) on stderr before drift's one line; that line is the
    worker's own ModelError, not a JobError that buried it and said to run the same command again."""
    import io
    import logging

    from drift.errors import ModelError

    console = io.StringIO()  # where Ray's console handlers write (stderr, but pytest holds the stream they took)
    for name in ("ray", "ray.data"):
        for handler in logging.getLogger(name).handlers:
            if type(handler).__module__.startswith("ray.") and "File" not in type(handler).__name__:
                monkeypatch.setattr(handler, "stream", console)
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 2)])
    with Index(tmp_path / "ix", model=_Unloadable()) as ix:
        with pytest.raises(ModelError) as error:
            ingest([source], ix, RayOptions(silent=True))
        assert ix.stories() == []
    assert str(error.value) == "the model files are missing on this node"
    assert console.getvalue() == ""
    assert not (tmp_path / "ix" / "jobs").exists()  # the failed job left no empty folder in the index


# ---------------------------------------------------------------- bad input: what each engine says and leaves


@pytest.fixture
def hash_index(monkeypatch):
    """The command line's indexes embed with HashEncoder: no model for the Ray workers to load."""
    import drift.cli.store as commands

    opened = commands._open
    monkeypatch.setattr(commands, "_open",
                        lambda index_dir, model=None, **kw: opened(index_dir, model or HashEncoder(), **kw))


def _cli_both(tmp_path: Path, *args: Any, index: str = "new-{engine}/ix", stdin: str | None = None) -> dict:
    """``drift ingest ARGS`` with each engine into its own index: (exit code, stdout, stderr), the index as IX."""
    from click.testing import CliRunner

    from drift.cli import main

    seen = {}
    for engine in ("local", "ray"):
        ix = str(tmp_path / index.format(engine=engine))
        done = CliRunner().invoke(main, ["ingest", *map(str, args), "--index", ix, "--engine", engine], input=stdin)
        assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
        seen[engine] = (done.exit_code, done.stdout.replace(ix, "IX"), done.stderr.replace(ix, "IX"))
    return seen


def test_a_ray_ingests_warnings_name_the_flags_as_a_local_ones(ray_local, hash_index, tmp_path):
    """A worker's refusal reached the driver as text, so the command line could not name its flags: a Latin-1
    file's hint said "pass encoding= (e.g. encoding='latin-1')" on Ray, "--encoding latin-1" locally."""
    good, latin = tmp_path / "good.txt", tmp_path / "latin.txt"
    good.write_text(story_articles(1, 1, seed=3)[0]["text"], encoding="utf-8")
    latin.write_bytes("Le caf\u00e9 est ouvert. La deuxi\u00e8me phrase suit.".encode("latin-1"))
    seen = _cli_both(tmp_path, good, latin)
    assert seen["ray"] == seen["local"]
    assert seen["ray"][2] == (f"drift: warning: {latin}: not valid UTF-8 (byte 0xe9 at offset 6); pass --encoding "
                              "(e.g. --encoding latin-1) (skipped)\n")


def test_a_ray_ingest_that_fails_before_storing_anything_leaves_no_index_as_a_local_one(ray_local, hash_index,
                                                                                         tmp_path):
    """Ray opened (so made) the index before its workers read the inputs: a run that read nothing left an
    empty index directory (and its parent) behind, where a local ingest, which reads first, left none."""
    scan, scan2, good = tmp_path / "scan.txt", tmp_path / "scan2.txt", tmp_path / "good.txt"
    scan.write_bytes(b"%PDF-1.7\x00\x01")
    scan2.write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    good.write_text(story_articles(1, 1, seed=2)[0]["text"], encoding="utf-8")
    broken = tmp_path / "unloadable"
    broken.mkdir()
    (broken / "config.json").write_text("{}", encoding="utf-8")
    binary = "binary file, not text; give a .txt, .md, .json or .jsonl article"
    cases = {
        "one": ([scan], f"Error: {scan}: {binary}\n"),
        "all": ([scan, scan2], f"drift: warning: {scan}: {binary} (skipped)\ndrift: warning: {scan2}: {binary} "
                               "(skipped)\nError: none of the 2 inputs could be read (see the warnings above); fix "
                               "them and run again\n"),
        "codec": ([good, "--encoding", "no-such-codec"], "Error: --encoding 'no-such-codec': unknown encoding; "
                                                         "give a Python codec name such as utf-8 or latin-1\n"),
        # a local ingest too made the index before it found the model unusable, at its first batch; on Ray the
        # workers' ModelError was "ingest job ... failed on Ray (... UDF failed to process a data block.); run the
        # same command again to resume", naming neither the model nor the fix
        "model": ([good, "--model", broken], f"Error: {broken}: cannot load model (ValueError: Unrecognized model "
                                             f"in {broken}.); pass --model with a local model directory (nothing is "
                                             "downloaded at run time)\n"),
    }
    for case, (args, stderr) in cases.items():
        seen = _cli_both(tmp_path, *args, index=f"{case}-{{engine}}/ix")
        assert seen["ray"] == seen["local"] == (1, "", stderr), case
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(case)) == [], case
    seen = _cli_both(tmp_path, "-", index="stdin-{engine}/ix", stdin="One sentence here.")
    assert seen["ray"] == (1, "", "Error: -: a distributed ingest cannot read stdin; save it to a file, or use "
                                  "--engine local\n")
    assert not (tmp_path / "stdin-ray").exists()

    # an index that was there before is kept as it was, stored articles and all; so is an empty directory
    with Index(tmp_path / "kept", model=HashEncoder()) as ix:
        ix.add_many(read_articles([good]))
    before = snapshot(tmp_path / "kept")
    (tmp_path / "mine").mkdir()
    for index in ("kept", "mine"):
        seen = _cli_both(tmp_path, scan, index=index)
        assert seen["ray"] == seen["local"] == (1, "", f"Error: {scan}: {binary}\n")
    assert snapshot(tmp_path / "kept") == before and list((tmp_path / "mine").iterdir()) == []
    with Index(tmp_path / "kept", model=HashEncoder()) as ix:
        assert ix.verify() == []


def test_records_all_refused_by_a_limit_get_the_local_summary_on_ray_first_and_on_a_rerun(ray_local, hash_index,
                                                                                          tmp_path):
    """A record read but refused (a limit, in the workers) was told from an unreadable one by neither the job nor
    its shards: with nothing stored, Ray printed the refusal as an Error line where a local ingest, which had read
    the article, prints its summary; with an unreadable input too, "none of the 2 inputs could be read"."""
    long, good, scan = tmp_path / "long.txt", tmp_path / "good.txt", tmp_path / "scan.txt"
    long.write_text("Word " * 100 + "end.\n", encoding="utf-8")
    good.write_text(story_articles(1, 1, seed=2)[0]["text"], encoding="utf-8")
    scan.write_bytes(b"%PDF-1.7\x00\x01")
    refused = (f"drift: warning: {long}: sentence 1 has 504 characters, over the limit of 50 per sentence; break "
               "the text into sentences (one paragraph a line), or raise the limit with --max-sentence-chars N "
               "(library: Limits(max_sentence_chars=N)) (skipped)\n")
    unreadable = f"drift: warning: {scan}: binary file, not text; give a .txt, .md, .json or .jsonl article (skipped)\n"
    nothing = "0 added (0 new stories), {} unreadable and skipped; the index holds 0 articles in 0 stories\n"
    for _ in range(2):  # the re-run finds the job's shards merged, and says what a local re-run says
        seen = _cli_both(tmp_path, long, "--max-sentence-chars", "50", index="chars-{engine}")
        assert seen["ray"] == seen["local"] == (1, "IX: " + nothing.format(1), refused)
        seen = _cli_both(tmp_path, good, "--max-sentences", "2", index="sentences-{engine}")
        assert seen["ray"] == seen["local"] and seen["local"][:2] == (1, "IX: " + nothing.format(1))
        assert "sentences, over the limit of 2 per batch" in seen["local"][2]
        # and an unreadable input first: a local ingest warns of what it could not read, then of what it refused
        seen = _cli_both(tmp_path, long, scan, "--max-sentence-chars", "50", index="both-{engine}")
        assert seen["ray"] == seen["local"] == (1, "IX: " + nothing.format(2), unreadable + refused)


@pytest.mark.parametrize("failure", [IndexStoreError("the job failed on Ray"), KeyboardInterrupt()])
def test_a_failed_ray_ingest_into_an_existing_empty_directory_leaves_it_empty(hash_index, tmp_path, monkeypatch,
                                                                               failure):
    """Ray opens (so makes) the index before its workers run: a run that failed then left drift.sqlite and its lock
    in a directory that was there, and empty, before; a directory holding other files keeps them, and only them."""
    from click.testing import CliRunner

    from drift.cli import main

    def failing(*args: Any, **kwargs: Any) -> None:
        raise failure

    monkeypatch.setattr(sys.modules["drift.distributed.ingest"], "ingest", failing)
    good = tmp_path / "good.txt"
    good.write_text(story_articles(1, 1, seed=2)[0]["text"], encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "README").write_text("mine\n", encoding="utf-8")
    for folder in ("empty", "notes"):
        done = CliRunner().invoke(main, ["ingest", str(good), "--index", str(tmp_path / folder), "--engine", "ray"])
        assert done.exit_code != 0 and "Traceback" not in done.stderr
        if isinstance(failure, IndexStoreError):
            assert (done.exit_code, done.stderr) == (1, "Error: the job failed on Ray\n")
    assert list((tmp_path / "empty").iterdir()) == []
    assert [p.name for p in (tmp_path / "notes").iterdir()] == ["README"]


def test_a_run_that_fails_after_storing_into_an_existing_empty_directory_keeps_the_index(tmp_path):
    from drift.store.fresh import removed_unless_stored

    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 1)])
    (tmp_path / "ix").mkdir()
    with pytest.raises(KeyboardInterrupt), removed_unless_stored(tmp_path / "ix"):
        with Index(tmp_path / "ix", model=HashEncoder()) as ix:
            ix.add_many(read_articles([source]))
        raise KeyboardInterrupt  # what it stored is kept, to resume
    assert len(snapshot(tmp_path / "ix")["articles"]) == 2


def test_a_run_that_fails_keeps_a_new_index_once_anything_is_stored_and_the_folders_it_did_not_make(tmp_path):
    import contextlib

    from drift.store.database import write_lock
    from drift.store.fresh import removed_unless_stored

    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 1)])
    for stored in (True, False):
        index = tmp_path / f"made-{stored}" / "by" / "run"
        with pytest.raises(KeyboardInterrupt), removed_unless_stored(index):
            with Index(index, model=HashEncoder()) as ix:
                if stored:
                    ix.add_many(read_articles([source]))
            raise KeyboardInterrupt  # a failure after the first batch: what it stored is kept, to resume
        assert index.exists() is stored and (tmp_path / f"made-{stored}").exists() is stored
    assert len(snapshot(tmp_path / "made-True" / "by" / "run")["articles"]) == 2
    (tmp_path / "made-False" / "other").mkdir(parents=True)  # someone else's folder beside the new index
    with pytest.raises(ValueError), removed_unless_stored(tmp_path / "made-False" / "ix"):
        Index(tmp_path / "made-False" / "ix", model=HashEncoder()).close()
        raise ValueError
    assert sorted(p.name for p in (tmp_path / "made-False").iterdir()) == ["other"]
    # another process opened the new index meanwhile and is storing its first batch: the index is its own now
    with contextlib.ExitStack() as other:
        with pytest.raises(ValueError), removed_unless_stored(tmp_path / "shared" / "ix"):
            Index(tmp_path / "shared" / "ix", model=HashEncoder()).close()
            other.enter_context(write_lock(tmp_path / "shared" / "ix"))
            raise ValueError
        assert (tmp_path / "shared" / "ix" / "drift.sqlite").exists()


def test_ray_that_cannot_start_leaves_no_index(tmp_path):
    import socket

    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = subprocess.run([sys.executable, "-m", "drift", "ingest", str(SEEDS), "--index", str(tmp_path / "new" / "ix"),
                           "--engine", "ray", "--ray-address", f"127.0.0.1:{port}"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"Error: --ray-address 127.0.0.1:{port}: cannot connect to a Ray cluster ")
    assert not (tmp_path / "new").exists()


def test_wrong_options_are_refused_at_the_call_in_one_line(tmp_path):
    """IngestOptions(unit_size=0), RayOptions(workers=-1) or an index that is no Index failed as a Python or
    Ray error in the middle of the job (a ZeroDivisionError, a Ray ValueError, an AttributeError)."""
    from drift.errors import ArgumentError, ConfigError

    cases = [(lambda: IngestOptions(unit_size=0), "unit_size=0: not a positive whole number; give a count such as"),
             (lambda: IngestOptions(batch_size=-3), "batch_size=-3: not a positive whole number"),
             (lambda: IngestOptions(job_dir=5), "IngestOptions: job_dir must be a path (or None), not int"),
             (lambda: RayOptions(workers=0), "workers=0: not a positive whole number; give a count such as 4"),
             (lambda: RayOptions(workers=True), "workers=True: not a positive whole number"),
             (lambda: RayOptions(address=6379), "RayOptions: address must be a str (or None), not int"),
             (lambda: ingest([str(tmp_path)], str(tmp_path / "ix")),
              "drift.distributed.ingest: index must be an Index, not str"),
             (lambda: ingest([str(tmp_path)], None, options=IngestOptions()),  # type: ignore[arg-type]
              "drift.distributed.ingest: index must be an Index, not None"),
             (lambda: ingest([str(tmp_path)], opened, options={"unit_size": 2}),  # type: ignore[arg-type]
              "drift.distributed.ingest: options must be an IngestOptions, not dict")]
    with Index(tmp_path / "ix2", model=HashEncoder()) as opened:
        for call, message in cases:
            with pytest.raises((ConfigError, ArgumentError)) as raised:
                call()
            assert str(raised.value).startswith(message), str(raised.value)
        assert opened.stories() == []
    assert IngestOptions(job_dir=str(tmp_path)).job_dir == tmp_path  # a str is a path, as everywhere
    assert not (tmp_path / "ix").exists()


def test_an_address_ray_cannot_use_because_ray_already_runs_is_said(ray_local, caplog):
    # Ray already started in this process was used silently, whatever cluster address= named.
    from drift.distributed.runtime import ray_session

    with caplog.at_level("WARNING", logger="drift"):
        with ray_session(address="10.9.8.7:6379"):
            pass
        with ray_session(address=ray_local):  # the cluster it runs already: nothing to say
            pass
    assert [r.getMessage() for r in caplog.records] == [
        f"Ray already runs in this process (cluster {ray_local}), so the job runs there, not at "
        "address='10.9.8.7:6379'; call ray.shutdown() first to use that cluster"]
