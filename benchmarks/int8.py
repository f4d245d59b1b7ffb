"""fp32, per-token int8 (drift's default) and the old batch-scale int8 on the same sentences (issue 12).

Each variant is built here from one fresh ONNX export of the bundled model and run
through drift's own encoder (tokenizing, length-sorted batches of 32, pooling):

- ``onnx-fp32``: the export as it is;
- ``onnx-int8 (batch scale)``: ``quantize_dynamic`` alone, drift's recipe before issue 12,
  one activation scale over the whole padded batch;
- ``onnx-int8-token``: the same graph with per-token activation scales
  (``drift.embed.quantize``), what ``drift`` ships.

Per variant: the cosine of each sentence vector to torch's (min, mean), whether a
sentence's vector is bit-identical alone and in a batch (the seed versions 000 and 001
embedded as a two-file run and as a five-file run), and speed as sentences a second and
as a ratio to the old int8 within each run (median over ``--runs`` interleaved runs).

    python benchmarks/int8.py [--runs 3] [--data ../shared/data] [--json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from compare_speed import log  # noqa: E402

VARIANTS = ("onnx-int8 (batch scale)", "onnx-int8-token", "onnx-fp32")
SEEDS = ROOT / "examples" / "seeds"


def sentences(data: Path, limit: int = 600) -> list[str]:
    """The seed story's sentences, a synthetic story's, and DEMETR's held-out MT outputs when present."""
    from synthetic import make_story

    from drift.read.files import read_articles
    from drift.text.prepare import prepare_article

    texts = [s.text for a in read_articles([SEEDS]) for s in prepare_article(a).sentences if not s.boilerplate]
    demetr = data / "demetr" / "critical_id7_antonym.json"
    if demetr.exists():
        texts += [x["mt_sent"] for x in json.loads(demetr.read_text(encoding="utf-8"))[:300] if x.get("mt_sent")]
    texts += [s.text for a in make_story(10, 30) for s in prepare_article(a).sentences if not s.boilerplate]
    return list(dict.fromkeys(t for t in texts if t.strip()))[:limit]


def build(torch_model, directory: Path) -> dict[str, Path]:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from drift.embed.onnx_backend import _export
    from drift.embed.quantize import per_token

    _export(torch_model, directory / "fp32.onnx")
    quantize_dynamic(str(directory / "fp32.onnx"), str(directory / "batch.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True)
    onnx.save(per_token(onnx.load(str(directory / "batch.onnx"))), str(directory / "token.onnx"))
    return dict(zip(VARIANTS, (directory / "batch.onnx", directory / "token.onnx", directory / "fp32.onnx"),
                    strict=True))


def encoder_for(path: Path):
    """drift's OnnxEncoder for the bundled model, running the graph at ``path``."""
    import onnxruntime as ort

    from drift.embed.onnx_backend import OnnxEncoder, session_options

    enc = OnnxEncoder()
    enc.load()
    enc._session = ort.InferenceSession(str(path), session_options(), providers=["CPUExecutionProvider"])
    enc._inputs = {i.name for i in enc._session.get_inputs()}
    return enc


def independent(enc) -> bool:
    """Whether the 000 and 001 sentence and word vectors are the same bits in a two-file and a five-file run."""
    import numpy as np

    from drift.read.files import read_articles
    from drift.text.prepare import prepare_article

    versions = [[s.text for s in prepare_article(a).sentences if not s.boilerplate]
                for a in read_articles(sorted(SEEDS.glob("*.txt")))]
    two = enc.encode_with_words(versions[0] + versions[1])
    five = enc.encode_with_words([t for v in versions for t in v])
    n = len(versions[0]) + len(versions[1])
    return bool(np.array_equal(two[0], five[0][:n])) and all(
        np.array_equal(a.vectors, b.vectors) for a, b in zip(two[1], five[1][:n], strict=True))


def run(data: Path, runs: int = 3) -> dict:
    import numpy as np

    from drift.embed.torch_backend import TorchEncoder

    texts = sentences(data)
    torch = TorchEncoder()
    reference = torch.encode(texts)
    out: dict = {"sentences": len(texts), "runs": runs, "variants": {}}
    with tempfile.TemporaryDirectory() as tmp:
        log("exporting and quantizing (once)")
        encoders = {name: encoder_for(path) for name, path in build(torch.model, Path(tmp)).items()}
        for name, enc in encoders.items():
            cos = np.sum(enc.encode(texts) * reference, axis=1)
            out["variants"][name] = {"cos_min": round(float(cos.min()), 4), "cos_mean": round(float(cos.mean()), 4),
                                     "independent": independent(enc), "seconds": []}
        for r in range(runs):  # interleaved, alternating order: no variant always runs on a warmer machine
            for name in (VARIANTS if r % 2 == 0 else tuple(reversed(VARIANTS))):
                start = time.perf_counter()
                encoders[name].encode(texts)
                out["variants"][name]["seconds"].append(round(time.perf_counter() - start, 3))
                log(f"  run {r + 1}/{runs} {name}: {out['variants'][name]['seconds'][-1]:.2f}s")
    return speeds(out)


def speeds(out: dict) -> dict:
    """sent/s from the median time, and the speed ratio to the batch-scale int8 as the median of the ratios
    within each run (the variants of one run share the machine's load; a loaded shared machine
    swings between runs far more than within one)."""
    base = out["variants"][VARIANTS[0]]["seconds"]
    for v in out["variants"].values():
        v["sent_per_s"] = round(out["sentences"] / statistics.median(v["seconds"]), 1)
        v["speed_vs_batch_int8"] = round(statistics.median(b / s for b, s in zip(base, v["seconds"], strict=True)), 3)
    return out


def markdown(result: dict) -> str:
    lines = [f"{result['sentences']} sentences, batches of 32 sorted by length, {result['runs']} interleaved runs; "
             "sent/s from the median time, speed vs the batch-scale int8 the median of the ratios within each run.", "",
             "| variant | cosine to torch, min / mean | 000-001 vectors bit-identical, 2-file vs 5-file run "
             "| sent/s | speed vs batch-scale int8 |",
             "|---|---|---|---:|---:|"]
    for name, v in result["variants"].items():
        lines.append(f"| {name} | {v['cos_min']:.4f} / {v['cos_mean']:.4f} | {'yes' if v['independent'] else 'no'} "
                     f"| {v['sent_per_s']:.0f} | {v['speed_vs_batch_int8']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.data, args.runs)
    print(json.dumps(result, indent=2) if args.json else markdown(result))


if __name__ == "__main__":
    main()
