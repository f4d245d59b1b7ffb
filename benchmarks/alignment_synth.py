"""Synthetic alignment benchmark with known answers, built from the seeds' real sentences.

An original version takes one real wording per fact (``synthetic.build_slots``);
each derived version rewords sentences with another seed's real wording of the
same fact, moves paragraphs, splits a sentence at a comma, merges two neighbours,
drops sentences and inserts sentences of facts the original lacks. The extended
cases (issue 12, the default) add to every case a sentence split in three, a
partial overlap (one clause kept, the other replaced by a clause of a fact the
original lacks), near-duplicate sentences in both versions, and a headline on both
versions, varied (``HEADLINE_VARIANTS``). The gold pairs, and each gold pair's
relation (counterpart, or overlap for the partial overlap), are known by
construction. drift, a monotone DP aligner and mutual-best-match score precision,
recall and F1 on the same sentences and vectors, overall and per case type; drift's
relation is scored against the gold relation.

    python benchmarks/alignment_synth.py [--cases 20] [--sentences 24] [--seed 0] [--classic] [--json]
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
CLASSIC_OPS = ("same", "reworded", "moved", "split", "merged")
OPS = CLASSIC_OPS + ("split3", "overlap", "near-dup", "headline")
#: The gold relation of a pair by its edit: the same statement, except a partial overlap.
RELATION = {op: ("overlap" if op == "overlap" else "counterpart") for op in OPS}
#: Edits whose pairs have a sure relation: a reworded pair or a headline takes another outlet's
#: wording of a loosely grouped fact, so its relation is not known by construction.
SURE_RELATION = ("same", "moved", "split", "merged", "split3", "overlap", "near-dup")
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


def _headline(title: str, titles: list[str], variant: str, rng: random.Random) -> str:
    """The derived version's headline for one of ``HEADLINE_VARIANTS``."""
    if variant == "edited":
        return edit(title, rng, 1)
    if variant == "other outlet":
        return rng.choice([x for x in titles if x != title] or [title])
    return title.rstrip(".") + "."  # full stop, run-in


def _split3(text: str) -> tuple[str, str, str] | None:
    """Cut at two commas outside quotes, each part at least four words: three sentences."""
    cuts = [m for m in re.finditer(r", ", text)
            if text[: m.start()].count("\"") % 2 == 0 and "“" not in text[: m.start()] and "”" not in text[m.end():]]
    for x in cuts:
        for y in cuts:
            parts = (text[: x.start()], text[x.end(): y.start()], text[y.end():])
            if y.start() > x.end() and all(len(p.split()) >= 4 for p in parts):
                return parts[0] + ".", _capitalize(parts[1]) + ".", _capitalize(parts[2])
    return None


def _overlap(text: str, other: str) -> str | None:
    """A partial overlap: the first clause of ``text`` kept, the rest replaced by the last
    clause of another fact (``other``): each side then says something the other does not."""
    head = _split(text)
    cut = [m for m in re.finditer(r", ", other) if len(other) / 3 < m.start() < 2 * len(other) / 3
           and "“" not in other[: m.start()] and other[: m.start()].count("\"") % 2 == 0]
    if not head or not cut:
        return None
    clause = other[cut[0].end():]
    if len(clause.split()) < 5 or not clause[:1].islower() or clause.split(" ", 1)[0] in ("while", "and", "but"):
        return None
    return head[0][:-1] + ", and " + clause


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
            if unit.op in ("near-dup", "split3", "overlap"):  # built in make_cases: kept as they are
                units.append(unit)
                k += 1
                continue
            if p and roll < 0.1:  # dropped (never from the lead paragraph)
                k += 1
                continue
            if roll < 0.2 and (halves := _split(unit.text)):
                units += [Unit(halves[0], unit.gold, "split"), Unit(halves[1], unit.gold, "split")]
            elif roll < 0.3 and k + 1 < len(para) and para[k + 1].op not in ("near-dup", "split3", "overlap") \
                    and (joined := _merge(unit.text, para[k + 1].text)):
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


