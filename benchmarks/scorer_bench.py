"""The learned scorer on held-out data, in one run with one model: does drift flag what experts call drift?

    python benchmarks/scorer_bench.py [--data ../shared/data] [--seeds examples/seeds] [--limit N] [--json]

Sets: the mqm dev splits (TED talk.7: refB against 14 versions; news: ref-A against
8 systems, 6 blocks) and DEMETR's evaluation ids (odd; meaning-changing types
against base_id35 faithful pairs, plus surface-only edits). For each:

- AUROC and average precision of drift against 1 - cosine, DiffAlign and
  BERTScore-F1 (``scorer_report.baselines``), all from the same vectors;
- flag rates on faithful and drifted pairs at the shipped thresholds, and the
  precision of major, of minor, and of any flag;
- TED: token AP of P(word) on the words inside the raters' Accuracy spans against
  DiffAlign's 1 - best cosine, and drift's first kind against the MQM categories;
- DEMETR: per type, recall at the drift that flags 5% of faithful pairs, and
  whether the kind names the perturbation (as ``demetr.py``);
- time: scoring (features, typed checks, both models, spans) over the embedding
  of the same pairs, measured here.

Also the seed story 000 vs 001 (two translations of one French text) through
``compare``: how many pairs are flagged, and whether the three known changes are
flagged and explained by their words.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from datasets import (  # noqa: E402
    DEFAULT_DATA,
    DEMETR_HINT,
    MEANING_CHANGING,
    MQM_HINT,
    demetr_files,
    missing,
    mqm_files,
    pair_limit,
    require,
)
from metrics import auroc, average_precision, recall_by_type  # noqa: E402
from scorer_data import Example, demetr, news, ted  # noqa: E402
from scorer_report import BEST, baselines  # noqa: E402
from thresholds import flag_figures  # noqa: E402
from train_scorer import labels  # noqa: E402

from drift.embed.encoder import Encoder  # noqa: E402
from drift.score.scorer import Scorer  # noqa: E402

SEEDS = HERE.parent / "examples" / "seeds"
#: The known changes between seeds 000 and 001, by the words that must explain them.
SEED_CHANGES = {"IS-K / ISIL-X": ("IS-K", "ISIL-X"), "Guyana / French Guiana": ("Guyana", "Guiana"),
                "fomented / instigated": ("fomented", "instigated")}


def dev_sets(data: Path, limit: int | None = None) -> dict[str, list[Example]]:
    sets = {"mqm-ted-dev": [e for e in ted(data) if e.split == "dev" and e.label is not None],
            "mqm-news-dev": [e for e in news(data) if e.split == "dev" and e.label is not None],
            "demetr-eval": [e for e in demetr(data) if e.split == "dev" and e.meta["role"] in
                            ("faithful", "meaning", "surface")]}
    return {k: v[:limit] if limit else v for k, v in sets.items()}


def measure(examples: list[Example], encoder: Encoder) -> dict:
    """Scores, baselines, word probabilities and timing of one set."""
    from drift.pipeline import PairError, prepare_pairs

    prepared = prepare_pairs([(e.a, e.b) for e in examples], model=encoder)
    kept = [(e, al) for e, al in zip(examples, prepared.alignments, strict=True) if not isinstance(al, PairError)]
    scorer = prepared.scorer
    started = time.perf_counter()
    drifts = scorer.score_all([al for _, al in kept])
    score_s = time.perf_counter() - started
    alone = one_process(scorer)  # the same pairs again, in this process only: what one core costs
    started = time.perf_counter()
    same = alone.score_all([al for _, al in kept]) == drifts
    one_s = time.perf_counter() - started
    if not same:
        raise SystemExit("scoring in one process and in several differ: a bug in drift.score.parallel")
    features = scorer.features_all([al for _, al in kept], keep=False)
    probs = scorer._tag(features)
    return {"examples": [e for e, _ in kept], "drifts": drifts, "features": features, "probs": probs,
            "unscorable": len(examples) - len(kept), "embed_s": prepared.embed_seconds, "score_s": score_s,
            "one_process_s": one_s}


def one_process(scorer: Scorer) -> Scorer:
    """A fresh scorer of the same pairs (nothing memoised) that never forks."""
    alone = Scorer(list(scorer.articles.values()), scorer.words, scorer.settings, workers=1)
    alone.relations = scorer.relations
    return alone


def timing(embed_s: float, score_s: float, one_s: float) -> dict:
    """Scoring's wall time over embedding's (both on every core), and scoring's on one core alone."""
    from drift.score.parallel import processes

    return {"embed_s": round(embed_s, 2), "score_s": round(score_s, 2), "one_process_s": round(one_s, 2),
            "processes": processes(None), "score_over_embed": round(score_s / max(embed_s, 1e-9), 4),
            "one_process_over_embed": round(one_s / max(embed_s, 1e-9), 4)}


