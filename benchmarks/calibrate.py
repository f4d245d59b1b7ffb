"""Check drift's severity thresholds: the rule of ``thresholds.py`` on the mqm dev splits, with the shipped models.

``benchmarks/train_scorer.py`` (``make weights``) sets the thresholds when it trains
and writes them into drift/score/weights.json. This script re-derives them with a
fresh embedding of the mqm dev pairs by the default backend (no cached vectors),
prints each set's bars and flag figures next to the shipped thresholds, and checks
the seed gold with the shipped thresholds. It writes nothing.

    python benchmarks/calibrate.py [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from datasets import DEFAULT_DATA, MQM_HINT, missing, mqm_files, require  # noqa: E402
from scorer_data import news, ted  # noqa: E402
from thresholds import RULE, choose_thresholds  # noqa: E402

from drift.embed.encoder import Encoder  # noqa: E402
from drift.pipeline import score_pairs  # noqa: E402
from drift.score.scorer import Drift, ScoringSettings  # noqa: E402


def calibrate(data: Path, encoder: Encoder) -> dict:
    scores = {}
    for name, examples in (("ted", ted(data)), ("news", news(data))):
        dev = [e for e in examples if e.split == "dev" and e.label is not None]
        scored = score_pairs([(e.a, e.b) for e in dev], model=encoder)
        kept = [(d.drift, e.label) for d, e in zip(scored, dev, strict=True) if isinstance(d, Drift)]
        scores[name] = (np.array([p for p, _ in kept]), np.array([y for _, y in kept]))
    shipped = ScoringSettings().resolved()
    return {"rule": RULE, "shipped": {"minor": shipped.minor, "major": shipped.major},
            "rederived": choose_thresholds(scores), "seeds_public": check_seeds(encoder)}


def check_seeds(encoder: Encoder) -> dict:
    from seed_gold import SHARED, evaluate

    from drift import compare, read_articles

    gold_path = SHARED / "gold" / "seeds_public.json"
    if not gold_path.exists():
        return {}
    gold = json.loads(gold_path.read_text())
    paths = [SHARED / "seeds" / name for name in sorted(gold["docs"].values())]
    return evaluate(gold, compare(read_articles(paths), model=encoder))["summary"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    require(missing(mqm_files(args.data), MQM_HINT.replace("DATA", str(args.data))))
    from drift.embed.load import load_encoder

    print(json.dumps(calibrate(args.data, load_encoder()), indent=2))


if __name__ == "__main__":
    main()
