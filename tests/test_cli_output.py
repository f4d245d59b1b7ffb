"""Report files (``compare -o``, ``stories --compare``): written whole or not at all, never over an input."""
from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_inputs import FAKE_CLI, fake_index, seeds

from drift.cli import main

ROOT = Path(__file__).resolve().parent.parent
OLD = "the report of yesterday\n"


def fake_drift(args: list[str], cwd: Path, file_size: int | None = None) -> subprocess.CompletedProcess[str]:
    """A real ``drift`` process with the hashing model; ``file_size`` caps what it may write to a file (EFBIG)."""
    def limit() -> None:
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", FAKE_CLI, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, preexec_fn=limit)


def test_output_naming_an_input_is_refused_before_any_work(fake_compare):  # noqa: F811
    before = Path("a.txt").read_bytes()
    result = CliRunner().invoke(main, ["compare", "a.txt", "b.txt", "-o", "./a.txt"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == ("Error: -o ./a.txt: is the input a.txt, which the report would overwrite; "
                             "give another file\n")
    assert Path("a.txt").read_bytes() == before and fake_compare == []


@pytest.mark.parametrize("report", ["report.html", "report.txt"])
def test_output_in_an_input_directory_is_refused_before_any_work(fake_compare, report):  # noqa: F811
    # The report used to be written there, and read back as a version by the next run on the directory.
    Path("story").mkdir()
    for name in ("a.txt", "b.txt"):
        Path("story", name).write_bytes(Path(name).read_bytes())
    if report == "report.txt":  # the last run's: an input now
        Path("story", report).write_text(OLD, encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", "story", "-o", f"story/{report}", "--format", "html"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: -o story/{report}: is in the input directory story, whose article files are "
                             "all read as versions; give a file outside it\n")
    assert fake_compare == [] and not Path("story", "report.html").exists()
    # a name the directory does not read is written there
    assert CliRunner().invoke(main, ["compare", "story", "-o", "story/.report.html"]).exit_code == 0


@pytest.mark.parametrize("target, why", [("missing/report.txt", "No such file or directory"),
                                         ("a.txt/report.txt", "Not a directory"), (".", "Is a directory")])
def test_output_that_cannot_be_written_is_refused_before_any_work(fake_compare, target, why):  # noqa: F811
    # It used to be found only when the report was written, after the whole run.
    result = CliRunner().invoke(main, ["compare", "a.txt", "b.txt", "-o", target])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"Error: -o {target}: cannot write ({why}); give a path in a writable directory\n"
    assert fake_compare == []


def test_output_dash_is_stdout_not_a_file_named_dash(fake_compare):  # noqa: F811
    # -o - used to write a file called "-" (rm -- - to remove it) and nothing to stdout.
    result = CliRunner().invoke(main, ["compare", "a.txt", "b.txt", "-o", "-"])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == CliRunner().invoke(main, ["compare", "a.txt", "b.txt"]).stdout
    assert result.stdout.startswith("drift report") and not Path("-").exists()


def test_a_failed_write_leaves_the_old_report_and_no_temporary_file(tmp_path: Path) -> None:
    seeds(tmp_path)
    (tmp_path / "report.json").write_text(OLD, encoding="utf-8")
    proc = fake_drift(["compare", "a.txt", "b.txt", "--format", "json", "-o", "report.json"], tmp_path,
                      file_size=4000)  # the JSON report holds both texts: well over 4000 bytes
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == ("Error: -o report.json: cannot write (File too large); give a path in a writable "
                           "directory\n")
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "report.json"]


def test_a_report_replaces_the_old_one_readable_as_any_new_file(fake_compare):  # noqa: F811
    Path("report.txt").write_text(OLD, encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", "a.txt", "b.txt", "-o", "report.txt"])
    assert result.exit_code == 0, result.output
    assert Path("report.txt").read_text(encoding="utf-8").startswith("drift report")
    mask = os.umask(0)
    os.umask(mask)
    assert Path("report.txt").stat().st_mode & 0o777 == 0o666 & ~mask
    assert sorted(p.name for p in Path().iterdir()) == ["a.txt", "b.txt", "report.txt"]


def test_output_to_a_device_is_written_in_place(fake_compare):  # noqa: F811
    result = CliRunner().invoke(main, ["compare", "a.txt", "b.txt", "-o", os.devnull])
    assert result.exit_code == 0, result.output
    assert Path(os.devnull).is_char_device()


def test_stories_report_that_cannot_be_written_is_one_line_naming_it(tmp_path: Path) -> None:
    seeds(tmp_path)
    assert fake_drift(["ingest", "a.txt", "b.txt", "--index", "ix"], tmp_path).returncode == 0
    proc = fake_drift(["stories", "--index", "ix", "--compare", "/proc/self"], tmp_path)  # no files can go there
    assert proc.returncode == 1 and proc.stdout == ""
    assert re.fullmatch(r"Error: --compare /proc/self/story-\d+-[0-9a-f]{12}\.jsonl: cannot write \(No such file or "
                        r"directory\); give a writable directory\n", proc.stderr), proc.stderr


def test_stories_folder_that_cannot_be_made_names_the_option(tmp_path: Path) -> None:
    fake_index(tmp_path)
    (tmp_path / "file").write_text("", encoding="utf-8")
    proc = fake_drift(["stories", "--index", "ix", "--compare", "file/reports"], tmp_path)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == ("Error: --compare file/reports: cannot create the folder (Not a directory); give a writable "
                           "directory\n")
