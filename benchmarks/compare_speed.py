"""Time `compare` against the raw encoder throughput of the same model, in the same run.

Machines are shared and noisy, so the figure is a ratio measured in one process:
pipeline sentences/s (``compare`` end to end from read articles, sentence splitting
included) over encoder sentences/s (``SentenceTransformer.encode`` on exactly the
sentence texts ``compare`` embeds, duplicates included), medians over ``--runs``
interleaved runs. Workloads: the example story and a synthetic story (see
``synthetic.py``). Usage:

    python benchmarks/compare_speed.py [--runs 3] [--versions 50] [--sentences 40]
                                       [--seeds examples/seeds] [--json] [--profile N]
                                       [--workloads both|example|synthetic]

Prints a Markdown table (or JSON) to stdout; progress goes to stderr.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from synthetic import make_story, story_stats  # noqa: E402

import drift.pipeline as pipeline  # noqa: E402
from drift import compare, read_articles  # noqa: E402
from drift.article import Article
from drift.embed.encoder import Encoder  # noqa: E402
from drift.embed.load import load_encoder
from drift.text.prepare import prepare_article  # noqa: E402

BATCH = 32
# forward: the model on story sentences and headlines; forward_merges: on the merged
# sentence pairs the aligner proposes; encode_other: dedup, tokenizing, word vectors.
STAGES = ("prepare", "forward", "forward_merges", "encode_other", "index", "align", "score", "other")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fresh(articles: list[Article]) -> list[Article]:
    """Unprepared copies: compare splits, marks boilerplate and detects language again."""
    return [replace(a, sentences=[], metadata=dict(a.metadata)) for a in articles]


def embedded_texts(articles: list[Article]) -> list[str]:
    """The texts compare embeds: story sentences, then headlines (as drift.pipeline builds them)."""
    prepared = [prepare_article(a) for a in fresh(articles)]
    texts = [s.text for a in prepared for s in a.sentences if not s.boilerplate and not s.title]
    return texts + [s.text for a in prepared for s in a.sentences[:1] if s.title]


# ---------------------------------------------------------------- stage timing


class Stages:
    """Exclusive wall time per stage: time in a wrapped call minus wrapped calls inside it."""

    def __init__(self) -> None:
        self.time = dict.fromkeys(STAGES, 0.0)
        self.calls = dict.fromkeys(STAGES, 0)
        self.merge_texts = 0
        self.forward = "forward"  # which stage model forward time goes to
        self._stack: list[list[float]] = []

    def reset(self) -> None:
        self.__init__()

    def wrap(self, stage: str, fn):
        def timed(*args, **kwargs):
            self._stack.append([time.perf_counter(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                start, inner = self._stack.pop()
                spent = time.perf_counter() - start
                self.time[stage] += spent - inner
                self.calls[stage] += 1
                if self._stack:
                    self._stack[-1][1] += spent

        return timed


@contextmanager
def instrumented(encoder: Encoder, stages: Stages):
    """Wrap drift's stages for the duration of one compare (this process only, files untouched)."""
    model = encoder.model
    saved = {
        "prepare": pipeline.prepare_article,
        "index": pipeline.SentenceIndex,
        "align": pipeline.Aligner.align,
        "score": pipeline.Scorer.score_all,
    }
    run = encoder._run

    def counted_run(texts, words):
        if not words:  # encode() calls after the main pass: merged sentence pairs
            stages.merge_texts += len(texts)
        stages.forward = "forward" if words else "forward_merges"
        return run(texts, words)

    forward = model.__class__.forward.__get__(model)
    timed_forward = {k: stages.wrap(k, forward) for k in ("forward", "forward_merges")}

    pipeline.prepare_article = stages.wrap("prepare", saved["prepare"])
    pipeline.SentenceIndex = stages.wrap("index", saved["index"])
    pipeline.Aligner.align = stages.wrap("align", saved["align"])
    pipeline.Scorer.score_all = stages.wrap("score", saved["score"])
    encoder._run = stages.wrap("encode_other", counted_run)
    model.forward = lambda *a, **kw: timed_forward[stages.forward](*a, **kw)
    try:
        yield
    finally:
        pipeline.prepare_article = saved["prepare"]
        pipeline.SentenceIndex = saved["index"]
        pipeline.Aligner.align = saved["align"]
        pipeline.Scorer.score_all = saved["score"]
        del encoder._run
        del model.forward


