"""Scoring stage: pairs split among forked processes give the same Drifts as one process (drift.score.parallel)."""
from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from drift.errors import ConfigError
from drift.score import parallel
from drift.score.scorer import Scorer

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"


def _pairs() -> list[tuple[str, str]]:
    """Seed sentences against copies with a name, a figure, a negation or a word changed, and unchanged."""
    from drift.read.files import read_article
    from drift.text.prepare import prepare_article

    texts = [s.text for path in sorted(SEEDS.glob("*.txt"))[:2]
             for s in prepare_article(read_article(path)).sentences if len(s.text.split()) > 6]
    edits = [lambda t: t, lambda t: t.replace("Macron", "Attal"), lambda t: t.replace("137", "173"),
             lambda t: t.replace(" is ", " is not "), lambda t: t.replace("attack", "assault"),
             lambda t: " ".join(t.split()[:-4]) + "."]
    return [(text, edit(text)) for text in texts for edit in edits]


def _scorers(encoder, pairs):
    from drift.pipeline import prepare_pairs

    prepared = prepare_pairs(pairs, model=encoder)
    made = []
    for workers in (1, 2):
        scorer = Scorer(list(prepared.scorer.articles.values()), prepared.scorer.words, workers=workers)
        scorer.relations = None
        made.append(scorer)
    return made, prepared.alignments


def split_and_compare(encoder) -> list[bool]:
    """Scores the pairs in one process, then in two; asserts the same Drifts; says when the work was split."""
    import drift.score.scorer as scorer_module

    split: list[bool] = []

    def spy(work, alignments, workers):
        out = parallel.score_split(work, alignments, workers)
        split.append(out is not None)
        return out

    parallel.MIN_PAIRS = 8
    scorer_module.score_split = spy  # type: ignore[assignment]
    pairs = _pairs()
    (one, two), alignments = _scorers(encoder, pairs)
    alone, forked = one.score_all(alignments), two.score_all(alignments)
    assert len(alone) == len(pairs) > 40
    assert forked == alone  # every drift, severity, kind, span and explanation, in order
    assert {d.severity for d in alone} >= {"none", "major"}
    assert two.score_all(alignments) == alone  # the second time from the memo: nothing to split
    return split


