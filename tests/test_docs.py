"""The README cannot drift from the code: every synopsis matches ``--help``, the example output is real.

In the style of sqlite-utils' documentation tests: the README is parsed, the
commands are introspected through click, and any option, choice or command
missing on either side fails here.
"""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from drift.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
_FLAG = re.compile(r"\[(-[-\w]+)(?: ([^\]]+))?\]")


def synopses() -> dict[str, str]:
    """README synopsis lines, ``drift COMMAND [SUB] ...`` (continuation lines indented), by command path."""
    found: dict[str, str] = {}
    for block in _FENCE.findall(README):
        current: list[str] = []
        for line in block.splitlines() + [""]:
            if line.startswith("drift ") or not line.startswith(" "):
                if current:
                    text = " ".join(current)
                    words = text.split()
                    path = [w for w in words[1:3] if re.fullmatch(r"[a-z]+", w)]
                    found[" ".join(path[:2] if _is_group(path[0]) else path[:1])] = text
                current = [line.strip()] if line.startswith("drift ") else []
            elif current:
                current.append(line.strip())
    return found


def _is_group(name: str) -> bool:
    return isinstance(main.commands.get(name), click.Group)


def commands() -> dict[str, click.Command]:
    out: dict[str, click.Command] = {}
    for name, command in main.commands.items():
        if isinstance(command, click.Group):
            out.update({f"{name} {sub}": c for sub, c in command.commands.items()})
        else:
            out[name] = command
    return out


def test_every_command_has_a_synopsis_and_every_synopsis_a_command():
    assert sorted(synopses()) == sorted(commands())


@pytest.mark.parametrize("path", sorted(commands()))
def test_synopsis_lists_exactly_the_options_and_choices_of_help(path):
    command = commands()[path]
    synopsis = synopses()[path]
    written = {flag: value for flag, value in _FLAG.findall(synopsis)}
    options = [p for p in command.params if isinstance(p, click.Option) and "--help" not in p.opts]
    for option in options:
        named = [flag for flag in option.opts + option.secondary_opts if flag in written]
        assert named, f"`drift {path}`: {'/'.join(option.opts)} is in --help but not in the README synopsis"
        if isinstance(option.type, click.Choice):
            assert written[named[0]].split("|") == list(option.type.choices), \
                f"`drift {path}` {named[0]}: README lists {written[named[0]]}, --help {option.type.choices}"
    known = {flag for option in options for flag in option.opts + option.secondary_opts}
    assert sorted(set(written) - known) == [], f"`drift {path}`: README options that --help does not have"
    arguments = [p.name.upper() for p in command.params if isinstance(p, click.Argument)]
    shown = re.findall(r"(?<![\[\w-])([A-Z]+)(?:\.\.\.)?(?=\s|$)", synopsis.split("[", 1)[0])
    assert [a.rstrip("S") for a in arguments] == [s.rstrip("S") for s in shown]


def test_readme_example_output_is_what_the_command_prints(onnx_cache, monkeypatch):
    """The README's example block is the real output of the command above it, from the summary on."""
    cache, _ = onnx_cache
    monkeypatch.setenv("DRIFT_CACHE", str(cache))
    match = re.search(r"^\.venv/bin/(drift compare [^\n]+)\n```\n.*?```\n(== [^`]+)```", README,
                      re.DOTALL | re.MULTILINE)
    assert match, "README example: a `.venv/bin/drift compare ...` block followed by its output block"
    args = match.group(1).split()[1:]
    result = CliRunner().invoke(main, args + ["--color", "never"])
    assert result.exit_code == 0, result.output
    excerpt = match.group(2).rstrip("\n").splitlines()
    lines = result.stdout.splitlines()
    assert excerpt[0].startswith("== summary: "), "the README example starts with the summary"
    assert any(line.startswith("== findings") for line in excerpt), "and shows the first findings"
    real = "\n".join(lines[2:2 + len(excerpt)])  # past the signature line (it names the backend) and a blank
    assert lines[2:2 + len(excerpt)] == excerpt, f"README example block; the command prints:\n{real}"


def python_blocks() -> dict[str, str]:
    """The README's Python examples, by their first line."""
    blocks = re.findall(r"^```python\n(.*?)^```", README, re.DOTALL | re.MULTILINE)
    return {block.splitlines()[0]: block for block in blocks}


@pytest.fixture
def readme_files(tmp_path, monkeypatch):
    """The files the README's Python examples read, in a scratch working directory: versions of the seed story."""
    seeds = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
    monkeypatch.chdir(tmp_path)
    for name, source in (("a.txt", seeds[0]), ("b.txt", seeds[1]), ("c.txt", seeds[2]),
                         ("b.nitf.xml", ROOT / "tests" / "fixtures" / "001_afp.nitf.xml")):
        Path(name).write_bytes(source.read_bytes())
    Path("feed").mkdir()
    for seed in seeds[3:]:
        (Path("feed") / seed.name).write_bytes(seed.read_bytes())
    return tmp_path


@pytest.mark.parametrize("first", ["from drift import compare, read_articles, article_from_text, DriftError",
                                   "from drift import Index, read_article, read_articles"])
def test_readme_python_examples_run_as_written(first, readme_files, onnx_cache, monkeypatch):
    """Each Library example runs, top to bottom, on real files (the Index one once failed: a story of one version)."""
    cache, _ = onnx_cache
    monkeypatch.setenv("DRIFT_CACHE", str(cache))
    block = python_blocks()[first]
    printed: list[tuple[object, ...]] = []
    exec(compile(block, "README.md", "exec"), {"print": lambda *args: printed.append(args)})
    assert printed, "the example prints what it found"


def test_every_kind_is_named_where_the_readme_lists_the_kinds():
    """The --kind bullet and the JSON contract's list of kinds name every kind a finding can have."""
    from drift.score.finding import KINDS

    option = re.search(r"^  - `--kind KIND`.*?(?=^  - )", README, re.DOTALL | re.MULTILINE)
    contract = re.search(r"^- `kinds` and `spans\[\]\.kind` are among:.*?(?=^- )", README, re.DOTALL | re.MULTILINE)
    assert option and contract, "README: the --kind bullet and the contract's `kinds` bullet"
    for where in (option.group(0), contract.group(0)):
        assert [k for k in KINDS if f"`{k}`" not in where] == [], where.splitlines()[0]


def test_the_checks_make_test_runs_are_the_ones_the_readme_names():
    """README's Development section names the folders ruff checks; the Makefile's check target is what runs."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    linted = re.search(r"^\t\$\(BIN\)/ruff check (.+)$", makefile, re.MULTILINE)
    named = re.search(r"^- `make test` runs ruff \(E, F, W, B, I over (.+?)\),", README, re.MULTILINE)
    assert linted and named, "Makefile: a ruff check line; README: '- `make test` runs ruff (E, F, W, B, I over ...),'"
    assert [f"`{folder}/`" for folder in linted.group(1).split()] == named.group(1).split(", ")
    assert re.search(r"^test: install browser check$", makefile, re.MULTILINE), "make test runs the checks first"
