"""iSTS 2016 headlines: do drift's word scores find the words whose meaning differs?

Gold: a token differs when it lies in a chunk aligned as anything but EQUI, or in
no alignment at all (the usual token-level reading of SemEval-2016 task 2).
Scores: drift's per-word P(the word carries a change) (``word_drift_pairs``, the
learned scorer's word tagger) against a plain DiffAlign
baseline computed in the same run from the same model's word vectors (each
word's 1 - max cosine to the other headline's words). Metrics over all tokens of
both sides: Spearman correlation and average precision.

    python benchmarks/ists.py [--data ../shared/data] [--file STSint.testinput.headlines.wa] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from datasets import DEFAULT_DATA, ISTS_HINT, ISTS_TEST, HeadlinePair, ists, missing, require  # noqa: E402
from metrics import average_precision, spearman  # noqa: E402

from drift.embed.encoder import Encoder  # noqa: E402
from drift.embed.torch_backend import TorchEncoder  # noqa: E402
from drift.pipeline import PairError, word_drift_pairs  # noqa: E402

TEST = ISTS_TEST


def _offsets(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The headline as text (tokens joined by spaces) and each token's character span."""
    spans, at = [], 0
    for token in tokens:
        spans.append((at, at + len(token)))
        at += len(token) + 1
    return " ".join(tokens), spans


def _token_scores(spans: list[tuple[int, int]], words: list[tuple[int, int, float]]) -> list[float]:
    """A token takes the highest score of the words it overlaps (0 for bare punctuation)."""
    return [max((s for ws, we, s in words if ws < end and start < we), default=0.0) for start, end in spans]


def baseline(encoder: Encoder, texts: list[tuple[str, str]]) -> list[dict[str, list[tuple[int, int, float]]]]:
    """DiffAlign: every word's 1 - max cosine to the other side's words, nothing else."""
    flat = [t for pair in texts for t in pair]
    _, words = encoder.encode_with_words(flat)
    out = []
    for n in range(len(texts)):
        a, b = words[2 * n], words[2 * n + 1]
        if not a.spans or not b.spans:
            out.append({"a": [(x, y, 1.0) for x, y in a.spans], "b": [(x, y, 1.0) for x, y in b.spans]})
            continue
        sim = a.vectors @ b.vectors.T
        out.append({"a": [(x, y, 1.0 - float(c)) for (x, y), c in zip(a.spans, sim.max(axis=1), strict=False)],
                    "b": [(x, y, 1.0 - float(c)) for (x, y), c in zip(b.spans, sim.max(axis=0), strict=False)]})
    return out


def run(data: Path, name: str = TEST, encoder: Encoder | None = None) -> dict:
    encoder = encoder or TorchEncoder()
    pairs: list[HeadlinePair] = ists(data, name)
    texts, spans = [], []
    for p in pairs:
        (a_text, a_spans), (b_text, b_spans) = _offsets(p.a_tokens), _offsets(p.b_tokens)
        texts.append((a_text, b_text))
        spans.append((a_spans, b_spans))
    ours = word_drift_pairs(texts, model=encoder)
    theirs = baseline(encoder, texts)
    labels, drift_scores, base_scores = [], [], []
    for p, (a_spans, b_spans), words, base in zip(pairs, spans, ours, theirs, strict=False):
        if isinstance(words, PairError):
            continue
        labels += p.a_differs + p.b_differs
        drift_scores += _token_scores(a_spans, [(s, e, v) for side, s, e, v in words if side == "a"])
        drift_scores += _token_scores(b_spans, [(s, e, v) for side, s, e, v in words if side == "b"])
        base_scores += _token_scores(a_spans, base["a"]) + _token_scores(b_spans, base["b"])
    result = {
        "file": name, "pairs": len(pairs), "tokens": len(labels), "differ_share": round(sum(labels) / len(labels), 3),
        "drift": {"spearman": round(spearman(drift_scores, labels), 4),
                  "average_precision": round(average_precision(labels, drift_scores), 4)},
        "diffalign": {"spearman": round(spearman(base_scores, labels), 4),
                      "average_precision": round(average_precision(labels, base_scores), 4)},
    }
    result["ratio_ap"] = round(result["drift"]["average_precision"] / result["diffalign"]["average_precision"], 3)
    return result


def markdown(result: dict) -> str:
    d, b = result["drift"], result["diffalign"]
    return "\n".join([
        f"iSTS headlines `{result['file']}`: {result['pairs']} pairs, {result['tokens']} tokens, "
        f"{result['differ_share']:.1%} of them in non-EQUI chunks.",
        "",
        "| word scores | Spearman | average precision |",
        "|---|---|---|",
        f"| drift (learned word tagger) | {d['spearman']:.4f} | {d['average_precision']:.4f} |",
        f"| DiffAlign baseline (1 - max cosine, same model) | {b['spearman']:.4f} | {b['average_precision']:.4f} |",
        f"| ratio drift / baseline (AP) | | {result['ratio_ap']:.3f} |",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--file", default=TEST)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    require(missing([args.data / "ists" / args.file], ISTS_HINT.replace("DATA", str(args.data))))
    result = run(args.data, args.file)
    print(json.dumps(result, indent=2) if args.json else markdown(result))


if __name__ == "__main__":
    main()
