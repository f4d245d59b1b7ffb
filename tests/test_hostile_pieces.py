"""The pieces the hostile-input table relies on: shown text, decoding, stdin, limits, and a bug in one line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hostile_inputs import SEEDS, seeds

from drift.cli import main
from drift.errors import InputError

# ---------------------------------------------------------------- the pieces the table relies on

def test_shown_escapes_only_what_can_hide_reorder_or_forge_text() -> None:
    from drift.report.display import shown

    assert shown("id\n== forged\r") == "id\\n== forged\\r"
    assert shown("\x1b]0;pwned\x07 \x1b[31mred\x9b") == "\\x1b]0;pwned\\x07 \\x1b[31mred\\x9b"
    assert shown("a\u202eb\u2066c\u2069\u2028") == "a\\u202eb\\u2066c\\u2069\\u2028"
    assert shown("tab\there") == "tab here"
    kept = "Café, Zelenskyy, «Moscou», مرحبا\u200f, שלום, می\u200cخواهم, 東京, 😀, no\u00a0break"
    assert shown(kept) == kept


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_text_without_a_bom_is_named(codec: str) -> None:
    from drift.read.decode import decode

    data = SEEDS[0].read_text(encoding="utf-8").encode(codec)
    with pytest.raises(InputError, match=rf"looks like {codec.upper()} text without a byte-order mark; "
                                         rf"pass encoding='{codec}'$"):
        decode(data, "x.txt")
    assert decode(data, "x.txt", codec) == SEEDS[0].read_text(encoding="utf-8").removeprefix("\ufeff")


def test_latin1_on_utf8_is_implausible_but_latin1_on_latin1_reads() -> None:
    from drift.read.decode import decode

    with pytest.raises(InputError, match=r"^x.txt: encoding='latin-1' gives implausible text \(the bytes are valid "
                                         r"UTF-8\); drop encoding= or pass the file's real encoding "
                                         r"\(e.g. encoding='utf-8'\)$"):
        decode("Le café a fermé.".encode(), "x.txt", "latin-1")
    assert decode("Le café a fermé.".encode("latin-1"), "x.txt", "latin-1") == "Le café a fermé."
    assert decode(b"Plain ASCII text.", "x.txt", "cp1252") == "Plain ASCII text."


def test_stdin_prose_that_opens_with_a_bracket_stays_prose() -> None:
    from drift.read.files import read_articles

    text = "[Updated 3 pm] Heavy rain flooded the valley on Tuesday.\nCrews rescued forty people.\n"
    [article] = read_articles(["-"], stdin_text=text)
    assert article.id == "stdin" and article.text == text


def test_limits_are_positive_whole_numbers() -> None:
    from drift.errors import ConfigError
    from drift.limits import Limits

    assert Limits().max_bytes == 20_000_000
    for bad in ({"max_bytes": 0}, {"max_sentences": -1}, {"max_sentence_chars": 1.5}, {"max_bytes": True}):
        with pytest.raises(ConfigError, match="not a positive whole number"):
            Limits(**bad)  # type: ignore[arg-type]


def test_a_bug_is_one_line_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Whatever escapes a command (here a stand-in bug in the reader) ends in one line and exit 1."""
    from drift.read import files

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("stand-in bug\nsecond line")

    monkeypatch.setattr(files, "read_versions", broken)
    seeds(tmp_path)
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr == ("Error: unexpected RuntimeError: stand-in bug\\nsecond line; this is a bug in drift: "
                             "run again with DRIFT_DEBUG=1 for the traceback and report it\n")
