"""Ingest throughput past one machine: the local engine against Ray on the same machine, the merge, memory.

    python benchmarks/distributed.py [--sizes 1000,10000] [--runs 1] [--json out.json]

For each size, a synthetic wire corpus (``corpus``: stories of 4 versions, 12 sentences of
real English words each, one word changed per sentence between versions; deterministic, no
model needed) is written as JSONL and ingested into a fresh index twice, each in a child
process: ``drift ingest FILE`` (local engine) and ``drift ingest FILE --engine ray`` (a
local Ray with every CPU). Wall time is the whole command, model loads and Ray's start
included; peak RSS is the sum over the command's process tree (Ray's raylet, GCS and
workers are its children), sampled every 0.2 s. The Ray run keeps its shards, and a third
run merges them into another fresh index without Ray: the single writer alone. The two
indexes must hold the same stories.

``startup`` measures what Ray costs before any work: ``import ray``, ``import ray.data``,
starting a local Ray, a first trivial job and shutting down, each in fresh processes.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from compare_speed import log  # noqa: E402

VERSIONS = 4
SENTENCES = 12


def _vocabulary() -> list[str]:
    """Real words of the seed story and the unrelated fixtures (the tokenizer sees news English)."""
    import re

    words: set[str] = set()
    for folder in (ROOT / "examples" / "seeds", ROOT / "tests" / "fixtures" / "unrelated"):
        for path in sorted(folder.glob("*.txt")):
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", path.read_text(encoding="utf-8")))
    return sorted(words)


def corpus(articles: int, seed: int = 0) -> list[dict]:
    """``articles`` records: stories of VERSIONS versions, SENTENCES sentences of 14-24 words each."""
    rng = random.Random(seed)
    vocab = _vocabulary()
    out: list[dict] = []
    story = 0
    while len(out) < articles:
        base = [[rng.choice(vocab) for _ in range(rng.randint(14, 24))] for _ in range(SENTENCES)]
        for v in range(VERSIONS):
            lines = []
            for words in base:
                words = list(words)
                words[rng.randrange(len(words))] = rng.choice(vocab)
                lines.append(" ".join(words).capitalize() + ".")
            out.append({"id": f"s{story}v{v}", "text": "\n".join(lines) + "\n"})
            if len(out) == articles:
                break
        story += 1
    return out


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and every process below it, MiB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / 2**20


def timed(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd``; wall seconds, peak RSS of its process tree (sampled), and its stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak[0]), "stdout": out}


_JOB = """
import json, sys, time
from drift.distributed.ingest import IngestOptions, ingest
from drift.distributed.runtime import RayOptions
from drift.store.index import Index

index, source, jobs = sys.argv[1:4]
t = time.perf_counter()
with Index(index) as ix:
    r = ingest([source], ix, RayOptions(silent=True), IngestOptions(job_dir=__import__("pathlib").Path(jobs),
                                                                    keep_shards=True))
    counts = ix.store.counts()
print(json.dumps({"seconds": r.seconds, "units": r.units, "reused": r.reused, "added": len(r.added),
                  "counts": counts}))