def ranking(scores: dict[str, np.ndarray], y: np.ndarray) -> dict:
    return {name: {"auroc": round(auroc(s[y == 0], s[y == 1]), 4), "ap": round(average_precision(y, s), 4)}
            for name, s in scores.items()}


def summarise(name: str, m: dict, thresholds: dict) -> dict:
    examples, drifts = m["examples"], m["drifts"]
    p = np.array([d.drift for d in drifts])
    rows = [type("R", (), {"base": f.base}) for f in m["features"]]
    scores = {"drift": p, **baselines(rows)}
    out: dict = {"pairs": len(examples), "unscorable": m["unscorable"],
                 "timing": timing(m["embed_s"], m["score_s"], m["one_process_s"])}
    keep, y = ranked(name, examples)
    out["ranking"] = ranking({k: v[keep] for k, v in scores.items()}, y[keep])
    out["flags"] = flag_figures(p[keep], y[keep], thresholds["minor"], thresholds["major"])
    if name.startswith("demetr"):
        surface = p[~keep]
        out["surface_flagged"] = {"any": round(float((surface >= thresholds["minor"]).mean()), 4),
                                  "major": round(float((surface >= thresholds["major"]).mean()), 4)}
        out["types"] = demetr_types(examples, drifts, scores)
    if name == "mqm-ted-dev":
        out["tokens"] = {level: token_ap(m, level) for level in ("any", "major")}
        out["kinds_vs_mqm"] = kinds_vs_mqm(examples, drifts)
    return out


def ranked(name: str, examples: list[Example]) -> tuple[np.ndarray, np.ndarray]:
    """Which pairs of a dev set are ranked, and every pair's label: on DEMETR the meaning-changing pairs
    against the faithful ones (surface-only edits are counted apart), on mqm the pair labels."""
    if name.startswith("demetr"):
        role = np.array([e.meta["role"] for e in examples])
        return role != "surface", (role == "meaning").astype(int)
    return np.ones(len(examples), bool), np.array([e.label for e in examples])


def token_ap(m: dict, level: str) -> dict:
    """AP of P(word) on the system's words in the raters' spans (any severity, or Major only)."""
    y, ours, theirs = [], [], []
    for e, f, (_, p_b) in zip(m["examples"], m["features"], m["probs"], strict=True):
        spans = e.words_b if level == "any" else e.meta["major_spans"]
        y.append(labels(f.b.spans, f.b.offset, spans))
        ours.append(p_b)
        theirs.append(1 - f.words_b[:, BEST])
    words = np.concatenate(y)
    return {"words": int(len(words)), "positive": round(float(words.mean()), 4),
            "ap_drift": round(average_precision(words, np.concatenate(ours)), 4),
            "ap_diffalign": round(average_precision(words, np.concatenate(theirs)), 4)}