def _article(paragraphs: list[list[Unit]], id: str, headline: Unit | None = None, run_in: bool = False
             ) -> tuple[Article, list[tuple[int, int, Unit]]]:
    text, spans = "", []
    if headline is not None:
        spans.append((0, len(headline.text), headline))
        text = headline.text
    for para in paragraphs:
        if text:
            text += "\n" if run_in and len(spans) == 1 else "\n\n"
        for n, unit in enumerate(para):
            if n:
                text += " "
            spans.append((len(text), len(text) + len(unit.text), unit))
            text += unit.text
    article = prepare_article(article_from_text(text + "\n", id=id, detect_headline=headline is not None))
    return article, spans


def _sentences_of(article: Article, start: int, end: int) -> list[int]:
    return [s.index for s in article.sentences if not s.boilerplate and s.start < end and start < s.end]


#: How the derived version's headline differs: a light edit, the same ending in a full stop
#: (read as body text before issue 12), another outlet's headline of the story, or the same
#: ending in a full stop with no blank line after it ("run-in": read as the first body sentence,
#: so only the original has a headline).
HEADLINE_VARIANTS = ("edited", "full stop", "other outlet", "run-in")


def make_cases(count: int = 20, sentences: int = 24, seed: int = 0, seeds: Path = SEEDS,
               extended: bool = True) -> list[Case]:
    """``count`` (original, derived) pairs with gold sentence pairs; deterministic.

    ``extended`` adds the case types of issue 12 to every case: a headline on both
    versions (varied as in ``HEADLINE_VARIANTS``), one sentence split into three, one
    partial overlap (one clause shared, the other of another fact) and one pair of
    near-duplicate sentences in both versions.
    """
    bodies, titles, _ = _cached_seeds(str(seeds))
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
        derived_units = None
        title = title_d = None
        variant = ""
        if extended:
            ext = random.Random(f"align-ext-{seed}-{c}")
            next_id = len(units)
            # near-duplicate: a light edit of a sentence, placed in another paragraph of both versions
            src = ext.choice(units[1:])
            dup = Unit(edit(src.text, ext, 1), (next_id,), "near-dup")
            next_id += 1
            paragraphs[ext.randrange(1, len(paragraphs))].append(dup)
            body = [u for para in paragraphs for u in para if u is not dup]
            plans: dict[int, Unit | tuple] = {}
            for u in ext.sample(body[1:], len(body) - 1):  # one split in three
                if (parts := _split3(u.text)):
                    plans[id(u)] = ("split3", parts)
                    break
            fillers = [slots[s].wordings[0] for s in others]
            for u in ext.sample(body[1:], len(body) - 1):  # one partial overlap
                if id(u) in plans:
                    continue
                joined = next((j for f in ext.sample(fillers, len(fillers)) if (j := _overlap(u.text, f))), None)
                if joined:
                    plans[id(u)] = ("overlap", joined)
                    break
            if titles:
                title = ext.choice(titles)
                variant = ext.choice(HEADLINE_VARIANTS)
                t = _headline(title, titles, variant, ext)
                title = Unit(title, (next_id,), "headline")
                title_d = Unit(t, (next_id,), "headline")
                next_id += 1
            derived_units = []
            for para in paragraphs:
                out = []
                for u in para:
                    plan = plans.get(id(u))
                    if plan and plan[0] == "split3":
                        out.append([Unit(part, u.gold, "split3") for part in plan[1]])
                    elif plan:
                        out.append([Unit(plan[1], u.gold, "overlap")])
                    elif u is dup:
                        text = u.text if ext.random() < 0.5 else edit(u.text, ext, 1)
                        # an edit that undoes the duplicate's own gives back its source sentence word for word:
                        # that is the source's twin, and a gold pair with the duplicate would be wrong
                        out.append([Unit(u.text if text == src.text else text, u.gold, "near-dup")])
                    else:
                        out.append(None)  # reworded or not, as before
                derived_units.append(out)
        original, orig_spans = _article(paragraphs, "orig", title)
        reworded = []
        for p, para in enumerate(paragraphs):
            row = []
            for n, u in enumerate(para):
                fixed = derived_units[p][n] if derived_units else None
                if fixed is not None:
                    row += fixed
                elif u.gold[0] < len(chosen) and rng.random() < 0.5:
                    row.append(Unit(_reword(slots[chosen[u.gold[0]]].wordings, rng), u.gold, "reworded"))
                else:
                    row.append(Unit(u.text, u.gold))
            reworded.append(row)
        extra = [slots[s].wordings[0] for s in rng.sample(others, min(3, len(others)))]
        derived, der_spans = _article(_derive(reworded, extra, rng), f"v{c:03d}", title_d, variant == "run-in")
        where: dict[int, list[int]] = {}
        for s, e, u in orig_spans:
            where.setdefault(u.gold[0], []).extend(_sentences_of(original, s, e))
        gold: dict[tuple[int, int], str] = {}
        for s, e, unit in der_spans:
            for g in unit.gold:
                for i in where.get(g, []):
                    for j in _sentences_of(derived, s, e):
                        gold[(i, j)] = unit.op
        cases.append(Case(original, derived, gold))
    return cases