def test_forked_processes_score_every_pair_exactly_as_one_process():
    # in a fresh interpreter: this one may be running Ray (a session fixture), where nothing is forked
    here = Path(__file__).resolve().parent
    code = ("import sys; sys.path[:0] = [sys.argv[1]]\n"
            "from fakes import HashEncoder\n"
            "from test_scoring_parallel import split_and_compare\n"
            "print(split_and_compare(HashEncoder(dim=64)))\n")
    env = {**os.environ, parallel.VARIABLE: "2"}
    done = subprocess.run([sys.executable, "-c", code, str(here)], capture_output=True, text=True, env=env,
                          cwd=here.parent, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "[False, True]"  # one process, then a pool


def test_a_pool_whose_worker_dies_hands_the_work_back(monkeypatch):
    parent = os.getpid()

    def work(items):
        if os.getpid() != parent:
            os._exit(3)  # killed: the pool breaks
        return [x * 2 for x in items]

    monkeypatch.setattr(parallel, "MIN_PAIRS", 2)
    assert parallel.score_split(work, list(range(10)), 2) is None


def test_split_work_comes_back_in_order(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PAIRS", 2)
    assert parallel.score_split(lambda items: [(os.getpid(), x * 2) for x in items], list(range(50)), 2) is not None
    out = parallel.score_split(lambda items: [x * 2 for x in items], list(range(50)), 2)
    assert out == [x * 2 for x in range(50)]
    assert parallel.score_split(lambda items: list(items), list(range(50)), 1) is None  # one worker: the caller's
    monkeypatch.setattr(parallel, "MIN_PAIRS", 100)
    assert parallel.score_split(lambda items: list(items), list(range(50)), 2) is None  # too few to fork for


@pytest.mark.parametrize("value,expected", [("1", 1), ("3", 3), (" 2 ", 2)])
def test_the_environment_sets_the_processes(monkeypatch, value, expected):
    monkeypatch.delitem(sys.modules, "ray", raising=False)  # a Ray this test session started would forbid forks
    monkeypatch.setenv(parallel.VARIABLE, value)
    assert parallel.processes(None) == expected
    assert parallel.processes(1) == 1  # the caller's count wins


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_a_bad_process_count_in_the_environment_is_a_config_error(monkeypatch, value):
    monkeypatch.setenv(parallel.VARIABLE, value)
    with pytest.raises(ConfigError, match=rf"DRIFT_SCORING_PROCESSES='{value}'.*positive whole number.*unset it"):
        parallel.processes(None)


def test_no_fork_where_it_is_unsafe(monkeypatch):
    monkeypatch.delenv(parallel.VARIABLE, raising=False)
    monkeypatch.delitem(sys.modules, "ray", raising=False)
    monkeypatch.setattr(parallel, "_usable_cores", lambda: 4)
    assert parallel.processes(None) == 4
    monkeypatch.setitem(sys.modules, "ray", types.SimpleNamespace(is_initialized=lambda: True))
    assert parallel.processes(None) == 1  # Ray's threads must not be forked
    assert parallel.processes(3) == 1
    monkeypatch.setitem(sys.modules, "ray", types.SimpleNamespace(is_initialized=lambda: False))
    assert parallel.processes(None) == 4
    monkeypatch.setattr(parallel.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert parallel.processes(None) == 1
    monkeypatch.setattr(parallel.multiprocessing, "get_all_start_methods", lambda: ["fork", "spawn"])
    assert parallel.processes(None) == 4
    monkeypatch.setattr(parallel.sys, "platform", "darwin")  # fork there may crash system libraries
    assert parallel.processes(None) == 1
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    monkeypatch.setattr(parallel.multiprocessing, "current_process", lambda: types.SimpleNamespace(daemon=True))
    assert parallel.processes(None) == 1  # a daemonic process may have no children


def test_the_scorer_refuses_a_bad_worker_count():
    with pytest.raises(ConfigError, match="workers=0: not a positive whole number"):
        Scorer([], {}, workers=0)


#: A parent that splits work whose parts take a minute, prints its workers' pids, and says how it ended.
_STUCK = """
import os, sys, time
from drift.score import parallel
parallel.MIN_PAIRS = 2
def work(items):
    os.write(1, f"worker {os.getpid()}\\n".encode())  # one write: the two workers' lines never interleave
    time.sleep(60)
    return list(items)
try:
    parallel.score_split(work, list(range(8)), 2)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(130)
"""


def _stuck_parent() -> tuple[subprocess.Popen, list[int]]:
    process = subprocess.Popen([sys.executable, "-c", _STUCK], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True, cwd=Path(__file__).resolve().parent.parent)
    assert process.stdout is not None and process.stderr is not None
    lines = [process.stdout.readline() for _ in range(2)]
    if not all(line.startswith("worker ") for line in lines):
        process.kill()
        raise AssertionError(f"no workers started: stdout {lines!r}, exit {process.wait()}, "
                             f"stderr {process.stderr.read()[-2000:]!r}")
    return process, [int(line.split()[1]) for line in lines]


def _gone(pid: int) -> bool:
    """Dead: no such process, or a zombie nobody reaps (a container's init may not)."""
    import time

    for _ in range(50):
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked scoring is Linux only")
def test_ctrl_c_reaches_the_parent_only_and_ends_the_workers_at_once():
    import signal
    import time

    process, workers = _stuck_parent()
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole process group
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130 and out.strip() == "interrupted"
    assert time.monotonic() - started < 20  # not the minute the parts would take
    assert err == ""  # no traceback from any worker
    assert all(_gone(pid) for pid in workers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked scoring is Linux only")
def test_workers_die_with_a_killed_parent():
    import signal

    process, workers = _stuck_parent()
    try:
        process.kill()  # SIGKILL: no Python code of the parent runs
        process.communicate(timeout=30)
        assert all(_gone(pid) for pid in workers)  # not left waiting forever for work
    finally:
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