def kinds_vs_mqm(examples: list[Example], drifts: list) -> dict:
    """For drifted pairs drift flags: its first kind, by the pair's Major Accuracy categories."""
    table: dict[str, Counter] = defaultdict(Counter)
    for e, d in zip(examples, drifts, strict=True):
        if e.label == 1 and d.severity != "none":
            key = "+".join(c.split("/")[-1] for c in e.meta["categories"]) or "(none)"
            table[key][d.kinds[0] if d.kinds else "(none)"] += 1
    return {k: dict(v.most_common()) for k, v in sorted(table.items(), key=lambda kv: -sum(kv[1].values()))}


def demetr_types(examples: list[Example], drifts: list, scores: dict[str, np.ndarray]) -> list[dict]:
    role = np.array([e.meta["role"] for e in examples])
    kind = np.array([e.meta["type"] for e in examples])
    flagged, recall = recall_by_type(scores["drift"], role == "faithful", kind, list(MEANING_CHANGING))
    _, recall_diffalign = recall_by_type(scores["diffalign"], role == "faithful", kind, list(MEANING_CHANGING))
    out = []
    for name, expected in MEANING_CHANGING.items():
        idx = np.flatnonzero(kind == name)
        if not len(idx):
            continue
        hits = idx[flagged[idx]]
        out.append({"type": name, "n": len(idx), "expected_kind": expected,
                    "recall_at_5pct": recall[name], "diffalign_recall_at_5pct": recall_diffalign[name],
                    "kind_named": round(sum(expected in drifts[i].kinds for i in hits) / max(1, len(hits)), 4),
                    "major": round(float(np.mean([drifts[i].severity == "major" for i in idx])), 4)})
    return out


def seed_story(seeds: Path, encoder: Encoder) -> dict:
    """000 vs 001 through compare: the pairs flagged, and the three known changes."""
    from drift import compare, read_articles

    paths = sorted(seeds.glob("000_*.txt")) + sorted(seeds.glob("001_*.txt"))
    if len(paths) != 2:
        return {"skipped": f"{seeds}: seeds 000 and 001 missing"}
    report = compare(read_articles(paths), model=encoder)
    texts = {a.id: a for a in report.articles}
    rows = []
    for d in report.pairs:
        al = d.alignment
        a = " ".join(texts[al.a].sentences[i].text for i in al.a_sentences)
        b = " ".join(texts[al.b].sentences[i].text for i in al.b_sentences)
        rows.append({"severity": d.severity, "drift": d.drift, "explanation": d.explanation, "a": a, "b": b})
    changes = {}
    for label, (word_a, word_b) in SEED_CHANGES.items():
        pair = next((r for r in rows if word_a in r["a"] and word_b in r["b"]), None)
        changes[label] = {"aligned": pair is not None, "severity": pair and pair["severity"],
                          "explained": bool(pair and word_a in pair["explanation"] and word_b in pair["explanation"]),
                          "explanation": pair and pair["explanation"]}
    flagged = [r for r in rows if r["severity"] != "none"]
    return {"pairs": len(rows), "flagged": len(flagged), "major": sum(r["severity"] == "major" for r in rows),
            "changes": changes, "flagged_pairs": [{k: r[k] for k in ("severity", "drift", "explanation")}
                                                  for r in sorted(flagged, key=lambda r: -r["drift"])]}


def needs(data: Path) -> str | None:
    """Why the scorer cannot be measured on ``data`` (None: it can): the MQM and DEMETR files the dev sets read."""
    hint = f"{MQM_HINT}; {DEMETR_HINT}".replace("DATA", str(data))
    return missing(mqm_files(data) + demetr_files(data), hint)


