"""The CLI's standard streams, closed at start or by the reader mid-output: one line or silence, no traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_closed_stderr_only_silences_the_logs(tmp_path: Path) -> None:
    proc = _drift(["--version"], (2,), tmp_path)
    assert (proc.returncode, proc.stdout) == (0, f"drift, version {__version__}\n")


def test_closed_stdin_names_dash_and_the_fix(tmp_path: Path) -> None:
    proc = _drift(["compare", "-", str(SEEDS[0])], (0,), tmp_path)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == ("Error: -: standard input is closed; pipe the text in (< FILE), or give the file "
                           "instead of -\n")
