"""A synthetic syndicated story built from real sentences, for benchmarks and tests.

The sentences come from the real versions in ``examples/seeds`` (split and
boilerplate-marked by drift itself). Sentences telling the same fact in different
seed versions are grouped into *slots*; each synthetic version takes one wording
per slot, either a shared one (seed wording or a common edit: verbatim repeats
across versions, as in real syndication) or a light edit of its own (a synonym
swapped, a number changed, a clause dropped), drops a few slots, moves some
paragraphs, and sometimes carries a headline or site furniture.

Deterministic for a given (versions, sentences, seed), fast (no model), so tests
can use it::

    from benchmarks.synthetic import make_story, story_stats
    articles = make_story(versions=5, sentences=10)

or ``python benchmarks/synthetic.py [--versions 50] [--sentences 40]`` to print
its statistics.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from drift.article import Article
from drift.read.files import read_articles
from drift.read.titles import article_from_text
from drift.text.prepare import prepare_article  # noqa: E402

SEEDS = HERE.parent / "examples" / "seeds"

#: Chance that a version takes a shared wording of a slot rather than an edit of its own.
SHARED = 0.25
#: How many light edits a version's own wording gets (one is drawn per sentence).
OWN_EDITS = (2, 2, 3)
#: Slots in the pool beyond ``sentences``; each version drops this many (never the lead).
SPARE = 3
#: Chance that a version has a headline / ends with site furniture.
HEADLINE = 0.6
FURNITURE = 0.3
#: Two facts count as the same slot from this word-set overlap (Jaccard) on.
SAME_FACT = 0.3

# Light edits sub-editors make. Each word maps to replacements; "" drops it.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "said": ("stated", "told reporters", "declared"),
    "stated": ("said",),
    "declared": ("said", "announced"),
    "added": ("said", "continued"),
    "attack": ("assault", "attacks", "raid"),
    "attacks": ("attack", "strikes"),
    "assault": ("attack",),
    "killed": ("left dead", "killed at least"),
    "dead": ("killed", "victims"),
    "several": ("a number of", "many", "two"),
    "Monday": ("Sunday", "Tuesday"),
    "Friday": ("Thursday", "Saturday"),
    "Sunday": ("Saturday", "Monday"),
    "President": ("Prime Minister", "leader"),
    "president": ("leader", "head of state"),
    "increased": ("enhanced", "greater", "reduced"),
    "maximum": ("highest", "second-highest"),
    "highest": ("maximum", "second-highest"),
    "Russia": ("Moscow", "the Kremlin"),
    "Ukraine": ("Kyiv", "Kiev"),
    "France": ("Paris", "the French government"),
    "Moscow": ("the Russian capital", "Russia"),
    "concert": ("music", ""),
    "horrific": ("deadly", ""),
    "deadly": ("horrific", ""),
    "recent": ("past", "coming"),
    "suspect": ("culprit", "witness"),
    "cynical": ("dishonest", "understandable"),
    "claimed": ("denied", "admitted"),
    "French": ("", "Gallic"),
    "jihadist": ("", "Islamist"),
    "terrorism": ("extremism", "terror"),
    "soldiers": ("troops", "police officers"),
}
_WORD = re.compile(r"[A-Za-z]+")
# Adverbs an editor adds after an auxiliary, and modifiers one drops.
HEDGES = ("also", "now", "reportedly", "already", "again", "still", "apparently")
_AUX = re.compile(r"\b(?:has|had|have|was|were|is|are|will|would|could|must|may)\b")
_DROPPABLE = re.compile(
    r"\b(?:also|already|now|currently|publicly|directly|clearly|strenuously|vigorously|immediately|"
    r"so far|own|particular|apparently|initially|several|recent|former|most|more|global|local)\b"
)
_NUMBER = re.compile(r"(?<![\d,.-])\d{1,3}(?:,\d{3})*(?![\d,-])")
# An inner clause between commas, with no quote marks (keeps quotes balanced).
_INNER = re.compile(r",\s[^,\"“”]{8,80}?,\s")
# A trailing clause such as ", while ..." before the final full stop.
_TAIL = re.compile(r",\s(?:while|after|with|saying|stating|according to|as|who|which|instead)\b[^,\"“”]{5,160}(?=\.$)")
# What a careless edit leaves behind: empty brackets, doubled spaces or punctuation.
_BROKEN = re.compile(r"\(\s*\)|  |\s[,.;:]|,,")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"”’'»)\]]*$")
# Site furniture that drift marks as boilerplate, as wire copies carry it.
FURNITURE_LINES = ("/BGNES", "(Photo by Ludovic MARIN / AFP)", "No Comments", "AFP")


@dataclass(frozen=True)
class Slot:
    """One fact of the story and the real wordings of it found in the seeds."""

    wordings: tuple[str, ...]
    shared: tuple[str, ...]  # wordings any version may repeat verbatim


# ---------------------------------------------------------------- edits


def _synonym(text: str, rng: random.Random) -> str | None:
    hits = [m for m in _WORD.finditer(text) if m.group() in SYNONYMS]
    if not hits:
        return None
    m = rng.choice(hits)
    new = rng.choice(SYNONYMS[m.group()])
    if not new:  # drop the word and one space
        return (text[: m.start()].rstrip(" ") + " " + text[m.end():].lstrip(" ")).strip()
    return text[: m.start()] + new + text[m.end():]


def _number(text: str, rng: random.Random) -> str | None:
    hits = list(_NUMBER.finditer(text))
    if not hits:
        return None
    m = rng.choice(hits)
    value = int(m.group().replace(",", ""))
    new = max(1, value + rng.choice((-10, -3, -1, 1, 2, 5, 13)) * max(1, value // 100))
    shown = f"{new:,}" if "," in m.group() else str(new)
    return text[: m.start()] + shown + text[m.end():]


def _drop_clause(text: str, rng: random.Random) -> str | None:
    options = [(m.start(), m.end(), ", ") for m in _INNER.finditer(text)]
    options += [(m.start(), m.end(), "") for m in _TAIL.finditer(text)]
    if not options:
        return None
    start, end, keep = rng.choice(options)
    return text[:start] + keep + text[end:]


def _hedge(text: str, rng: random.Random) -> str | None:
    hits = list(_AUX.finditer(text))
    if not hits:
        return None
    m = rng.choice(hits)
    return text[: m.end()] + " " + rng.choice(HEDGES) + text[m.end():]


def _drop_word(text: str, rng: random.Random) -> str | None:
    hits = list(_DROPPABLE.finditer(text))
    if not hits:
        return None
    m = rng.choice(hits)
    return text[: m.start()].rstrip(" ") + " " + text[m.end():].lstrip(" ")


EDITS = (_synonym, _synonym, _number, _drop_clause, _hedge, _drop_word)


def edit(text: str, rng: random.Random, times: int = 1) -> str:
    """``text`` with ``times`` light edits (fewer if none applies); deterministic given ``rng``."""
    for _ in range(times):
        for fn in rng.sample(EDITS, len(EDITS)):
            new = fn(text, rng)
            if new and new != text and len(new) > 20 and len(_BROKEN.findall(new)) <= len(_BROKEN.findall(text)):
                text = _capitalize(new.replace("the the ", "the "))
                break
    return text


def _capitalize(text: str) -> str:
    """Keep a sentence starting with a capital, or drift's splitter joins it to the one before."""
    m = re.search(r"[^\W\d_]", text)
    return text if m is None else text[: m.start()] + text[m.start()].upper() + text[m.start() + 1:]


