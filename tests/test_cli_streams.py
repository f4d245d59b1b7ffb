"""The CLI's standard streams, closed at start or by the reader mid-output: one line or silence, no traceback."""
from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile_inputs import FAKE_CLI

from drift import __version__

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
CLOSED_STDOUT = "Error: standard output is closed; redirect it to a file or /dev/null\n"


def _drift(args: list[str], closing: tuple[int, ...], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``drift ARGS`` with the file descriptors ``closing`` closed at exec, as ``>&-`` or ``<&-`` do."""
    def close() -> None:
        for fd in closing:
            os.close(fd)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    stdout = None if 1 in closing else subprocess.PIPE
    stderr = None if 2 in closing else subprocess.PIPE
    return subprocess.run([sys.executable, "-m", "drift", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          stdout=stdout, stderr=stderr, text=True, timeout=120, preexec_fn=close)


@pytest.mark.parametrize("args", [
    ["--help"], ["--version"], ["compare", str(SEEDS[0]), str(SEEDS[1])], ["stories", "--index", "ix"],
    ["index", "stats", "--index", "ix"], ["check", str(SEEDS[0]), "--index", "ix"],
    ["ingest", str(SEEDS[0]), "--index", "ix"],
])
def test_closed_stdout_is_one_line_before_any_work(args: list[str], tmp_path: Path) -> None:
    proc = _drift(args, (1,), tmp_path)
    assert (proc.returncode, proc.stderr) == (1, CLOSED_STDOUT)
    assert not (tmp_path / "ix").exists()  # ingest stored nothing it could not report


def test_closed_stdout_and_stderr_exit_1_silently(tmp_path: Path) -> None:
    assert _drift(["compare", str(SEEDS[0]), str(SEEDS[1])], (1, 2), tmp_path).returncode == 1


@pytest.mark.parametrize("closing", [(2,), (0, 2)])
def test_closed_stderr_only_silences_the_logs(closing: tuple[int, ...], tmp_path: Path) -> None:
    proc = _drift(["--version"], closing, tmp_path)
    assert (proc.returncode, proc.stdout) == (0, f"drift, version {__version__}\n")


def test_closed_stdin_names_dash_and_the_fix(tmp_path: Path) -> None:
    proc = _drift(["compare", "-", str(SEEDS[0])], (0,), tmp_path)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == ("Error: -: standard input is closed; pipe the text in (< FILE), or give the file "
                           "instead of -\n")


class _ClosingPipe(io.BufferedIOBase):
    """stdout's buffer over a pipe whose reader leaves after ``room`` bytes: a large write returns a short count
    (as a real pipe's BufferedWriter does when the reader goes), the next one fails with EPIPE."""

    def __init__(self, room: int) -> None:
        self.room = room

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if not self.room:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")
        taken = min(self.room, len(data))
        self.room -= taken
        return taken


def test_a_reader_that_leaves_mid_output_is_a_failed_write(monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.cli.common import StdoutError, emit

    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(_ClosingPipe(65536), encoding="utf-8"))
    with pytest.raises(StdoutError) as caught:
        emit("x" * 200_000)
    assert caught.value.errno == errno.EPIPE


def test_a_pipe_closed_by_its_reader_exits_1_quietly(tmp_path: Path) -> None:
    """``drift compare ... | head -c 1000``: the report is far larger than the pipe holds."""
    text = "".join(p.read_text(encoding="utf-8") for p in SEEDS)
    (tmp_path / "a.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "big.txt").write_text(text * 10, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen([sys.executable, "-c", FAKE_CLI, "compare", "a.txt", "big.txt", "--format", "json"],
                          cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert len(proc.stdout.read(1000)) == 1000
        proc.stdout.close()
        stderr = proc.stderr.read()
        assert (proc.wait(120), stderr) == (1, b"")
