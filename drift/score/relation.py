"""Same statement or not: whether an aligned pair is a counterpart or an overlap (issue 12).

The aligner pairs the sentences that are most alike. In a rewrite, the most alike
sentence is not always the same statement: "ISIS claimed responsibility..." and
"With echoes of France's own anguished experience..." share a clause, no more. Scored
as drift, such a pair gives confident false alarms ("two" here, "four" there, where
one side counts nations at war and the other men charged). So every aligned pair gets
a relation:

- ``counterpart``: the two sides make the same statement, possibly drifted. Typed
  drift and severity apply as before;
- ``overlap``: they share some content, but each says things the other does not.
  Its unshared clauses (``unsaid_runs``) are reported as ``omission`` (only in a)
  and ``addition`` (only in b) spans, a typed check compares only clauses both
  sides share, and it is minor at most: never major on its own account.

The decision reuses the scorer's word best-match cosines (same forward pass, no model
time). A content word is *said* by the other side when the same word is there or its
best cosine reaches ``relation_said`` (capitalised words: ``relation_said_name``). Then:

1. a pair whose sides are both mostly said once the words of typed substitutions are
   set aside is a counterpart with a swapped fact ("arrived in Guyana" / "Senegal");
2. a pair where each side has a clause (``_CLAUSE`` cuts; neighbouring pieces that are each
   mostly unsaid count as one) of ``relation_free_clause`` content words or more, mostly
   unsaid by the other, is an overlap;
3. a pair where one side is mostly said by the other (``relation_cover``) and no
   sentence of a merged group is a stranger (``relation_member``) is a counterpart,
   and so is one whose sides share rare words (``relation_shared``: the aligner's
   IDF-weighted word overlap, ``drift.align.lexical``, weighted over the two
   versions' story sentences): a paraphrase MiniLM's word vectors miss still
   quotes the same names and phrases, a neighbour on the same topic does not;
4. else an overlap.

This module is the whole of the rule; ``drift.score.scorer`` calls ``Judge`` in one
place and scores an overlap with only the typed changes inside clauses the two sides
share (``shared_clause_findings``: "upon his arrival in Guyana" / "upon his arrival in
the French department of Guiana", not a figure of one clause against a figure of
another), its other tagged words named omission (a) and addition (b), capped below
major. Pairs scored without alignment (``drift.score_pairs``: known to correspond) are
counterparts.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from drift.align.lexical import WordOverlap, words

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.align.aligner import Alignment
    from drift.article import Article
    from drift.score.evidence import Finding
    from drift.score.features import Side
    from drift.score.scorer import ScoringSettings

COUNTERPART = "counterpart"
OVERLAP = "overlap"
RELATIONS = (COUNTERPART, OVERLAP)

#: Where a sentence is cut into clauses: punctuation, and the conjunctions and relatives that start one.
_CLAUSE = re.compile(r"[,;:—–]\s+|\s+(?:and|but|while|whereas|after|as|which|who)\s+")


class Judge:
    """Tells counterparts from overlaps for a scorer; keeps each version pair's word weights."""

    def __init__(self, articles: Mapping[str, "Article"]) -> None:
        self.articles = articles
        self._pairs: dict[tuple[str, str], WordOverlap] = {}
        self._words: dict[str, list[frozenset[str]]] = {}

    def shared(self, alignment: "Alignment") -> float:
        """The two sides' shared rare words (``WordOverlap.of`` over their two versions), to two decimals:
        it depends on the two versions alone, and a scorer's memo keys on it."""
        key = (alignment.a, alignment.b)
        overlap = self._pairs.get(key)
        if overlap is None:
            overlap = self._pairs[key] = WordOverlap(self._sentences(alignment.a), self._sentences(alignment.b))
        a = frozenset().union(*(self._sentence(alignment.a, i) for i in alignment.a_sentences))
        b = frozenset().union(*(self._sentence(alignment.b, j) for j in alignment.b_sentences))
        return round(overlap.of(a, b), 2)

    def _sentences(self, article: str) -> list[frozenset[str]]:
        art = self.articles[article]
        return [self._sentence(article, s.index) for s in art.sentences if not s.boilerplate]

    def _sentence(self, article: str, index: int) -> frozenset[str]:
        found = self._words.setdefault(article, [])
        if not found:
            found.extend(words(s.text) for s in self.articles[article].sentences)
        return found[index]

    def relation(self, settings: "ScoringSettings", alignment: "Alignment", a: "Side", b: "Side",
                 best_a: Sequence[float], best_b: Sequence[float], findings: Sequence["Finding"]) -> str:
        """``counterpart`` or ``overlap`` for an aligned pair (see the module's rule)."""
        return relation(settings, a, b, best_a, best_b, findings, self.shared(alignment))


