"""Scale of the persistent vector index: add rate, query latency, recall@10, RAM, file size.

Builds drift's own ``VectorIndex`` (the kind it picks for each size) from
synthetic sentence-like vectors and measures it against exact search.

The vectors imitate sentence embeddings: unit vectors around topic centres,
with most variance in a low-dimensional subspace, and a third of them near
copies of another (a sentence repeated across versions of a story). Queries
are new near copies of stored vectors (a new version's sentence) and fresh
vectors, half each.

Usage:

    python benchmarks/index_scale.py --sizes 10000,100000,1000000 [--queries 1000] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from drift.store.vectors import VectorIndex, kind_for, training_size  # noqa: E402

DIM = 384
CHUNK = 50_000


class SentenceLike:
    """A reproducible stream of normalized, clustered vectors."""

    def __init__(self, n: int, dim: int = DIM, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.dim = dim
        self.topics = rng.standard_normal((max(50, n // 500), dim)).astype(np.float32)
        self.basis = (rng.standard_normal((64, dim)) / np.sqrt(64)).astype(np.float32)
        self.seed = seed

    def chunk(self, n: int, rng: np.random.Generator) -> np.ndarray:
        topic = self.topics[rng.integers(0, len(self.topics), n)] / np.sqrt(self.dim)
        latent = rng.standard_normal((n, 64)).astype(np.float32) @ self.basis / np.sqrt(self.dim) * 1.2
        noise = rng.standard_normal((n, self.dim)).astype(np.float32) / np.sqrt(self.dim) * 0.35
        x = topic + latent + noise
        copies = rng.random(n) < 1 / 3
        src = rng.integers(0, n, copies.sum())
        x[copies] = x[src] + rng.standard_normal((copies.sum(), self.dim)).astype(np.float32) / np.sqrt(self.dim) * 0.3
        return _normalize(x)


def _normalize(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _rss_mb(field: str = "VmHWM") -> float:
    """Peak (VmHWM) or current (VmRSS) resident memory of this process, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serve_probe(path: str, queries: str) -> None:
    """Child process: load the index file and answer the queries; print peak RSS and latency."""
    import faiss  # noqa: F401 - counted in the baseline

    base = _rss_mb("VmRSS")
    t = time.perf_counter()
    vi = VectorIndex.load(Path(path))
    load = time.perf_counter() - t
    q = np.load(queries)
    times = []
    for row in q:
        t = time.perf_counter()
        vi.search(row[None, :], 10)
        times.append(time.perf_counter() - t)
    times_ms = np.array(times) * 1000
    print(json.dumps({"rss_base_mb": base, "rss_peak_mb": _rss_mb(), "load_s": load,
                      "p50_ms": float(np.median(times_ms)), "p99_ms": float(np.percentile(times_ms, 99))}))


def measure(n: int, n_queries: int, workdir: Path) -> dict:
    import faiss

    gen = SentenceLike(n)
    rng = np.random.default_rng(1)
    data = np.concatenate([gen.chunk(min(CHUNK, n - i), rng) for i in range(0, n, CHUNK)])
    ids = np.arange(1, n + 1, dtype=np.int64)
    near = data[rng.integers(0, n, n_queries // 2)]
    near = _normalize(near + rng.standard_normal(near.shape).astype(np.float32) / np.sqrt(DIM) * 0.3)
    queries = np.concatenate([near, gen.chunk(n_queries - len(near), rng)])

    t = time.perf_counter()
    sample = data[rng.choice(n, training_size(n), replace=False)] if kind_for(n) != "flat" else None
    vi = VectorIndex.build(DIM, n, ((ids[i:i + CHUNK], data[i:i + CHUNK]) for i in range(0, n, CHUNK)), sample)
    build = time.perf_counter() - t

    exact = faiss.IndexFlatIP(DIM)
    exact.add(data)
    _, truth = exact.search(queries, 10)
    del exact
    _, found = vi.search(queries, 10)
    recall = float(np.mean([len(set(truth[i] + 1) & set(found[i])) / 10 for i in range(n_queries)]))

    path = workdir / f"vectors-{n}.faiss"
    t = time.perf_counter()
    vi.save(path)
    save = time.perf_counter() - t
    qpath = workdir / "queries.npy"
    np.save(qpath, queries)
    probe = subprocess.run([sys.executable, __file__, "--probe", str(path), str(qpath)],
                           capture_output=True, text=True, check=True)
    served = json.loads(probe.stdout.strip().splitlines()[-1])
    return {"sentences": n, "kind": vi.kind, "build_s": round(build, 1), "add_per_s": round(n / build),
            "save_s": round(save, 2), "recall@10": round(recall, 3), "p50_ms": round(served["p50_ms"], 3),
            "p99_ms": round(served["p99_ms"], 3), "load_s": round(served["load_s"], 2),
            "rss_peak_mb": round(served["rss_peak_mb"]), "rss_base_mb": round(served["rss_base_mb"]),
            "file_mb": round(path.stat().st_size / 2**20, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--json", help="also write the rows here")
    parser.add_argument("--probe", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        serve_probe(*args.probe)
        return
    rows = []
    cols = ["sentences", "kind", "build_s", "add_per_s", "recall@10", "p50_ms", "p99_ms", "rss_peak_mb",
            "rss_base_mb", "file_mb", "load_s", "save_s"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            row = measure(n, args.queries, Path(tmp))
            rows.append(row)
            print("| " + " | ".join(str(row[c]) for c in cols) + " |", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
