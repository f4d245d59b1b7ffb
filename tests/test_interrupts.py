"""A Ctrl-C at any moment of a run is one ``Error: interrupted`` line and exit status 130, never a traceback
nor click's ``Aborted!`` (exit 1, as for an error)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from drift.cli import main
from drift.errors import interrupted_by


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