# ---------------------------------------------------------------- measuring


def raw_encode(encoder: Encoder, texts: list[str]) -> None:
    """The backend's bare model on ``texts``, duplicates included: sentence-transformers' own
    ``encode`` for torch, length-sorted batches of ONNX Runtime sessions for the ONNX backend."""
    if getattr(encoder, "backend", "torch") == "torch":  # (an OnnxEncoder loads its session here)
        encoder.model.encode(texts, batch_size=BATCH, show_progress_bar=False)
        return
    from drift.embed.onnx_backend import run_session

    ordered = sorted(texts, key=len, reverse=True)
    for i in range(0, len(ordered), BATCH):
        run_session(encoder._session, encoder._tokenizer, ordered[i:i + BATCH])


def time_encoder(encoder: Encoder, texts: list[str]) -> float:
    start = time.perf_counter()
    raw_encode(encoder, texts)
    return time.perf_counter() - start


def time_pipeline(encoder: Encoder, articles: list[Article], stages: Stages | None):
    copies = fresh(articles)
    if stages is None:
        start = time.perf_counter()
        report = compare(copies, model=encoder)
        return time.perf_counter() - start, report
    stages.reset()
    with instrumented(encoder, stages):
        start = time.perf_counter()
        report = compare(copies, model=encoder)
        elapsed = time.perf_counter() - start
    stages.time["other"] = elapsed - sum(v for k, v in stages.time.items() if k != "other")
    return elapsed, report


def measure(name: str, articles: list[Article], encoder: Encoder, runs: int, with_stages: bool) -> dict:
    texts = embedded_texts(articles)
    n = len(texts)
    enc_times, pipe_times, stage_runs = [], [], []
    report = None
    stages = Stages() if with_stages else None
    for r in range(runs):
        # Alternate the order so neither side always runs on a warmer (or hotter) machine.
        order = ("encoder", "pipeline") if r % 2 == 0 else ("pipeline", "encoder")
        for side in order:
            if side == "encoder":
                enc_times.append(time_encoder(encoder, texts))
                log(f"  {name} run {r + 1}/{runs}: encoder {enc_times[-1]:.2f}s ({n / enc_times[-1]:.0f} sent/s)")
            else:
                elapsed, report = time_pipeline(encoder, articles, stages)
                pipe_times.append(elapsed)
                if stages is not None:
                    stage_runs.append(dict(stages.time, merge_texts=stages.merge_texts))
                log(f"  {name} run {r + 1}/{runs}: compare {elapsed:.2f}s ({n / elapsed:.0f} sent/s)")
    assert report is not None
    enc_rate = n / statistics.median(enc_times)
    pipe_rate = n / statistics.median(pipe_times)
    per_run = [e / p for e, p in zip(enc_times, pipe_times, strict=False)]  # pipeline rate / encoder rate, run by run
    out = {
        "workload": name,
        "versions": len(articles),
        "sentences": n,
        "unique_texts": len(set(texts)),
        "version_pairs": len(report.signature.version_pairs),
        "aligned_pairs": len(report.pairs),
        "encoder_sent_per_s": round(enc_rate, 1),
        "pipeline_sent_per_s": round(pipe_rate, 1),
        "ratio": round(pipe_rate / enc_rate, 3),
        "ratio_per_run": [round(x, 3) for x in per_run],
        "encoder_s": [round(t, 3) for t in enc_times],
        "pipeline_s": [round(t, 3) for t in pipe_times],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if stage_runs:
        # Shares run by run, then the median: a loaded run slows stages unevenly.
        shares = [{k: s[k] / t for k in STAGES} for s, t in zip(stage_runs, pipe_times, strict=False)]
        out["stages_s_per_run"] = [{k: round(s[k], 3) for k in STAGES} for s in stage_runs]
        out["stages_share"] = {k: round(statistics.median(sh[k] for sh in shares), 3) for k in STAGES}
        out["merge_texts"] = int(statistics.median(s["merge_texts"] for s in stage_runs))
    return out


def profile(encoder: Encoder, articles: list[Article], top: int) -> str:
    prof = cProfile.Profile()
    copies = fresh(articles)
    prof.enable()
    compare(copies, model=encoder)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


# ---------------------------------------------------------------- output


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    import torch

    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem / 1024 / 1024, 1),
            "torch_threads": torch.get_num_threads(), "python": platform.python_version(),
            "torch": torch.__version__}


