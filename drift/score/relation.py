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
  Its unshared words are reported as ``omission`` (only in a) and ``addition``
  (only in b) spans, no typed check compares facts across it, and it is minor at
  most: never major on its own account.

The decision reuses the scorer's word best-match cosines (same forward pass, no model
time). A content word is *said* by the other side when the same word is there or its
best cosine reaches the scorer's word threshold (names: the name threshold). Then:

1. a pair whose sides are both mostly said once the words of typed substitutions are
   set aside is a counterpart with a swapped fact ("arrived in Guyana" / "Senegal");
2. a pair where each side has a clause (``_CLAUSE`` cuts) of ``relation_free_clause``
   content words or more, mostly unsaid by the other, is an overlap;
3. a pair where one side is mostly said by the other (``relation_cover``) and no
   sentence of a merged group is a stranger (``relation_member``) is a counterpart,
   and so is one whose sides share rare words (``relation_shared``: the aligner's
   IDF-weighted word overlap, ``drift.align.lexical``, weighted over the two
   versions' story sentences): a paraphrase MiniLM's word vectors miss still
   quotes the same names and phrases, a neighbour on the same topic does not;
4. else an overlap.

This module is the whole of the rule; ``drift.score.scorer`` calls ``Judge`` in one
place. Pairs scored without alignment (``drift.score_pairs``: known to correspond)
are counterparts.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from drift.align.lexical import WordOverlap, words

if TYPE_CHECKING:  # pragma: no cover
    from drift.align.aligner import Alignment
    from drift.article import Article
    from drift.score.evidence import Finding
    from drift.score.scorer import Scorer, Span, _Side

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

    def relation(self, scorer: "Scorer", alignment: "Alignment", a: "_Side", b: "_Side", best_a: Sequence[float],
                 best_b: Sequence[float], findings: Sequence["Finding"]) -> str:
        """``counterpart`` or ``overlap`` for an aligned pair (see the module's rule)."""
        return relation(scorer, a, b, best_a, best_b, findings, self.shared(alignment))


def relation(scorer: "Scorer", a: "_Side", b: "_Side", best_a: Sequence[float], best_b: Sequence[float],
             findings: Sequence["Finding"], shared: float = 0.0) -> str:
    """``counterpart`` or ``overlap`` for two assembled sides, their word best-match cosines and their
    shared rare words."""
    s = scorer.settings
    swaps = [f for f in findings if f.a and f.b]  # a name or figure replaced by another: same statement
    covers, swapped, members, free = [], [], [], []
    for own, other, best, spans in ((a, b, best_a, [x for f in swaps for x in f.a]),
                                    (b, a, best_b, [x for f in swaps for x in f.b])):
        rows = [(start, sentence, matched >= 1.0, any(x <= start - own.start < y for x, y in spans))
                for start, _, sentence, function, _, matched, _ in scorer._words(own, other, list(best), [])
                if not function]
        free.append(_free_clause(own, [(start, said) for start, _, said, _ in rows]))
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


def overlap(scorer: "Scorer", alignment: "Alignment", a: "_Side", b: "_Side", best_a: Sequence[float],
            best_b: Sequence[float]) -> tuple[float, str, tuple[str, ...], tuple["Span", ...], str]:
    """(drift, severity, kinds, spans, explanation) of an overlap: what is not shared, as omission
    (a only) and addition (b only) spans; the sentence term alone, capped below major."""
    s = scorer.settings
    spans = [scorer._span(a, run, "omission") for run in scorer._runs(a, b, list(best_a), [])[0]]
    spans += [scorer._span(b, run, "addition") for run in scorer._runs(b, a, list(best_b), [])[0]]
    spans.sort(key=lambda sp: (sp.article != alignment.a, sp.start))
    sentence = (s.sentence_none - alignment.similarity) / (s.sentence_none - s.sentence_full)
    drift = round(min(s.major - 0.01, max(0.0, min(1.0, sentence))), 4)
    severity = "minor" if spans and drift >= s.minor else "none"
    if severity == "none":
        spans = []
    kinds = tuple(k for k in ("omission", "addition") if any(sp.kind == k for sp in spans))
    explanation = f"overlap (similarity {alignment.similarity:.2f}): each says something the other does not"
    return drift, severity, kinds, tuple(spans), explanation


def _free_clause(side: "_Side", words: list[tuple[int, bool]]) -> int:
    """Unsaid content words of the side's largest clause that is mostly (more than half) unsaid."""
    cuts = [0] + [m.end() for m in _CLAUSE.finditer(side.text)] + [len(side.text) + 1]
    worst = 0
    for x, y in zip(cuts, cuts[1:], strict=False):
        inside = [said for start, said in words if x <= start - side.start < y]
        unsaid = len(inside) - sum(inside)
        if len(inside) >= 3 and unsaid > len(inside) / 2:
            worst = max(worst, unsaid)
    return worst
