"""Score `drift compare` against a seed gold (alignments, drifts, faithful pairs).

Gold sentences are named by a substring unique in their document, so the gold
does not depend on the splitter. Usage:

    python benchmarks/seed_gold.py [--gold ../shared/gold/seeds_public.json] [--seeds ../shared/seeds] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
sys.path[:0] = [str(HERE), str(HERE.parent)]

from datasets import missing, require  # noqa: E402

from drift import compare, read_articles  # noqa: E402
from drift.report.report import Report  # noqa: E402


def _locate(report: Report, docs: dict[str, str], ref: list[str]) -> tuple[str, int]:
    """(article id, sentence index) of the sentence holding a gold substring."""
    doc, needle = ref
    article = next(a for a in report.articles if a.id == Path(docs[doc]).stem)
    at = article.text.find(needle)
    if at < 0:
        raise SystemExit(f"gold substring not found in {doc}: {needle!r}")
    sentence = next(s for s in article.sentences if s.start <= at < s.end)
    return article.id, sentence.index


def _pair_for(report: Report, a: tuple[str, int], b: tuple[str, int]):
    for p in report.pairs:
        al = p.alignment
        sides = {(al.a, i) for i in al.a_sentences} | {(al.b, j) for j in al.b_sentences}
        if a in sides and b in sides and a[0] != b[0] and {al.a, al.b} == {a[0], b[0]}:
            return p
    return None


def _words_in_spans(pair, article: str, words: list[str]) -> bool:
    spans = [s.text.lower() for s in pair.spans if s.article == article]
    return all(any(w.lower() in s for s in spans) for w in words)


def evaluate(gold: dict, report: Report) -> dict:
    docs = gold["docs"]
    rows = {"alignments": [], "drifts": [], "faithful": []}
    for item in gold["alignments"]:
        pair = _pair_for(report, _locate(report, docs, item["a"]), _locate(report, docs, item["b"]))
        rows["alignments"].append({"a": item["a"], "b": item["b"], "found": pair is not None})
    for item in gold["drifts"]:
        a, b = _locate(report, docs, item["a"]), _locate(report, docs, item["b"])
        pair = _pair_for(report, a, b)
        flagged = pair is not None and pair.severity in ("minor", "major")
        words = pair is not None and _words_in_spans(pair, a[0], item["words_a"]) and _words_in_spans(
            pair, b[0], item["words_b"])
        rows["drifts"].append({"id": item["id"], "aligned": pair is not None, "flagged": flagged,
                               "severity": pair.severity if pair else None, "gold_severity": item["severity"],
                               "kinds": list(pair.kinds) if pair else [], "gold_kind": item["kind"],
                               "words_in_spans": bool(words)})
    for item in gold["faithful"]:
        pair = _pair_for(report, _locate(report, docs, item["a"]), _locate(report, docs, item["b"]))
        rows["faithful"].append({"id": item["id"], "aligned": pair is not None,
                                 "severity": pair.severity if pair else None,
                                 "ok": pair is not None and pair.severity != "major"})
    summary = {
        "alignment_recall": sum(r["found"] for r in rows["alignments"]) / max(1, len(rows["alignments"])),
        "drifts_flagged": sum(r["flagged"] and r["words_in_spans"] for r in rows["drifts"])
        / max(1, len(rows["drifts"])),
        "faithful_not_major": sum(r["ok"] for r in rows["faithful"]) / max(1, len(rows["faithful"])),
        "pairs": len(report.pairs),
        "unmatched": len(report.unmatched),
    }
    return {"summary": summary, **rows}


def load_gold(path: Path) -> dict:
    """The seed gold; a file that is none (not JSON, no ``docs``) is a ValueError naming it."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: not a seed gold file ({e}); give seeds_public.json with --gold FILE") from e
    if not isinstance(gold, dict) or not isinstance(gold.get("docs"), dict):
        raise ValueError(f"{path}: not a seed gold file (no \"docs\" object); give seeds_public.json with --gold FILE")
    return gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=SHARED / "gold" / "seeds_public.json")
    parser.add_argument("--seeds", type=Path, default=SHARED / "seeds")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args()
    require(missing([args.gold, args.seeds], "get the seeds and seeds_public.json (see ../shared/README.md), "
                                             "or pass --gold FILE and --seeds DIR"))
    try:
        gold = load_gold(args.gold)
    except ValueError as e:
        sys.exit(f"seed_gold.py: {e}")
    report = compare(read_articles([args.seeds / name for name in sorted(gold["docs"].values())]))
    result = evaluate(gold, report)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for kind in ("alignments", "drifts", "faithful"):
        for row in result[kind]:
            bad = not row.get("found", row.get("ok", row.get("flagged", False) and row.get("words_in_spans")))
            print(("MISS " if bad else "ok   ") + kind[:-1] + " " + json.dumps(row, ensure_ascii=False))
    print(json.dumps(result["summary"]))


if __name__ == "__main__":
    main()