def markdown(result: dict) -> str:
    rows = result["workloads"]
    lines = [
        "| workload | versions | sentences | unique texts | version pairs | aligned pairs "
        "| encoder sent/s | compare sent/s | **ratio** | ratio per run | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for w in rows:
        lines.append(
            f"| {w['workload']} | {w['versions']} | {w['sentences']} | {w['unique_texts']} "
            f"({w['unique_texts'] / w['sentences']:.0%}) | {w['version_pairs']} | {w['aligned_pairs']} "
            f"| {w['encoder_sent_per_s']:.0f} | {w['pipeline_sent_per_s']:.0f} | **{w['ratio']:.2f}** "
            f"| {', '.join(f'{x:.2f}' for x in w['ratio_per_run'])} | {w['peak_rss_mb']:.0f} |"
        )
    if all("stages_share" in w for w in rows):
        lines += ["", "Share of compare wall time by stage (exclusive times; per-run shares, median over runs):", "",
                  "| workload | " + " | ".join(STAGES) + " | merge texts embedded |",
                  "|---|" + "---:|" * (len(STAGES) + 1)]
        for w in rows:
            lines.append(f"| {w['workload']} | " + " | ".join(f"{w['stages_share'][k]:.0%}" for k in STAGES)
                         + f" | {w['merge_texts']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per side and workload (median taken)")
    parser.add_argument("--versions", type=int, default=50, help="synthetic story: versions")
    parser.add_argument("--sentences", type=int, default=40, help="synthetic story: sentences per version")
    parser.add_argument("--seeds", type=Path, default=HERE.parent / "examples" / "seeds",
                        help="the example story (also the sentence source of the synthetic one)")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument("--backend", choices=("torch", "onnx"), default="torch", help="model runtime")
    parser.add_argument("--no-stages", action="store_true", help="do not time drift's stages separately")
    parser.add_argument("--workloads", choices=("both", "example", "synthetic"), default="both",
                        help="which workloads to time (default both)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also cProfile one compare on the synthetic story; top N lines to stderr")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    args.no_stages = args.no_stages or args.backend == "onnx"  # the stage timers wrap torch's forward

    log("loading model and warming up (not timed)")
    encoder = load_encoder(None, args.backend)
    example = read_articles([args.seeds])
    warm = embedded_texts(example)
    raw_encode(encoder, warm)
    compare(fresh(example[:2]), model=encoder)  # imports faiss, loads language profiles
    synthetic = make_story(args.versions, args.sentences, seeds=args.seeds)
    stats = story_stats(synthetic)
    log(f"synthetic story: {json.dumps(stats)}")

    workloads = [("example", example), (f"synthetic {args.versions}x{args.sentences}", synthetic)]
    if args.workloads != "both":
        workloads = [w for w in workloads if w[0].startswith(args.workloads)]
    results = []
    for name, articles in workloads:
        log(f"{name}: {len(articles)} versions")
        results.append(measure(name, articles, encoder, args.runs, not args.no_stages))
    result = {"runs": args.runs, "batch_size": BATCH, "model": encoder.name, "machine": machine(),
              "synthetic": stats, "workloads": results}
    if args.profile:
        log(f"profiling one compare on {workloads[-1][0]}")
        log(profile(encoder, synthetic, args.profile))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(markdown(result))
        print(f"\nMedians over {args.runs} interleaved runs; ratio = compare sent/s / encoder sent/s. "
              f"Synthetic story: {stats['verbatim_shared']:.0%} of sentences verbatim in another version.")


if __name__ == "__main__":
    main()
