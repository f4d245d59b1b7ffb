"""Loading the public evaluation data the benchmarks read (never committed: see ../shared/data/README.md).

DEMETR items are split by id parity: even ids are the development split
(calibration), odd ids the evaluation split, so no threshold is tuned on the
pairs it is judged on.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"

FAITHFUL = "base_id35_reference"
#: perturbation file -> the finding kind that names it
MEANING_CHANGING = {
    "critical_id9_ne_replaced": "entity",
    "critical_id10_numbers_replaced": "number",
    "critical_id8_negation": "negation",
    "critical_id7_antonym": "antonym",
    "critical_id6_addition": "addition",
    "critical_id25_ne_removed": "entity",
    "major_id3_hypernym": "lexical",
    "major_id17_tense": "lexical",
}
SURFACE_ONLY = (
    "minor_id28_final_punc_removed",
    "minor_id29_punc_addition",
    "minor_id31_full_lower",
    "minor_id15_case",
    "minor_id26_misspelled",
)


ISTS_TEST = "STSint.testinput.headlines.wa"
DEMETR_HINT = "download dataset/*.json from github.com/marzenakrp/demetr into DATA/demetr/"
ISTS_HINT = "get STSint.*.headlines.wa from github.com/AdaSawilska/NLP_iSTS into DATA/ists/"
MQM_HINT = "copy ted_zhen.jsonl and news2021_zhen.jsonl from ../shared/data/mqm/ (its README.md) into DATA/mqm/"


def pair_limit(text: str) -> int:
    """``--limit``: pairs to read, 0 for all; a negative count is refused (as a slice it dropped the last pairs)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; give a count of pairs, 0 for all") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; give a count of pairs, 0 for all")
    return value


def demetr_files(data: Path) -> list[Path]:
    """The DEMETR files ``demetr.run`` and the scorer's demetr-eval set read."""
    return [Path(data) / "demetr" / f"{name}.json" for name in (FAITHFUL, *MEANING_CHANGING, *SURFACE_ONLY)]


def mqm_files(data: Path) -> list[Path]:
    """The MQM files the scorer's dev sets are read from."""
    return [Path(data) / "mqm" / "ted_zhen.jsonl", Path(data) / "mqm" / "news2021_zhen.jsonl"]


def missing(paths: Iterable[Path], hint: str) -> str | None:
    """Why a benchmark cannot run (None: every path is there): the missing paths, a missing folder said once
    for all its files, then the hint."""
    gone: list[str] = []
    for path in paths:
        if path.exists():
            continue
        shown = str(path.parent) if path.suffix and not path.parent.exists() else str(path)
        if shown not in gone:
            gone.append(shown)
    if not gone:
        return None
    listed = ", ".join(gone[:3]) + (f" and {len(gone) - 3} more" if len(gone) > 3 else "")
    return f"{listed} missing: {hint}"


def require(reason: str | None) -> None:
    """A script's check before any work: what is missing, on stderr, and exit status 1 (nothing was measured)."""
    if reason:
        sys.exit(f"{Path(sys.argv[0]).name}: {reason}")


@dataclass(frozen=True)
class Pair:
    id: int
    a: str
    b: str


def demetr(data: Path, name: str, split: str = "eval", limit: int | None = None) -> list[Pair]:
    """Pairs of one DEMETR file: reference vs MT for the faithful file, MT vs perturbed otherwise."""
    items = json.loads((Path(data) / "demetr" / f"{name}.json").read_text(encoding="utf-8"))
    parity = {"dev": 0, "eval": 1}.get(split)
    a_key, b_key = ("eng_sent", "mt_sent") if name == FAITHFUL else ("mt_sent", "pert_sent")
    pairs = [
        Pair(int(x["id"]), x[a_key].strip(), x[b_key].strip())
        for x in items
        if x.get("pert_check", True) is not False and (parity is None or int(x["id"]) % 2 == parity)
        and x[a_key].strip() and x[b_key].strip()
    ]
    return pairs[:limit] if limit else pairs


@dataclass(frozen=True)
class HeadlinePair:
    """One iSTS headline pair: tokens of each side and which tokens differ in meaning."""

    a_tokens: list[str]
    b_tokens: list[str]
    a_differs: list[int]
    b_differs: list[int]


def ists(data: Path, name: str = ISTS_TEST) -> list[HeadlinePair]:
    """Parse an iSTS .wa file; tokens inside non-EQUI (or unaligned) chunks count as different."""
    text = (Path(data) / "ists" / name).read_text(encoding="utf-8", errors="replace")
    pairs = []
    for block in re.findall(r"<sentence[^>]*>(.*?)</sentence>", text, flags=re.S):
        source = _tokens(block, "source")
        target = _tokens(block, "translation")
        a_diff, b_diff = [0] * len(source), [0] * len(target)
        alignment = re.search(r"<alignment>(.*?)</alignment>", block, flags=re.S)
        for line in (alignment.group(1).strip().splitlines() if alignment else []):
            parts = line.split("//")
            if len(parts) < 2 or "<==>" not in parts[0]:
                continue
            left, right = parts[0].split("<==>")
            differs = parts[1].strip() != "EQUI"
            for side, ids in ((a_diff, left), (b_diff, right)):
                for i in ids.split():
                    if i.isdigit() and 0 < int(i) <= len(side):
                        side[int(i) - 1] = int(differs)
        pairs.append(HeadlinePair(source, target, a_diff, b_diff))
    return pairs


def _tokens(block: str, tag: str) -> list[str]:
    body = re.search(rf"<{tag}>(.*?)</{tag}>", block, flags=re.S)
    tokens = []
    for line in (body.group(1).strip().splitlines() if body else []):
        match = re.match(r"\s*\d+\s+(.*?)\s*:\s*$", line)
        if match:
            tokens.append(match.group(1))
    return tokens
