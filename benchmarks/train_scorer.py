"""Rebuild the learned scorer's weights (drift/score/weights.json) from ../shared, exactly.

    make weights          # or: .venv/bin/python benchmarks/train_scorer.py [--data ../shared/data] [--out FILE]

One command, nothing else needed (about 25 minutes on 2 busy cores, most of it
embedding 36,000 texts once; the vectors are cached in $DRIFT_CACHE/scorer-vectors
under the backend's identity, so a second run takes minutes):

1. the labelled pairs (``scorer_data``, ``scorer_synth``): mqm TED and news train
   splits, DEMETR even ids, the iSTS train file, synthetic pairs from train text;
2. one forward pass per text with the default encoder (``vector_cache``), and the
   pipeline's own side assembly (``drift.pipeline.prepare_pairs``) and features;
3. the word tagger, fitted on word labels; its out-of-fold P(word) (5 folds grouped
   by talk, news block and DEMETR item, each synthetic pair with its source) feed the
   pair classifier's training rows;
4. Platt scaling on the classifier's out-of-fold logits over the mqm train pairs;
5. thresholds on the mqm dev splits (``thresholds``), written with everything into
   the weights file.

Everything is deterministic (fixed seeds and fold order, texts embedded in a fixed
order, features read on a grid that the CPU's vector instructions cannot move:
``drift.score.model.inputs``); ``--check FILE`` compares the result with a file byte
for byte and, when it differs, says by how much (thresholds, dev drift).
``--report`` prints the cross-validated figures on train (what model choices were
made by) and the dev figures at the thresholds.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from datasets import DEFAULT_DATA  # noqa: E402
from scorer_data import Example, demetr, ists_train, news, ted  # noqa: E402
from scorer_models import average_trees, fit_lr, fit_platt, fit_trees  # noqa: E402
from scorer_synth import build as synthetic  # noqa: E402
from thresholds import choose_thresholds  # noqa: E402
from vector_cache import CachedEncoder, VectorCache  # noqa: E402

from drift.score.features import PAIR_FEATURES, WORD_FEATURES, pair_vector  # noqa: E402
from drift.score.model import FORMAT, Model, sigmoid  # noqa: E402

OUT = HERE.parent / "drift" / "score" / "weights.json"
VERSION = "learned/1"
FOLDS = 5
#: Each source's share of the training weight (rows of a source re-weighted to sum to it), chosen by
#: grouped cross-validation on train (``--report``): mqm decides, DEMETR and synthetic pairs teach
#: single edits in near-copies (drift's own use: edited wire copy) without outweighing it.
MIX = {"tagger": {"ted": 1.0, "synth": 0.2, "demetr": 0.2},
       "pair": {"ted": 1.0, "news": 0.7, "demetr": 0.15, "synth": 0.15}}
TAGGER = {"model": "trees", "trees": 150, "depth": 3, "rate": 0.1, "leaf": 100, "leaves": 8, "l2": 1.0}
#: ``bag``: the pair classifier is the mean of that many models, each fitted without one of as many folds
#: grouped by source. Alone, one model swung single swaps in short sentences across the minor threshold
#: between builds that differed elsewhere (a place or count swap at 0.58-0.72); grouped CV on train
#: (benchmarks/README.md, "Bagged pair classifier") chose it.
PAIR = {"model": "trees", "trees": 200, "depth": 3, "rate": 0.05, "leaf": 60, "leaves": 8, "l2": 1.0, "bag": 5}
#: A DEMETR item's words train the tagger when its id is a multiple of this (a third of the even ids).
DEMETR_TAGGER_EVERY = 6
#: P(word) from which a word is part of a span: the tagger's own even odds.
WORD_THRESHOLD = 0.5


def log(message: str) -> None:
    print(f"[train_scorer {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Row:
    """One example as the models see it: features, word labels, and the example itself."""

    example: Example
    base: np.ndarray
    words_a: np.ndarray
    words_b: np.ndarray
    y_a: np.ndarray | None
    y_b: np.ndarray | None
    y_b_major: np.ndarray | None = None


def examples(data: Path) -> list[Example]:
    """Every pair the training reads: train splits, plus the mqm dev splits the thresholds are set on."""
    found = demetr(data)
    out = ted(data) + news(data) + [e for e in found if e.split == "train"] + ists_train(data)
    return out + synthetic(data, found)


def fingerprint(items: list[Example]) -> str:
    """sha256 of every labelled pair the training read (texts, labels, word spans, splits): the data's identity."""
    import hashlib

    rows = [[e.id, e.set, e.split, e.group, e.a, e.b, e.label, e.words_a, e.words_b] for e in items]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def featurize(items: list[Example], encoder: CachedEncoder) -> list[Row]:
    """Features of every pair through the pipeline's own code, on cached vectors."""
    from drift.pipeline import PairError, prepare_pairs

    prepared = prepare_pairs([(e.a, e.b) for e in items], model=encoder)
    kept = [(e, al) for e, al in zip(items, prepared.alignments, strict=True)
            if not isinstance(al, PairError)]  # no sentence on a side: nothing to learn from
    rows = []
    for (example, _), pf in zip(kept, prepared.scorer.features_all([al for _, al in kept], keep=False), strict=True):
        rows.append(Row(example, pf.base, pf.words_a.astype(np.float32), pf.words_b.astype(np.float32),
                        labels(pf.a.spans, pf.a.offset, example.words_a),
                        labels(pf.b.spans, pf.b.offset, example.words_b),
                        labels(pf.b.spans, pf.b.offset, example.meta.get("major_spans"))))
    return rows


