"""Loading the public evaluation data the benchmarks read (never committed: see ../shared/data/README.md).

DEMETR items are split by id parity: even ids are the development split
(calibration), odd ids the evaluation split, so no threshold is tuned on the
pairs it is judged on.
"""
from __future__ import annotations

import json
import re
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


@dataclass(frozen=True)
class Pair:
    id: int
    a: str
    b: str


def demetr_dir(data: Path) -> Path | None:
    path = Path(data) / "demetr"
    return path if (path / f"{FAITHFUL}.json").exists() else None


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


def ists(data: Path, name: str = "STSint.testinput.headlines.wa") -> list[HeadlinePair]:
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
