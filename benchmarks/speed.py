"""Speed and scale benchmarks of the suite: throughput per backend, compare time as versions grow, cold start.

Each function measures one thing in this process (the suite runs each in a child
process of its own, so peak memory is per benchmark) and returns a JSON-able dict.
Ratios are always of figures measured in the same run.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from compare_speed import fresh, log, measure, raw_encode  # noqa: E402
from synthetic import make_story, story_stats  # noqa: E402

from drift import compare, read_articles  # noqa: E402
from drift.embed.encoder import Encoder  # noqa: E402
from drift.embed.load import load_encoder
from drift.embed.torch_backend import TorchEncoder  # noqa: E402

EXAMPLE = ROOT / "examples" / "seeds"


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (VmHWM), MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def encoders() -> dict[str, Encoder]:
    """Both backends, warmed up (model loaded, faiss and language profiles imported)."""
    out = {"torch": TorchEncoder(), "onnx": load_encoder(None, "onnx")}
    example = read_articles([EXAMPLE])
    for enc in out.values():
        raw_encode(enc, ["warm up"])
        compare(fresh(example[:2]), model=enc)
    return out


def throughput(versions: int, sentences: int, runs: int) -> dict:
    """Raw encoder sent/s and pipeline sent/s for torch and ONNX, runs interleaved, medians."""
    encs = encoders()
    articles = make_story(versions, sentences)
    times: dict[str, dict[str, list[float]]] = {b: {"encoder_s": [], "pipeline_s": []} for b in encs}
    n = 0
    for r in range(runs):
        for backend in (("torch", "onnx") if r % 2 == 0 else ("onnx", "torch")):
            m = measure(f"{backend} {versions}x{sentences}", articles, encs[backend], 1, False)
            n = m["sentences"]
            times[backend]["encoder_s"] += m["encoder_s"]
            times[backend]["pipeline_s"] += m["pipeline_s"]
    out: dict = {"workload": f"synthetic {versions}x{sentences}", "sentences": n, "runs": runs,
                 "backend_names": {b: e.backend for b, e in encs.items()}}
    for b, t in times.items():
        out[b] = {"encoder_sent_per_s": round(n / statistics.median(t["encoder_s"]), 1),
                  "pipeline_sent_per_s": round(n / statistics.median(t["pipeline_s"]), 1), **t}
        out[b]["pipeline_over_encoder"] = round(out[b]["pipeline_sent_per_s"] / out[b]["encoder_sent_per_s"], 3)
    out["onnx_over_torch_pipeline"] = round(out["onnx"]["pipeline_sent_per_s"] / out["torch"]["pipeline_sent_per_s"], 3)
    out["onnx_over_torch_per_run"] = [round(t / o, 3) for t, o in zip(times["torch"]["pipeline_s"],
                                                                       times["onnx"]["pipeline_s"], strict=False)]
    return out


#: compare's version pairs per curve mode: the default (auto: all pairs up to 10 versions, then
#: each with the central version), a fixed reference, and every pair.
CURVE_MODES = {"default": {}, "reference": {"reference": "v000"}, "all pairs": {"pairs": "all"}}


def curve(versions: list[int], sentences: int, runs: int = 1) -> dict:
    """compare time as versions grow, per pairing mode, default backend (median of ``runs`` a point)."""
    from drift.align.pairing import MAX_ALL_PAIRS

    encoder = load_encoder()
    compare(fresh(read_articles([EXAMPLE])[:2]), model=encoder)  # warm-up: model, faiss, languages
    points = []
    for v in versions:
        articles = make_story(v, sentences)
        total = story_stats(articles)["sentences"]
        for mode, options in CURVE_MODES.items():
            if mode == "all pairs" and v > MAX_ALL_PAIRS:
                continue
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                report = compare(fresh(articles), model=encoder, **options)
                times.append(time.perf_counter() - start)
            elapsed = statistics.median(times)
            pairs = len(report.signature.version_pairs)
            points.append({"mode": mode, "versions": v, "sentences": total, "version_pairs": pairs,
                           "aligned_pairs": len(report.pairs), "seconds": round(elapsed, 2),
                           "runs_s": [round(t, 2) for t in times],
                           "ms_per_sentence": round(1000 * elapsed / total, 2),
                           "ms_per_version_pair": round(1000 * elapsed / pairs, 1), "peak_rss_mb": peak_rss_mb()})
            log(f"  curve {mode} {v} versions: {elapsed:.1f}s")
    return {"backend": encoder.backend, "sentences_per_version": sentences, "runs": runs, "points": points,
            "slope": {mode: _slope([p for p in points if p["mode"] == mode]) for mode in CURVE_MODES}}


def _slope(points: list[dict]) -> float | None:
    """Exponent k of time ~ sentences^k (least squares in log-log); 1 is linear."""
    pts = [p for p in points if p["versions"] >= 5]
    if len(pts) < 2:
        return None
    x = np.log([p["sentences"] for p in pts])
    y = np.log([max(p["seconds"], 1e-3) for p in pts])
    return round(float(np.polyfit(x, y, 1)[0]), 2)


def _timed(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS MiB and exit status of one child process (its own rusage, via wait4)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, round(usage.ru_maxrss / 1024, 1), os.waitstatus_to_exitcode(status)


def cold_start(runs: int) -> dict:
    """Fresh processes: drift's help and compare per backend vs importing sentence-transformers and loading
    the model."""
    from drift.embed.model import default_model_path

    load_encoder(None, "onnx").encode(["build the ONNX cache before timing"])
    seeds = [str(p) for p in sorted(EXAMPLE.glob("*.txt"))]
    drift_cli = [sys.executable, "-m", "drift"]
    commands = {
        "torch import + model load": [sys.executable, "-c", "from sentence_transformers import SentenceTransformer; "
                                      f"SentenceTransformer({str(default_model_path())!r}, device='cpu')"],
        "drift compare (onnx)": drift_cli + ["compare", "-q", "--format", "json", "--backend", "onnx", *seeds],
        "drift compare (torch)": drift_cli + ["compare", "-q", "--format", "json", "--backend", "torch", *seeds],
        "drift --help": drift_cli + ["--help"],
    }
    samples: dict[str, list[tuple[float, float, int]]] = {k: [] for k in commands}
    for r in range(runs):
        for name in (list(commands) if r % 2 == 0 else list(reversed(commands))):
            samples[name].append(_timed(commands[name]))
            log(f"  cold {name}: {samples[name][-1][0]:.2f}s")
    out = {name: {"seconds": round(statistics.median(s[0] for s in got), 2), "runs_s": [round(s[0], 2) for s in got],
                  "peak_rss_mb": max(s[1] for s in got), "ok": all(s[2] == 0 for s in got)}
           for name, got in samples.items()}
    failed = sorted(name for name, result in out.items() if not result["ok"])
    if failed:  # a command that failed fast would pass for a fast start
        raise RuntimeError(f"cold start: {', '.join(failed)} exited non-zero")
    base = out["torch import + model load"]["seconds"]
    return {"runs": runs, "commands": out,
            "onnx_compare_over_torch_load": round(out["drift compare (onnx)"]["seconds"] / base, 3),
            "torch_compare_over_torch_load": round(out["drift compare (torch)"]["seconds"] / base, 3)}


def index(sizes: list[int], queries: int) -> dict:
    """The persistent index's figures (benchmarks/index_scale.py) at ``sizes``; baseline: exact search."""
    import tempfile

    from index_scale import measure as index_measure

    with tempfile.TemporaryDirectory() as tmp:
        rows = [index_measure(n, queries, Path(tmp)) for n in sizes]
    return {"queries": queries, "rows": rows}