# ---------------------------------------------------------------- slots


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text) if len(w) > 3)


def seed_sentences(seeds: Path = SEEDS) -> tuple[list[list[str]], list[str], list[str]]:
    """(story sentences per seed version, headlines, furniture) split by drift itself."""
    bodies, titles, furniture = [], [], []
    for article in read_articles([seeds]):
        prepare_article(article)
        bodies.append([s.text for s in article.sentences if not s.boilerplate and not s.title])
        titles += [s.text for s in article.sentences if s.title and not s.boilerplate]
        furniture += [s.text for s in article.sentences if s.boilerplate and len(s.text) < 40]
    return bodies, titles, furniture


def build_slots(bodies: list[list[str]]) -> list[Slot]:
    """Group sentences telling the same fact (one per seed version) into slots, in story order."""
    groups: list[list[tuple[int, str]]] = []  # (seed version, sentence)
    for version, sentences in enumerate(bodies):
        for text in sentences:
            words = _words(text)
            best, best_sim = None, SAME_FACT
            for g in groups:
                if any(v == version for v, _ in g):
                    continue
                other = _words(g[0][1])
                sim = len(words & other) / max(1, len(words | other))
                if sim >= best_sim:
                    best, best_sim = g, sim
            if best is None:
                groups.append([(version, text)])
            else:
                best.append((version, text))
    slots = []
    for n, g in enumerate(groups):
        wordings = tuple(t for _, t in g)
        # A common edit that many outlets share, made once per slot.
        common = edit(wordings[0], random.Random(f"common-{n}"))
        slots.append(Slot(wordings, tuple(dict.fromkeys(wordings + (common,)))))
    return slots


# ---------------------------------------------------------------- story


def _paragraphs(slots: list[Slot], rng: random.Random) -> list[list[int]]:
    """Slot numbers grouped into paragraphs of 1-3; the lead and subheadings stand alone."""
    out: list[list[int]] = []
    size = 1  # sentences the current paragraph takes
    for i, slot in enumerate(slots):
        alone = i == 0 or not _ENDS_SENTENCE.search(slot.wordings[0])
        if alone or len(out[-1]) >= size:
            out.append([i])
            size = 1 if alone else rng.choice((1, 2, 2, 3))
        else:
            out[-1].append(i)
    return out


