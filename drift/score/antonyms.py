"""Words of opposite meaning ("rose" / "fell", "praised" / "condemned"): the antonym check.

Also two outcomes wire copy must never trade, though no dictionary calls them opposites: "injured" /
"killed" (a casualty count's meaning turns on it, and the vectors put the two words close together).

Sentence and word vectors put a word and its opposite close together (both are about a
price moving, or a reaction to an agreement), so a reversed statement reads as a
paraphrase to everything built on them. This lexicon, written for news copy, names
the reversals; like every typed check it gives the classifier a feature and names the
kind of a change, and never raises a flag on its own.

Each entry is two groups of word forms, inflections included, so that no stemmer is
needed: ``rise rises rose risen rising`` against ``fall falls fell fallen falling``.
Converse wording ("A sold B to C" / "C bought B from A") can still meet a pair here; the
classifier, trained on faithful pairs too, weighs that.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from drift.score.cues import negations
from drift.score.finding import STRENGTH, Finding, Token

if TYPE_CHECKING:  # pragma: no cover
    from drift.score.evidence import Reading

#: Verbs as ``base[:past[:participle]]`` (regular forms made by ``verb_forms``); a trailing ``+``
#: doubles the final consonant ("ban+" -> "banned", "banning"; "win:won:won+" -> "winning"): without it
#: "acquitted" or "beginning" would not be found.
VERBS = """
rise:rose:risen fall:fell:fallen | increase decrease | increase reduce | raise lower | gain lose:lost:lost |
win:won:won+ lose:lost:lost | accept reject | approve reject | support oppose | confirm deny | admit+ deny |
begin:began:begun+ end | strengthen weaken | grow:grew:grown shrink:shrank:shrunk | praise condemn |
praise criticize | praise criticise | welcome condemn | welcome reject | agree disagree | succeed fail |
acquit+ convict | convict acquit+ | impose lift | tighten loosen | tighten ease | improve worsen |
improve deteriorate | buy:bought:bought sell:sold:sold | import export | include exclude | attack defend |
remember forget:forgot:forgotten+ | allow ban+ | allow forbid:forbade:forbidden+ | permit+ prohibit | love hate |
arrest release | detain release | increase cut:cut:cut+ | raise cut:cut:cut+ | boost cut:cut:cut+ |
accelerate slow | join quit:quit:quit+ | surge plunge | rise:rose:risen plunge | rise:rose:risen drop+ |
gain drop+ | expand shrink:shrank:shrunk | expand contract | advance retreat | enter exit | arrive depart |
escalate ease | appoint dismiss | legalize ban+ | legalise ban+ | ratify reject | uphold:upheld:upheld overturn
"""
#: Other words (nouns, adjectives, adverbs) with their forms, ``form form ... | form form ...`` per line.
WORDS = """
open opens opened | closed closes shut
high higher highest | low lower lowest
large larger largest | small smaller smallest
big bigger biggest | small smaller smallest
strong stronger strongest | weak weaker weakest
rich richer richest | poor poorer poorest
early earlier earliest | late later latest
good better best | bad worse worst
more | less fewer
maximum | minimum
majority | minority
victory victories | defeat defeats
success successes successful successfully | failure failures unsuccessful unsuccessfully
profit profits | loss losses
gain gains | loss losses
surplus surpluses | deficit deficits
supporter supporters | opponent opponents
ally allies | enemy enemies
friend friends | enemy enemies
winner winners | loser losers
optimism optimistic | pessimism pessimistic
positive positively | negative negatively
true | false
legal legally | illegal illegally
possible | impossible
likely | unlikely
safe safer safest safely | dangerous dangerously
peaceful peacefully | violent violently
guilty | innocent
public publicly | private privately
domestic | foreign
male | female
north northern northward | south southern southward
east eastern eastward | west western westward
upward | downward
first | last
earliest | latest
increase increases | decrease decreases
rise rises | fall falls
inflow inflows | outflow outflows
injure injures injured injuring wound wounds wounded wounding | kill kills killed killing dead died dies dying
injury injuries | death deaths
"""


def verb_forms(spec: str) -> tuple[str, ...]:
    """base, 3rd person, past, participle, gerund of ``base[:past[:participle]][+]``."""
    double = spec.endswith("+")
    base, *irregular = spec.rstrip("+").split(":")
    stem = base + base[-1] if double else base
    if base.endswith(("s", "sh", "ch", "x", "z")):
        third = base + "es"
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        third = base[:-1] + "ies"
    else:
        third = base + "s"
    if base.endswith("e"):
        past, gerund = base + "d", (base if base.endswith(("ee", "ye")) else base[:-1]) + "ing"
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        past, gerund = base[:-1] + "ied", base + "ing"
    else:
        past, gerund = stem + "ed", stem + "ing"
    past = irregular[0] if irregular else past
    participle = irregular[1] if len(irregular) > 1 else past
    return tuple(dict.fromkeys((base, third, past, participle, gerund)))


def _entries() -> list[tuple[frozenset[str], frozenset[str]]]:
    entries = []
    for chunk in VERBS.split("|"):
        x, y = chunk.split()
        entries.append((frozenset(verb_forms(x)), frozenset(verb_forms(y))))
    for line in WORDS.strip().splitlines():
        x, y = line.split("|")
        entries.append((frozenset(x.split()), frozenset(y.split())))
    return entries


@lru_cache(maxsize=1)
def lexicon() -> tuple[tuple[tuple[frozenset[str], frozenset[str]], ...], dict[str, tuple[int, ...]]]:
    """The entries, both ways round, and per word form the entries it opens: built once."""
    both = [pair for x, y in _entries() for pair in ((x, y), (y, x))]
    index: dict[str, list[int]] = {}
    for n, (x, _) in enumerate(both):
        for form in x:
            index.setdefault(form, []).append(n)
    return tuple(both), {form: tuple(ns) for form, ns in index.items()}


#: How far apart (as shares of their sentences' lengths) a word and its opposite may stand: "the smaller
#: black hole falls into the larger" / "the little black hole ... into the big" pairs "smaller" with "little".
PLACE = 0.3


def antonym_findings(a: Reading, b: Reading) -> list[Finding]:
    """A word on one side whose opposite stands at about the same place on the other, where neither side
    has both.

    Not when the sides differ in negations: "did not win" / "lost" says the same thing twice
    reversed, and the negation check already names a lone "not"."""
    entries, index = lexicon()
    opened = {n for t in a.tokens for n in index.get(t.key, ())}
    if not opened or negations(a) != negations(b):
        return []
    words_a: dict[tuple[int, int], None] = {}
    words_b: dict[tuple[int, int], None] = {}
    for n in sorted(opened):
        mine, theirs = entries[n]
        if not theirs & b.keys or theirs & a.keys or mine & b.keys:
            continue
        here = _places(a, mine)
        there = _places(b, theirs)
        for x, s in here:
            for y, t in there:
                if abs(x - y) <= PLACE:
                    words_a[(s.start, s.end)] = None
                    words_b[(t.start, t.end)] = None
    if not words_a:
        return []
    return [Finding("antonym", STRENGTH["antonym"], tuple(sorted(words_a)), tuple(sorted(words_b)))]


def _places(reading: Reading, forms: frozenset[str]) -> list[tuple[float, Token]]:
    """Where the words of ``forms`` stand, as shares of the text; not one after "less": "less good" is
    "worse"."""
    tokens = reading.tokens
    return [(i / len(tokens), t) for i, t in enumerate(tokens)
            if t.key in forms and not (i and tokens[i - 1].key in ("less", "least"))]
