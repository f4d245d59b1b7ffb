"""Scoring many pairs on every core: the pairs split among forked processes, the same Drifts back.

Embedding runs on all cores (the encoder's threads); scoring is Python and would run
on one, so a story of thousands of pairs waited on one core while the others idled.
Each pair's score depends only on the pair (``Scorer`` memoises by text, never by
neighbour), so splitting the pairs changes no bit of any result: the same Drifts,
in the same order, as one process gives (``tests/test_scoring_parallel.py``).

Processes are forked, so they inherit the scorer (articles, word vectors, weights)
without copying it through a pipe; only the pairs' places and the Drifts travel.
Nothing is forked where that is unsafe or not worth it: fewer than ``MIN_PAIRS``
pairs, one usable core, a system other than Linux, a daemonic process (which may
have no children) or a process running Ray (whose threads a fork would copy half-held).
A pool that breaks (a worker killed, no memory to fork) falls back to one process.
``DRIFT_SCORING_PROCESSES`` sets how many processes (1: never fork).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from drift.errors import ConfigError, given

#: The environment variable that sets how many processes score (1: all in this one).
VARIABLE = "DRIFT_SCORING_PROCESSES"
#: Fewer pairs than this are scored in this process: a fork and its start cost more than they save.
MIN_PAIRS = 512
#: Processes used when neither the caller nor the environment says: more rarely pays on news stories.
MOST = 8
_PR_SET_PDEATHSIG = 1  # linux/prctl.h: the signal a process gets when its parent dies

Pair = TypeVar("Pair")  # an Alignment
Result = TypeVar("Result")  # its Drift
_WORK: list[tuple[Callable[[Sequence[Any]], list[Any]], Sequence[Any]]] = []  # what the next forked workers inherit
_FORKING = threading.Lock()  # one pool starts at a time: each inherits its own work


def processes(workers: int | None) -> int:
    """How many processes to score with: ``workers`` if given, else $DRIFT_SCORING_PROCESSES, else the
    usable cores (at most ``MOST``); 1 wherever forking is unsafe."""
    if workers is None:
        workers = _from_environment()
    if workers is None:
        workers = min(MOST, _usable_cores())
    if workers > 1 and not _can_fork():
        return 1
    return workers


def score_split(work: Callable[[Sequence[Pair]], list[Result]], alignments: Sequence[Pair],
                workers: int) -> list[Result] | None:
    """``work(alignments)`` with the alignments split among ``workers`` forked processes, in order;
    None when it is not worth it (too few pairs, one worker) or the pool broke: the caller scores them."""
    if workers < 2 or len(alignments) < MIN_PAIRS:
        return None
    parts = min(len(alignments), 4 * workers)  # a few parts per worker: one slow part does not hold up the rest
    bounds = [(n * len(alignments) // parts, (n + 1) * len(alignments) // parts) for n in range(parts)]
    with _FORKING:
        _WORK.append((work, alignments))
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_child_started, initargs=(os.getpid(),))
        try:
            futures = [pool.submit(_score_part, start, end) for start, end in bounds]  # forks them all
        except (BrokenProcessPool, OSError):  # no memory or processes left to fork
            pool.shutdown(cancel_futures=True)
            return None
        finally:
            _WORK.pop()
    try:
        return [drift for future in futures for drift in future.result()]
    except BrokenProcessPool:  # a worker was killed: nothing of its part came back
        return None
    except BaseException:  # Ctrl-C, or an error in one part: the other parts are not waited for
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _child_started(parent: int) -> None:
    """In each worker: a Ctrl-C is the parent's to handle (one line, exit 130), not a traceback per worker; and
    the worker dies with its parent, as a killed ``drift compare`` would otherwise leave it waiting forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl: the pool's own checks remain
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Ends the pool's workers at once (their parts are abandoned), rather than waiting for each to finish."""
    workers = getattr(pool, "_processes", None) or {}  # concurrent.futures keeps no public list of them
    for process in list(workers.values()):
        process.terminate()


def _score_part(start: int, end: int) -> list[Any]:
    work, alignments = _WORK[-1]
    return work(alignments[start:end])


def _from_environment() -> int | None:
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return None
    try:
        count = int(value)
    except ValueError:
        count = 0
    if count < 1:
        raise ConfigError(given(VARIABLE, value), ": not a positive whole number; set it to a count such as 2 "
                          "(1 scores in one process), or unset it")
    return count


def _usable_cores() -> int:
    counter: Any = getattr(os, "process_cpu_count", None)  # Python 3.13: the cores this process may use
    if counter is not None:
        return int(counter() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _can_fork() -> bool:
    # macOS has fork, but its system libraries may crash in a forked child that is not exec'd
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return False
    if multiprocessing.current_process().daemon:
        return False
    ray = sys.modules.get("ray")
    return not (ray is not None and getattr(ray, "is_initialized", lambda: True)())