def make_story(versions: int = 50, sentences: int = 40, seed: int = 0, seeds: Path = SEEDS,
               shared: float = SHARED) -> list[Article]:
    """``versions`` versions of one story, each ``sentences`` story sentences long (headline extra).

    Articles are unprepared (``prepare_article`` or ``compare`` splits them) and have ids
    ``v000``, ``v001``... Facts are reused (with an edit) when ``sentences`` exceeds the
    facts the seeds hold. ``shared`` is the chance a sentence takes a wording other
    versions may repeat verbatim (1.0: mostly verbatim copies, 0.0: mostly own edits).
    """
    if versions < 1 or sentences < 1:
        raise ValueError("versions and sentences must be positive")
    bodies, titles, furniture = _cached_seeds(str(seeds))
    pool = build_slots(bodies)
    rng = random.Random(f"story-{seed}")
    need = sentences + SPARE
    # Story order: slots as they first appear in the seeds (seed 0 first); the lead is kept.
    slots = list(pool)
    while len(slots) < need:  # more facts than the seeds tell: reuse facts, reworded
        base = pool[len(slots) % len(pool)]
        k = len(slots)
        reworded = tuple(edit(w, random.Random(f"reuse-{k}-{w}"), 2) for w in base.wordings)
        slots.append(Slot(reworded, reworded))
    lead_idx = 0
    rest = [i for i in range(len(slots)) if i != lead_idx]
    chosen = [lead_idx] + sorted(rng.sample(rest, need - 1))
    slots = [slots[i] for i in chosen]
    layout = _paragraphs(slots, rng)
    headlines = titles + [edit(t, random.Random(f"title-{t}")) for t in titles]

    out = []
    for v in range(versions):
        vr = random.Random(f"story-{seed}-version-{v}")
        dropped = set(vr.sample(range(1, len(slots)), len(slots) - sentences)) if len(slots) > sentences else set()
        paras = [[i for i in p if i not in dropped] for p in layout]
        paras = [p for p in paras if p]
        # Editors move paragraphs: a few swaps of neighbours below the lead.
        for _ in range(vr.choice((0, 0, 1, 2, 3))):
            if len(paras) > 2:
                j = vr.randrange(1, len(paras) - 1)
                paras[j], paras[j + 1] = paras[j + 1], paras[j]
        lines = []
        if headlines and vr.random() < HEADLINE:
            lines.append(vr.choice(headlines))
        for p in paras:
            lines.append(" ".join(_wording(slots[i], vr, shared) for i in p))
        if furniture and vr.random() < FURNITURE:
            lines.append(vr.choice(furniture))
        out.append(article_from_text("\n\n".join(lines) + "\n", id=f"v{v:03d}", source=f"synthetic:v{v:03d}"))
    return out


def _wording(slot: Slot, rng: random.Random, shared: float) -> str:
    if rng.random() < shared:
        return rng.choice(slot.shared)
    return edit(rng.choice(slot.wordings), rng, rng.choice(OWN_EDITS))


_SEED_CACHE: dict[str, tuple[list[list[str]], list[str], list[str]]] = {}


def _cached_seeds(seeds: str):
    if seeds not in _SEED_CACHE:
        bodies, titles, furniture = seed_sentences(Path(seeds))
        if not any(bodies):
            raise ValueError(f"{seeds}: no story sentences to build a synthetic story from")
        _SEED_CACHE[seeds] = (bodies, titles, furniture or list(FURNITURE_LINES))
    return _SEED_CACHE[seeds]


# ---------------------------------------------------------------- statistics


def story_stats(articles: list[Article]) -> dict:
    """Sentence counts and verbatim sharing, split by drift (on copies: the input stays unprepared)."""
    prepared = [a if a.sentences else prepare_article(replace(a, sentences=[])) for a in articles]
    texts = [[s.text for s in a.sentences if not s.boilerplate] for a in prepared]
    body = [[s.text for s in a.sentences if not s.boilerplate and not s.title] for a in prepared]
    in_versions = Counter(t for ts in texts for t in set(ts))
    flat = [t for ts in texts for t in ts]
    return {
        "versions": len(articles),
        "sentences": len(flat),  # what compare embeds: story sentences and headlines
        "body_sentences_min": min(map(len, body)),
        "body_sentences_max": max(map(len, body)),
        "headlines": sum(len(t) - len(b) for t, b in zip(texts, body, strict=False)),
        "boilerplate": sum(len(a.sentences) for a in prepared) - len(flat),
        "unique_texts": len(set(flat)),
        "verbatim_shared": round(sum(in_versions[t] > 1 for t in flat) / max(1, len(flat)), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=50)
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--show", type=int, default=0, metavar="N", help="also print the first N versions")
    args = parser.parse_args()
    articles = make_story(args.versions, args.sentences, args.seed, args.seeds)
    for a in articles[: args.show]:
        print(f"=== {a.id}\n{a.text}")
    print(json.dumps({"slots": len(build_slots(_cached_seeds(str(args.seeds))[0])), **story_stats(articles)}))


if __name__ == "__main__":
    main()