def run(data: Path, seeds: Path = SEEDS, limit: int | None = None, encoder: Encoder | None = None) -> dict:
    from drift.embed.load import load_encoder
    from drift.score.scorer import ScoringSettings, scorer_name

    encoder = encoder or load_encoder()
    settings = ScoringSettings().resolved()
    thresholds = {"minor": settings.minor, "major": settings.major, "word": settings.word}
    out: dict = {"scorer": scorer_name(), "backend": encoder.backend, "thresholds": thresholds, "sets": {}}
    embed = score = one = 0.0
    for name, examples in dev_sets(data, limit).items():
        m = measure(examples, encoder)
        out["sets"][name] = summarise(name, m, thresholds)
        embed, score, one = embed + m["embed_s"], score + m["score_s"], one + m["one_process_s"]
    out["timing"] = timing(embed, score, one)
    out["seeds_000_001"] = seed_story(seeds, encoder)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--limit", type=pair_limit, default=0, help="pairs per set (0, the default: all)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    require(needs(args.data))
    result = run(args.data, args.seeds, args.limit or None)
    print(json.dumps(result, indent=1) if args.json else markdown(result))


def markdown(result: dict) -> str:
    lines = [f"Scorer {result['scorer']}, backend {result['backend']}, thresholds minor "
             f"{result['thresholds']['minor']} / major {result['thresholds']['major']}.", "",
             "| set | pairs | AUROC drift | 1-cos | DiffAlign | BERTScore | AP drift | AP DiffAlign | faithful flagged "
             "(any / major) | drifted flagged (any / major) | precision major (n) | precision minor (n) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|"]
    for name, s in result["sets"].items():
        r, f = s["ranking"], s["flags"]
        lines.append(f"| {name} | {s['pairs']} | {r['drift']['auroc']:.3f} | {r['1-cos']['auroc']:.3f} | "
                     f"{r['diffalign']['auroc']:.3f} | {r['bertscore']['auroc']:.3f} | {r['drift']['ap']:.3f} | "
                     f"{r['diffalign']['ap']:.3f} | {f['faithful_flagged']:.1%} / {f['faithful_major']:.1%} | "
                     f"{f['drifted_flagged']:.1%} / {f['drifted_major']:.1%} | {_p(f['precision_major'])} "
                     f"({f['major_flags']}) | {_p(f['precision_minor'])} ({f['minor_flags']}) |")
    ted_set = result["sets"].get("mqm-ted-dev", {})
    for level, t in ted_set.get("tokens", {}).items():
        lines.append(f"\nTED dev token AP ({level} spans, {t['words']} words, {t['positive']:.1%} positive): drift "
                     f"{t['ap_drift']:.3f}, DiffAlign {t['ap_diffalign']:.3f}.")
    if "kinds_vs_mqm" in ted_set:
        lines.append(f"\nTED dev, drift's first kind on flagged drifted pairs by MQM category: "
                     f"{json.dumps(ted_set['kinds_vs_mqm'])}")
    dem = result["sets"].get("demetr-eval")
    if dem:
        lines += ["", "| DEMETR type | n | recall at 5% faithful flagged | DiffAlign | kind named | major |",
                  "|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {t['type']} | {t['n']} | {t['recall_at_5pct']:.3f} | {t['diffalign_recall_at_5pct']:.3f} | "
                  f"{t['kind_named']:.3f} (`{t['expected_kind']}`) | {t['major']:.3f} |" for t in dem["types"]]
    t = result["timing"]
    lines.append(f"\nScoring {t['score_s']} s ({t['processes']} processes) over embedding {t['embed_s']} s: "
                 f"{t['score_over_embed']:.1%}; in one process {t['one_process_s']} s: "
                 f"{t['one_process_over_embed']:.1%}.")
    seed = result["seeds_000_001"]
    if "flagged" in seed:
        lines.append(f"\nSeeds 000 vs 001: {seed['flagged']} of {seed['pairs']} pairs flagged ({seed['major']} major).")
        lines += [f"- {k}: {v['severity']}, explained by its words: {v['explained']} ({v['explanation']})"
                  for k, v in seed["changes"].items()]
    return "\n".join(lines)


def _p(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


if __name__ == "__main__":
    main()
