"""The benchmark suite: alignment baselines, synthetic gold, skipping missing data, and drift bench."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from align_baselines import monotone_dp, mutual_best, prf  # noqa: E402
from alignment_synth import CLASSIC_OPS, OPS, RELATION, make_cases  # noqa: E402

from drift.cli import bench, main  # noqa: E402
from drift.errors import ConfigError  # noqa: E402


def unit(*rows: list[float]) -> np.ndarray:
    x = np.asarray(rows, dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_monotone_dp_keeps_order_and_mutual_best_does_not():
    a = unit([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0])
    b = unit([0, 0, 1, 0], [1, 0, 0, 0.1], [0, 1, 0, 0])  # a's first sentence moved to the end... of b's start
    merged = np.zeros((2, 4), dtype=np.float32)
    assert mutual_best(a, b) == {(0, 1), (1, 2), (2, 0)}
    dp = monotone_dp(a, b, merged, merged)
    assert dp == {(0, 1), (1, 2)}  # order kept: the moved sentence is lost


def test_monotone_dp_finds_a_split_sentence():
    a = unit([1, 1, 0], [0, 0, 1])
    b = unit([1, 0, 0.2], [0, 1, 0.2], [0, 0, 1])
    b_merged = unit([1, 1, 0.3], [0, 1, 1])
    a_merged = unit([1, 1, 1])
    assert monotone_dp(a, b, a_merged, b_merged) == {(0, 0), (0, 1), (1, 2)}


def test_prf():
    assert prf({1, 2, 3, 4}, {1, 2, 5}) == {"precision": 0.5, "recall": 0.6667, "f1": 0.5714}
    assert prf(set(), {1}) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_synthetic_cases_have_known_edits_and_are_deterministic():
    cases = make_cases(6, 20)
    again = make_cases(6, 20)
    assert [c.derived.text for c in cases] == [c.derived.text for c in again]
    ops = {op for c in cases for op in c.gold.values()}
    assert ops == set(OPS)  # issue 12: split in three, partial overlap, near-duplicates, headlines
    assert {op for c in make_cases(6, 20, extended=False) for op in c.gold.values()} == set(CLASSIC_OPS)
    assert RELATION["overlap"] == "overlap" and {RELATION[op] for op in OPS if op != "overlap"} == {"counterpart"}
    dropped = 0
    for case in cases:
        parts: dict[tuple[str, int], set[int]] = {}
        for (i, j), op in case.gold.items():
            assert case.original.sentences[i].text and case.derived.sentences[j].text
            if op in ("split", "split3"):
                parts.setdefault((op, i), set()).add(j)
        # a split sentence pairs with both halves, a sentence split in three with its three parts
        assert all(len(js) >= (3 if op == "split3" else 2) for (op, _), js in parts.items())
        headline = [(i, j) for (i, j), op in case.gold.items() if op == "headline"]
        assert len(headline) == 1 and case.original.sentences[headline[0][0]].title
        told = {i for i, _ in case.gold}
        dropped += len([s for s in case.original.sentences if not s.boilerplate]) - len(told)
    assert dropped > 0


def test_a_near_duplicate_is_never_another_sentence_word_for_word():
    # seed 0's case 10: an edit undid the duplicate's own ("must already guard" back to "must guard"), so the
    # gold paired the duplicate with its source's exact twin, and drift's right answer counted as a miss
    for case in make_cases(11, 24, seed=0):
        for (i, j), op in case.gold.items():
            if op == "near-dup":
                text = case.derived.sentences[j].text
                assert all(s.text != text for k, s in enumerate(case.original.sentences) if k != i), text


def test_alignment_benchmark_scores_drift_and_both_baselines(onnx_cache):
    from alignment_synth import run

    result = run(onnx_cache[1], cases=3, sentences=16)
    systems = result["systems"]
    assert set(systems) == {"drift", "monotone DP", "mutual best"}
    assert systems["drift"]["f1"] >= 0.95
    assert systems["drift"]["f1"] > max(systems["monotone DP"]["f1"], systems["mutual best"]["f1"])
    assert result["recall_by_op"]["drift"]["moved"] >= result["recall_by_op"]["monotone DP"]["moved"]
    assert set(result["prf_by_op"]["drift"]) == set(OPS)
    assert result["recall_by_op"]["drift"]["split3"] > result["recall_by_op"]["mutual best"]["split3"]
    relation = result["relation"]
    assert relation["overlaps"] >= 2 and relation["accuracy"] >= 0.9 and relation["majors_on_overlaps"] == 0


def test_relation_set_has_three_sources_and_labels_by_construction():
    from relation_set import build, seed_rewrites, synthetic

    rewrites = seed_rewrites()
    assert {p["relation"] for p in rewrites} == {"counterpart", "overlap"} and len(rewrites) == 49
    pairs = synthetic(3, 0)
    assert {p["edit"] for p in pairs} <= set(OPS) - {"reworded", "headline"}
    assert all(p["relation"] == ("overlap" if p["edit"] == "overlap" else "counterpart") for p in pairs)
    split3 = [p for p in pairs if p["edit"] == "split3"]
    assert split3 and all(len(p["a"]["ids"]) == 1 and len(p["b"]["ids"]) == 3 for p in split3)
    sources = {p["source"] for p in build(ROOT.parent / "no-such-gold.json", 1, 0)}
    assert sources == {"seed rewrites", "synthetic"}  # the public gold joins when it is there


@pytest.fixture
def suite():
    return bench.suite_module()


def test_missing_data_skips_with_a_hint_and_the_run_completes(suite, tmp_path):
    ctx = suite.Context(tmp_path / "nodata", tmp_path / "noseeds", tmp_path / "gold.json", quick=True, runs=1)
    results = suite.run_suite(ctx, tmp_path / "out", only=["seed_gold", "demetr", "index"])
    benches = results["benchmarks"]
    assert "marzenakrp/demetr" in benches["demetr"]["skipped"]
    assert "gold.json" in benches["seed_gold"]["skipped"]
    index = benches["index"]
    assert index["rows"][0]["figure"].startswith("recall@10") and index["rows"][0]["value"] == 1.0
    assert index["peak_rss_mb"] > 10
    written = json.loads((tmp_path / "out" / "results.json").read_text())
    assert written["benchmarks"].keys() == benches.keys()
    table = (tmp_path / "out" / "results.md").read_text()
    assert "| demetr | skipped: " in table and "| index | recall@10, 2,000 sentences (flat) | 1 |" in table


@pytest.fixture
def partial_data(tmp_path):
    """A copy of the data with a file of each dataset left out (the files are never read: a skip comes first)."""
    from datasets import FAITHFUL, MEANING_CHANGING, SURFACE_ONLY

    data = tmp_path / "data"
    for folder in ("demetr", "mqm", "ists"):
        (data / folder).mkdir(parents=True)
    assert SURFACE_ONLY[-1] == "minor_id26_misspelled"  # left out
    for name in (FAITHFUL, *MEANING_CHANGING, *SURFACE_ONLY[:-1]):
        (data / "demetr" / f"{name}.json").write_text("", encoding="utf-8")
    (data / "mqm" / "ted_zhen.jsonl").write_text("", encoding="utf-8")
    return data


def test_a_dataset_missing_one_file_skips_naming_it(suite, partial_data, tmp_path):
    # It used to start the benchmark (load both models), then die in the child with a FileNotFoundError
    # traceback: the check looked at one DEMETR file, the ists folder and the TED file only.
    ctx = suite.Context(partial_data, tmp_path / "noseeds", tmp_path / "gold.json", quick=True, runs=1)
    benches = suite.run_suite(ctx, tmp_path / "out", only=["demetr", "ists", "scorer"])["benchmarks"]
    demetr = f"{partial_data}/demetr/minor_id26_misspelled.json"
    assert benches["demetr"]["skipped"].startswith(f"{demetr} missing: download dataset/*.json")
    assert benches["scorer"]["skipped"].startswith(f"{partial_data}/mqm/news2021_zhen.jsonl, {demetr} missing")
    if "ists" in benches:
        assert benches["ists"]["skipped"].startswith(f"{partial_data}/ists/STSint.testinput.headlines.wa missing")


@pytest.mark.parametrize("script, args, says", [
    ("demetr", ["--limit", "1"], "{data}/demetr/minor_id26_misspelled.json missing: download"),
    ("scorer_bench", ["--limit", "1"], "{data}/mqm/news2021_zhen.jsonl, {data}/demetr/minor_id26_misspelled.json"),
    ("ists", [], "{data}/ists/STSint.testinput.headlines.wa missing: get"),
    ("calibrate", [], "{data}/mqm/news2021_zhen.jsonl missing: copy"),
])
def test_a_benchmark_script_without_its_data_says_so_on_stderr_and_fails(partial_data, monkeypatch, capsys,
                                                                          script, args, says):
    # Each printed "skipped: ..." to stdout (into a --json file) and exited 0, or, with one file of its
    # dataset missing, died with a FileNotFoundError traceback.
    import importlib

    module = importlib.import_module(script)
    monkeypatch.setattr(sys, "argv", [f"{script}.py", "--data", str(partial_data), *args])
    with pytest.raises(SystemExit) as exit_:
        module.main()
    assert str(exit_.value.code).startswith(f"{script}.py: " + says.format(data=partial_data))
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("script", ["demetr", "scorer_bench"])
def test_a_negative_pair_limit_is_refused_before_any_work(monkeypatch, capsys, script):
    # --limit -3 sliced each set as v[:-3]: every pair but the last three, silently.
    import importlib

    module = importlib.import_module(script)
    monkeypatch.setattr(sys, "argv", [f"{script}.py", "--limit", "-3"])
    with pytest.raises(SystemExit) as exit_:
        module.main()
    assert exit_.value.code == 2
    assert "argument --limit: -3 is negative; give a count of pairs, 0 for all" in capsys.readouterr().err


def test_seed_gold_script_without_the_gold_says_which_on_stderr_and_fails(monkeypatch, capsys, tmp_path):
    import seed_gold

    monkeypatch.setattr(sys, "argv", ["seed_gold.py", "--gold", str(tmp_path / "gold.json"),
                                      "--seeds", str(ROOT / "examples" / "seeds")])
    with pytest.raises(SystemExit) as exit_:
        seed_gold.main()
    assert str(exit_.value.code).startswith(f"seed_gold.py: {tmp_path / 'gold.json'} missing: get the seeds")
    assert capsys.readouterr().out == ""


def test_a_failing_benchmark_is_one_line_the_others_are_written_and_the_run_exits_1(tmp_path):
    # A benchmark that failed printed its child's traceback, the table said "| seed_gold | exit status 1 |"
    # and drift bench exited 0, as if the run were whole.
    import subprocess

    gold = tmp_path / "gold.json"
    gold.write_text("not json", encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "drift", "bench", "--only", "seed_gold,index", "--quick",
                          "--gold", str(gold), "--seeds", str(ROOT / "examples" / "seeds"), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300, env={**os.environ, "DRIFT_DEBUG": ""})
    assert run.returncode == 1 and "Traceback" not in run.stderr
    why = f"ValueError: {gold}: not a seed gold file (Expecting value: line 1 column 1 (char 0))"
    assert f"\nseed_gold: {why}; give seeds_public.json with --gold FILE (run again with DRIFT_DEBUG=1" in run.stderr
    assert run.stderr.endswith(f"Error: seed_gold failed (see the lines above); the others' results are in "
                               f"{out / 'results.json'}\n")
    assert f"| seed_gold | failed: exit status 1: {why}" in run.stdout and "| index | recall@10" in run.stdout
    written = json.loads((out / "results.json").read_text())["benchmarks"]
    assert written["seed_gold"]["failed"].startswith("exit status 1: ValueError") and "rows" in written["index"]
    assert sorted(p.name for p in out.iterdir() if p.suffix != ".png") == ["results.json", "results.md"]


def test_ctrl_c_stops_the_running_benchmark_too(suite, monkeypatch, tmp_path):
    # Ctrl-C of drift bench (or a kill of it alone) left the benchmark's child process running on.
    started = []
    popen = suite.subprocess.Popen

    def recorded(*args, **kwargs):
        started.append(popen(*args, **kwargs))
        return started[-1]

    def interrupted(pid, options):
        raise KeyboardInterrupt

    monkeypatch.setattr(suite.subprocess, "Popen", recorded)
    monkeypatch.setattr(suite.os, "wait4", interrupted)
    ctx = suite.Context(tmp_path, tmp_path, tmp_path / "gold.json", quick=True, runs=1)
    try:
        with pytest.raises(KeyboardInterrupt):
            suite.run_suite(ctx, tmp_path / "out", only=["index"])
        assert started and started[-1].poll() is not None  # the benchmark's child (platform runs uname)
    finally:
        for proc in started:
            proc.kill()
            proc.wait()


def test_ctrl_c_keeps_the_results_of_the_benchmarks_that_finished(suite, monkeypatch, tmp_path):
    # Ctrl-C during the second benchmark threw away the first one's results (minutes or hours of them).
    real, calls = suite.os.wait4, []

    def second_interrupted(pid, options):
        calls.append(pid)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(pid, options)

    monkeypatch.setattr(suite.os, "wait4", second_interrupted)
    monkeypatch.setattr(bench, "suite_module", lambda: suite)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["bench", "--only", "index,hostile", "--quick", "--out", str(out),
                                       "--data", str(tmp_path), "--seeds", str(tmp_path)])
    assert result.exit_code == 130, result.output
    assert result.stderr.endswith("Error: interrupted; the results of the benchmarks that finished are in "
                                  f"{out / 'results.json'}\n")
    written = json.loads((out / "results.json").read_text())["benchmarks"]
    assert "rows" in written["index"] and written["hostile"] == {"failed": "interrupted (Ctrl-C)"}
    assert "| hostile | failed: interrupted (Ctrl-C)" in (out / "results.md").read_text()


def test_results_are_written_whole_whatever_the_command_holds(suite, tmp_path):
    # A path typed in bytes that are no UTF-8 (`--seeds $'/tmp/\\xff'`) left results.md empty, half-written,
    # and drift bench ended in "unexpected UnicodeEncodeError ...; this is a bug in drift".
    out = tmp_path / "out"
    ctx = suite.Context(tmp_path, tmp_path / "seeds\udcff", tmp_path / "gold.json", quick=True, runs=1)
    suite.run_suite(ctx, out, only=["seed_gold"], command="drift bench --seeds seeds\udcff")
    table = (out / "results.md").read_text(encoding="utf-8")
    assert "Command: `drift bench --seeds seeds\\udcff`" in table and "| seed_gold | skipped: " in table
    assert json.loads((out / "results.json").read_text())["command"] == "drift bench --seeds seeds\udcff"
    assert sorted(p.name for p in out.iterdir()) == ["results.json", "results.md"]


def test_every_benchmark_is_registered_once(suite):
    names = [b.name for b in suite.BENCHMARKS]
    assert len(names) == len(set(names))
    expected = {"seed_gold", "demetr", "alignment", "throughput", "cold_start", "compare_curve", "index", "distributed",
                "hostile"}
    assert expected <= set(names)
    assert ("ists" in names) == (ROOT / "benchmarks" / "ists.py").exists()


def test_bench_command_errors_in_one_line(monkeypatch, tmp_path):
    result = CliRunner().invoke(main, ["bench", "--only", "nope", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown benchmark 'nope'; choose from 'seed_gold'")
    monkeypatch.setattr(bench, "SUITE", tmp_path / "benchmarks" / "suite.py")
    with pytest.raises(ConfigError, match="no benchmark suite .*pip install -e"):
        bench.suite_module()


@pytest.fixture
def no_run(monkeypatch):
    """The suite with run_suite refused: a selection that would run benchmarks fails the test, not in hours."""
    def refuse(ctx, out, only=None, command=None):
        raise AssertionError(f"the suite ran benchmarks {only!r}")

    def loaded():
        module = real()
        module.run_suite = refuse
        return module

    real = bench.suite_module
    monkeypatch.setattr(bench, "suite_module", loaded)


@pytest.mark.parametrize("only", ["", " ", " , "])
def test_bench_only_naming_nothing_is_an_error_not_every_benchmark(no_run, tmp_path, only):
    # `--only ""` used to run every benchmark (hours of CPU), as if --only had not been given.
    result = CliRunner().invoke(main, ["bench", "--only", only, "--out", str(tmp_path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: --only: names no benchmark; choose from 'seed_gold', 'demetr'")
    assert result.stderr.count("\n") == 1
    with pytest.raises(ConfigError, match=r"^only=\[\]: names no benchmark; choose from 'seed_gold'"):
        bench.run(tmp_path, only=[])


def test_bench_only_takes_spaces_and_repeats(monkeypatch):
    # "seed_gold, index" used to be refused as unknown benchmark ' index'
    assert bench.names_of(" seed_gold, index,seed_gold ,") == ["seed_gold", "index"]
    chosen = []
    monkeypatch.setattr(bench, "run_suite",
                        lambda out, *args, only=None, **kwargs: chosen.append(only) or ([], "table"))
    result = CliRunner().invoke(main, ["bench", "--only", "seed_gold, index"])
    assert result.exit_code == 0 and result.stdout == "table\n" and chosen == [["seed_gold", "index"]]


def test_suite_script_only_naming_nothing_is_a_usage_error(suite, capsys):
    with pytest.raises(SystemExit) as exit_:
        suite.main(["--only", " , "])
    assert exit_.value.code == 2
    assert "error: --only ' , ' names no benchmark; choose from seed_gold, " in capsys.readouterr().err


def test_bench_out_that_cannot_be_made_is_one_line_before_any_benchmark(tmp_path):
    # It used to be "Error: unexpected FileNotFoundError ...; this is a bug in drift".
    (tmp_path / "file").write_text("", encoding="utf-8")
    out = tmp_path / "file" / "out"
    result = CliRunner().invoke(main, ["bench", "--only", "seed_gold", "--quick", "--out", str(out)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: --out {out}: cannot create the folder (Not a directory); "
                             "give a writable directory\n")


@pytest.mark.slow
def test_scorer_benchmark_reports_every_issue_11_row_in_one_run(onnx_cache):
    """The learned scorer against 1 - cosine, DiffAlign and BERTScore-F1 on each dev set, flag rates,
    precision, token AP, kinds against MQM categories, time ratio, seeds 000/001: one run, one model."""
    from conftest import shared_path
    from scorer_bench import run
    from suite_adapters import rows_scorer

    data = shared_path("data/mqm").parent
    result = run(data, ROOT / "examples" / "seeds", limit=24, encoder=onnx_cache[1])
    assert set(result["sets"]) == {"mqm-ted-dev", "mqm-news-dev", "demetr-eval"}
    for s in result["sets"].values():
        assert set(s["ranking"]) == {"drift", "1-cos", "diffalign", "bertscore"}
        # a 24-pair slice may hold one class only: then AUROC is undefined (nan), never out of range
        assert all(r["auroc"] != r["auroc"] or 0.0 <= r["auroc"] <= 1.0 for r in s["ranking"].values())
        assert {"faithful_flagged", "drifted_flagged", "precision_major", "precision_minor"} <= set(s["flags"])
    ted = result["sets"]["mqm-ted-dev"]
    assert set(ted["tokens"]) == {"any", "major"} and ted["tokens"]["any"]["words"] > 100
    assert isinstance(ted["kinds_vs_mqm"], dict)
    assert result["timing"]["embed_s"] > 0 and result["timing"]["score_over_embed"] > 0
    assert result["timing"]["one_process_s"] > 0 and result["timing"]["processes"] >= 1
    assert result["seeds_000_001"]["pairs"] >= 10 and len(result["seeds_000_001"]["changes"]) == 3
    figures = {r["figure"] for r in rows_scorer(result)}
    assert {"mqm-ted-dev AUROC", "mqm-news-dev AUROC", "demetr-eval AUROC", "mqm-ted-dev token AP (any spans)",
            "scoring time / embedding time", "seeds 000 vs 001: pairs flagged"} <= figures


def test_distributed_benchmark_corpus_is_deterministic_wire_copy():
    from distributed import SENTENCES, VERSIONS, corpus

    articles = corpus(10, seed=3)
    assert articles == corpus(10, seed=3) and articles != corpus(10, seed=4)
    assert [a["id"] for a in articles[:5]] == ["s0v0", "s0v1", "s0v2", "s0v3", "s1v0"] and len(articles) == 10
    first, second = (a["text"].splitlines() for a in articles[:2])
    assert len(first) == len(second) == SENTENCES and VERSIONS == 4
    pairs = zip(first, second, strict=True)
    changed = [sum(x != y for x, y in zip(a.split(), b.split(), strict=True)) for a, b in pairs]
    assert all(c <= 2 for c in changed)  # versions differ by about a word a sentence