def relation(settings: "ScoringSettings", a: "Side", b: "Side", best_a: Sequence[float], best_b: Sequence[float],
             findings: Sequence["Finding"], shared: float = 0.0) -> str:
    """``counterpart`` or ``overlap`` for two sides, their word best-match cosines and their shared rare words."""
    s = settings
    swaps = [f for f in findings if f.a and f.b]  # a name or figure replaced by another: same statement
    covers, swapped, members, free = [], [], [], []
    for own, other, best, spans in ((a, b, best_a, [x for f in swaps for x in f.a]),
                                    (b, a, best_b, [x for f in swaps for x in f.b])):
        other_keys = set(other.keys)
        rows = []
        for i in range(own.n):
            if own.function[i]:
                continue
            start = int(own.spans[i, 0])
            capital = bool(own.capital_inside[i] or own.capital_first[i])
            said = own.keys[i] in other_keys or best[i] >= (s.relation_said_name if capital else s.relation_said)
            rows.append((start, int(own.sentence_of[i]), said, any(x <= start < y for x, y in spans)))
        free.append(_free_clause(own.text, [(start, said) for start, _, said, _ in rows]))
        covers.append(sum(said for *_, said, _ in rows) / len(rows) if rows else 1.0)
        swapped.append(sum(said or swap for *_, said, swap in rows) / len(rows) if rows else 1.0)
        for sentence in {x for _, x, _, _ in rows}:
            mine = [said for _, x, said, _ in rows if x == sentence]
            members.append(sum(mine) / len(mine))
    if min(swapped) >= s.relation_swap:
        return COUNTERPART
    if min(free) >= s.relation_free_clause:
        return OVERLAP
    if max(covers) >= s.relation_cover and min(members, default=1.0) >= s.relation_member:
        return COUNTERPART
    return COUNTERPART if shared >= s.relation_shared else OVERLAP


def _free_clause(text: str, words: list[tuple[int, bool]]) -> int:
    """Unsaid content words of the side's largest stretch of clauses that are each mostly (more than half)
    unsaid: the cuts also fall inside one clause ("blasted such assertions as / “cynical and /
    counterproductive”"), so neighbouring unsaid pieces count together; a stretch needs 3 content words."""
    cuts = [0] + [m.end() for m in _CLAUSE.finditer(text)] + [len(text) + 1]
    worst = run_words = run_unsaid = 0
    for x, y in zip(cuts, cuts[1:], strict=False):
        inside = [said for start, said in words if x <= start < y]
        if not inside:
            continue
        unsaid = len(inside) - sum(inside)
        if unsaid > len(inside) / 2:
            run_words, run_unsaid = run_words + len(inside), run_unsaid + unsaid
            if run_words >= 3:
                worst = max(worst, run_unsaid)
        else:
            run_words = run_unsaid = 0
    return worst


def shared_clause_findings(settings: "ScoringSettings", a: "Side", b: "Side", sim: "np.ndarray",
                           findings: Sequence["Finding"]) -> tuple["Finding", ...]:
    """The typed swaps of an overlap that replace a word of a clause in its counterpart clause on the other side.

    An overlap's sides are not one statement, so a name or figure of one is no change of the other's
    ("137 dead" in a clause about the attack / "250" in one about arrests), and what one side has alone is
    an omission or addition already. A clause of a and a clause of b are counterparts when each has at least
    ``relation_free_clause`` - 1 content words the other says and they are at least half of its content
    words, the findings' own words set aside (said as in ``relation``). A finding with words on both sides
    ("Guyana" / "Guiana") keeps the words that stand in counterpart clauses, and is dropped when either side
    loses them all; a finding of one side only is dropped.
    """
    import numpy as np

    from drift.score.evidence import Finding
    from drift.score.features import covering

    swaps = [f for f in findings if f.a and f.b]
    if not swaps or not a.n or not b.n:
        return ()
    clause_a, clause_b = _clause_of(a), _clause_of(b)
    changed_a = np.any(covering(a, [x for f in findings for x in f.a]), axis=0)
    changed_b = np.any(covering(b, [x for f in findings for x in f.b]), axis=0)
    hits_a, share_a = _said_by_clauses(settings, a, b, sim, clause_a, clause_b, changed_a)
    hits_b, share_b = _said_by_clauses(settings, b, a, sim.T, clause_b, clause_a, changed_b)
    least = max(2, settings.relation_free_clause - 1)
    twins = (hits_a >= least) & (share_a >= 0.5) & (hits_b.T >= least) & (share_b.T >= 0.5)  # [clauses a, b]
    kept: list[Finding] = []
    for f in swaps:
        where_a, where_b = _clause_at(a, clause_a, f.a), _clause_at(b, clause_b, f.b)
        spans_a = tuple(x for x, i in zip(f.a, where_a, strict=True) if i >= 0 and any(
            j >= 0 and twins[i, j] for j in where_b))
        spans_b = tuple(y for y, j in zip(f.b, where_b, strict=True) if j >= 0 and any(
            i >= 0 and twins[i, j] for i in where_a))
        if spans_a and spans_b:
            kept.append(Finding(f.kind, f.strength, spans_a, spans_b))
    return tuple(kept)


