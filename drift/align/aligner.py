"""Pair each sentence of one version with its counterpart(s) in another.

The rule, per version pair (A, B):

1. nearest neighbours through the shared faiss index, both directions;
2. a pair (a, b) is kept when each is the other's best candidate and it is either
   sure (cosine >= ``sure``) or clear (cosine >= ``floor`` and ahead of both
   runner-up candidates by ``margin``): in topic-dense copy every sentence is
   somewhat like every other, so a weak best match must stand out to count.
   Pairs are taken strongest first, and a sentence already paired more
   strongly is no longer a rival (competitive linking).
   No order is assumed, so moved paragraphs align as well as kept ones;
3. a kept pair grows to 1:2 or 2:1 when an unpaired sentence next to one side,
   merged with it, says more of the other side (cosine gain >= ``merge_gain``):
   that is a sentence split in two, or two merged;
4. what is left is unmatched.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.align.neighbours import SentenceIndex
    from drift.article import Article

ALIGNER = "mutual-margin/1"
MAX_GROUP = 2  # sentences on one side of an alignment: a split in two, or two merged


@dataclass(frozen=True)
class AlignmentSettings:
    """Thresholds of the alignment rule; they go into every report's signature."""

    k: int = 4
    floor: float = 0.45
    sure: float = 0.55
    margin: float = 0.03
    merge_gain: float = 0.02
    merge_floor: float = 0.3

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class Alignment:
    """Sentences of version ``a`` that say what sentences of version ``b`` say."""

    a: str
    a_sentences: tuple[int, ...]
    b: str
    b_sentences: tuple[int, ...]
    similarity: float


@dataclass
class PairAlignment:
    """Everything aligned, and everything left over, between two versions."""

    a: str
    b: str
    alignments: list[Alignment]
    unmatched_a: list[int]
    unmatched_b: list[int]


@dataclass
class _Draft:
    a_group: list[int]  # positions in the eligible lists
    b_group: list[int]
    similarity: float


