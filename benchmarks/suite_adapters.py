"""The suite's benchmarks, one adapter each (``BENCHMARKS``): what it needs, how it runs, the rows it reports.

``suite.py`` runs them, each in a child process, and writes the results. Imported by it
(after it has put ``benchmarks/`` on ``sys.path``), never run on its own.
"""
from __future__ import annotations

import importlib
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from datasets import DEMETR_HINT, ISTS_HINT, ISTS_TEST, demetr_files, missing

HERE = Path(__file__).resolve().parent


@dataclass
class Context:
    data: Path
    seeds: Path
    gold: Path
    quick: bool
    runs: int


@dataclass(frozen=True)
class Bench:
    """One benchmark: ``needs`` says why it cannot run (None: it can), ``run`` measures, ``rows`` summarises."""

    name: str
    run: Callable[[Context], dict]
    rows: Callable[[dict], list[dict]]
    needs: Callable[[Context], str | None] = lambda ctx: None
    markdown: Callable[[dict], str] | None = None


def row(figure: str, value, baseline: str, base_value, target: str = "", higher_is_better: bool = True) -> dict:
    """A table row; ratio = value / baseline value (both from this run)."""
    ratio = round(value / base_value, 3) if isinstance(value, (int, float)) and base_value else None
    return {"figure": figure, "value": value, "baseline": baseline, "baseline_value": base_value, "ratio": ratio,
            "target": target, "higher_is_better": higher_is_better}


# ---------------------------------------------------------------- accuracy adapters


def _both_backends() -> dict:
    from drift.embed.load import load_encoder
    from drift.embed.torch_backend import TorchEncoder

    return {"onnx": load_encoder(None, "onnx"), "torch": TorchEncoder()}


def run_seed_gold(ctx: Context) -> dict:
    from seed_gold import evaluate, load_gold

    from drift import compare, read_articles

    gold = load_gold(ctx.gold)
    paths = [ctx.seeds / name for name in sorted(gold["docs"].values())]
    return {b: evaluate(gold, compare(read_articles(paths), model=enc))["summary"]
            for b, enc in _both_backends().items()}


def rows_seed_gold(result: dict) -> list[dict]:
    return [row(k, result["onnx"][k], "torch backend", result["torch"][k], "1.0")
            for k in ("alignment_recall", "drifts_flagged", "faithful_not_major")]


def run_demetr(ctx: Context) -> dict:
    import demetr

    limit = 15 if ctx.quick else 300
    return {b: demetr.run(ctx.data, "eval", limit, encoder=enc) for b, enc in _both_backends().items()}


def rows_demetr(result: dict) -> list[dict]:
    def mean_recall(r: dict) -> float:
        return round(sum(t["recall_at_5pct_fpr"] for t in r["types"]) / len(r["types"]), 3)

    return [row("AUROC", result["onnx"]["auroc"], "torch backend", result["torch"]["auroc"]),
            row("mean recall at 5% faithful flagged", mean_recall(result["onnx"]), "torch backend",
                mean_recall(result["torch"]))]


def run_ists(ctx: Context) -> dict:
    import inspect

    import ists

    takes_encoder = "encoder" in inspect.signature(ists.run).parameters
    if not takes_encoder:
        return {"onnx": ists.run(ctx.data)}
    return {b: ists.run(ctx.data, encoder=enc) for b, enc in _both_backends().items()}


def rows_ists(result: dict) -> list[dict]:
    """Top-level numbers of ists.run's result, against the torch backend when it ran too."""
    torch = result.get("torch", {})
    return [row(k, v, "torch backend" if k in torch else "", torch.get(k))
            for k, v in result["onnx"].items() if isinstance(v, (int, float)) and not isinstance(v, bool)]


def run_alignment(ctx: Context) -> dict:
    from alignment_synth import run

    from drift.embed.load import load_encoder

    return run(load_encoder(), cases=3 if ctx.quick else 20)


