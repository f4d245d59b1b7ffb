"""The work directory of ``rebuild --from-articles`` (``DIR/.rebuild-PID``), and those killed rebuilds left.

A rebuild makes its fresh database in ``.rebuild-PID`` inside the index directory
and removes it when done. A rebuild killed outright (SIGKILL, the OOM killer, a
power cut) cannot: a second, half-made index stayed there for good. The next
writer or rebuild removes such a leftover when it is provably stale:

- no process holds its lock: a running rebuild holds an exclusive ``flock`` on its
  directory from just after making it to just after removing it, and the kernel
  drops that lock when the process dies, however it dies;
- and process PID is gone (or is the caller itself), which also covers a leftover
  of an older drift, which took no lock, and the instant between a rebuild making
  its directory and locking it.

A leftover whose PID another live process took since is kept until that process
ends: it is only disk space, and removing a directory some live process may own is
worse. The index's own files are never touched.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from drift.errors import IndexStoreError
from drift.store.paths import DB_NAME

log = logging.getLogger("drift")

PREFIX = ".rebuild-"


@contextlib.contextmanager
def work_directory(directory: Path) -> Iterator[Path]:
    """A new ``directory/.rebuild-PID``, locked while the rebuild runs, removed after it (call ``remove_stale``
    first: a stale one of this PID is in the way)."""
    work = directory / f"{PREFIX}{os.getpid()}"
    if work.exists():  # not stale, so a rebuild of this index in another thread of this process holds it
        raise IndexStoreError(f"{work}: another rebuild of {directory} is running in this process; wait for it "
                              "to finish")
    work.mkdir()
    fd = os.open(work, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a cleaner holds it only for an instant, while it finds our PID alive
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        os.close(fd)


def remove_stale(directory: Path) -> list[Path]:
    """Remove the ``.rebuild-PID`` directories of rebuilds that died; those of running ones stay.

    One killed in the instant between moving the old database aside and the new one in
    holds the only current database: that is said, and nothing is removed.
    """
    removed: list[Path] = []
    try:
        found = sorted(directory.glob(f"{PREFIX}*"))
    except OSError:  # pragma: no cover - an unreadable directory fails clearly where the index is opened
        return removed
    for work in found:
        pid = work.name[len(PREFIX):]
        if not pid.isdigit() or work.is_symlink() or not work.is_dir():
            continue  # not one a rebuild made
        if int(pid) != os.getpid() and _alive(int(pid)):
            continue
        if _remove_unlocked(work, directory):
            log.info("%s: removed, left by a `drift index rebuild --from-articles` that was stopped (process %s "
                     "is gone)", work, pid)
            removed.append(work)
    return removed


def _remove_unlocked(work: Path, directory: Path) -> bool:
    """Remove ``work`` unless a live process holds its lock; False when it stays."""
    try:
        fd = os.open(work, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:  # gone already, or not a directory we may read
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a running rebuild holds it (in another PID namespace, say)
            return False
        if (work / DB_NAME).is_file() and not (directory / DB_NAME).exists():
            raise IndexStoreError(f"{directory / DB_NAME}: missing: a rebuild was stopped while swapping in the "
                                  f"database it rebuilt, {work / DB_NAME}; move that file to {directory / DB_NAME} "
                                  f"(the previous one is kept beside it as {DB_NAME}.*-TIME)")
        try:
            shutil.rmtree(work)
        except OSError as e:
            log.warning("%s: left by a stopped rebuild, but cannot be removed (%s); remove it by hand", work,
                        e.strerror or e)
            return False
        return True
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (owned by anyone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    except (OverflowError, ValueError):  # no such PID can exist
        return False
    return True