class Aligner:
    """Aligns version pairs over one shared index; merges need extra vectors, made in one batch."""

    def __init__(
        self,
        articles: Sequence["Article"],
        index: "SentenceIndex",
        eligible: dict[str, list[int]],
        embed: Callable[[list[str]], "np.ndarray"],
        settings: AlignmentSettings = AlignmentSettings(),
    ) -> None:
        self.articles = {a.id: a for a in articles}
        self.index = index
        self.eligible = eligible  # article id -> sentence indices in the index, in id order
        self.embed = embed
        self.settings = settings
        self._merged: dict[str, "np.ndarray"] = {}  # merged-group text -> vector

    def align(self, pairs: Sequence[tuple[str, str]]) -> list[PairAlignment]:
        cores = {pair: self._core(*pair) for pair in pairs}
        drafts = {pair: core[0] for pair, core in cores.items()}
        proposals = {pair: self._merge_proposals(pair, *cores[pair]) for pair in pairs}
        texts = sorted({p[3] for props in proposals.values() for p in props})
        if texts:
            self._merged.update(zip(texts, self.embed(texts), strict=True))
        results = []
        for (a, b), pair_drafts in drafts.items():
            for draft, side, extra, text in proposals[(a, b)]:
                self._apply_merge(a, b, draft, side, extra, self._merged[text], pair_drafts)
            results.append(self._finish(a, b, pair_drafts))
        return results

    # -- step 2: mutual best with margin ------------------------------------
    def _core(self, a: str, b: str) -> tuple[list[_Draft], dict[str, list[dict[int, float]]]]:
        """Kept 1:1 pairs, and every sentence's two best candidates on the other side."""
        s = self.settings
        sims_ab, ids_ab = self.index.neighbours(a, b, s.k)
        sims_ba, ids_ba = self.index.neighbours(b, a, s.k)
        drafts: list[_Draft] = []
        if sims_ab.shape[1] == 0 or sims_ba.shape[1] == 0:
            return drafts, {"a": [{} for _ in range(len(ids_ab))], "b": [{} for _ in range(len(ids_ba))]}
        best = {"a": _top_two(ids_ab, sims_ab), "b": _top_two(ids_ba, sims_ba)}
        mutual = [(float(sims_ab[i, 0]), i, int(ids_ab[i, 0])) for i in range(len(ids_ab))
                  if int(ids_ba[int(ids_ab[i, 0]), 0]) == i and float(sims_ab[i, 0]) >= s.floor]
        taken_a: set[int] = set()
        taken_b: set[int] = set()
        # Strongest first: a sentence already paired more strongly elsewhere is no rival.
        for sim, i, j in sorted(mutual, reverse=True):
            runner_up = max(_runner_up(sims_ab[i], ids_ab[i], j, taken_b),
                            _runner_up(sims_ba[j], ids_ba[j], i, taken_a))
            if sim >= s.sure or sim - runner_up >= s.margin:
                drafts.append(_Draft([i], [j], sim))
                taken_a.add(i)
                taken_b.add(j)
        drafts.sort(key=lambda d: d.a_group[0])
        return drafts, best

    # -- step 3: 1:2 and 2:1 ------------------------------------------------
    def _merge_proposals(self, pair: tuple[str, str], drafts: list[_Draft],
                         best: dict[str, list[dict[int, float]]]) -> list[tuple[_Draft, str, int, str]]:
        """Neighbours worth embedding merged: a half of a split sentence has the other half's
        partner among its two best candidates, close enough (``merge_floor``)."""
        a, b = pair
        taken = {"a": {i for d in drafts for i in d.a_group}, "b": {j for d in drafts for j in d.b_group}}
        sizes = {"a": len(self.eligible[a]), "b": len(self.eligible[b])}
        proposals = []
        for d in drafts:
            for side, group, article in (("a", d.a_group, a), ("b", d.b_group, b)):
                if len(group) >= MAX_GROUP:
                    continue
                partner = (d.b_group if side == "a" else d.a_group)[0]
                for extra in (min(group) - 1, max(group) + 1):
                    if not (0 <= extra < sizes[side]) or extra in taken[side]:
                        continue
                    sim = best[side][extra].get(partner, -1.0)
                    if sim >= self.settings.merge_floor and self._adjacent(article, group, extra):
                        proposals.append((d, side, extra, self._span_text(article, sorted(group + [extra]))))
        return proposals

    def _adjacent(self, article: str, group: list[int], extra: int) -> bool:
        """Only sentences next to each other in the text (same or next paragraph) merge."""
        index = self.eligible[article]
        ids = [index[g] for g in group] + [index[extra]]
        return max(ids) - min(ids) == len(ids) - 1

    def _apply_merge(self, a: str, b: str, draft: _Draft, side: str, extra: int, vector: "np.ndarray",
                     drafts: list[_Draft]) -> None:
        s = self.settings
        own_group = draft.a_group if side == "a" else draft.b_group
        taken = {i for d in drafts for i in (d.a_group if side == "a" else d.b_group)}
        if extra in taken or len(own_group) >= MAX_GROUP:
            return
        other_article, other_group = (b, draft.b_group) if side == "a" else (a, draft.a_group)
        own_article = a if side == "a" else b
        other_vector = self._group_vector(other_article, other_group)
        extra_vector = self.index.vectors[self.index.ranges[own_article][0] + extra]
        if float(extra_vector @ other_vector) < s.merge_floor:
            return
        merged_sim = float(vector @ other_vector)
        if merged_sim >= draft.similarity + s.merge_gain:
            (draft.a_group if side == "a" else draft.b_group).append(extra)
            draft.similarity = merged_sim

    def _group_vector(self, article: str, group: list[int]) -> "np.ndarray":
        lo = self.index.ranges[article][0]
        if len(group) == 1:
            return self.index.vectors[lo + group[0]]
        text = self._span_text(article, sorted(group))
        if text not in self._merged:
            self._merged[text] = self.embed([text])[0]
        return self._merged[text]

    def _span_text(self, article: str, group: list[int]) -> str:
        art = self.articles[article]
        first = art.sentences[self.eligible[article][group[0]]]
        last = art.sentences[self.eligible[article][group[-1]]]
        return art.text[first.start : last.end]

    # -- step 4 ---------------------------------------------------------------
    def _finish(self, a: str, b: str, drafts: list[_Draft]) -> PairAlignment:
        ea, eb = self.eligible[a], self.eligible[b]
        alignments = [
            Alignment(a, tuple(ea[i] for i in sorted(d.a_group)), b, tuple(eb[j] for j in sorted(d.b_group)),
                      round(d.similarity, 4))
            for d in sorted(drafts, key=lambda d: min(d.a_group))
        ]
        used_a = {i for al in alignments for i in al.a_sentences}
        used_b = {j for al in alignments for j in al.b_sentences}
        return PairAlignment(a, b, alignments, [i for i in ea if i not in used_a], [j for j in eb if j not in used_b])


def _top_two(ids: "np.ndarray", sims: "np.ndarray") -> list[dict[int, float]]:
    """Each sentence's two best candidates on the other side, with their similarities."""
    return [dict(zip(i[:2], v[:2], strict=True)) for i, v in zip(ids.tolist(), sims.tolist(), strict=True)]


def _runner_up(sims: "np.ndarray", ids: "np.ndarray", partner: int, taken: set[int]) -> float:
    """The best candidate after ``partner`` that is not already paired more strongly."""
    return max((float(v) for v, t in zip(sims, ids, strict=True) if t != partner and t not in taken), default=0.0)
