"""Countries alike in spelling: is "Austria" / "Australia" flagged like "Austria" / "Brazil"?

The entity check joins a demonym or inflection to its name by spelling ("Portuguese" /
"Portugal"); before ``drift.score.places.different_countries`` it joined two countries
that share their first letters too, and the swap went unflagged. This benchmark swaps
one country for another in hand-written news sentences (no evaluation data: the
sentences are below) and scores each pair at the shipped thresholds:

- ``alike``: pairs the spelling rule would join (both countries in ``drift.score.places``);
- ``unlike``: the same first countries against a country spelled nothing like them;
- ``same``: a country against its own demonym, reworded ("Austria" / "Austrian officials"):
  faithful, never to be flagged.

Per group: pairs, share flagged (minor or major), share major, median drift. Usage::

    python benchmarks/country_swaps.py [--json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

#: Sentences with one place slot; news wording, written for this benchmark.
TEMPLATES = (
    "The minister arrived in {} on Tuesday for talks on trade and security.",
    "Officials in {} said the attack was carried out by a small group of militants.",
    "The company said it would close two factories in {} by the end of the year.",
    "Thousands of people marched through the capital of {} on Sunday to protest against the new law.",
)
ALIKE = (("Austria", "Australia"), ("Niger", "Nigeria"), ("Slovenia", "Slovakia"), ("Malawi", "Malaysia"),
         ("Mauritania", "Mauritius"), ("Turkey", "Turkmenistan"), ("Guinea", "Equatorial Guinea"),
         ("Sudan", "South Sudan"))
UNLIKE = (("Austria", "Brazil"), ("Niger", "Chile"), ("Slovenia", "Kenya"), ("Malawi", "Norway"),
          ("Mauritania", "Vietnam"), ("Turkey", "Peru"), ("Guinea", "Japan"), ("Sudan", "Canada"))
SAME = (("Officials in Austria said the attack was carried out by a small group of militants.",
         "Austrian officials said the attack was carried out by a small group of militants."),
        ("Officials in Nigeria said the attack was carried out by a small group of militants.",
         "Nigerian officials said the attack was carried out by a small group of militants."),
        ("The company said it would close two factories in Slovakia by the end of the year.",
         "The company said it would close two Slovak factories by the end of the year."),
        ("Thousands of people marched through the capital of Turkey on Sunday to protest against the new law.",
         "Thousands of people marched through the Turkish capital on Sunday to protest against the new law."))


def pairs() -> dict[str, list[tuple[str, str]]]:
    swap = lambda swaps: [(t.format(a), t.format(b)) for t in TEMPLATES for a, b in swaps]  # noqa: E731
    return {"alike": swap(ALIKE), "unlike": swap(UNLIKE), "same": list(SAME)}


def measure() -> dict[str, dict[str, float]]:
    from drift import score_pairs

    out = {}
    for group, items in pairs().items():
        scored = score_pairs(items)
        drifts = [d.drift for d in scored]
        out[group] = {"pairs": len(items), "flagged": round(sum(d.severity != "none" for d in scored) / len(items), 3),
                      "major": round(sum(d.severity == "major" for d in scored) / len(items), 3),
                      "median_drift": round(statistics.median(drifts), 3)}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    result = measure()
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print("| group | pairs | flagged | major | median drift |\n|---|---:|---:|---:|---:|")
    for group, r in result.items():
        print(f"| {group} | {r['pairs']} | {r['flagged']:.3f} | {r['major']:.3f} | {r['median_drift']:.3f} |")


if __name__ == "__main__":
    main()
