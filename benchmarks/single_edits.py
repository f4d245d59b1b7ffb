"""Single edits on dev text: is one swapped figure, name or opposite flagged, in long and short sentences?

DEMETR's perturbations sit in sentences of about 25 words, and the mqm sets rarely hold a
plain swap, so neither says whether "left 3,000 jobs" / "left 300 jobs" is flagged in a
sentence of eight words. This benchmark makes such edits with the training generator
(``scorer_synth``) from the mqm **dev** sentences, which no model was fitted on, and
scores them at the shipped thresholds:

- ``long``: one edit per sentence of 6-60 words (figure, name, negation, hedge, speaker,
  clause, person, antonym), with faithful rewrites (contractions, number formats,
  acronyms, synonyms);
- ``short``: every clause of 6-14 words that holds a figure or a name, given a figure or
  name swap, with faithful rewrites of such clauses.

Per kind: the share flagged minor or major, and major; for the faithful rewrites, the
share flagged. Usage::

    python benchmarks/single_edits.py [--data ../shared/data] [--json]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from datasets import DEFAULT_DATA  # noqa: E402
from scorer_data import Example, news, ted  # noqa: E402
from scorer_synth import _changed, faithful, one_edit, p_antonym, short  # noqa: E402

from drift.score.evidence import read  # noqa: E402

SEED = 5


def dev_sentences(data: Path) -> list[tuple[str, str]]:
    """(group, sentence) of the mqm dev references, each once."""
    out: dict[str, str] = {}
    for ex in news(data) + ted(data):
        if ex.split == "dev":
            out.setdefault(ex.a, ex.group)
    return [(g, s) for s, g in out.items() if 6 <= len(s.split()) <= 60]


def edits(data: Path) -> dict[str, list[Example]]:
    src = dev_sentences(data)
    pool: list[tuple[str, str]] = []
    seen: set[str] = set()
    for _, s in src:
        for start, end, key in read(s).names:
            name = s[start:end]
            if name not in seen and len(name) > 2:
                seen.add(name)
                pool.append((name, key))
    rng = random.Random(SEED)
    long: list[Example] = []
    for n, (group, s) in enumerate(src):
        edit = one_edit(s, rng, pool, skip=("omission",))
        if edit is not None:
            sides, kind, change = edit
            long.append(_changed("antonym" if change is p_antonym else kind, f"{n}", group, sides))
        long += faithful(s, rng, group, f"{n}")
    return {"long": long, "short": short(src, pool, 1.0)}


def _shares(severities: list[str]) -> dict[str, float]:
    n = len(severities)
    return {"pairs": n, "flagged": round(sum(s in ("minor", "major") for s in severities) / n, 3),
            "major": round(sum(s == "major" for s in severities) / n, 3)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not (args.data / "mqm").exists():
        raise SystemExit(f"{args.data}/mqm missing: see ../shared/data/README")
    from drift.embed.load import load_encoder
    from drift.pipeline import score_pairs
    from drift.score.scorer import scorer_name

    encoder = load_encoder()
    out: dict = {"scorer": scorer_name(), "sets": {}}
    for name, examples in edits(args.data).items():
        results = score_pairs([(e.a, e.b) for e in examples], model=encoder)
        by: dict[str, list[str]] = defaultdict(list)
        for e, r in zip(examples, results, strict=True):
            by["faithful" if e.label == 0 else e.meta["type"]].append(getattr(r, "severity", "error"))
        out["sets"][name] = {kind: _shares(v) for kind, v in sorted(by.items())}
    if args.json:
        print(json.dumps(out, indent=1))
        return
    print(f"scorer {out['scorer']}\n\n| set | kind | pairs | flagged | major |\n|---|---|---:|---:|---:|")
    for name, kinds in out["sets"].items():
        for kind, v in kinds.items():
            print(f"| {name} | {kind} | {v['pairs']} | {v['flagged']:.3f} | {v['major']:.3f} |")


if __name__ == "__main__":
    main()