def rows_alignment(result: dict) -> list[dict]:
    s, by_type = result["systems"], result["prf_by_op"]
    worst = {name: min(by_type[name].items(), key=lambda kv: kv[1]["recall"]) for name in by_type}
    return [row(f"F1 vs {b}", s["drift"]["f1"], b, s[b]["f1"], ">= 0.98") for b in ("monotone DP", "mutual best")] + [
        row(f"{k} vs monotone DP", s["drift"][k], "monotone DP", s["monotone DP"][k]) for k in ("precision", "recall")
    ] + [row(f"lowest recall of a case type ({worst['drift'][0]})", worst["drift"][1]["recall"],
             f"monotone DP's ({worst['monotone DP'][0]})", worst["monotone DP"][1]["recall"], ">= 0.95"),
         row("relation accuracy, pairs aligned right", result["relation"]["accuracy"], "", None),
         row("majors on gold overlaps", result["relation"]["majors_on_overlaps"], "", None, "0",
             higher_is_better=False)]


def run_relation(ctx: Context) -> dict:
    from relation_set import build, evaluate, seed_majors

    from drift.embed.load import load_encoder

    encoder = load_encoder()
    result = evaluate(build(ctx.gold, 3 if ctx.quick else 20, 0), encoder)
    result.pop("predictions")
    result["seed_majors"] = seed_majors(encoder)
    return result


def rows_relation(result: dict) -> list[dict]:
    out = [row(f"relation accuracy, {source}", result[source]["accuracy"], "", None)
           for source in ("seed gold", "seed rewrites", "synthetic") if source in result]
    rewrites = result["seed rewrites"]
    out += [row(f"{label} recall, seed rewrites", rewrites[label]["recall"], "", None)
            for label in ("counterpart", "overlap")]
    majors = result["seed_majors"]
    out.append(row("majors from non-counterparts, seed rewrites (compare of the seeds)",
                   len(majors["overlap"]) + len(majors["unlabelled"]), "", None, "0", higher_is_better=False))
    return out


def run_int8(ctx: Context) -> dict:
    from int8 import run

    return run(ctx.data, ctx.runs)


def rows_int8(result: dict) -> list[dict]:
    v = result["variants"]
    token, batch, fp32 = v["onnx-int8-token"], v["onnx-int8 (batch scale)"], v["onnx-fp32"]
    return [row("speed vs batch-scale int8 (median of within-run ratios), int8 per token (default)",
                token["speed_vs_batch_int8"], "int8, batch scale (before)", batch["speed_vs_batch_int8"]),
            row("speed vs batch-scale int8 (median of within-run ratios), fp32", fp32["speed_vs_batch_int8"],
                "int8, batch scale (before)", batch["speed_vs_batch_int8"]),
            row("min cosine to torch, int8 per token", token["cos_min"], "int8, batch scale", batch["cos_min"],
                ">= 0.98"),
            row("2-file vs 5-file vectors bit-identical, int8 per token", int(token["independent"]),
                "int8, batch scale", int(batch["independent"]), "1")]


# ---------------------------------------------------------------- speed adapters


def run_throughput(ctx: Context) -> dict:
    from speed import throughput

    return throughput(*((5, 10) if ctx.quick else (20, 40)), ctx.runs)


def rows_throughput(result: dict) -> list[dict]:
    o, t = result["onnx"], result["torch"]
    paired = statistics.median(result["onnx_over_torch_per_run"])  # neighbouring runs share the machine's load
    return [row("pipeline speed-up onnx / torch (median of paired runs)", paired, "torch pipeline", 1.0, ">= 1.2"),
            row("pipeline sent/s (onnx)", o["pipeline_sent_per_s"], "pipeline sent/s (torch)",
                t["pipeline_sent_per_s"], ">= 1.2"),
            row("pipeline sent/s (onnx)", o["pipeline_sent_per_s"], "raw encoder sent/s (onnx)",
                o["encoder_sent_per_s"]),
            row("pipeline sent/s (torch)", t["pipeline_sent_per_s"], "raw encoder sent/s (torch)",
                t["encoder_sent_per_s"])]