"""


def _merge_only(index: Path, source: Path, jobs: Path) -> dict:
    """The Ray job again over its kept shards, into a fresh index: the single writer alone, no Ray started."""
    shutil.rmtree(index, ignore_errors=True)
    again = timed([sys.executable, "-c", _JOB, str(index), str(source), str(jobs)])
    again["job"] = json.loads(again["stdout"].strip().splitlines()[-1])
    assert again["job"]["reused"] == again["job"]["units"], "the merge-only run computed shards"
    return again


def ingest_run(size: int, workdir: Path, runs: int = 1, skip: frozenset[str] = frozenset()) -> dict:
    """Local engine, Ray engine and merge-only, on ``size`` synthetic articles (medians of ``runs``).

    ``skip`` leaves out ``local_1_thread`` and/or ``merge`` (the merge-only run) to save time
    at large sizes; the Ray job's own merge time is measured either way.
    """
    source = workdir / f"corpus-{size}.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in corpus(size)), encoding="utf-8")
    drift = [sys.executable, "-m", "drift"]
    rows: dict[str, list[dict]] = {"local": [], "local_1_thread": [], "ray": [], "merge": []}
    stories: dict[str, str] = {}
    for run in range(runs):
        order = ("local", "ray", "local_1_thread") if run % 2 == 0 else ("local_1_thread", "ray", "local")
        for engine in (e for e in order if e not in skip):
            index = workdir / f"ix-{engine}-{size}"
            shutil.rmtree(index, ignore_errors=True)
            jobs = workdir / f"jobs-{size}"
            if engine.startswith("local"):  # torch's default (one thread a core), or one thread as each actor has
                threads = {"OMP_NUM_THREADS": "1"} if engine == "local_1_thread" else None
                m = timed(drift + ["ingest", str(source), "--index", str(index), "-q"], threads)
            else:
                shutil.rmtree(jobs, ignore_errors=True)
                m = timed([sys.executable, "-c", _JOB, str(index), str(source), str(jobs)])
                m["job"] = json.loads(m["stdout"].strip().splitlines()[-1])
                if "merge" not in skip:
                    rows["merge"].append(_merge_only(workdir / f"ix-merge-{size}", source, jobs))
            rows[engine].append(m)
            stories[engine] = subprocess.run(drift + ["stories", "--index", str(index), "--format", "json"],
                                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
            log(f"distributed: {size} articles, {engine}: {m['seconds']} s, peak {m['peak_rss_mb']} MiB")
    job = rows["ray"][-1]["job"]
    sentences = job["counts"]["vectors"]

    def med(engine: str, key: str = "seconds") -> float | None:
        return round(statistics.median(r[key] for r in rows[engine]), 2) if rows[engine] else None

    def per_s(engine: str) -> float | None:
        s = med(engine)
        return round(size / s, 2) if s else None

    def ratio(engine: str) -> float | None:
        a, b = med(engine), med("ray")
        return round(a / b, 3) if a and b else None

    merges = rows["merge"] or rows["ray"]  # merge-only runs, else the Ray job's own merge time
    merge_s = statistics.median(r["job"]["seconds"].get("merge", 0) for r in merges)
    io_s = statistics.median(r["job"]["seconds"].get("shard_io", 0) for r in rows["merge"]) if rows["merge"] else None
    return {
        "articles": size, "sentences": sentences, "units": job["units"], "runs": runs,
        "local_s": med("local"), "local_1_thread_s": med("local_1_thread"), "ray_s": med("ray"),
        "merge_only_s": med("merge"),
        "local_articles_per_s": per_s("local"), "ray_articles_per_s": per_s("ray"),
        "local_1_thread_articles_per_s": per_s("local_1_thread"),
        "ray_over_local": ratio("local"), "ray_over_local_1_thread": ratio("local_1_thread"),
        "ray_over_local_each_run": [round(a["seconds"] / b["seconds"], 3)
                                    for a, b in zip(rows["local"], rows["ray"], strict=True)],
        "ray_job_merge_s": round(statistics.median(r["job"]["seconds"].get("merge", 0) for r in rows["ray"]), 2),
        "merge_sentences_per_s": round(sentences / merge_s) if merge_s else None,
        "merge_shard_read_s": round(io_s, 2) if io_s is not None else None,
        "local_peak_rss_mb": med("local", "peak_rss_mb"), "ray_peak_rss_mb": med("ray", "peak_rss_mb"),
        "merge_peak_rss_mb": med("merge", "peak_rss_mb"),
        "same_stories": len(set(stories.values())) == 1,
        "all": {k: [{key: r[key] for key in ("seconds", "peak_rss_mb")} for r in v] for k, v in rows.items()},
    }


_STARTUP = {
    "import ray": "import ray",
    "import ray.data": "import ray.data",
    "start a local Ray (2 CPUs)": "import ray\nray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)",
    "first Ray Data job": "import ray, ray.data\nray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)\n"
                          "ray.data.range(8).map(lambda r: r).take_all()",
    "shut down": "import ray\nray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)",
}


def startup(runs: int = 3) -> dict:
    """Seconds each step of Ray's start costs, in fresh processes (median of ``runs``), and the import of drift."""
    marks = {}
    for name, code in _STARTUP.items():
        timing = "import time\nt = time.perf_counter()\n" + code
        if name == "shut down":
            timing = code.replace("import ray\n", "import ray, time\n") + "\nt = time.perf_counter()\nray.shutdown()"
        timing += "\nprint(time.perf_counter() - t)"
        times = []
        for _ in range(runs):
            proc = subprocess.run([sys.executable, "-c", timing], cwd=ROOT, capture_output=True, text=True,
                                  check=True, env={**os.environ, "RAY_BACKEND_LOG_LEVEL": "fatal"})
            times.append(float(proc.stdout.strip().splitlines()[-1]))
        marks[name] = {"seconds": round(statistics.median(times), 2), "runs": [round(t, 2) for t in times]}
        log(f"distributed startup: {name}: {marks[name]['seconds']} s")
    return {"runs": runs, "steps": marks}


