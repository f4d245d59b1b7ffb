"""Synthetic alignment benchmark with known answers, built from the seeds' real sentences.

An original version takes one real wording per fact (``synthetic.build_slots``);
each derived version rewords sentences with another seed's real wording of the
same fact, moves paragraphs, splits a sentence at a comma, merges two neighbours,
drops sentences and inserts sentences of facts the original lacks. The gold
pairs are known by construction. drift (reference mode), a monotone DP aligner
and mutual-best-match score precision, recall and F1 on the same vectors.

    python benchmarks/alignment_synth.py [--cases 20] [--sentences 24] [--json]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from align_baselines import monotone_dp, mutual_best, prf  # noqa: E402
from synthetic import SEEDS, _cached_seeds, _capitalize, build_slots, edit  # noqa: E402

from drift.article import Article
from drift.read.titles import article_from_text
from drift.text.prepare import prepare_article  # noqa: E402

SYSTEMS = ("drift", "monotone DP", "mutual best")
OPS = ("same", "reworded", "moved", "split", "merged")
_LOWER_FIRST = {"The", "He", "She", "It", "They", "This", "But", "In", "A", "An", "On", "According"}


@dataclass
class Unit:
    """A sentence as written, and the original sentences (gold ids) it tells."""

    text: str
    gold: tuple[int, ...]
    op: str = "same"


@dataclass
class Case:
    original: Article
    derived: Article
    gold: dict[tuple[int, int], str] = field(default_factory=dict)  # (orig sentence, derived sentence) -> op


def _split(text: str) -> tuple[str, str] | None:
    """Cut at a comma in the middle third, outside quotes: two sentences."""
    for m in re.finditer(r", ", text):
        head, tail = text[: m.start()], text[m.end():]
        if len(text) / 3 < m.start() < 2 * len(text) / 3 and head.count("\"") % 2 == 0 and "“" not in head \
                and len(head.split()) >= 4 and len(tail.split()) >= 4:
            return head + ".", _capitalize(tail)
    return None


def _merge(first: str, second: str) -> str | None:
    if not first.endswith(".") or first.endswith("..") or "”" in first[-3:] or "\"" in first[-3:]:
        return None
    word = second.split(" ", 1)[0]
    return first[:-1] + "; " + (second[0].lower() + second[1:] if word in _LOWER_FIRST else second)


def _derive(paragraphs: list[list[Unit]], extra: list[str], rng: random.Random) -> list[list[Unit]]:
    out: list[list[Unit]] = []
    for p, para in enumerate(paragraphs):
        units: list[Unit] = []
        k = 0
        while k < len(para):
            unit = para[k]
            roll = rng.random()
            if p and roll < 0.1:  # dropped (never from the lead paragraph)
                k += 1
                continue
            if roll < 0.2 and (halves := _split(unit.text)):
                units += [Unit(halves[0], unit.gold, "split"), Unit(halves[1], unit.gold, "split")]
            elif roll < 0.3 and k + 1 < len(para) and (joined := _merge(unit.text, para[k + 1].text)):
                units.append(Unit(joined, unit.gold + para[k + 1].gold, "merged"))
                k += 1
            else:
                units.append(unit)
            k += 1
        if units:
            out.append(units)
    for _ in range(2):  # editors move paragraphs, anywhere below the lead
        if len(out) > 3:
            moved = out.pop(rng.randrange(1, len(out)))
            for u in moved:
                u.op = "moved" if u.op in ("same", "reworded") else u.op
            out.insert(rng.randrange(1, len(out) + 1), moved)
    for text in extra:  # sentences of facts the original does not tell
        out[rng.randrange(1, len(out))].insert(0, Unit(text, ()))
    return out


def _article(paragraphs: list[list[Unit]], id: str) -> tuple[Article, list[tuple[int, int, Unit]]]:
    text, spans = "", []
    for para in paragraphs:
        if text:
            text += "\n\n"
        for n, unit in enumerate(para):
            if n:
                text += " "
            spans.append((len(text), len(text) + len(unit.text), unit))
            text += unit.text
    article = prepare_article(article_from_text(text + "\n", id=id, detect_headline=False))
    return article, spans


def _sentences_of(article: Article, start: int, end: int) -> list[int]:
    return [s.index for s in article.sentences if not s.boilerplate and s.start < end and start < s.end]


def make_cases(count: int = 20, sentences: int = 24, seed: int = 0, seeds: Path = SEEDS) -> list[Case]:
    """``count`` (original, derived) pairs with gold sentence pairs; deterministic."""
    bodies = _cached_seeds(str(seeds))[0]
    slots = build_slots(bodies)
    cases = []
    for c in range(count):
        rng = random.Random(f"align-{seed}-{c}")
        chosen = [0] + sorted(rng.sample(range(1, len(slots)), min(sentences, len(slots)) - 1))
        others = [s for s in range(len(slots)) if s not in chosen]
        units = [Unit(slots[s].wordings[0], (g,)) for g, s in enumerate(chosen)]
        paragraphs, k = [], 0
        while k < len(units):
            size = 1 if k == 0 else rng.choice((1, 2, 3))
            paragraphs.append(units[k:k + size])
            k += size
        original, orig_spans = _article(paragraphs, "orig")
        reworded = [[Unit(_reword(slots[chosen[u.gold[0]]].wordings, rng), u.gold, "reworded")
                     if rng.random() < 0.5 else Unit(u.text, u.gold) for u in para] for para in paragraphs]
        extra = [slots[s].wordings[0] for s in rng.sample(others, min(3, len(others)))]
        derived, der_spans = _article(_derive(reworded, extra, rng), f"v{c:03d}")
        where = {u.gold[0]: _sentences_of(original, s, e) for s, e, u in orig_spans}
        gold: dict[tuple[int, int], str] = {}
        for s, e, unit in der_spans:
            for g in unit.gold:
                for i in where[g]:
                    for j in _sentences_of(derived, s, e):
                        gold[(i, j)] = unit.op
        cases.append(Case(original, derived, gold))
    return cases


def _reword(wordings: tuple[str, ...], rng: random.Random) -> str:
    """Another seed's real wording of the fact when there is one, else a light edit."""
    return rng.choice(wordings[1:]) if len(wordings) > 1 else edit(wordings[0], rng, 2)