def run_cold(ctx: Context) -> dict:
    from speed import cold_start

    return cold_start(ctx.runs)


def rows_cold(result: dict) -> list[dict]:
    c = result["commands"]
    base = ("import sentence-transformers + load model (torch)", c["torch import + model load"]["seconds"])
    return [row(f"cold {name} s", c[name]["seconds"], base[0], base[1], "<= 0.5" if "onnx" in name else "",
                higher_is_better=False) for name in ("drift compare (onnx)", "drift compare (torch)", "drift --help")]


def run_curve(ctx: Context) -> dict:
    from speed import curve

    return curve([2, 5, 10] if ctx.quick else [2, 5, 20, 50, 100], 10 if ctx.quick else 40, ctx.runs)


def rows_curve(result: dict) -> list[dict]:
    out = []
    for mode, k in result["slope"].items():
        if k is not None:
            out.append(row(f"time ~ sentences^k, {mode}", k, "linear (k = 1)", 1.0,
                           "<= 1.1" if mode == "default" else "", higher_is_better=False))
    modes = list(result["slope"])
    for mode in modes:
        pts = sorted((p for p in result["points"] if p["mode"] == mode), key=lambda p: p["sentences"])[-2:]
        if len(pts) == 2:
            local = (math.log(pts[1]["seconds"] / pts[0]["seconds"])
                     / math.log(pts[1]["sentences"] / pts[0]["sentences"]))
            out.append(row(f"local k, {mode}, {pts[0]['versions']} -> {pts[1]['versions']} versions", round(local, 2),
                           "linear (k = 1)", 1.0, "", higher_is_better=False))
    by_size = sorted((p for p in result["points"] if p["mode"] == modes[0]), key=lambda p: p["versions"])
    if len(by_size) >= 2:
        small, big = by_size[0], by_size[-1]
        out.append(row(f"ms per sentence, {modes[0]}, {big['versions']} versions", big["ms_per_sentence"],
                       f"ms per sentence, {modes[0]}, {small['versions']} versions", small["ms_per_sentence"], "",
                       higher_is_better=False))
    return out


def run_index(ctx: Context) -> dict:
    from speed import index

    return index([2000] if ctx.quick else [10_000, 100_000], 200 if ctx.quick else 1000)


def rows_index(result: dict) -> list[dict]:
    return [row(f"recall@10, {r['sentences']:,} sentences ({r['kind']})", r["recall@10"], "exact flat search", 1.0,
                ">= 0.95") for r in result["rows"]] + [
        row(f"query p50 ms, {r['sentences']:,} sentences", r["p50_ms"], "", None, "< 2", higher_is_better=False)
        for r in result["rows"]]


def run_distributed(ctx: Context) -> dict:
    from distributed import run

    if ctx.quick:
        return run([200], 1)
    # 10k articles take about 25 min an engine on 2 loaded cores: one run there, the medians at 1k
    return run([1000, 10_000], [max(ctx.runs, 3), 1], {1000: frozenset({"local_1_thread"}),
                                                       10_000: frozenset({"local_1_thread", "merge"})})


def rows_distributed(result: dict) -> list[dict]:
    out = []
    for r in result["sizes"]:
        n = f"{r['articles']:,} articles"
        out.append(row(f"ingest articles/s, Ray engine, {n}", r["ray_articles_per_s"], "local engine, same machine",
                       r["local_articles_per_s"], ">= 0.8" if r["articles"] >= 10_000 else ""))
        if r["local_1_thread_articles_per_s"] is not None:
            out.append(row(f"ingest articles/s, Ray engine, {n}", r["ray_articles_per_s"],
                           "local engine, 1 torch thread", r["local_1_thread_articles_per_s"]))
        out.append(row(f"merge sentences/s (single writer), {n}", r["merge_sentences_per_s"], "", None))
        out.append(row(f"peak RSS MiB, Ray engine (all processes), {n}", r["ray_peak_rss_mb"], "local engine",
                       r["local_peak_rss_mb"], higher_is_better=False))
        out.append(row(f"same stories as the local engine, {n}", int(r["same_stories"]), "", None, "1"))
    steps = result["startup"]["steps"]
    out.append(row("Ray start: import ray.data + local Ray + first job, s",
                   round(steps["import ray.data"]["seconds"] + steps["first Ray Data job"]["seconds"], 2), "", None,
                   higher_is_better=False))
    return out