def labels(spans: np.ndarray, offset: int, positive: list[tuple[int, int]] | None) -> np.ndarray | None:
    """1 for the words overlapping a positive character span (text offsets), None when unlabelled."""
    if positive is None:
        return None
    starts, ends = spans[:, 0] + offset, spans[:, 1] + offset
    y = np.zeros(len(spans), np.int8)
    for s, e in positive:
        y[(starts < e) & (s < ends)] = 1
    return y


# ---------------------------------------------------------------- the models


def folds(rows: list[Row], deal: int | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Folds grouped by ``Example.group`` alone: a synthetic pair carries its source's group (a news block,
    a talk, a DEMETR item), so it never trains the fold that tests the text it was made from. ``deal``
    shuffles the groups among the folds with that seed: variants are judged over several deals (the fold
    noise is about as large as the effects sought); the shipped weights use the unshuffled deal."""
    return grouped(np.array([r.example.group for r in rows]), FOLDS, deal)


def grouped(groups: np.ndarray, n: int, deal: int | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """(fit, held) index pairs of ``n`` folds that never split a group (``deal``: see ``folds``)."""
    from sklearn.model_selection import GroupKFold

    kfold = GroupKFold(n_splits=n) if deal is None else GroupKFold(n_splits=n, shuffle=True, random_state=deal)
    return list(kfold.split(np.zeros(len(groups)), groups=groups))


def tagger_rows(rows: list[Row], chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word rows of the chosen pairs that train the tagger, with their labels and weights (``MIX``)."""
    x, y, source = [], [], []
    for i in np.flatnonzero(chosen):
        r = rows[i]
        share = MIX["tagger"].get(r.example.set, 0.0)
        if share <= 0 or (r.example.set == "demetr" and int(r.example.group.split("/")[1]) % DEMETR_TAGGER_EVERY):
            continue
        for words, y_side in ((r.words_a, r.y_a), (r.words_b, r.y_b)):
            if y_side is not None and len(y_side):
                x.append(words)
                y.append(y_side)
                source += [r.example.set] * len(y_side)
    return np.concatenate(x), np.concatenate(y), _shares(np.array(source), MIX["tagger"])


def _shares(source: np.ndarray, mix: dict[str, float]) -> np.ndarray:
    w = np.zeros(len(source))
    for name, share in mix.items():
        mask = source == name
        if mask.any():
            w[mask] = share / mask.sum() * len(source)
    return w


