"""A Ctrl-C at any moment of a run is one ``Error: interrupted`` line and exit status 130, never a traceback
nor click's ``Aborted!`` (exit 1, as for an error)."""
from __future__ import annotations

import configparser
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from drift.cli import main
from drift.errors import interrupted_by

ROOT = Path(__file__).resolve().parent.parent
#: What pip writes for a console script ``name = module:function`` (distlib's template).
SCRIPT = """# -*- coding: utf-8 -*-
import re
import sys
from {module} import {function}
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit({function}())
"""


def console_script(tmp_path: Path) -> Path:
    """``drift`` as pip installs it from this checkout's setup.cfg."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    entries = dict(line.split(" = ") for line in config["options.entry_points"]["console_scripts"].split("\n")
                   if line.strip())
    module, function = entries["drift"].split(":")
    script = tmp_path / "drift"
    script.write_text(SCRIPT.format(module=module, function=function), encoding="utf-8")
    return script


def interrupted(command: list[str], delay: float, cwd: Path) -> tuple[int, str, str]:
    """Run ``command`` (reading a stdin that never ends) and send SIGINT ``delay`` seconds after the first of
    click's modules is imported: the earliest moment the CLI's imports are surely under way, found through
    ``python -X importtime``, which reports every import on stderr as it completes (no hook in drift)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-X", "importtime", *command, "compare", "-", "a.txt"], cwd=cwd,
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    lines: list[str] = []
    importing_click = threading.Event()

    def drain() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if line.startswith("import time:") and line.split("|")[-1].strip().startswith("click"):
                importing_click.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        assert importing_click.wait(60), "".join(lines)
        if delay:
            threading.Event().wait(delay)
        proc.send_signal(signal.SIGINT)
        assert proc.stdout is not None
        stdout = proc.stdout.read()
        code = proc.wait(60)
    finally:
        if proc.poll() is None:  # pragma: no cover - only when the assertions above failed
            proc.kill()
        assert proc.stdin is not None
        proc.stdin.close()
    reader.join(10)
    return code, stdout, "".join(line for line in lines if not line.startswith("import time:"))


@pytest.mark.parametrize("delay", [0.0, 0.002, 0.01, 0.03, 0.1, 0.4])
@pytest.mark.parametrize("how", ["console-script", "python-m"])
def test_ctrl_c_while_the_cli_starts_is_one_line_and_130(tmp_path: Path, how: str, delay: float) -> None:
    """The console script imported the whole CLI before any of drift's code ran: a Ctrl-C in that tenth of a
    second was a KeyboardInterrupt traceback. Each delay lands elsewhere (the CLI's imports, click, the command
    reading stdin); every one ends the same way.

    Under ``python -m`` only, CPython may then end the process by SIGINT itself, after drift's line and exit
    130: a KeyboardInterrupt that crossed an ``exec`` of a string (dataclasses make their methods so) leaves
    its "unhandled KeyboardInterrupt" flag set, which ``-m`` (unlike a script) checks at exit. A shell reports
    that as 130 all the same."""
    (tmp_path / "a.txt").write_text("The river rose overnight.\n", encoding="utf-8")
    command = [str(console_script(tmp_path))] if how == "console-script" else ["-m", "drift"]
    code, stdout, stderr = interrupted(command, delay, tmp_path)
    assert (stdout, stderr) == ("", "Error: interrupted\n")
    assert code == 130 or (how == "python-m" and code == -signal.SIGINT)


def test_ctrl_c_while_the_options_are_parsed_is_one_line_and_130(monkeypatch: pytest.MonkeyPatch) -> None:
    """click said "Aborted!" (after an empty line) and exited 1 for an interrupt while it parsed the options."""
    def parse_args(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(type(main), "parse_args", parse_args)
    result = CliRunner().invoke(main, ["--version"])
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "Error: interrupted\n")


def test_an_error_a_ctrl_c_caused_is_the_interrupt_not_a_bug(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Python 3.11 turns a KeyboardInterrupt in a dataclass field's ``__set_name__`` (a module being imported)
    into a RuntimeError: the command said "unexpected RuntimeError ... this is a bug in drift"."""
    from drift.read import files

    def importing(*args: object, **kwargs: object) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as e:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance 'metadata' in 'Article'") from e

    monkeypatch.setattr(files, "read_versions", importing)
    (tmp_path / "a.txt").write_text("The river rose.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "a.txt")])
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "Error: interrupted\n")


def test_interrupted_by_follows_causes_and_contexts_only() -> None:
    def chained(error: BaseException, cause: BaseException) -> BaseException:
        error.__cause__ = cause
        return error

    assert interrupted_by(KeyboardInterrupt())
    assert interrupted_by(chained(RuntimeError(), chained(ValueError(), KeyboardInterrupt())))
    assert not interrupted_by(chained(RuntimeError(), ValueError()))
    looped = ValueError()
    looped.__context__ = chained(RuntimeError(), looped)
    assert not interrupted_by(looped)