def run(encoder, cases: int = 20, sentences: int = 24, seed: int = 0) -> dict:
    """P/R/F1 of drift and both baselines over every case, pooled; recall by edit."""
    from drift import compare

    found = {name: set() for name in SYSTEMS}
    gold: dict[tuple, str] = {}
    for n, case in enumerate(make_cases(cases, sentences, seed)):
        report = compare([case.original, case.derived], model=encoder)
        for p in report.pairs:
            al = p.alignment
            flip = al.a != case.original.id
            for i in (al.b_sentences if flip else al.a_sentences):
                for j in (al.a_sentences if flip else al.b_sentences):
                    found["drift"].add((n, i, j))
        vectors = [_vectors(encoder, a) for a in (case.original, case.derived)]
        (ia, va, ma), (ib, vb, mb) = vectors
        found["monotone DP"] |= {(n, ia[i], ib[j]) for i, j in monotone_dp(va, vb, ma, mb)}
        found["mutual best"] |= {(n, ia[i], ib[j]) for i, j in mutual_best(va, vb)}
        gold.update({(n, *k): op for k, op in case.gold.items()})
    truth = set(gold)
    by_op = {op: {k for k, v in gold.items() if v == op} for op in OPS}
    return {
        "cases": cases, "sentences": sentences, "gold_pairs": len(truth),
        "gold_by_op": {op: len(keys) for op, keys in by_op.items()},
        "systems": {name: prf(found[name], truth) for name in SYSTEMS},
        "recall_by_op": {name: {op: round(len(found[name] & keys) / max(1, len(keys)), 3) for op, keys in by_op.items()}
                         for name in SYSTEMS},
    }


def _vectors(encoder, article: Article):
    """(sentence indices, their vectors, vectors of each sentence joined with the next) for the baselines."""
    sents = [s for s in article.sentences if not s.boilerplate and not s.title]
    vectors = encoder.encode([s.text for s in sents])
    joined = [article.text[s.start:t.end] for s, t in zip(sents, sents[1:], strict=False)]
    merged = encoder.encode(joined) if joined else vectors[:0]
    return [s.index for s in sents], vectors, merged


def markdown(result: dict) -> str:
    lines = [f"{result['cases']} derived versions of {result['sentences']}-sentence originals, "
             f"{result['gold_pairs']} gold sentence pairs ("
             + ", ".join(f"{op} {n}" for op, n in result["gold_by_op"].items()) + ").", "",
             "| aligner | precision | recall | F1 | " + " | ".join(f"recall {op}" for op in OPS) + " |",
             "|---|---:|---:|---:|" + "---:|" * len(OPS)]
    for name in SYSTEMS:
        s, r = result["systems"][name], result["recall_by_op"][name]
        lines.append(f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                     + " | ".join(f"{r[op]:.3f}" for op in OPS) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--sentences", type=int, default=24)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from drift.embed.load import load_encoder

    result = run(load_encoder(), args.cases, args.sentences)
    print(json.dumps(result, indent=2) if args.json else markdown(result))


if __name__ == "__main__":
    main()
