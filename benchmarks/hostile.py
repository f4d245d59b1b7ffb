"""Hostile-input figures (issue 13): a 2 MB line, typed checks up to the sentence limit, memory per sentence.

    python benchmarks/hostile.py [--runs 3] [--quick] [--json]

- **2 MB line**: ``drift compare a.txt b.txt line.txt`` where line.txt is 2,000,000
  characters with no sentence punctuation, in a fresh process; baseline: the same
  command without line.txt, in the same run. It must finish (here: be refused by
  the characters-per-sentence limit) within 10 s.
- **Typed checks**: seconds of ``evidence.compare_readings`` on two sentences of L
  characters, L up to the limit (``MAX_SENTENCE_CHARS``), for news copy with its
  full stops removed and for a list of invented names (the worst case of the name
  checks); ``k`` is the log-log slope (1 = linear).
- **Memory**: peak RSS of ``drift compare`` (fresh process, default backend) on two
  versions of N/2 distinct news sentences each, N = 5,000, 10,000, 20,000; ``k`` is
  the log-log slope of (RSS - RSS at 0 sentences), and MB per 1,000 sentences.

Medians over ``--runs``; every ratio is of figures from the same run.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from drift.limits import MAX_SENTENCE_CHARS  # noqa: E402

SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "unrelated").glob("*.txt"))


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _run(cmd: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS MiB, exit status and stderr of one fresh process (its own rusage, via wait4)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, round(usage.ru_maxrss / 1024, 1), os.waitstatus_to_exitcode(status), err


def _slope(xs: list[float], ys: list[float]) -> float | None:
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx, my = statistics.fmean(p[0] for p in pts), statistics.fmean(p[1] for p in pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return round(sum((p[0] - mx) * (p[1] - my) for p in pts) / den, 2) if den else None


def news_sentences() -> list[str]:
    """Every story sentence of the bundled seeds and test fixtures, as drift splits them."""
    from drift import read_articles
    from drift.text.prepare import prepare_article

    out: list[str] = []
    for article in read_articles(SEEDS + FIXTURES):
        out += [s.text for s in prepare_article(article).sentences if not s.boilerplate and not s.title]
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------- the 2 MB line

def two_mb_line(runs: int) -> dict:
    words = " ".join(news_sentences()).replace(".", "").replace("!", "").replace("?", "").split()
    line = " ".join(words[i % len(words)] for i in range(400_000))[:2_000_000]
    drift = [sys.executable, "-m", "drift", "compare", "--format", "json"]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for name, src in (("a.txt", SEEDS[0]), ("b.txt", SEEDS[1])):
            (d / name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
        (d / "line.txt").write_text(line + "\n", encoding="utf-8")
        _run(drift + ["a.txt", "b.txt"], d)  # the ONNX export, once, before timing
        samples: dict[str, list[tuple[float, float, int, str]]] = {"with line": [], "without": []}
        for r in range(runs):
            for name in (("with line", "without") if r % 2 == 0 else ("without", "with line")):
                files = ["a.txt", "b.txt", "line.txt"] if name == "with line" else ["a.txt", "b.txt"]
                samples[name].append(_run(drift + files, d))
                log(f"  2 MB line, {name}: {samples[name][-1][0]:.2f}s")
    got = {name: {"seconds": round(statistics.median(s[0] for s in runs_), 2),
                  "runs_s": [round(s[0], 2) for s in runs_], "peak_rss_mb": max(s[1] for s in runs_),
                  "exit": runs_[-1][2]} for name, runs_ in samples.items()}
    got["with line"]["stderr"] = samples["with line"][-1][3].strip()
    return {"bytes": len(line) + 1, "runs": runs, **got}


# ---------------------------------------------------------------- typed checks up to the limit

def _names_list(length: int, seed: int) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    while sum(map(len, parts)) + 2 * len(parts) < length:
        parts.append(" ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 8))).title()
                              for _ in range(2)))
    return ("Officials named " + ", ".join(parts))[:length]


def typed_checks(lengths: list[int], runs: int) -> dict:
    from drift.score import evidence

    sentences = news_sentences()
    prose = [re.sub(r"[.!?]", "", " ".join(sentences[k::2])) for k in (0, 1)]
    texts = {
        "news copy without full stops": lambda n: tuple((p * (n // len(p) + 1))[:n] for p in prose),
        "list of invented names": lambda n: (_names_list(n, 1), _names_list(n, 2)),
    }
    rows = []
    for kind, make in texts.items():
        for n in lengths:
            a, b = make(n)
            times = []
            for _ in range(max(runs, 7)):  # milliseconds each: more runs steady the median on a shared machine
                evidence.read.cache_clear()
                evidence._lookup.cache_clear()
                start = time.perf_counter()
                evidence.compare_readings(evidence.read(a), evidence.read(b))
                times.append(time.perf_counter() - start)
            rows.append({"text": kind, "chars": n, "seconds": round(statistics.median(times), 4),
                         "us_per_char": round(statistics.median(times) / n * 1e6, 2)})
            log(f"  typed checks, {kind}, {n:,} chars: {rows[-1]['seconds']}s")
    slopes = {kind: _slope([r["chars"] for r in rows if r["text"] == kind],
                           [r["seconds"] for r in rows if r["text"] == kind]) for kind in texts}
    return {"limit": MAX_SENTENCE_CHARS, "runs": max(runs, 7), "rows": rows, "slope": slopes}


# ---------------------------------------------------------------- memory per sentence

def _versions(total: int) -> tuple[str, str]:
    """Two versions of ``total / 2`` distinct news sentences each, one a line; the second edits every tenth."""
    base = news_sentences()
    rng = random.Random(0)
    lines_a, lines_b = [], []
    for i in range(total // 2):
        s = base[i % len(base)]
        s = f"{s[:-1]} (item {i + 1})." if s.endswith(".") else f"{s} (item {i + 1})."
        lines_a.append(s)
        lines_b.append(s.replace(" the ", " a ", 1) if rng.random() < 0.1 else s)
    return "\n".join(lines_a) + "\n", "\n".join(lines_b) + "\n"


def memory(sizes: list[int], runs: int) -> dict:
    drift = [sys.executable, "-m", "drift", "compare", "-q", "--format", "json", "--pairs", "all"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for name, src in (("s0a.txt", SEEDS[0]), ("s0b.txt", SEEDS[1])):
            (d / name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
        _run(drift + ["s0a.txt", "s0b.txt"], d)  # the ONNX export, once
        base = [_run(drift + ["s0a.txt", "s0b.txt"], d) for _ in range(runs)]
        rows.append({"sentences": sum(len(p.read_text(encoding="utf-8").splitlines()) for p in SEEDS[:2]),
                     "seconds": round(statistics.median(b[0] for b in base), 2),
                     "peak_rss_mb": statistics.median(b[1] for b in base), "exit": base[-1][2]})
        for n in sizes:
            a, b = _versions(n)
            (d / f"a{n}.txt").write_text(a, encoding="utf-8")
            (d / f"b{n}.txt").write_text(b, encoding="utf-8")
            got = [_run(drift + [f"a{n}.txt", f"b{n}.txt"], d) for _ in range(max(1, runs // 2))]
            rows.append({"sentences": n, "seconds": round(statistics.median(g[0] for g in got), 1),
                         "peak_rss_mb": statistics.median(g[1] for g in got), "exit": got[-1][2]})
            log(f"  memory, {n:,} sentences: {rows[-1]['peak_rss_mb']} MB, {rows[-1]['seconds']} s")
    floor = rows[0]["peak_rss_mb"]
    big = [r for r in rows[1:]]
    return {"runs": runs, "rows": rows,
            "slope": _slope([r["sentences"] for r in big], [r["peak_rss_mb"] - floor for r in big]),
            "mb_per_1000": round((big[-1]["peak_rss_mb"] - floor) / big[-1]["sentences"] * 1000, 1)}


# ---------------------------------------------------------------- all of it

def hostile(quick: bool, runs: int) -> dict:
    limit = MAX_SENTENCE_CHARS
    lengths = [limit // 8, limit // 4, limit // 2, limit]
    return {"two_mb_line": two_mb_line(runs),
            "typed_checks": typed_checks(lengths, runs),
            "memory": memory([1000, 2000, 4000] if quick else [5000, 10_000, 20_000], runs)}


def markdown(result: dict) -> str:
    line = result["two_mb_line"]
    out = [f"2 MB line ({line['bytes']:,} bytes, no sentence punctuation), fresh `drift compare` processes, median of "
           f"{line['runs']} runs:", "",
           "| command | s (median) | runs | exit | peak RSS MB |", "|---|---:|---|---:|---:|"]
    out += [f"| compare a.txt b.txt{' line.txt' if name == 'with line' else ''} | {line[name]['seconds']} | "
            f"{', '.join(map(str, line[name]['runs_s']))} | {line[name]['exit']} | {line[name]['peak_rss_mb']:.0f} |"
            for name in ("with line", "without")]
    out += ["", f"stderr: `{line['with line']['stderr']}`", ""]
    typed = result["typed_checks"]
    out += [f"Typed checks (`evidence.compare_readings`) on two sentences of L characters, up to the limit "
            f"({typed['limit']:,}), median of {typed['runs']} runs:", "",
            "| text | characters | s | µs per character |", "|---|---:|---:|---:|"]
    out += [f"| {r['text']} | {r['chars']:,} | {r['seconds']} | {r['us_per_char']} |" for r in typed["rows"]]
    out += ["", "Slope k of time ~ characters^k: " + ", ".join(f"{k}: {v}" for k, v in typed["slope"].items()), ""]
    mem = result["memory"]
    out += ["Peak RSS of `drift compare --pairs all` on two versions (fresh processes, default backend):", "",
            "| sentences | s | peak RSS MB |", "|---:|---:|---:|"]
    out += [f"| {r['sentences']:,} | {r['seconds']} | {r['peak_rss_mb']:.0f} |" for r in mem["rows"]]
    out += ["", f"Slope k of (RSS - RSS of the example pair) ~ sentences^k: {mem['slope']}; "
            f"{mem['mb_per_1000']} MB per 1,000 sentences."]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = hostile(args.quick, args.runs)
    print(json.dumps(result, indent=2) if args.json else markdown(result))


if __name__ == "__main__":
    main()