def run_hostile(ctx: Context) -> dict:
    from hostile import hostile

    return hostile(ctx.quick, ctx.runs)


def rows_hostile(result: dict) -> list[dict]:
    line, typed, mem = result["two_mb_line"], result["typed_checks"], result["memory"]
    out = [row("2 MB line with no full stop: drift compare s (refused by the sentence limit)",
               line["with line"]["seconds"], "drift compare s without it", line["without"]["seconds"], "<= 10 s",
               higher_is_better=False)]
    for kind, k in typed["slope"].items():
        at_limit = max((r for r in typed["rows"] if r["text"] == kind), key=lambda r: r["chars"])
        out.append(row(f"typed checks s at {at_limit['chars']:,} chars, {kind}", at_limit["seconds"], "", None,
                       higher_is_better=False))
        out.append(row(f"typed checks time ~ chars^k, {kind}", k, "linear (k = 1)", 1.0,
                       "<= 1.1" if kind.startswith("news") else "", higher_is_better=False))
    biggest = mem["rows"][-1]
    out.append(row(f"peak RSS MB, {biggest['sentences']:,} sentences", biggest["peak_rss_mb"],
                   f"peak RSS MB, {mem['rows'][0]['sentences']} sentences", mem["rows"][0]["peak_rss_mb"], "",
                   higher_is_better=False))
    out.append(row("peak RSS ~ sentences^k", mem["slope"], "linear (k = 1)", 1.0, "<= 1.1", higher_is_better=False))
    return out


def run_scorer(ctx: Context) -> dict:
    from scorer_bench import run

    return run(ctx.data, ctx.seeds, 60 if ctx.quick else None)


def rows_scorer(result: dict) -> list[dict]:
    """The learned scorer on the dev splits (issue 11), every figure against a baseline of the same run."""
    out = []
    for name, s in result["sets"].items():
        r, f = s["ranking"], s["flags"]
        target = "DiffAlign + 0.06" if name.startswith("mqm") else ">= 0.75"
        out += [row(f"{name} AUROC", r["drift"]["auroc"], "DiffAlign", r["diffalign"]["auroc"], target),
                row(f"{name} AUROC vs 1-cos", r["drift"]["auroc"], "1 - cosine", r["1-cos"]["auroc"]),
                row(f"{name} AUROC vs BERTScore-F1", r["drift"]["auroc"], "BERTScore-F1", r["bertscore"]["auroc"]),
                row(f"{name} AP", r["drift"]["ap"], "DiffAlign", r["diffalign"]["ap"]),
                row(f"{name} faithful flagged (any)", f["faithful_flagged"], "drifted flagged (any)",
                    f["drifted_flagged"], "<= 0.10" if name.startswith("mqm") else "", higher_is_better=False),
                row(f"{name} faithful flagged major", f["faithful_major"], "drifted flagged major",
                    f["drifted_major"], "<= 0.03" if name.startswith("mqm") else "", higher_is_better=False),
                row(f"{name} precision major", f["precision_major"], "precision minor", f["precision_minor"],
                    ">= 0.8")]
        for level, t in s.get("tokens", {}).items():
            out.append(row(f"{name} token AP ({level} spans)", t["ap_drift"], "DiffAlign", t["ap_diffalign"],
                           "DiffAlign + 0.08"))
    t = result["timing"]
    out.append(row("scoring time / embedding time", t["score_over_embed"],
                   f"in one process (the figure: {t.get('processes', 1)})", t.get("one_process_over_embed"),
                   "<= 0.30", higher_is_better=False))
    seed = result["seeds_000_001"]
    if "flagged" in seed:
        explained = sum(c["explained"] and c["severity"] != "none" for c in seed["changes"].values())
        out += [row("seeds 000 vs 001: pairs flagged", seed["flagged"], "pairs aligned", seed["pairs"], "<= 4",
                    higher_is_better=False),
                row("seeds 000 vs 001: known changes flagged and explained", explained, "known changes",
                    len(seed["changes"]), "3")]
    return out