def _reword(wordings: tuple[str, ...], rng: random.Random) -> str:
    """Another seed's real wording of the fact when there is one, else a light edit."""
    return rng.choice(wordings[1:]) if len(wordings) > 1 else edit(wordings[0], rng, 2)


def run(encoder, cases: int = 20, sentences: int = 24, seed: int = 0, extended: bool = True) -> dict:
    """P/R/F1 of drift and both baselines over every case, pooled; P/R/F1 by edit (a found pair counts
    against an edit's precision when it touches a sentence of that edit); drift's relation accuracy."""
    from drift import compare

    found: dict[str, set] = {name: set() for name in SYSTEMS}
    gold: dict[tuple, str] = {}
    relations: list[tuple[str, str, str]] = []  # (gold relation, drift's, severity) on pairs aligned right
    for n, case in enumerate(make_cases(cases, sentences, seed, extended=extended)):
        report = compare([case.original, case.derived], model=encoder)
        for p in report.pairs:
            al = p.alignment
            flip = al.a != case.original.id
            pairs = {(i, j) for i in (al.b_sentences if flip else al.a_sentences)
                     for j in (al.a_sentences if flip else al.b_sentences)}
            found["drift"] |= {(n, i, j) for i, j in pairs}
            ops = {case.gold.get(k) for k in pairs}
            if len(ops) == 1 and (op := ops.pop()) in SURE_RELATION:
                relations.append((RELATION[op], p.relation, p.severity))
        (ia, va, ma), (ib, vb, mb) = (_vectors(encoder, a) for a in (case.original, case.derived))
        found["monotone DP"] |= {(n, ia[i], ib[j]) for i, j in monotone_dp(va, vb, ma, mb)}
        found["mutual best"] |= {(n, ia[i], ib[j]) for i, j in mutual_best(va, vb)}
        gold.update({(n, *k): op for k, op in case.gold.items()})
    truth = set(gold)
    ops = OPS if extended else CLASSIC_OPS
    by_op = {op: {k for k, v in gold.items() if v == op} for op in ops}
    return {
        "cases": cases, "sentences": sentences, "seed": seed, "extended": extended, "gold_pairs": len(truth),
        "gold_by_op": {op: len(keys) for op, keys in by_op.items()},
        "systems": {name: prf(found[name], truth) for name in SYSTEMS},
        "recall_by_op": {name: {op: round(len(found[name] & keys) / max(1, len(keys)), 3) for op, keys in by_op.items()}
                         for name in SYSTEMS},
        "prf_by_op": {name: {op: prf(_touching(found[name], keys), keys) for op, keys in by_op.items() if keys}
                      for name in SYSTEMS},
        "relation": relation_accuracy(relations),
    }