def stage_costs(articles: int = 240) -> dict:
    """What one core does per article, for the scaling model: read and prepare, and embed with 1 and 2 threads."""
    import torch

    from drift.embed.torch_backend import TorchEncoder
    from drift.read.titles import article_from_text
    from drift.text.prepare import prepare_article

    records = corpus(articles, seed=1)
    started = time.perf_counter()
    prepared = [prepare_article(article_from_text(r["text"], id=r["id"], detect_headline=False)) for r in records]
    prepare_s = time.perf_counter() - started
    texts = [s.text for a in prepared for s in a.sentences if not s.boilerplate]
    encoder = TorchEncoder()
    encoder.encode(["warm up"])
    rates: dict[int, list[float]] = {1: [], 2: []}
    for threads in (1, 2, 2, 1):  # interleaved: the machine's load drifts
        torch.set_num_threads(threads)
        started = time.perf_counter()
        encoder.encode_with_words(texts)
        rates[threads].append(len(texts) / (time.perf_counter() - started))
        log(f"distributed stages: embed with {threads} thread(s): {rates[threads][-1]:.1f} sentences/s")
    embed = {k: round(statistics.median(v), 1) for k, v in rates.items()}
    return {"articles": articles, "sentences": len(texts),
            "prepare_ms_per_article": round(1000 * prepare_s / articles, 1),
            "embed_sentences_per_s_1_thread": embed[1], "embed_sentences_per_s_2_threads": embed[2],
            "runs": {str(k): [round(x, 1) for x in v] for k, v in rates.items()}}


def run(sizes: list[int], runs: int | list[int] = 1, skip: dict[int, frozenset[str]] | None = None,
        costs: bool = True) -> dict:
    """Every part; ``runs`` (one count, or one per size), ``skip`` (by size) and ``costs`` trade detail for time."""
    counts = runs if isinstance(runs, list) else [runs] * len(sizes)
    with tempfile.TemporaryDirectory(prefix="drift-distributed-") as tmp:
        return {"cpus": os.cpu_count(), "versions": VERSIONS, "sentences_per_article": SENTENCES,
                "startup": startup() if costs else None, "stages": stage_costs() if costs else None,
                "sizes": [ingest_run(n, Path(tmp), k, (skip or {}).get(n, frozenset()))
                          for n, k in zip(sizes, counts, strict=True)]}


def markdown(result: dict) -> str:
    lines = [f"Synthetic wire copy ({result['versions']} versions a story, {result['sentences_per_article']} "
             f"sentences an article), {result['cpus']} CPUs; whole commands, model loads and Ray's start included:",
             "", "| articles | runs | sentences | units | local s | local, 1 thread s | Ray s "
             "| Ray / local throughput (each run) | Ray / local 1 thread | merge-only s | Ray job's merge s "
             "| merge sent/s | peak RSS local MiB | peak RSS Ray MiB | same stories |",
             "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|"]

    def cell(value: object) -> str:
        return "–" if value is None else f"{value:,}" if isinstance(value, int) else str(value)

    lines += [f"| {r['articles']:,} | {r['runs']} | {r['sentences']:,} | {r['units']} | {cell(r['local_s'])} | "
              f"{cell(r['local_1_thread_s'])} | {cell(r['ray_s'])} | **{cell(r['ray_over_local'])}** "
              f"({', '.join(map(str, r.get('ray_over_local_each_run', [])))}) | {cell(r['ray_over_local_1_thread'])} | "
              f"{cell(r['merge_only_s'])} | {cell(r['ray_job_merge_s'])} | {cell(r['merge_sentences_per_s'])} | "
              f"{cell(r['local_peak_rss_mb'])} | {cell(r['ray_peak_rss_mb'])} | {r['same_stories']} |"
              for r in result["sizes"]]
    if result["startup"] is None:
        return "\n".join(lines)
    lines += ["", "Ray's start, in fresh processes (median of "
              f"{result['startup']['runs']}):", "", "| step | s |", "|---|---:|"]
    lines += [f"| {name} | {s['seconds']} |" for name, s in result["startup"]["steps"].items()]
    st = result["stages"]
    lines += ["", f"One core's work per article ({st['articles']} articles, {st['sentences']} sentences): read and "
              f"prepare {st['prepare_ms_per_article']} ms; embed {st['embed_sentences_per_s_1_thread']} sentences/s "
              f"with 1 torch thread, {st['embed_sentences_per_s_2_threads']} with 2."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", default="1", help="runs a size: one count, or one per size (3,1)")
    parser.add_argument("--skip", default="", metavar="SIZE:PART,...",
                        help="leave out local_1_thread or merge (merge-only) at a size, e.g. 10000:merge")
    parser.add_argument("--no-costs", action="store_true", help="leave out Ray's start-up and the stage costs")
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = [int(r) for r in args.runs.split(",")]
    skip: dict[int, frozenset[str]] = {}
    for item in filter(None, args.skip.split(",")):
        size, part = item.split(":")
        skip[int(size)] = skip.get(int(size), frozenset()) | {part}
    result = run(sizes, runs if len(runs) > 1 else runs[0], skip, costs=not args.no_costs)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
