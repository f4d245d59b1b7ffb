"""The drift command: exact one-line errors, clean stdout, stdin, and no heavy imports on light paths."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from drift import __version__
from drift.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
STORY = (
    "Heavy rain flooded the river valley on Tuesday, forcing thousands of residents to leave their homes.\n"
    "Emergency crews rescued forty people who were trapped on rooftops in the town of Millbrook.\n"
    "The regional governor declared a state of emergency and asked the army for help.\n"
)
FRENCH = (
    "De fortes pluies ont inondé la vallée du fleuve mardi, forçant des milliers d'habitants à quitter leur maison.\n"
    "Les secours ont sauvé quarante personnes qui étaient bloquées sur les toits dans la ville de Millbrook.\n"
    "Le gouverneur de la région a déclaré l'état d'urgence et a demandé l'aide de l'armée.\n"
)



@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """Run in a scratch directory so error messages name short relative paths."""
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "other.txt").write_text(STORY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path



@pytest.fixture
def validator(report_schema) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(report_schema)


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def assert_error(result, line: str, code: int = 1) -> None:
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit)  # no traceback, a clean exit
    assert result.stdout == ""
    assert result.stderr == line + "\n"


# ---------------------------------------------------------------- errors: exit 1, one exact line


def test_empty_file(workdir):
    (workdir / "empty.txt").write_bytes(b"")
    assert_error(run("compare", "empty.txt", "good.txt"),
                 "Error: empty.txt: no text; give a file with at least one sentence")


def test_whitespace_only_file(workdir):
    (workdir / "blank.txt").write_text(" \n\n\t\n", encoding="utf-8")
    assert_error(run("compare", "good.txt", "blank.txt"),
                 "Error: blank.txt: no text; give a file with at least one sentence")


def test_binary_file(workdir):
    (workdir / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert_error(run("compare", "good.txt", "photo.txt"),
                 "Error: photo.txt: binary file, not text; give a .txt, .md, .json or .jsonl article")


def test_invalid_utf8(workdir):
    (workdir / "latin1.txt").write_bytes("Café owners said the river rose overnight.\n".encode("latin-1"))
    assert_error(run("compare", "good.txt", "latin1.txt"),
                 "Error: latin1.txt: not valid UTF-8 (byte 0xe9 at offset 3); "
                 "pass --encoding (e.g. --encoding latin-1)")


def test_one_version_only(workdir):
    assert_error(run("compare", "good.txt"),
                 "Error: good.txt: only one version given; give two or more versions of the story to compare")


def test_directory_without_articles(workdir):
    (workdir / "inbox").mkdir()
    (workdir / "inbox" / "scan.pdf").write_bytes(b"%PDF-1.7")
    (workdir / "inbox" / ".hidden.txt").write_text(STORY, encoding="utf-8")
    assert_error(run("compare", "inbox", "good.txt"),
                 "Error: inbox/: no articles found (looked for .txt, .md, .json, .jsonl, .xml, .nitf, .html, "
                 ".htm, .xhtml, .parquet); "
                 "give a directory containing articles")


def test_missing_file(workdir):
    assert_error(run("compare", "good.txt", "missing.txt"), "Error: missing.txt: no such file; check the path")


def test_unknown_reference(workdir):
    assert_error(run("compare", "good.txt", "other.txt", "--reference", "zzz"),
                 "Error: unknown --reference 'zzz'; choose one of 'good', 'other'")


def test_unknown_encoding(workdir):
    assert_error(run("compare", "good.txt", "other.txt", "--encoding", "klingon"),
                 "Error: --encoding 'klingon': unknown encoding; give a Python codec name such as utf-8 or latin-1")


@pytest.mark.parametrize("command", [["compare", "good.txt", "other.txt"], ["ingest", "good.txt", "--index", "ix"],
                                     ["check", "good.txt", "--index", "ix"]], ids=["compare", "ingest", "check"])
def test_an_empty_model_or_encoding_is_refused_not_read_as_the_default(workdir, command):
    """``--model "$MODEL"`` with MODEL unset ran the bundled model without a word."""
    from drift.store.index import Index

    Index(workdir / "ix").close()  # an index to check against (opened lazily: no model loads)
    assert_error(run(*command, "--model", ""),
                 "Error: --model '': empty model name; give a local model directory or the name of a model in the "
                 "local Hugging Face cache, or leave --model out")
    assert_error(run(*command, "--encoding", ""),
                 "Error: --encoding '': unknown encoding; give a Python codec name such as utf-8 or latin-1")


def test_bad_format_is_a_usage_error(workdir):
    result = run("compare", "--format", "xml", "good.txt", "other.txt")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Usage: ")
    assert lines[-1] == "Error: Invalid value for '--format': 'xml' is not one of 'text', 'json', 'jsonl', 'html'."


def test_no_files_is_a_usage_error(workdir):
    result = run("compare")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: Missing argument 'FILES...'."


def test_version_and_help():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"drift, version {__version__}\n"
    result = run("compare", "--help")
    assert result.exit_code == 0
    assert "--reference ID" in result.stdout and "--format [text|json|jsonl|html]" in result.stdout
    assert " ".join(result.stdout.split()).endswith(
        "Exit status: 0 done (an unreadable input is skipped with a warning while two versions remain); "
        "1 bad input or configuration; 2 bad usage; 3 drift at the --fail-on severity or worse; 130 interrupted.")


# ---------------------------------------------------------------- successful runs


def test_json_report_on_stdout_validates(shared_model, validator):
    result = run("compare", "--format", "json", str(SEEDS[0]), str(SEEDS[1]))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    report = json.loads(result.stdout)  # stdout holds the report and nothing else
    assert list(validator.iter_errors(report)) == []
    assert [a["id"] for a in report["articles"]] == [SEEDS[0].stem, SEEDS[1].stem]
    assert report["signature"]["version_pairs"] == [[SEEDS[0].stem, SEEDS[1].stem]]
    assert report["pairs"]


def test_text_report(shared_model):
    result = run("compare", str(SEEDS[0]), str(SEEDS[1]))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("drift report  drift:")
    lines = result.stdout.splitlines()
    assert lines[2].startswith("== summary: 2 versions, 1 pair compared: ")
    assert any(line.startswith("== findings, most severe first: ") for line in lines)
    for label, seed in (("v1", SEEDS[0]), ("v2", SEEDS[1])):  # the ranking maps each label to its id
        assert sum(line.split()[1:2] == [label] and line.endswith(seed.stem) for line in lines) == 1
    assert result.stderr == ""


def test_reference_option(shared_model):
    result = run("compare", "--format", "json", "--reference", SEEDS[2].stem, *map(str, SEEDS[:3]))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["signature"]["reference"] == SEEDS[2].stem
    assert all(p["a"]["article"] == SEEDS[2].stem for p in report["pairs"])


def test_pairs_reference_without_id_compares_with_the_central_version(shared_model):
    result = run("compare", "--pairs", "reference", *map(str, SEEDS))
    assert result.exit_code == 0, result.output
    first, note = result.stdout.splitlines()[:2]
    centre = first.split("|reference:")[1].removesuffix("(central)")
    assert first.endswith("(central)") and centre in {p.stem for p in SEEDS}
    assert note == f"  each version compared with {centre}, the central version (--pairs all compares every pair)"
    assert f" {len(SEEDS) - 1} pairs compared: " in result.stdout.splitlines()[3]
    assert f"  {centre}  (reference)" in result.stdout


def test_pairs_all_with_a_reference_is_one_error_line(workdir):
    assert_error(run("compare", "good.txt", "other.txt", "--pairs", "all", "--reference", "good"),
                 "Error: --pairs all compares every pair, so --reference 'good' has no use; drop one of the two")


def test_dash_reads_stdin(shared_model, validator):
    seed = SEEDS[0].read_text(encoding="utf-8")
    result = run("compare", "--format", "json", "-", str(SEEDS[1]), input=seed.encode("utf-8"))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(validator.iter_errors(report)) == []
    stdin_article = report["articles"][0]
    assert stdin_article["id"] == "stdin" and stdin_article["source"] == "<stdin>"
    assert stdin_article["text"] == seed.removeprefix("\ufeff")
    assert any(p["a"]["article"] == "stdin" for p in report["pairs"])


def test_stdin_given_twice_names_dash_not_an_empty_input(workdir):
    # The second "-" found stdin spent: "Error: <stdin>: no text", of a story that was there.
    assert_error(run("compare", "-", "-", input=STORY),
                 "Error: -: standard input given twice; it can be read only once: give - once")


def test_a_file_given_twice_is_no_second_version(workdir):
    # It used to be compared with itself: a clean report of no drift.
    assert_error(run("compare", "good.txt", "good.txt"), "Error: good.txt: given twice; give each version once")


def test_stdin_gets_the_same_decoding_errors(workdir):
    result = run("compare", "-", "good.txt", input=b"Caf\xe9 owners said the river rose.\n")
    assert_error(result, "Error: <stdin>: not valid UTF-8 (byte 0xe9 at offset 3); "
                         "pass --encoding (e.g. --encoding latin-1)")


def test_uncovered_language_warns_on_stderr_unless_quiet(shared_model, workdir):
    (workdir / "fr.txt").write_text(FRENCH, encoding="utf-8")
    (workdir / "longer.txt").write_text(STORY + "Schools in the area will stay closed until the water recedes.\n",
                                        encoding="utf-8")
    result = run("compare", "good.txt", "longer.txt", "fr.txt")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("drift: warning: fr.txt: language 'fr' is not covered by model "
                             "'all-MiniLM-L6-v2'; pass a multilingual --model\n")
    assert "not compared: fr" in result.stdout
    quiet = run("compare", "-q", "good.txt", "longer.txt", "fr.txt")
    assert quiet.exit_code == 0
    assert quiet.stderr == ""
    assert quiet.stdout == result.stdout


def test_a_language_code_that_names_no_language_is_shown_as_given(shared_model, workdir):
    (workdir / "xx.json").write_text(json.dumps({"id": "xx", "text": STORY, "language": "xx-nope"}), encoding="utf-8")
    result = run("compare", "good.txt", "xx.json")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "drift: warning: xx.json: language 'xx-nope' is not covered by model 'all-MiniLM-L6-v2'; "
        "pass a multilingual --model\n"
        "Error: fewer than two versions in a language model 'all-MiniLM-L6-v2' covers (good (en), xx (xx-nope)); "
        "pass a multilingual --model\n")


# ---------------------------------------------------------------- light paths stay light


@pytest.mark.parametrize(
    "args, code, expected",
    [
        (["--help"], 0, "Usage: "),
        (["--version"], 0, f"drift, version {__version__}"),
        (["bench", "--help"], 0, "Run every benchmark"),
        (["compare", "missing.txt", "other.txt"], 1, "Error: missing.txt: no such file; check the path"),
        (["compare", str(SEEDS[0])], 1, "only one version given"),
        (["compare", "--backend", "gpu", "a.txt", "b.txt"], 2, "Invalid value for '--backend'"),
        (["compare", "--reference", "nope", str(SEEDS[0]), str(SEEDS[1])], 1, "unknown --reference 'nope'"),
    ],
    ids=["help", "version", "bench-help", "error", "one-version", "bad-backend", "bad-reference"],
)
def test_light_paths_import_no_heavy_modules(tmp_path, args, code, expected):
    script = (
        "import sys, drift.cli\n"
        "from click.testing import CliRunner\n"
        f"r = CliRunner().invoke(drift.cli.main, {args!r})\n"
        f"assert r.exit_code == {code}, (r.exit_code, r.output)\n"
        f"assert {expected!r} in r.output, r.output\n"
        "heavy = {'torch', 'faiss', 'sentence_transformers', 'transformers', 'onnxruntime', 'ray', 'pyarrow'} "
        "& set(sys.modules)\n"
        "assert not heavy, sorted(heavy)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's drift, wherever the install points
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_compare_and_the_library_never_import_ray(onnx_cache, tmp_path):
    """Ray takes seconds to import (benchmarks/README.md): only a distributed job loads it."""
    cache, _ = onnx_cache
    script = (
        "import sys, drift, drift.distributed, drift.cli\n"
        "from drift import Index, compare, read_articles\n"
        "from drift.distributed import RayOptions, ingest, compare_stories\n"
        "from click.testing import CliRunner\n"
        f"r = CliRunner().invoke(drift.cli.main, ['compare', {str(SEEDS[0])!r}, {str(SEEDS[1])!r}])\n"
        "assert r.exit_code == 0, (r.exit_code, r.output)\n"
        "assert 'onnxruntime' in sys.modules and 'ray' not in sys.modules, sorted(sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DRIFT_CACHE": str(cache)}
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