def relation_accuracy(rows: list[tuple[str, str, str]]) -> dict:
    """Accuracy of drift's relation on pairs with a known relation, recall of each relation, and
    majors drift gave to pairs whose gold relation is overlap."""
    def recall(label: str) -> float | None:
        of = [r for r in rows if r[0] == label]
        return round(sum(r[1] == label for r in of) / len(of), 3) if of else None

    return {"pairs": len(rows), "accuracy": round(sum(g == d for g, d, _ in rows) / max(1, len(rows)), 3),
            "counterpart_recall": recall("counterpart"), "overlap_recall": recall("overlap"),
            "counterparts": sum(g == "counterpart" for g, _, _ in rows),
            "overlaps": sum(g == "overlap" for g, _, _ in rows),
            "majors_on_overlaps": sum(g == "overlap" and s == "major" for g, _, s in rows)}


def _touching(found: set, keys: set) -> set:
    """Found pairs that share a sentence with a gold pair of one edit type."""
    left = {(n, i) for n, i, _ in keys}
    right = {(n, j) for n, _, j in keys}
    return {(n, i, j) for n, i, j in found if (n, i) in left or (n, j) in right}


def _vectors(encoder, article: Article):
    """(sentence indices, their vectors, vectors of each sentence joined with the next) for the baselines:
    every story sentence and the headline, as drift aligns them."""
    sents = [s for s in article.sentences if not s.boilerplate]
    vectors = encoder.encode([s.text for s in sents])
    joined = [article.text[s.start:t.end] for s, t in zip(sents, sents[1:], strict=False)]
    merged = encoder.encode(joined) if joined else vectors[:0]
    return [s.index for s in sents], vectors, merged


def markdown(result: dict) -> str:
    ops = list(result["gold_by_op"])
    lines = [f"{result['cases']} derived versions of {result['sentences']}-sentence originals (seed {result['seed']}), "
             f"{result['gold_pairs']} gold sentence pairs ("
             + ", ".join(f"{op} {n}" for op, n in result["gold_by_op"].items()) + ").", "",
             "| aligner | precision | recall | F1 | " + " | ".join(f"{op} P/R/F1" for op in ops) + " |",
             "|---|---:|---:|---:|" + "---|" * len(ops)]
    for name in SYSTEMS:
        s, by = result["systems"][name], result["prf_by_op"][name]
        cells = [f"{by[op]['precision']:.2f}/{by[op]['recall']:.2f}/{by[op]['f1']:.2f}" if op in by else "-"
                 for op in ops]
        lines.append(f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                     + " | ".join(cells) + " |")
    rel = result["relation"]
    lines += ["", f"drift's relation on {rel['pairs']} pairs aligned right with a known relation "
                  f"({rel['counterparts']} counterpart, {rel['overlaps']} overlap): accuracy {rel['accuracy']:.3f}, "
                  f"counterpart recall {rel['counterpart_recall']}, overlap recall {rel['overlap_recall']}, "
                  f"majors on overlaps {rel['majors_on_overlaps']}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--sentences", type=int, default=24)
    parser.add_argument("--seed", type=int, default=0, help="case seed: tune on one, report on another")
    parser.add_argument("--classic", action="store_true", help="only the five edits of before issue 12")
    parser.add_argument("--backend", choices=("auto", "torch", "onnx"), default="auto")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from drift.embed.load import load_encoder

    result = run(load_encoder(None, args.backend), args.cases, args.sentences, args.seed, not args.classic)
    print(json.dumps(result, indent=2) if args.json else markdown(result))


if __name__ == "__main__":
    main()