def fit(spec: dict, x: np.ndarray, y: np.ndarray, w: np.ndarray, groups: np.ndarray | None = None) -> dict:
    """One model of ``spec``; with ``bag`` (trees only) the mean of models fitted without one fold of ``groups``."""
    params = {k: v for k, v in spec.items() if k not in ("model", "bag")}
    if spec["model"] == "lr":
        return fit_lr(x, y, w, **params)
    if not spec.get("bag"):
        return fit_trees(x, y, w, **params)
    if groups is None:
        raise ValueError("a bagged model needs the rows' groups")
    return average_trees([fit_trees(x[on], y[on], w[on], **params) for on, _ in grouped(groups, spec["bag"])])


def tag(model: Model, row: Row) -> tuple[np.ndarray, np.ndarray]:
    return (model.probabilities(row.words_a) if len(row.words_a) else np.zeros(0),
            model.probabilities(row.words_b) if len(row.words_b) else np.zeros(0))


def pair_rows(rows: list[Row], probs: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    return np.stack([pair_vector(r.base, r.words_a, r.words_b, *p) for r, p in zip(rows, probs, strict=True)])


def train(rows: list[Row], tagger_spec: dict = TAGGER, pair_spec: dict = PAIR, deal: int | None = None) -> dict:
    """Both models, the calibration and the out-of-fold figures, from the train rows."""
    train_rows = [r for r in rows if r.example.split == "train"]
    split = folds(train_rows, deal)
    everything = np.ones(len(train_rows), bool)
    oof: list[tuple[np.ndarray, np.ndarray]] = [(np.zeros(0), np.zeros(0))] * len(train_rows)
    for k, (fit_on, held) in enumerate(split):
        chosen = np.zeros(len(train_rows), bool)
        chosen[fit_on] = True
        model = Model.of(fit(tagger_spec, *tagger_rows(train_rows, chosen)))
        for i in held:
            oof[i] = tag(model, train_rows[i])
        log(f"tagger fold {k + 1}/{FOLDS}")
    tagger = fit(tagger_spec, *tagger_rows(train_rows, everything))
    usable = np.array([r.example.label is not None and MIX["pair"].get(r.example.set, 0) > 0 for r in train_rows])
    x = pair_rows(train_rows, oof)
    y = np.array([r.example.label or 0 for r in train_rows])
    w = _shares(np.array([r.example.set for r in train_rows]), MIX["pair"]) * usable
    groups = np.array([r.example.group for r in train_rows])
    logits = np.zeros(len(train_rows))
    for k, (fit_on, held) in enumerate(split):
        on = fit_on[usable[fit_on]]
        logits[held] = Model.of(fit(pair_spec, x[on], y[on], w[on], groups[on])).logits(x[held])
        log(f"pair fold {k + 1}/{FOLDS}")
    pair = fit(pair_spec, x[usable], y[usable], w[usable], groups[usable])
    mqm = usable & np.array([r.example.set in ("ted", "news") for r in train_rows])
    platt = fit_platt(logits[mqm], y[mqm])
    return {"tagger": tagger, "pair": pair, "platt": platt, "oof": (train_rows, oof, logits, usable, split)}


def score_rows(weights: dict, rows: list[Row]) -> np.ndarray:
    """Calibrated drift of rows with the final models (no spans needed)."""
    tagger, pair = Model.of(weights["tagger"]), Model.of(weights["pair"])
    x = pair_rows(rows, [tag(tagger, r) for r in rows])
    a, b = weights["platt"]
    return sigmoid(a * pair.logits(x) + b)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="../shared/data (mqm/, demetr/, ists/)")
    parser.add_argument("--out", type=Path, default=OUT, help="the weights file to write")
    parser.add_argument("--check", type=Path, help="compare the result with this file byte for byte")
    parser.add_argument("--report", action="store_true", help="print cross-validated and dev figures")
    parser.add_argument("--deal", type=int, help="shuffle the groups among the folds with this seed (to judge a "
                        "variant over several deals; needs --out: the shipped weights use the unshuffled deal)")
    args = parser.parse_args(argv)
    if args.deal is not None and args.out.resolve() == OUT.resolve():
        raise SystemExit("--deal writes weights that are not the shipped ones: give --out FILE")
    if not (args.data / "mqm" / "ted_zhen.jsonl").exists():
        raise SystemExit(f"{args.data}/mqm missing: the scorer is trained on ../shared/data (see its README)")
    started = time.perf_counter()
    previous = args.check.read_bytes() if args.check and args.check.exists() else None
    from drift.embed.load import load_encoder

    items = examples(args.data)
    cache = VectorCache(load_encoder())
    log(f"{len(items):,} pairs; vectors in {cache.dir} ({len(cache):,} texts cached)")
    rows = featurize(items, CachedEncoder(cache))
    log(f"features of {len(rows):,} pairs ({cache.embedded:,} texts embedded in {cache.seconds:.0f} s)")
    fitted = train(rows, deal=args.deal)
    dev = {name: [r for r in rows if r.example.set == name and r.example.split == "dev"
                  and r.example.label is not None] for name in ("ted", "news")}
    weights = {"format": FORMAT, "version": VERSION, "word_features": list(WORD_FEATURES),
               "pair_features": list(PAIR_FEATURES), "tagger": fitted["tagger"], "pair": fitted["pair"],
               "platt": fitted["platt"]}
    scores = {name: (score_rows(weights, dev_rows), np.array([r.example.label for r in dev_rows]))
              for name, dev_rows in dev.items()}
    chosen = choose_thresholds(scores)
    weights = {**weights, "thresholds": {**chosen["thresholds"], "word": WORD_THRESHOLD},
               "calibration": chosen["rule"], "threshold_sources": chosen["sources"],
               "trained_with": {"encoder": cache.identity, "data": "../shared/data: mqm TED and news train splits, "
                                "DEMETR even ids, iSTS headlines train, synthetic pairs (benchmarks/scorer_synth.py); "
                                "thresholds on the mqm dev splits", "data_sha256": fingerprint(items),
                                "mix": MIX, "tagger": TAGGER, "pair": PAIR, "folds": FOLDS, "pairs": len(rows),
                                "command": "make weights"}}
    blob = json.dumps(weights, separators=(",", ":"), sort_keys=True).encode() + b"\n"
    args.out.write_bytes(blob)
    log(f"wrote {args.out} ({len(blob) // 1024} KiB) in {time.perf_counter() - started:.0f} s; "
        f"thresholds {json.dumps(weights['thresholds'])}")
    if args.report:
        from scorer_report import report

        report(fitted["oof"], scores, weights)
    if args.check:
        same = previous == blob
        log(f"identical to {args.check}" if same else
            f"DIFFERS from {args.check}: {how_far(previous, weights, scores, dev)}")
        if not same:
            raise SystemExit(1)


def how_far(previous: bytes | None, weights: dict, scores: dict[str, tuple[np.ndarray, np.ndarray]],
            dev: dict[str, list[Row]]) -> str:
    """What a failed --check differs in, in an editor's terms: the thresholds and the dev pairs' drift
    (``scores``: the new weights' dev drift and labels, as ``main`` computed them)."""
    try:
        old = json.loads(previous or b"")
        gaps = np.concatenate([np.abs(score_rows(old, rows) - scores[name][0]) for name, rows in dev.items()])
    except (ValueError, KeyError, TypeError) as e:
        return f"not comparable ({e})"
    moved = ", ".join(f"{k} {old['thresholds'].get(k)} -> {v}" for k, v in weights["thresholds"].items()
                      if old["thresholds"].get(k) != v) or "the same"
    return (f"thresholds {moved}; dev drift differs by at most {gaps.max():.4f} (median {np.median(gaps):.4f}) "
            f"over {len(gaps):,} pairs")


if __name__ == "__main__":
    main()
