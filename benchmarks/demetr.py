"""DEMETR: does drift flag meaning-changing edits, and leave faithful translations alone?

For each perturbation type: recall at the drift threshold where at most 5% of
the faithful pairs (human reference vs an independent MT of the same source)
are flagged, whether the finding's kind names the perturbation, and the share
flagged major at drift's thresholds. Overall AUROC. Surface-only edits flagged
major. Evaluated on the odd-id split; the scorer trains on the even ids
(benchmarks/train_scorer.py). Also: time spent embedding vs scoring. The suite
runs it with both backends; ``scorer_bench.py`` adds the baselines and mqm.

    python benchmarks/demetr.py [--data ../shared/data] [--limit 300] [--split eval] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from datasets import (  # noqa: E402
    DEFAULT_DATA,
    DEMETR_HINT,
    FAITHFUL,
    MEANING_CHANGING,
    SURFACE_ONLY,
    demetr,
    demetr_files,
    missing,
    pair_limit,
    require,
)
from metrics import auroc, threshold_at  # noqa: E402

from drift.embed.encoder import Encoder  # noqa: E402
from drift.embed.torch_backend import TorchEncoder  # noqa: E402
from drift.pipeline import score_pairs  # noqa: E402
from drift.score.scorer import Drift  # noqa: E402


def run(data: Path, split: str = "eval", limit: int | None = 300, encoder: Encoder | None = None) -> dict:
    encoder = encoder or TorchEncoder()
    timings: dict[str, float] = {}
    names = [FAITHFUL, *MEANING_CHANGING, *SURFACE_ONLY]
    pairs = {name: demetr(data, name, split, limit) for name in names}
    flat = [(p.a, p.b) for name in names for p in pairs[name]]
    drifts = score_pairs(flat, model=encoder, timings=timings)
    scored, at = {}, 0
    for name in names:  # a pair with nothing to score on a side (a PairError) is left out
        scored[name] = [d for d in drifts[at:at + len(pairs[name])] if isinstance(d, Drift)]
        at += len(pairs[name])
    faithful = [d.drift for d in scored[FAITHFUL]]
    threshold = threshold_at(faithful, 0.05)
    rows = []
    for name, kind in MEANING_CHANGING.items():
        found = scored[name]
        flagged = [d for d in found if d.drift >= threshold]
        rows.append({
            "type": name, "expected_kind": kind, "n": len(found),
            "recall_at_5pct_fpr": round(len(flagged) / max(1, len(found)), 3),
            "kind_match": round(sum(kind in d.kinds for d in flagged) / max(1, len(flagged)), 3),
            "major": round(sum(d.severity == "major" for d in found) / max(1, len(found)), 3),
        })
    surface = [{"type": name, "n": len(scored[name]),
                "major": round(sum(d.severity == "major" for d in scored[name]) / max(1, len(scored[name])), 3)}
               for name in SURFACE_ONLY]
    positives = [d.drift for name in MEANING_CHANGING for d in scored[name]]
    return {
        "split": split, "limit_per_type": limit,
        "faithful": {"n": len(faithful),
                     "major": round(sum(d.severity == "major" for d in scored[FAITHFUL]) / max(1, len(faithful)), 3),
                     "threshold_at_5pct": round(threshold, 4)},
        "auroc": round(auroc(faithful, positives), 4),
        "types": rows, "surface": surface,
        "timing": {"embed_s": round(timings["embed"], 2), "score_s": round(timings["score"], 2),
                   "score_over_embed": round(timings["score"] / timings["embed"], 3)},
    }


def markdown(result: dict) -> str:
    lines = [
        f"DEMETR {result['split']} split, "
        f"{'up to ' + str(result['limit_per_type']) + ' pairs a type' if result['limit_per_type'] else 'every pair'}. "
        f"Faithful pairs: {result['faithful']['n']}, flagged major {result['faithful']['major']:.1%}; "
        f"threshold at 5% of faithful flagged: {result['faithful']['threshold_at_5pct']}. "
        f"AUROC (all meaning-changing vs faithful): {result['auroc']}.",
        "",
        "| perturbation | n | recall at 5% faithful flagged | kind matches (`expected`) | flagged major |",
        "|---|---|---|---|---|",
    ]
    for r in result["types"]:
        lines.append(f"| {r['type']} | {r['n']} | {r['recall_at_5pct_fpr']:.3f} | {r['kind_match']:.3f} "
                     f"(`{r['expected_kind']}`) | {r['major']:.3f} |")
    lines += ["", "| surface-only edit | n | flagged major |", "|---|---|---|"]
    lines += [f"| {r['type']} | {r['n']} | {r['major']:.3f} |" for r in result["surface"]]
    t = result["timing"]
    lines += ["", f"Embedding {t['embed_s']} s, scoring {t['score_s']} s: the scorer adds "
                  f"{t['score_over_embed']:.1%} to the embedding time."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("dev", "eval", "all"), default="eval")
    parser.add_argument("--limit", type=pair_limit, default=300, help="pairs per type (0: all)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    require(missing(demetr_files(args.data), DEMETR_HINT.replace("DATA", str(args.data))))
    result = run(args.data, args.split, args.limit or None)
    print(json.dumps(result, indent=2) if args.json else markdown(result))


if __name__ == "__main__":
    main()