def _needs(files: Callable[[Context], list[Path]], hint: str) -> Callable[[Context], str | None]:
    """Every file a benchmark reads, checked before its child starts: a missing one skips it, named."""
    return lambda ctx: missing(files(ctx), hint.replace("DATA", str(ctx.data)))


def _needs_scorer(ctx: Context) -> str | None:
    from scorer_bench import needs

    return needs(ctx.data)


def _markdown_of(module: str) -> Callable[[dict], str]:
    """The table of a benchmark whose script writes its own (its ``markdown``), imported when it is written."""
    return lambda result: importlib.import_module(module).markdown(result)


def md_curve(result: dict) -> str:
    lines = [f"compare time by versions ({result['sentences_per_version']} sentences each, backend "
             f"{result['backend']}, median of {result.get('runs', 1)} runs a point; default = auto pairs):", "",
             "| mode | versions | sentences | version pairs | aligned pairs | s | ms / sentence | ms / version pair "
             "| peak RSS MB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {p['mode']} | {p['versions']} | {p['sentences']} | {p['version_pairs']} | {p['aligned_pairs']} | "
              f"{p['seconds']} | "
              f"{p['ms_per_sentence']} | {p['ms_per_version_pair']} | {p['peak_rss_mb']:.0f} |"
              for p in result["points"]]
    return "\n".join(lines)


def md_cold(result: dict) -> str:
    lines = [f"Fresh processes, median of {result['runs']} interleaved runs:", "",
             "| command | s (median) | runs | peak RSS MB |", "|---|---:|---|---:|"]
    lines += [f"| {name} | {c['seconds']} | {', '.join(map(str, c['runs_s']))} | {c['peak_rss_mb']:.0f} |"
              for name, c in result["commands"].items()]
    return "\n".join(lines)


BENCHMARKS: list[Bench] = [
    Bench("seed_gold", run_seed_gold, rows_seed_gold,
          _needs(lambda c: [c.gold, c.seeds], hint="get the seeds and seeds_public.json into ../shared "
                 "(pass --seeds DIR and --gold FILE)")),
    Bench("demetr", run_demetr, rows_demetr, _needs(lambda c: demetr_files(c.data), DEMETR_HINT)),
    Bench("scorer", run_scorer, rows_scorer, _needs_scorer, _markdown_of("scorer_bench")),
    Bench("alignment", run_alignment, rows_alignment, markdown=_markdown_of("alignment_synth")),
    Bench("relation", run_relation, rows_relation, markdown=_markdown_of("relation_set")),
    Bench("int8", run_int8, rows_int8, markdown=_markdown_of("int8")),
    Bench("throughput", run_throughput, rows_throughput),
    Bench("cold_start", run_cold, rows_cold, markdown=md_cold),
    Bench("compare_curve", run_curve, rows_curve, markdown=md_curve),
    Bench("index", run_index, rows_index),
    Bench("distributed", run_distributed, rows_distributed, markdown=_markdown_of("distributed")),
    Bench("hostile", run_hostile, rows_hostile, markdown=_markdown_of("hostile")),
]
if (HERE / "ists.py").exists():  # the typed-drift issue's token-level benchmark, when merged
    BENCHMARKS.insert(2, Bench("ists", run_ists, rows_ists, _needs(lambda c: [c.data / "ists" / ISTS_TEST], ISTS_HINT)))
