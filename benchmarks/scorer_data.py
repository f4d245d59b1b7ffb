"""The learned scorer's data: labelled text pairs from ../shared/data, by set and split (never committed).

Every pair is an ``Example``: two texts, a pair label (1 drift, 0 faithful, None
unknown) and, where known, the character spans of the words that carry the change
on each side (``[]``: every word is faithful; None: not labelled). Label
conventions (``../shared/data/mqm/README.md``):

- ``ted`` (mqm TED zh-en): refB against each of the 14 other versions. drift = a
  Major Accuracy error; faithful = no Accuracy error; only Minor ones: None. Word
  labels: the system's words inside Accuracy/Mistranslation, Addition and
  Untranslated spans (any severity). Split by talk (dev: talk.7).
- ``news`` (mqm newstest2021 zh-en): ref-A against each of 8 systems. A segment
  score only: faithful = score above -1, drift = -5 or below (Major errors of any
  category, so noisy), else None. Split by block.
- ``demetr``: the MT against its perturbation (the reference against the MT for
  the faithful base_id35). Even ids train, odd ids evaluate. Meaning-changing
  types (``datasets.MEANING_CHANGING``) and more critical/major types are drift;
  base_id35 and surface-only edits faithful. Word labels: a token diff.
- ``ists``: the iSTS 2016 headlines train file, word labels only (non-EQUI chunks).
- ``synth``: ``scorer_synth.py``, from train-split text only.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from datasets import FAITHFUL, MEANING_CHANGING, SURFACE_ONLY, ists

Spans = list[tuple[int, int]]

ACCURACY_PREFIX = "Accuracy/"
TARGET_SPANS = ("Accuracy/Mistranslation", "Accuracy/Addition", "Accuracy/Untranslated text")
#: DEMETR types used in training beyond the evaluation's (never in the evaluation sets).
EXTRA_POSITIVE = ("critical_id11_gender", "critical_id21_adj_adv_removed", "critical_id22_verb_removed",
                  "critical_id23_noun_removed", "critical_id24_subj_removed", "major_id5_pp_removed",
                  "major_id18_aspect", "major_id19_question")
EXTRA_NEGATIVE = ("minor_id32_first_lower", "minor_id30_tokenized", "minor_id16_function_word",
                  "minor_id12_conj_removed", "minor_id27_char_removed")


@dataclass
class Example:
    """One labelled pair."""

    id: str
    set: str  # ted, news, demetr, ists, synth
    split: str  # train, dev (DEMETR: train = even ids, dev = odd ids)
    group: str  # cross-validation group: talk, block, DEMETR item; a derived (synthetic) pair has its source's
    a: str
    b: str
    label: int | None
    words_a: Spans | None = None
    words_b: Spans | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def is_accuracy(category: str) -> bool:
    return category.startswith(ACCURACY_PREFIX) or category == "Non-translation"


def ted(data: Path) -> list[Example]:
    out = []
    for line in (data / "mqm" / "ted_zhen.jsonl").read_text(encoding="utf-8").splitlines():
        seg = json.loads(line)
        ref = seg["references"]["refB"]
        ref_clean = not any(is_accuracy(e["category"]) for e in seg["systems"]["refB"]["errors"])
        for name, system in seg["systems"].items():
            if name == "refB":
                continue
            accuracy = [e for e in system["errors"] if is_accuracy(e["category"])]
            major = [e for e in accuracy if e["severity"] == "Major"]
            label = 1 if major else 0 if not accuracy else None
            spans = [(e["start"], e["end"]) for e in accuracy
                     if e["category"] in TARGET_SPANS and e["side"] == "target"]
            out.append(Example(
                f"ted/{seg['seg']}/{name}", "ted", seg["split"], seg["doc"], ref, system["target"], label, None, spans,
                {"system": name, "ref_clean": ref_clean,
                 "major_spans": [(e["start"], e["end"]) for e in major
                                 if e["category"] in TARGET_SPANS and e["side"] == "target"],
                 "categories": sorted({e["category"] for e in major})}))
    return out


def ted_human_pairs(data: Path) -> list[Example]:
    """refB against ref where neither has an Accuracy error (train talks): faithful paraphrases."""
    out = []
    for line in (data / "mqm" / "ted_zhen.jsonl").read_text(encoding="utf-8").splitlines():
        seg = json.loads(line)
        if seg["split"] != "train" or any(is_accuracy(e["category"]) for n in ("ref", "refB")
                                          for e in seg["systems"][n]["errors"]):
            continue
        out.append(Example(f"synth/tedhuman/{seg['seg']}", "synth", "train", seg["doc"], seg["references"]["refB"],
                           seg["references"]["ref"], 0, [], [], {"type": "two human translations"}))
    return out


def news(data: Path) -> list[Example]:
    out = []
    for line in (data / "mqm" / "news2021_zhen.jsonl").read_text(encoding="utf-8").splitlines():
        seg = json.loads(line)
        ref = seg["systems"]["ref-A"]["target"]
        for name, system in seg["systems"].items():
            if name == "ref-A":
                continue
            score = system["mqm_avg_score"]
            label = 0 if score > -1 else 1 if score <= -5 else None
            out.append(Example(f"news/{seg['seg']}/{name}", "news", seg["split"], seg["doc"], ref, system["target"],
                               label, None, None, {"system": name, "mqm": score}))
    return out


_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]", re.UNICODE)


def token_diff(a: str, b: str) -> tuple[Spans, Spans]:
    """Spans of the word tokens a token-level diff marks changed, on each side (punctuation ignored)."""
    ta = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(a)]
    tb = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(b)]
    matcher = SequenceMatcher(None, [t[2] for t in ta], [t[2] for t in tb], autojunk=False)
    wa: Spans = []
    wb: Spans = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            wa += [(s, e) for s, e, w in ta[i1:i2] if re.search(r"\w", w)]
            wb += [(s, e) for s, e, w in tb[j1:j2] if re.search(r"\w", w)]
    return wa, wb


def demetr(data: Path) -> list[Example]:
    out = []
    for name in (FAITHFUL, *MEANING_CHANGING, *SURFACE_ONLY, *EXTRA_POSITIVE, *EXTRA_NEGATIVE):
        path = data / "demetr" / f"{name}.json"
        if not path.exists():
            continue
        for item in json.loads(path.read_text(encoding="utf-8")):
            if item.get("pert_check", True) is False:
                continue
            a_key, b_key = ("eng_sent", "mt_sent") if name == FAITHFUL else ("mt_sent", "pert_sent")
            a, b = item[a_key].strip(), item[b_key].strip()
            if not a or not b:
                continue
            i = int(item["id"])
            if name == FAITHFUL:
                label, role, wa, wb = 0, "faithful", None, None
            elif name in MEANING_CHANGING or name in EXTRA_POSITIVE:
                if a == b:
                    continue
                label, role = 1, "meaning" if name in MEANING_CHANGING else "extra"
                wa, wb = token_diff(a, b)
            else:
                label, role, wa, wb = 0, "surface" if name in SURFACE_ONLY else "extra", [], []
            out.append(Example(f"demetr/{name}/{i}", "demetr", "train" if i % 2 == 0 else "dev", f"demetr/{i}", a, b,
                               label, wa, wb, {"type": name, "role": role, "kind": MEANING_CHANGING.get(name)}))
    return out


def ists_train(data: Path, name: str = "STSint.input.headlines.wa") -> list[Example]:
    out = []
    if not (data / "ists" / name).exists():
        return out
    for n, pair in enumerate(ists(data, name)):
        sides = []
        for tokens, differs in ((pair.a_tokens, pair.a_differs), (pair.b_tokens, pair.b_differs)):
            at, spans = 0, []
            for token, flag in zip(tokens, differs, strict=True):
                if flag and re.search(r"\w", token):
                    spans.append((at, at + len(token)))
                at += len(token) + 1
            sides.append((" ".join(tokens), spans))
        if sides[0][0] and sides[1][0]:
            out.append(Example(f"ists/{n}", "ists", "train", f"ists/{n}", sides[0][0], sides[1][0], None,
                               sides[0][1], sides[1][1]))
    return out
