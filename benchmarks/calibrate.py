"""Choose drift's severity thresholds on development data and write drift/score/calibration.json.

`major` is the smallest drift that flags at most 5% of DEMETR's faithful pairs
(a human reference vs an independent MT of the same source) on the development
split (even ids; benchmarks/demetr.py evaluates on the odd ids). `minor` stays
at the level the seed gold asks for: a changed word in a close translation
("fomented" / "instigated") is worth showing. The seed gold is checked with the
new thresholds before anything is written.

    python benchmarks/calibrate.py [--data ../shared/data] [--limit 500] [--rate 0.05] [--dry-run]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from datasets import DEFAULT_DATA, FAITHFUL, demetr, demetr_dir  # noqa: E402
from metrics import threshold_at  # noqa: E402

from drift.embed.encoder import Encoder  # noqa: E402
from drift.embed.torch_backend import TorchEncoder  # noqa: E402
from drift.pipeline import score_pairs  # noqa: E402
from drift.score.scorer import ScoringSettings  # noqa: E402

TARGET = HERE.parent / "drift" / "score" / "calibration.json"
MINOR = 0.2


def calibrate(data: Path, limit: int | None, rate: float, encoder: Encoder) -> dict:
    pairs = demetr(data, FAITHFUL, "dev", limit)
    drifts = [d.drift for d in score_pairs([(p.a, p.b) for p in pairs], model=encoder)]
    major = math.ceil(max(threshold_at(drifts, rate), MINOR + 0.05) * 1e4) / 1e4  # rounding never lets ties in
    flagged = sum(d >= major for d in drifts) / len(drifts)
    return {
        "minor": MINOR,
        "major": major,
        "data": f"DEMETR {FAITHFUL} dev split (even ids, {len(drifts)} pairs), at most {rate:.0%} flagged major",
        "faithful_major_rate_dev": round(flagged, 4),
    }


def check_seeds(settings: ScoringSettings, encoder: Encoder) -> dict:
    from seed_gold import SHARED, evaluate

    from drift import compare, read_articles

    gold_path = SHARED / "gold" / "seeds_public.json"
    if not gold_path.exists():
        return {}
    gold = json.loads(gold_path.read_text())
    paths = [SHARED / "seeds" / name for name in sorted(gold["docs"].values())]
    report = compare(read_articles(paths), model=encoder, scoring=settings)
    return evaluate(gold, report)["summary"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=500, help="faithful dev pairs (0: all)")
    parser.add_argument("--rate", type=float, default=0.05, help="share of faithful pairs allowed major")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write drift/score/calibration.json")
    args = parser.parse_args()
    if demetr_dir(args.data) is None:
        print(f"skipped: {args.data}/demetr missing; get dataset/*.json from github.com/marzenakrp/demetr")
        return
    encoder = TorchEncoder()
    result = calibrate(args.data, args.limit or None, args.rate, encoder)
    settings = replace(ScoringSettings(), minor=result["minor"], major=result["major"], calibration=result["data"])
    result["seeds_public"] = check_seeds(settings, encoder)
    print(json.dumps(result, indent=2))
    seeds = result["seeds_public"]
    if seeds and min(seeds["alignment_recall"], seeds["drifts_flagged"], seeds["faithful_not_major"]) < 1.0:
        raise SystemExit("the seed gold is not fully right with these thresholds: not written")
    if not args.dry_run:
        TARGET.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {TARGET}", file=sys.stderr)


if __name__ == "__main__":
    main()