def _clause_of(side: "Side") -> "np.ndarray":
    """Each word's clause: cut at ``_CLAUSE`` and between the side's sentences."""
    import numpy as np

    cuts = np.array([m.end() for m in _CLAUSE.finditer(side.text)], np.int64)
    after_cut = np.searchsorted(cuts, side.spans[:, 0], side="right")  # cuts at or before each word's start
    new_sentence = np.concatenate([[0], np.cumsum(side.sentence_of[1:] != side.sentence_of[:-1])])
    clause = after_cut + new_sentence
    return np.unique(clause, return_inverse=True)[1].reshape(-1)  # numbered 0.. without gaps


def _said_by_clauses(settings: "ScoringSettings", own: "Side", other: "Side", sim: "np.ndarray",
                     clause_own: "np.ndarray", clause_other: "np.ndarray",
                     changed: "np.ndarray") -> tuple["np.ndarray", "np.ndarray"]:
    """[clauses of own, clauses of other]: how many content words of the first (the findings' words set aside)
    the second says (the same word, or a vector as close as ``relation`` asks), and their share."""
    import numpy as np

    same = np.array(own.keys, dtype=object)[:, None] == np.array(other.keys, dtype=object)[None, :]
    said = ((sim >= _said_bar(settings, own)[:, None]) | same) & other.content[None, :]  # [own words, other words]
    said_in = (said.astype(np.int64) @ np.eye(clause_other.max() + 1, dtype=np.int64)[clause_other]) > 0
    counted = np.eye(clause_own.max() + 1, dtype=np.int64)[clause_own] * (own.content & ~changed)[:, None]
    hits = counted.T @ said_in.astype(np.int64)  # [clauses own, clauses other]
    return hits, hits / np.maximum(counted.sum(axis=0), 1)[:, None]


def _clause_at(side: "Side", clause_of: "np.ndarray", spans: Sequence[tuple[int, int]]) -> list[int]:
    """The clause of the first word each span covers; -1 for a span that covers none."""
    from drift.score.features import covering

    return [int(clause_of[row.argmax()]) if row.any() else -1 for row in covering(side, spans)]


def _said_bar(settings: "ScoringSettings", own: "Side") -> "np.ndarray":
    """Per word, the best cosine from which the other side says it (``relation_said``; a capitalised word
    ``relation_said_name``)."""
    import numpy as np

    return np.where(own.capital_inside | own.capital_first, settings.relation_said_name, settings.relation_said)


def unsaid_runs(settings: "ScoringSettings", own: "Side", best: "np.ndarray", same: "np.ndarray") -> list[list[int]]:
    """What an overlap's side says that the other does not: per clause mostly unsaid (three content words or
    more, more than half of them unsaid, as ``relation`` reads a free clause), its unsaid content words from
    the first to the last. ``best``: each word's best cosine to the other side; ``same``: whether the other
    side has the word itself."""
    import numpy as np

    if not own.n:
        return []
    said = same | (best >= _said_bar(settings, own))
    clause = _clause_of(own)
    runs = []
    for c in np.unique(clause):
        content = np.flatnonzero((clause == c) & own.content)
        unsaid = [int(i) for i in content if not said[i]]
        if len(content) >= 3 and len(unsaid) > len(content) / 2:
            runs.append(list(range(unsaid[0], unsaid[-1] + 1)))
    return runs
