"""Pair each sentence of one version with its counterpart(s) in another.

The rule, per version pair (A, B), on the exact cosines of the two versions' sentences
(``SentenceIndex.block``; in a pair of thousands of sentences, each sentence's best candidates,
``drift.align.candidates``):

1. a pair (a, b) is kept when each is the other's best candidate and it is either
   sure (cosine >= ``sure``) or clear (cosine >= ``floor`` and ahead of both
   runner-up candidates by ``margin``): in topic-dense copy every sentence is
   somewhat like every other, so a weak best match must stand out to count.
   Pairs are taken strongest first, and a sentence already paired more strongly is
   no longer a rival (competitive linking). No order is assumed, so moved
   paragraphs align as well as kept ones;
2. a kept pair grows to 1:n or n:1 (n <= ``max_group``), one adjacent free sentence
   a round, when the merged text says more of the other side (``_apply_merges``), or
   when the neighbour's own words are in the partner (``merge_says``): a sentence
   split in two or three, or several merged. Only one side of a pair ever grows, so
   there are no 2:2 groups; a neighbour alone as close to the partner as the group
   (at ``high`` or more) is a repeat, not a part: it stays free;
3. the sentences still free get a second mutual-best pass among themselves only
   (``recheck_floor`` and ``recheck_margin``; a pair whose neighbours are aligned to
   each other needs only ``anchored_floor``, and last ``anchored_margin``; at ``high``
   always): a near-verbatim
   pair whose best candidate went to a stronger pair is not left as two additions.
   Then the merge rounds again;
4. two 1:1 pairs that score as well swapped (near-duplicate sentences, ``tie``) take
   the pairing that keeps more neighbours aligned to each other (``_untie``);
5. headlines (``titles``): when both versions have one, they pair with each other
   whatever their cosine (the scorer says how far apart they are); when only one
   has one, it pairs with a body sentence only when that sentence is the same
   headline read as body text (each the other's best, cosine >= ``high``), else it
   is reported unmatched; a headline never merges;
6. what is left is unmatched.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from drift.align.candidates import Block, CandidateBlock, mutual_pairs, pair_blocks
from drift.align.lexical import WordOverlap, words
from drift.errors import check_fields

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.align.neighbours import SentenceIndex
    from drift.article import Article

ALIGNER = "mutual-margin/3"
MAX_GROUP = 3  # sentences on one side of an alignment: a split in two or three, or that many merged


@dataclass(frozen=True)
class AlignmentSettings:
    """Thresholds of the alignment rule; they go into every report's signature.

    Defaults were tuned on the synthetic alignment benchmark's seeds 1-3 (seed 1 only before
    ``mutual-margin/3``) and are reported on its seed 0 (benchmarks/README.md).
    """

    floor: float = 0.45
    sure: float = 0.55
    margin: float = 0.03
    merge_gain: float = 0.02
    merge_floor: float = 0.3
    #: A merge is also kept when it removes this share of what kept the pair from cosine 1.
    merge_closes: float = 0.4
    #: A neighbour this close to the partner on its own (and whose best candidate the partner is)
    #: joins the group even when the merged vector loses up to ``merge_keep_loss``: the third part
    #: of a split sentence often lowers the merge's cosine.
    merge_keep: float = 0.6
    merge_keep_loss: float = 0.04
    #: A neighbour is proposed for a merge only when the partner is within this of its own best cosine...
    merge_reach: float = 0.15
    #: ...or when this share of its words (weighted by rarity) is in the partner: a reworded half of a
    #: merged sentence can rank far below a sentence of the same topic by cosine, not by its words. Such
    #: a neighbour, if the partner is its best free candidate by score (one paired elsewhere is no
    #: rival), joins even when the merge's cosine and word term lose up to ``merge_says_loss`` (a
    #: merged text's vector favours its verbatim half).
    merge_says: float = 0.35
    merge_says_loss: float = 0.07
    #: Second pass over the sentences still free: mutual best among them only.
    recheck_floor: float = 0.65
    recheck_margin: float = 0.05
    #: ...needing only this cosine when the neighbours before (or after) both are aligned to each other.
    anchored_floor: float = 0.45
    #: ...and, once no other pair is found, only this margin over the runner-ups (mutual best suffices).
    anchored_margin: float = 0.0
    #: Free sentences that are each other's best among the free at this cosine or more always pair.
    high: float = 0.8
    #: Two 1:1 pairs whose swapped pairing scores within this of theirs are a tie (near-duplicate
    #: sentences): the pairing that keeps more neighbours aligned to each other wins.
    tie: float = 0.02
    #: Weight of the shared-word term (``drift.align.lexical``) added to the cosine when candidates are
    #: ranked and thresholds applied; the similarity reported stays the cosine.
    lexical: float = 0.2
    #: Where a pair shares words (shared-word term >= ``words_shared``), a neighbour joins its group only
    #: when at least this share of its words (weighted by rarity) is in the partner: a split half is
    #: made of the sentence's words, a neighbour on the same topic is not. In a translation nothing is
    #: shared and cosines alone decide.
    merge_words: float = 0.1
    words_shared: float = 0.3
    max_group: int = MAX_GROUP

    def __post_init__(self) -> None:
        check_fields(self)  # cosines, margins and shares of words; max_group a count

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
    headline: bool = False

    def group(self, side: str) -> list[int]:
        return self.a_group if side == "a" else self.b_group


@dataclass
class _Pair:
    """One version pair while it is being aligned."""

    a: str
    b: str
    sims: Block  # body cosines: headline rows and columns set to -1
    score: Block  # what candidates are ranked by: the cosine plus the weighted shared-word term
    words: WordOverlap | None = None  # None when the shared-word term is off
    drafts: list[_Draft] = field(default_factory=list)

    def taken(self, side: str) -> set[int]:
        return {i for d in self.drafts for i in d.group(side)}


#: A merge proposal: the draft, the side that grows, the neighbour, the merged text, and how much of the
#: neighbour's words the partner says (``Aligner._within``, read three times, worked out once).
_Proposal = tuple[_Draft, str, int, str, float]


class Aligner:
    """Aligns version pairs; merges need extra vectors, made in one batch per merge round."""

    def __init__(
        self,
        articles: Sequence["Article"],
        index: "SentenceIndex",
        eligible: dict[str, list[int]],
        embed: Callable[[list[str]], "np.ndarray"],
        settings: AlignmentSettings = AlignmentSettings(),
        titles: Mapping[str, int] | None = None,
    ) -> None:
        """``eligible``: article id -> the sentence indices to align, in order (their vectors are the
        index's rows); ``titles``: article id -> the sentence index of its headline, if eligible."""
        self.articles = {a.id: a for a in articles}
        self.index = index
        self.eligible = eligible
        self.embed = embed
        self.settings = settings
        #: article id -> position of its headline in its eligible list
        self.titles = {a: eligible[a].index(i) for a, i in (titles or {}).items() if i in eligible.get(a, ())}
        self._merged: dict[str, "np.ndarray"] = {}  # merged-group text -> vector
        self._word_sets: dict[str, list[frozenset[str]]] = {}

    def align(self, pairs: Sequence[tuple[str, str]]) -> list[PairAlignment]:
        work = [self._start(a, b) for a, b in pairs]
        self._merge_rounds(work)
        for pair in work:
            self._recheck(pair)
        self._merge_rounds(work)
        for pair in work:
            _untie(pair, self.settings.tie)
        return [self._finish(pair) for pair in work]

    def _start(self, a: str, b: str) -> _Pair:
        """The pair's cosines, its headline pair, and its first mutual-best pass over body sentences."""
        s = self.settings
        shared = WordOverlap(self._words(a), self._words(b)) if s.lexical else None
        full, score = pair_blocks(self.index, a, b, shared, s.lexical)
        ta, tb = self.titles.get(a), self.titles.get(b)
        pair = _Pair(a, b, full, score, shared)
        if ta is not None or tb is not None:
            headline = self._headline_pair(full, ta, tb)
            for m in (pair.sims, pair.score):  # a headline is no body sentence's candidate
                if ta is not None:
                    m[ta, :] = -1.0
                if tb is not None:
                    m[:, tb] = -1.0
            if headline is not None:
                pair.drafts.append(headline)
                for m in (pair.sims, pair.score):  # the body sentence a lone headline took
                    m[headline.a_group[0], :] = -1.0
                    m[:, headline.b_group[0]] = -1.0
        body_a = [i for i in range(full.shape[0]) if i != ta and i not in pair.taken("a")]
        body_b = [j for j in range(full.shape[1]) if j != tb and j not in pair.taken("b")]
        pair.drafts += _link(pair.score, pair.sims, body_a, body_b, s.floor, s.sure, s.margin)
        return pair

    def _headline_pair(self, full: Block, ta: int | None, tb: int | None) -> _Draft | None:
        """Headline with headline whatever their cosine; a headline only one version has with the body
        sentence that is the same headline read as body text (each the other's best, at ``high`` or
        more). Taken first, so no merge or body pair can claim that sentence; any other lone headline
        stays unmatched (reported, never dropped silently)."""
        if ta is not None and tb is not None:
            return _Draft([ta], [tb], float(full[ta, tb]), headline=True)
        if ta is not None and full.shape[1]:
            k = int(full[ta, :].argmax())
            if full[ta, k] >= self.settings.high and int(full[:, k].argmax()) == ta:
                return _Draft([ta], [k], float(full[ta, k]), headline=True)
        if tb is not None and full.shape[0]:
            k = int(full[:, tb].argmax())
            if full[k, tb] >= self.settings.high and int(full[k, :].argmax()) == tb:
                return _Draft([k], [tb], float(full[k, tb]), headline=True)
        return None

    def _words(self, article: str) -> list[frozenset[str]]:
        found = self._word_sets.get(article)
        if found is None:
            sentences = self.articles[article].sentences
            found = self._word_sets[article] = [words(sentences[i].text) for i in self.eligible[article]]
        return found

    # -- merges into 1:n and n:1 ------------------------------------------------
    def _merge_rounds(self, work: list[_Pair]) -> None:
        """Grow groups one adjacent free sentence at a time (never both sides: no 2:2), one
        embedding batch a round, up to ``max_group`` sentences a side."""
        for _ in range(self.settings.max_group - 1):
            proposals = [self._proposals(pair) for pair in work]
            texts = sorted({p[3] for props in proposals for p in props} - set(self._merged))
            if texts:
                self._merged.update(zip(texts, self.embed(texts), strict=True))
            grown = [self._apply_merges(pair, props) for pair, props in zip(work, proposals, strict=True)]
            if not any(grown):
                return

    def _proposals(self, pair: _Pair) -> list[_Proposal]:
        """Neighbours worth embedding merged: an adjacent free sentence whose own best candidate is
        (within ``merge_reach``) the partner, or whose words the partner says (``merge_says``), close
        enough to it (``merge_floor``). A split half points at the sentence it came from; the filter
        keeps merge embeddings few."""
        s = self.settings
        taken = {"a": pair.taken("a"), "b": pair.taken("b")}
        sizes = {"a": pair.sims.shape[0], "b": pair.sims.shape[1]}
        out: list[_Proposal] = []
        for d in pair.drafts:
            if d.headline:
                continue  # a headline pairs one to one
            for side, article in (("a", pair.a), ("b", pair.b)):
                group, other = d.group(side), d.group("b" if side == "a" else "a")
                if len(group) >= s.max_group or len(other) > 1:
                    continue
                for extra in (min(group) - 1, max(group) + 1):
                    if not (0 <= extra < sizes[side]) or extra in taken[side]:
                        continue
                    row = pair.sims[extra, :] if side == "a" else pair.sims[:, extra]
                    sim = float(row[other[0]])
                    if sim < s.merge_floor or sim >= max(s.high, d.similarity):
                        continue  # a neighbour as close as its group is a repeat of the statement, not a part
                    within = self._within(pair, d, side, extra)
                    if float(row.max()) - sim > s.merge_reach and within < s.merge_says:
                        continue
                    if self._adjacent(article, group, extra) and not self._off_topic(pair, d, side, within):
                        out.append((d, side, extra, self._span_text(article, sorted(group + [extra])), within))
        return out

    def _within(self, pair: _Pair, draft: _Draft, side: str, extra: int) -> float:
        """How much of the neighbour's words (weighted by rarity) the partner says; 0 with no word term."""
        if pair.words is None:
            return 0.0
        own, other = (pair.a, pair.b) if side == "a" else (pair.b, pair.a)
        partner = self._group_words(other, draft.group("b" if side == "a" else "a"))
        return pair.words.within(self._words(own)[extra], partner)

    def _off_topic(self, pair: _Pair, draft: _Draft, side: str, within: float) -> bool:
        """Where the pair shares words (``words_shared``), a neighbour that says almost none of the
        partner's words (``merge_words``) is not part of the statement; decided from words alone, so
        before its merged text is embedded."""
        s = self.settings
        if pair.words is None:
            return False
        own, other = (pair.a, pair.b) if side == "a" else (pair.b, pair.a)
        partner = self._group_words(other, draft.group("b" if side == "a" else "a"))
        shared = pair.words.of(self._group_words(own, draft.group(side)), partner)
        return shared >= s.words_shared and within < s.merge_words

    def _adjacent(self, article: str, group: list[int], extra: int) -> bool:
        """Only sentences next to each other in the text (same or next paragraph) merge; never a headline."""
        if self.titles.get(article) in (extra, *group):
            return False
        index = self.eligible[article]
        ids = [index[g] for g in group] + [index[extra]]
        return max(ids) - min(ids) == len(ids) - 1

    def _apply_merges(self, pair: _Pair, proposals: list[_Proposal]) -> bool:
        """Best gain first; a draft grows at most once a round, a sentence joins one group.

        A merge is kept when it gains ``merge_gain`` (cosine plus the weighted shared-word term:
        a neighbour that shares no words with the partner dilutes the group's), or closes
        ``merge_closes`` of the distance to cosine 1, or the neighbour alone is ``merge_keep``
        close to the partner (its own best free candidate, within ``merge_gain``) and the merge loses
        at most ``merge_keep_loss``, or the partner says ``merge_says`` of the neighbour's words and is
        its best free candidate by score (within ``merge_gain``) and the merge loses at most
        ``merge_says_loss``.
        """
        s = self.settings
        order = {id(d): n for n, d in enumerate(pair.drafts)}
        taken = {"a": pair.taken("a"), "b": pair.taken("b")}
        scored = []
        for draft, side, extra, text, within in proposals:
            own_article, other_article = (pair.a, pair.b) if side == "a" else (pair.b, pair.a)
            other_group = draft.group("b" if side == "a" else "a")
            merged = float(self._merged[text] @ self._group_vector(other_article, other_group))
            lexical = 0.0
            if pair.words is not None:
                partner = self._group_words(other_article, other_group)
                group = self._group_words(own_article, draft.group(side))
                shared = pair.words.of(group, partner)
                neighbour = self._words(own_article)[extra]
                lexical = s.lexical * (pair.words.of(group | neighbour, partner) - shared)
            row = pair.sims[extra, :] if side == "a" else pair.sims[:, extra]
            alone = float(row[other_group[0]])
            alone = alone if _behind(pair.sims, draft, side, extra, taken) <= s.merge_gain else -1.0
            says = within >= s.merge_says \
                and _behind(pair.score, draft, side, extra, taken) <= s.merge_gain
            gain = merged - draft.similarity + lexical
            scored.append((gain, merged, order[id(draft)], side, extra, draft, alone, says))
        scored.sort(key=lambda t: (-t[0], t[2], t[3], t[4]))
        changed: set[int] = set()
        for gain, merged, key, side, extra, draft, alone, says in scored:
            closes = gain > 0 and (1.0 - merged) <= (1.0 - s.merge_closes) * (1.0 - draft.similarity)
            keeps = (alone >= s.merge_keep and gain >= -s.merge_keep_loss) or (says and gain >= -s.merge_says_loss)
            if key in changed or extra in taken[side] or (gain < s.merge_gain and not closes and not keeps):
                continue
            draft.group(side).append(extra)
            draft.group(side).sort()
            draft.similarity = merged
            taken[side].add(extra)
            changed.add(key)
        return bool(changed)

    def _group_words(self, article: str, group: list[int]) -> frozenset[str]:
        return frozenset().union(*(self._words(article)[i] for i in group))

    def _group_vector(self, article: str, group: list[int]) -> "np.ndarray":
        if len(group) == 1:
            return self.index.of(article)[group[0]]
        text = self._span_text(article, sorted(group))
        if text not in self._merged:
            self._merged[text] = self.embed([text])[0]
        return self._merged[text]

    def _span_text(self, article: str, group: list[int]) -> str:
        art = self.articles[article]
        first = art.sentences[self.eligible[article][group[0]]]
        last = art.sentences[self.eligible[article][group[-1]]]
        return art.text[first.start : last.end]

    # -- the sentences still free -------------------------------------------
    def _recheck(self, pair: _Pair) -> None:
        """Mutual best among the free body sentences only, until nothing changes."""
        s = self.settings
        heads = {"a": self.titles.get(pair.a), "b": self.titles.get(pair.b)}
        while True:
            used_a, used_b = pair.taken("a"), pair.taken("b")
            free_a = [i for i in range(pair.sims.shape[0]) if i not in used_a and i != heads["a"]]
            free_b = [j for j in range(pair.sims.shape[1]) if j not in used_b and j != heads["b"]]
            new = _link(pair.score, pair.sims, free_a, free_b, min(s.recheck_floor, s.anchored_floor), s.high,
                        s.recheck_margin)
            new = [d for d in new if float(pair.score[d.a_group[0], d.b_group[0]]) >= s.recheck_floor
                   or _anchors(d.a_group[0], d.b_group[0], pair.drafts)]
            if not new:  # an anchored pair needs no clear margin: its neighbours vouch for it
                new = [d for d in _link(pair.score, pair.sims, free_a, free_b, s.anchored_floor, s.high,
                                        s.anchored_margin) if _anchors(d.a_group[0], d.b_group[0], pair.drafts)]
            if not new:
                return
            pair.drafts.extend(new)

    def _finish(self, pair: _Pair) -> PairAlignment:
        ea, eb = self.eligible[pair.a], self.eligible[pair.b]
        alignments = [
            Alignment(pair.a, tuple(ea[i] for i in sorted(d.a_group)), pair.b, tuple(eb[j] for j in sorted(d.b_group)),
                      round(d.similarity, 4))
            for d in sorted(pair.drafts, key=lambda d: (min(d.a_group), min(d.b_group)))
        ]
        used_a = {i for al in alignments for i in al.a_sentences}
        used_b = {j for al in alignments for j in al.b_sentences}
        return PairAlignment(pair.a, pair.b, alignments, [i for i in ea if i not in used_a],
                             [j for j in eb if j not in used_b])


def _anchors(i: int, j: int, drafts: list[_Draft]) -> int:
    """How many of the sentences before and after the pair (i, j) are aligned to each other (0-2):
    order kept locally."""
    before = any(i - 1 == max(o.a_group) and j - 1 == max(o.b_group) for o in drafts)
    after = any(i + 1 == min(o.a_group) and j + 1 == min(o.b_group) for o in drafts)
    return int(before) + int(after)


def _behind(m: Block, draft: _Draft, side: str, extra: int, taken: dict[str, set[int]]) -> float:
    """How far the neighbour ``extra`` of ``draft`` ranks its partner (by ``m``) behind its best candidate
    among the sentences not paired elsewhere; 0 when the partner is that best."""
    import numpy as np

    row = m[extra, :] if side == "a" else m[:, extra]
    partner = draft.group("b" if side == "a" else "a")
    rivals = taken["b" if side == "a" else "a"] - set(partner)
    free = np.ones(len(row), dtype=bool)
    free[sorted(rivals)] = False
    return float(row[free].max()) - float(row[partner[0]])


def _untie(pair: _Pair, tie: float) -> None:
    """Swap the partners of two 1:1 pairs when the swap scores within ``tie`` of them and keeps more
    neighbours aligned to each other: near-duplicate sentences are told apart by where they stand."""
    import numpy as np

    ones = [d for d in pair.drafts if not d.headline and len(d.a_group) == len(d.b_group) == 1]
    where = {d.a_group[0]: y for y, d in enumerate(ones)}  # a swap changes b sides only
    own = np.array([float(pair.score[d.a_group[0], d.b_group[0]]) for d in ones])
    for _ in range(len(ones)):
        swapped = False
        for x, d1 in enumerate(ones):
            start = x + 1
            while start < len(ones):
                for y in _ties(pair.score, ones, own, where, x, start, tie):
                    d2 = ones[y]
                    (i,), (j,), (k,), (m,) = d1.a_group, d1.b_group, d2.a_group, d2.b_group
                    kept = _anchors(i, j, pair.drafts) + _anchors(k, m, pair.drafts)
                    d1.b_group, d2.b_group = [m], [j]
                    if _anchors(i, m, pair.drafts) + _anchors(k, j, pair.drafts) <= kept:
                        d1.b_group, d2.b_group = [j], [m]
                        continue
                    d1.similarity, d2.similarity = float(pair.sims[i, m]), float(pair.sims[k, j])
                    own[x], own[y] = float(pair.score[i, m]), float(pair.score[k, j])
                    swapped = True
                    start = y + 1  # d1 holds another sentence now: its ties change
                    break
                else:
                    break
        if not swapped:
            return


def _ties(score: Block, ones: list[_Draft], own: "np.ndarray", where: dict[int, int], x: int, start: int,
          tie: float) -> list[int]:
    """Positions from ``start`` of the 1:1 drafts whose swap with draft ``x`` scores within ``tie`` of
    the two (``own``: each draft's score), in order. In a candidate block only drafts whose sentence is
    a candidate of ``x``'s partner can tie: a swap onto a cell that is none reads ``FILL``."""
    import numpy as np

    (i,), (j,) = ones[x].a_group, ones[x].b_group
    if isinstance(score, CandidateBlock):
        rows, _ = score.column_cells(j)
        ys = np.array(sorted(y for k in rows.tolist() if (y := where.get(k)) is not None and y >= start), dtype=int)
    else:
        ys = np.arange(start, len(ones))
    if not len(ys):
        return []
    ks = np.array([ones[y].a_group[0] for y in ys])
    ms = np.array([ones[y].b_group[0] for y in ys])
    swapped = own[x] + own[ys] - score[i, :][ms] - score[:, j][ks]  # the pairwise sum's order: same floats
    return ys[swapped <= tie].tolist()


def _link(score: Block, sims: Block, rows: list[int], cols: list[int], floor: float, sure: float,
          margin: float) -> list[_Draft]:
    """Mutual best pairs by ``score`` among ``rows`` x ``cols``, strongest first, each kept when sure or
    clear of both runner-ups (competitive linking: a sentence already paired is no rival); a draft's
    similarity is its cosine (``sims``)."""
    return [_Draft([r], [c], float(sims[r, c])) for r, c in mutual_pairs(score, rows, cols, floor, sure, margin)]
