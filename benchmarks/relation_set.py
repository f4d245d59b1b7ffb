"""Counterpart or overlap: a labelled set of sentence pairs, and drift's accuracy on it (issue 12).

Three sources, each pair a list of sentences per side and a relation:

- ``seed gold``: the public seed gold (``../shared/gold/seeds_public.json``): every
  gold alignment, drift and faithful pair is the same statement (counterpart). A
  side is the sentence holding the gold's substring.
- ``seed rewrites``: hand labels of aligned pairs between the rewritten seed
  versions (``benchmarks/relation_labels.json``, made in the issue 12 research before
  the rule was written): 23 counterpart, 26 overlap.
- ``synthetic``: pairs of ``alignment_synth.make_cases`` whose relation is known by
  construction: a partial overlap is an overlap; the same sentence, moved, split in
  two or three, merged or a near-duplicate is a counterpart. Reworded pairs and
  headlines take another outlet's wording of a loosely grouped fact: left out.

Each pair is scored as given, inside its two versions (the relation weighs shared
words by their rarity in the two versions), with no alignment step: the figure is
the relation rule's, whatever the aligner does. ``--seeds`` also runs ``compare``
on the five seed versions and counts majors on rewrite pairs by label: the target is
no major from a pair that is not a counterpart.

    python benchmarks/relation_set.py [--gold PATH] [--cases 20] [--seed 0] [--seeds] [--json] [--write FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from alignment_synth import RELATION, SURE_RELATION, make_cases  # noqa: E402

from drift.article import Article
from drift.read.files import read_articles
from drift.text.prepare import prepare_article

SEEDS = HERE.parent / "examples" / "seeds"
GOLD = HERE.parent.parent / "shared" / "gold" / "seeds_public.json"
LABELS = HERE / "relation_labels.json"
SOURCES = ("seed gold", "seed rewrites", "synthetic")


def _seed_articles(seeds: Path = SEEDS) -> dict[str, Article]:
    return {a.id[:3]: prepare_article(a) for a in read_articles(sorted(seeds.glob("*.txt")))}


def seed_gold(gold: Path = GOLD, seeds: Path = SEEDS) -> list[dict]:
    """Every pair the public gold names, as whole sentences: all counterparts."""
    doc = json.loads(gold.read_text(encoding="utf-8"))
    articles = _seed_articles(seeds)

    def side(ref: list[str]) -> dict:
        doc_id, needle = ref
        found = [s for s in articles[doc_id].sentences if needle in s.text]
        if len(found) != 1:
            raise ValueError(f"{gold}: {needle!r} is in {len(found)} sentences of {doc_id}")
        return {"doc": doc_id, "sentences": [found[0].text], "ids": [found[0].index]}

    out, seen = [], set()
    for item in doc["alignments"] + doc["drifts"] + doc["faithful"]:
        pair = {"a": side(item["a"]), "b": side(item["b"]), "relation": "counterpart", "source": "seed gold"}
        key = (tuple(pair["a"]["sentences"]), tuple(pair["b"]["sentences"]))
        if key not in seen:
            seen.add(key)
            out.append(pair)
    return out


def seed_rewrites(labels: Path = LABELS, seeds: Path = SEEDS) -> list[dict]:
    articles = _seed_articles(seeds)

    def ids(side: dict) -> list[int]:
        texts = [s.text for s in articles[side["doc"]].sentences]
        return [texts.index(t) for t in side["sentences"]]

    return [{**p, "a": {**p["a"], "ids": ids(p["a"])}, "b": {**p["b"], "ids": ids(p["b"])}, "source": "seed rewrites"}
            for p in json.loads(labels.read_text(encoding="utf-8"))["pairs"]]


def synthetic(cases: int = 20, seed: int = 0) -> list[dict]:
    """Pairs with a relation known by construction: each connected group of gold pairs of one edit."""
    out = []
    for n, case in enumerate(make_cases(cases, 24, seed)):
        docs = (f"synthetic-{seed}-{n}-orig", f"synthetic-{seed}-{n}-derived")
        groups: list[tuple[set[int], set[int], str]] = []
        for (i, j), op in sorted(case.gold.items()):
            if op not in SURE_RELATION:
                continue
            hit = [g for g in groups if (i in g[0] or j in g[1]) and g[2] == op]
            if hit:
                hit[0][0].add(i)
                hit[0][1].add(j)
            else:
                groups.append(({i}, {j}, op))
        for a_ids, b_ids, op in groups:
            a = {"doc": docs[0], "ids": sorted(a_ids), "sentences": [case.original.sentences[i].text for i in a_ids]}
            b = {"doc": docs[1], "ids": sorted(b_ids), "sentences": [case.derived.sentences[j].text for j in b_ids]}
            out.append({"a": a, "b": b, "relation": RELATION[op], "source": "synthetic", "edit": op})
            _ARTICLES.update({docs[0]: replace(case.original, id=docs[0]), docs[1]: replace(case.derived, id=docs[1])})
    return out


#: The versions the labelled pairs come from, by doc id (seeds, and synthetic cases as they are built).
_ARTICLES: dict[str, Article] = {}


def articles_of(pairs: list[dict], seeds: Path = SEEDS) -> dict[str, Article]:
    """Every version the pairs name: the seed versions (``000``...), the synthetic cases built so far."""
    found = {**_seed_articles(seeds), **_ARTICLES}
    return {doc: replace(found[doc], id=doc) for p in pairs for doc in (p["a"]["doc"], p["b"]["doc"])}


def build(gold: Path = GOLD, cases: int = 20, seed: int = 0) -> list[dict]:
    """The labelled set: seed gold (when ``gold`` exists), seed rewrites, synthetic."""
    found = seed_gold(gold) if gold.exists() else []
    return found + seed_rewrites() + synthetic(cases, seed)


def evaluate(pairs: list[dict], encoder) -> dict:
    """drift's relation for every pair, scored inside its two versions as the pipeline scores an aligned
    pair, and accuracy, precision and recall per relation and source."""
    from drift.align.aligner import Alignment
    from drift.score.scorer import Scorer

    articles = articles_of(pairs)
    keys = [(doc, s.index) for doc, a in articles.items() for s in a.sentences if not s.boilerplate]
    vectors, words = encoder.encode_with_words([articles[d].sentences[i].text for d, i in keys])
    row = {key: n for n, key in enumerate(keys)}
    groups = [(p[side]["doc"], tuple(p[side]["ids"])) for p in pairs for side in "ab" if len(p[side]["ids"]) > 1]
    merged = dict(zip(groups, encoder.encode([_span_text(articles[d], ids) for d, ids in groups]), strict=True)) \
        if groups else {}
    scorer = Scorer(list(articles.values()), {key: words[n] for key, n in row.items()})

    def vector(doc: str, ids: tuple[int, ...]):
        return merged[(doc, ids)] if len(ids) > 1 else vectors[row[(doc, ids[0])]]

    rows = []
    for p in pairs:
        a, b = (p["a"]["doc"], tuple(p["a"]["ids"])), (p["b"]["doc"], tuple(p["b"]["ids"]))
        similarity = round(float(vector(*a) @ vector(*b)), 4)
        drift = scorer.score(Alignment(a[0], a[1], b[0], b[1], similarity))
        rows.append((p["source"], p["relation"], drift.relation, drift.severity))
    out = {"all": _figures(rows)}
    for source in SOURCES:
        mine = [r for r in rows if r[0] == source]
        if mine:
            out[source] = _figures(mine)
    out["predictions"] = [{"source": s, "gold": g, "drift": d, "severity": v} for s, g, d, v in rows]
    return out


def _span_text(article: Article, ids: tuple[int, ...]) -> str:
    return article.text[article.sentences[ids[0]].start:article.sentences[ids[-1]].end]


def _figures(rows: list[tuple[str, str, str, str]]) -> dict:
    def prf(label: str) -> dict:
        tp = sum(g == label and d == label for _, g, d, _ in rows)
        predicted = sum(d == label for _, _, d, _ in rows)
        actual = sum(g == label for _, g, _, _ in rows)
        p, r = tp / predicted if predicted else 0.0, tp / actual if actual else 0.0
        return {"n": actual, "precision": round(p, 3), "recall": round(r, 3),
                "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}

    return {"pairs": len(rows), "accuracy": round(sum(g == d for _, g, d, _ in rows) / max(1, len(rows)), 3),
            "counterpart": prf("counterpart"), "overlap": prf("overlap"),
            "majors_on_overlaps": sum(g == "overlap" and v == "major" for _, g, _, v in rows)}


def seed_majors(encoder, seeds: Path = SEEDS, labels: Path = LABELS) -> dict:
    """``compare`` of the five seed versions: majors on pairs between rewrites (not 000-001), by hand label."""
    from drift import compare

    known = {}
    doc = json.loads(labels.read_text(encoding="utf-8"))
    for p in doc["pairs"] + doc.get("extra", []):
        a, b = tuple(p["a"]["sentences"]), tuple(p["b"]["sentences"])
        known[(a, b)] = known[(b, a)] = p["relation"]
    report = compare(read_articles(sorted(seeds.glob("*.txt"))), model=encoder)
    by_id = {a.id: a for a in report.articles}
    out: dict = {"overlap": [], "counterpart": [], "unlabelled": []}
    for p in report.pairs:
        al = p.alignment
        if {al.a[:3], al.b[:3]} == {"000", "001"} or p.severity != "major":
            continue
        a = tuple(by_id[al.a].sentences[i].text for i in al.a_sentences)
        b = tuple(by_id[al.b].sentences[j].text for j in al.b_sentences)
        out[known.get((a, b), "unlabelled")].append(
            {"a": [al.a[:3], list(al.a_sentences)], "b": [al.b[:3], list(al.b_sentences)], "relation": p.relation,
             "similarity": al.similarity, "explanation": p.explanation})
    return out


def markdown(result: dict) -> str:
    lines = ["| source | pairs | accuracy | counterpart P / R | overlap P / R | majors on overlaps |",
             "|---|---:|---:|---|---|---:|"]
    for source in (*SOURCES, "all"):
        f = result.get(source)
        if f:
            lines.append(f"| {source} | {f['pairs']} | {f['accuracy']:.3f} | "
                         f"{f['counterpart']['precision']:.2f} / {f['counterpart']['recall']:.2f} "
                         f"(n={f['counterpart']['n']}) | {f['overlap']['precision']:.2f} / "
                         f"{f['overlap']['recall']:.2f} (n={f['overlap']['n']}) | {f['majors_on_overlaps']} |")
    majors = result.get("seed_majors")
    if majors:
        lines += ["", "Seed run (compare of the five seeds), majors between rewrites by hand label: "
                  f"overlap {len(majors['overlap'])}, counterpart {len(majors['counterpart'])}, "
                  f"unlabelled {len(majors['unlabelled'])}."]
        for m in majors["unlabelled"] + majors["overlap"]:
            lines.append(f"- {m['a'][0]} {m['a'][1]} / {m['b'][0]} {m['b'][1]} ({m['relation']}, "
                         f"sim {m['similarity']:.2f}): {m['explanation']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--cases", type=int, default=20, help="synthetic cases")
    parser.add_argument("--seed", type=int, default=0, help="synthetic case seed")
    parser.add_argument("--seeds", action="store_true", help="also count majors in a compare of the five seeds")
    parser.add_argument("--backend", choices=("auto", "torch", "onnx"), default="auto")
    parser.add_argument("--write", type=Path, help="write the labelled set (JSON) here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from drift.embed.load import load_encoder

    pairs = build(args.gold, args.cases, args.seed)
    if args.write:
        args.write.write_text(json.dumps(pairs, indent=1, ensure_ascii=False), encoding="utf-8")
    encoder = load_encoder(None, args.backend)
    result = evaluate(pairs, encoder)
    if args.seeds:
        result["seed_majors"] = seed_majors(encoder)
    if not args.json:
        print(markdown(result))
        return
    print(json.dumps({k: v for k, v in result.items() if k != "predictions"}, indent=2))


if __name__ == "__main__":
    main()
