"""The index's and the distributed jobs' messages name what their reader can change: a library caller the argument
of what it called (``Index(path=...)``, ``check(against=...)``, ``compare_stories(out=...)``), a command line the
flag (``--index``, ``--against``, ``--compare``). They named the flags to both; the CLI's own exact-output tests
(tests/test_cli_store.py, tests/test_check.py, tests/test_distributed.py...) hold the flag side end to end."""
from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import click
import pytest

from drift.article import Article
from drift.cli.common import message
from drift.cli.store import check as check_command
from drift.errors import DriftError
from drift.store.check import CheckResult, choose_targets, compare_checked


def said(call: Callable[[], Any], command: click.Command) -> tuple[str, str]:
    """What ``call`` raises, as a library caller reads it and as ``command`` says it on the command line."""
    with pytest.raises(DriftError) as e:
        call()
    with click.Context(command):
        return str(e.value), message(e.value)


def _version(id: str, language: str = "en") -> Article:
    return Article(id=id, text=f"Text of {id}.", language=language)


# ---------------------------------------------------------------- check: against, fail_on


def test_an_unknown_against_names_the_argument_or_the_flag() -> None:
    assert said(lambda: choose_targets(_version("a"), [_version("b")], "newest"), check_command) == (
        "unknown against='newest'; choose one of 'source', 'latest', 'all'",
        "unknown --against 'newest'; choose one of 'source', 'latest', 'all'")


@pytest.mark.parametrize("fail_on, library", [
    (("major", "huge"), "unknown gate 'huge' in fail_on=('major', 'huge')"),
    (["huge"], "unknown gate 'huge' in fail_on=['huge']"),
    ("huge", "unknown fail_on='huge'"),
    (iter(["minor", "huge"]), "unknown gate 'huge' in fail_on=('minor', 'huge')"),
])
def test_an_unknown_gate_names_the_argument_or_the_flag(fail_on: Any, library: str) -> None:
    result = CheckResult("a", "a.txt", "new", "latest", None, None)  # type: ignore[arg-type]
    assert said(lambda: result.tripped(fail_on), check_command) == (
        f"{library}; choose one of 'minor', 'major', 'new'",
        "unknown --fail-on 'huge'; choose one of 'minor', 'major', 'new'")


def test_a_check_against_versions_in_uncovered_languages_suggests_against_all() -> None:
    payload = SimpleNamespace(articles=[_version("new"), _version("fr-1", "fr")], languages=frozenset({"en"}),
                              model="m", story=1, ref=SimpleNamespace(index="ix"))
    library, command_line = said(lambda: compare_checked(payload, None, "new.txt", "latest", None),  # type: ignore
                                 check_command)
    head = ("new.txt: the stored versions to compare it with (fr-1 (fr)) are in languages the index's model 'm' "
            "does not cover; pass ")
    tail = (" to compare it with every stored version, or re-embed the index with a multilingual model: "
            "`drift index rebuild --model NAME --index ix`")  # a command to run, said as such to both
    assert (library, command_line) == (f"{head}against='all'{tail}", f"{head}--against all{tail}")
