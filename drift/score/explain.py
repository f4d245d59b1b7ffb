"""What a flagged pair shows an editor: spans (the words that changed), their kinds, and one line.

The tagger says *which* words carry the change (P(word) at or over the word
threshold); a typed finding (``drift.score.evidence``) says *what kind* of change it
is, and takes its whole words ("French Guiana", not "French"), but only where the
tagger agrees: at least one of its words at half the word threshold. Words the
tagger marks that no finding explains are ``lexical``; a run of them that is most
of a clause one side has and the other lacks is an ``omission`` (only in a) or an
``addition`` (only in b).

The explanation: at most three items, typed changes first, strongest first,
each naming its words on both sides: ``entity: 'Guyana' here, 'French Guiana' in 001``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from drift.score.cues import speaker_unnamed, speaks, stands_for_a_noun
from drift.score.evidence import read, token_range
from drift.score.features import SAME_WORD, covered, covering, word_cosines
from drift.score.finding import KINDS, STRENGTH, Finding
from drift.score.swaps import swap_parts

if TYPE_CHECKING:  # pragma: no cover
    from drift.align.aligner import Alignment
    from drift.score.evidence import Reading
    from drift.score.features import PairFeatures, Side

#: A typed finding names a change when the tagger gives one of its words this share of the word threshold.
AGREE = 0.5
#: When two findings cover the same words, the more specific names the span ("Attal said": attribution).
SPECIFIC = ("attribution", "role", "number", "negation", "antonym", "person", "entity", "modality", "quote")
#: The catch-all kind (words of a quotation changed): a more specific finding inside it names its own words.
CATCH_ALL = "quote"
#: The strength from which a finding says the pair's statement changed (``finding.STRENGTH``: a name, figure
#: or speaker for another, a negation, a hedge one side only, a change of person), not a detail one side adds.
KEY = STRENGTH["person"]
#: Runs no finding explains are one change when in each other's place, or when their words are this close.
SYNONYM = 0.35
#: How far (a share of each side's words) a word standing in another's place may have moved.
DISPLACED = 0.2
#: Items in the explanation, and words shown of each side of an item.
ITEMS, WORDS = 3, 6
#: Where a sentence is cut into clauses (an omission or addition is most of one).
_CLAUSE = re.compile(r"[,;:—–()]\s*|\s+(?:and|but|while|whereas|after|because|which|who)\s+")
SpanFields = tuple[str, int, int, str, str, float]
#: What may part two spans of one name: "St. Petersburg", "Co.,Ltd", "Iron & Steel", "Running Out of Time" (not
#: "and": "Russia and Ukraine" are two).
_LINK = re.compile(r"[.'’-]*,?[.'’-]*|\.?\s(?:(?:of|de|da|di|du|la|le|van|von|der|del|y|&)\s)?")
_STRAIGHT_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


@dataclass
class _Item:
    kind: str
    words_a: list[int]
    words_b: list[int]
    score: float
    typed: bool
    spans_a: list[tuple[int, int]]  # offsets in the side's text
    spans_b: list[tuple[int, int]]
    also: tuple[str, ...] = ()  # other kinds on the same words
    strength: float = 1.0  # the finding's (``finding.STRENGTH``)


def same_wording(a: str, b: str) -> bool:
    """The same text once quotes and spaces are folded: no drift at all."""
    return " ".join(a.translate(_STRAIGHT_QUOTES).split()) == " ".join(b.translate(_STRAIGHT_QUOTES).split())


def describe(pf: PairFeatures, p_a: np.ndarray, p_b: np.ndarray, alignment: Alignment, word: float,
             overlap: bool = False, unsaid: tuple[list[list[int]], list[list[int]]] = ([], [])
             ) -> tuple[tuple[str, ...], list[SpanFields], str]:
    """(kinds, spans, explanation) of a flagged pair, from the tagger's P(word) on each side; each span as
    the fields of a ``drift.score.scorer.Span`` (article, start, end, text, kind, score). In an ``overlap``
    (drift.score.relation) the marked words are what one side says and the other does not: omission (a),
    addition (b): the runs of ``unsaid`` (``relation.unsaid_runs``) when there are any, else the tagger's."""
    a, b = pf.a, pf.b
    used_a, used_b = np.zeros(a.n, bool), np.zeros(b.n, bool)
    items: list[_Item] = []
    typed_words: list[tuple[Finding, np.ndarray, np.ndarray]] = []
    for f, ia, ib in _typed_parts(pf):
        if _rewording(f, a.text, b.text):  # "He added" / "Macron said": its words are shown as nothing
            used_a[ia], used_b[ib] = True, True
        else:
            typed_words.append((f, ia, ib))
    for f, ia, ib in sorted(typed_words, key=lambda t: (-_peak(p_a, t[1], p_b, t[2]), SPECIFIC.index(t[0].kind))):
        peak = _peak(p_a, ia, p_b, ib)
        if peak < AGREE * word:
            continue
        if (len(ia) or len(ib)) and used_a[ia].all() and used_b[ib].all():
            holder = next((it for it in items if set(ia) <= set(it.words_a) and set(ib) <= set(it.words_b)), None)
            if holder is not None and f.kind != holder.kind and f.kind not in holder.also:
                holder.also += (f.kind,)
            continue
        if f.kind == CATCH_ALL:  # a more specific finding inside it names its own words: "apparently" is a hedge
            for g, ga, gb in _nested(typed_words, f, ia[~used_a[ia]], ib[~used_b[ib]], items):
                items.append(_Item(g.kind, ga.tolist(), gb.tolist(), peak, True, _free_spans(a, g.a, used_a),
                                   _free_spans(b, g.b, used_b), strength=g.strength))
                used_a[ga], used_b[gb] = True, True
        spans_a, spans_b = _free_spans(a, f.a, used_a), _free_spans(b, f.b, used_b)  # a word carries one span
        ia, ib = ia[~used_a[ia]], ib[~used_b[ib]]
        if not len(ia) and not len(ib):
            continue
        used_a[ia], used_b[ib] = True, True
        items.append(_Item(f.kind, ia.tolist(), ib.tolist(), peak, True, spans_a, spans_b, strength=f.strength))
    runs_a, runs_b = _runs(a, p_a, word, used_a), _runs(b, p_b, word, used_b)
    if overlap and (unsaid[0] or unsaid[1]):
        runs_a = [part for run in unsaid[0] for part in _unused(a, run, used_a)]
        runs_b = [part for run in unsaid[1] for part in _unused(b, run, used_b)]
    if not items and not runs_a and not runs_b:
        runs_a, runs_b = _strongest(a, p_a, b, p_b)
        # the word the tagger rates highest is what it sees: a typed finding on that word names it
        strongest = ("a", runs_a[0][0]) if runs_a else ("b", runs_b[0][0]) if runs_b else None
        found = next(((f, ia, ib) for f, ia, ib in typed_words if strongest is not None and strongest[1] in
                      (ia if strongest[0] == "a" else ib)), None)
        if found is not None:
            f, ia, ib = found
            items.append(_Item(f.kind, ia.tolist(), ib.tolist(), _peak(p_a, ia, p_b, ib), True, list(f.a), list(f.b),
                               strength=f.strength))
            runs_a, runs_b = [], []
        else:  # a word swapped: the strongest changed word of each side ("fomented" here, "planned" there)
            runs_a, runs_b = _changed(pf.a, pf.words_a, p_a), _changed(pf.b, pf.words_b, p_b)
            if not runs_a and not runs_b:  # only a function word changed ("was only using"): the strongest
                runs_a, runs_b = _changed(pf.a, pf.words_a, p_a, True), _changed(pf.b, pf.words_b, p_b, True)
    if overlap:
        items += [_Item("omission", run, [], float(p_a[run].max()), False, [], []) for run in runs_a]
        items += [_Item("addition", [], run, float(p_b[run].max()), False, [], []) for run in runs_b]
    else:
        items += _untyped(pf, p_a, p_b, runs_a, runs_b)
    # typed first; among them a change of what is said (a name for a name, a dropped hedge: ``KEY``) before a
    # detail one side gives alone ("Elysée" here, nothing like it there), a weak kind (a quote's words, "our" /
    # "the") last; then strongest first
    items.sort(key=lambda it: (not it.typed, 2 if it.strength <= STRENGTH[CATCH_ALL] else _detail(it),
                               -it.score, KINDS.index(it.kind)))
    spans = sorted((sp for it in items for sp in _spans(it, pf, p_a, p_b, alignment)),
                   key=lambda sp: (sp[0] != alignment.a, sp[1]))
    strength: dict[str, float] = {}
    for it in items:
        for kind in (it.kind, *it.also):
            strength[kind] = max(strength.get(kind, 0.0), it.score)
    kinds = tuple(sorted(strength, key=lambda k: (-strength[k], KINDS.index(k))))
    taken_a = {i for it in items for i in it.words_a} | _kept(a, b)
    taken_b = {i for it in items for i in it.words_b} | _kept(b, a)
    lines: dict[str, None] = {}  # each once, strongest first: only the lines shown are made
    for it in items:
        if len(lines) == ITEMS:
            break
        like: list[int] = []  # "'people' in b, nothing like it here" where a says "tourist" in its place
        if it.kind not in ("omission", "addition") and bool(it.words_a) != bool(it.words_b):
            like = _counterpart(a, it.words_a, b, taken_b) if it.words_a else _counterpart(b, it.words_b, a, taken_a)
        lines.setdefault(_line(it, a, b, alignment.b, like), None)
    return kinds, spans, "; ".join(lines)


def _detail(item: _Item) -> bool:
    """Whether an item is a detail one side gives alone rather than a change of what is said: a weaker finding,
    or a name on one side only (its counterpart's words shown as a rewording: "Macron said")."""
    return item.strength < KEY or (item.kind in ("entity", "attribution") and not (item.words_a and item.words_b))


def _rewording(f: Finding, a_text: str, b_text: str) -> bool:
    """A finding that names who is who, not a change of it: a third-person pronoun on one side only
    (``stands_for_a_noun``), or a speaker named on one side only where the other side's speaker is a pronoun
    ("Macron said" / "he insisted"; not "Macron added, with Attal specifying" / "He added")."""
    if f.kind == "attribution" and bool(f.a) != bool(f.b):
        own, other = (read(a_text), read(b_text)) if f.a else (read(b_text), read(a_text))
        return speaker_unnamed(other) and all(_speaker(own, start, end) for start, end in f.a or f.b)
    return stands_for_a_noun(f, a_text, b_text)


def _speaker(reading: Reading, start: int, end: int) -> bool:
    """Whether the words at ``start``..``end`` of the reading's text are who speaks (``cues.speaks``)."""
    first, stop = token_range(reading, start, end)
    return stop > first and speaks(reading, first, stop - 1)


def _nested(typed_words: list[tuple[Finding, np.ndarray, np.ndarray]], outer: Finding, free_a: np.ndarray,
            free_b: np.ndarray, items: list[_Item]) -> list[tuple[Finding, np.ndarray, np.ndarray]]:
    """The findings of other kinds, not shown yet, all of whose words are among ``outer``'s free words: they
    name part of the change the tagger sees in ``outer`` (and share its score)."""
    shown = {it.kind for it in items}
    return [(g, ga, gb) for g, ga, gb in typed_words if g is not outer and g.kind != outer.kind
            and g.kind not in shown and (len(ga) or len(gb))
            and set(ga.tolist()) <= set(free_a.tolist()) and set(gb.tolist()) <= set(free_b.tolist())]


def _typed_parts(pf: PairFeatures) -> list[tuple[Finding, np.ndarray, np.ndarray]]:
    """The typed findings with their words, names changed on both sides split where they do not stand in each
    other's place (``drift.score.swaps``): "'Vigipirate' here, nothing like it" and "'AFP' there", not a swap."""
    out = []
    for f, ia, ib in pf.typed_words:
        parts = swap_parts(pf.a.text, pf.b.text, f)
        out += [(f, ia, ib)] if len(parts) == 1 else [(p, covered(pf.a, p.a), covered(pf.b, p.b)) for p in parts]
    return out


def relabel(explanation: str, old: str, new: str) -> str:
    """An explanation made for a pair with other side ``old``, for the same texts with other side ``new``."""
    if old == new:
        return explanation
    # where an item names the other side: "'x' in B", "'x' in B, nothing like it here", "nothing like it in B"
    return re.sub(r"(' in |nothing like it in )" + re.escape(old) + r"(?=(?:, nothing like it here)?(?:; |$))",
                  lambda m: m.group(1) + new, explanation)


def _peak(p_a: np.ndarray, ia: np.ndarray, p_b: np.ndarray, ib: np.ndarray) -> float:
    return float(max(p_a[ia].max(initial=0.0), p_b[ib].max(initial=0.0)))


def _runs(side: Side, p: np.ndarray, word: float, used: np.ndarray) -> list[list[int]]:
    """Runs of words at or over the word threshold, not already explained; function words may bridge
    a run but never start or end one, and a run never crosses a sentence."""
    runs: list[list[int]] = []
    current: list[int] = []
    gap: list[int] = []
    marked = (p >= word) & ~used
    for i in range(side.n):
        same_sentence = not current or side.sentence_of[i] == side.sentence_of[current[-1]]
        if marked[i] and side.content[i] and same_sentence:
            current += gap + [i]
            gap = []
        elif current and side.function[i] and not gap and same_sentence and not used[i]:
            gap = [i]
        else:
            if current:
                runs.append(current)
            current, gap = ([i], []) if marked[i] and side.content[i] else ([], [])
    if current:
        runs.append(current)
    return runs


def _free_spans(side: Side, spans: tuple[tuple[int, int], ...], used: np.ndarray) -> list[tuple[int, int]]:
    """A finding's spans without the words an earlier item holds: a span all of whose words are held goes,
    one partly held shrinks to its free words."""
    out = []
    for start, end in spans:
        inside = np.flatnonzero(covering(side, [(start, end)])[0])
        free = inside[~used[inside]]
        if not len(inside):
            out.append((start, end))
        elif len(free):
            out.append((max(start, int(side.spans[free[0], 0])), min(end, int(side.spans[free[-1], 1]))))
    return out


def _unused(side: Side, run: list[int], used: np.ndarray) -> list[list[int]]:
    """A run cut where a typed item already holds its words (a word carries one span), each part starting and
    ending on a content word."""
    parts: list[list[int]] = [[]]
    for i in run:
        if used[i]:
            parts.append([])
        else:
            parts[-1].append(i)
    out = []
    for part in parts:
        content = [k for k, i in enumerate(part) if side.content[i]]
        if content:
            out.append(part[content[0]:content[-1] + 1])
    return out


def _strongest(a: Side, p_a: np.ndarray, b: Side, p_b: np.ndarray) -> tuple[list[list[int]], list[list[int]]]:
    """A flagged pair always names a word: the content word the tagger rates highest."""
    best_a = np.where(a.content, p_a, -1.0) if a.n else np.zeros(0)
    best_b = np.where(b.content, p_b, -1.0) if b.n else np.zeros(0)
    if len(best_a) and (not len(best_b) or best_a.max() >= best_b.max()):
        return [[int(best_a.argmax())]], []
    return ([], [[int(best_b.argmax())]]) if len(best_b) else ([], [])


def _changed(side: Side, words: np.ndarray, p: np.ndarray, any_word: bool = False) -> list[list[int]]:
    """The content word (with ``any_word``, the word) of a side the tagger rates highest among those the other
    side lacks, as a run."""
    lacking = (words[:, SAME_WORD] == 0) & (True if any_word else side.content) if side.n else np.zeros(0, bool)
    if not lacking.any():
        return []
    return [[int(np.where(lacking, p, -1.0).argmax())]]


def _untyped(pf: PairFeatures, p_a: np.ndarray, p_b: np.ndarray, runs_a: list[list[int]],
             runs_b: list[list[int]]) -> list[_Item]:
    """Runs no finding explains: an omission or addition when one is most of a clause the other side lacks,
    else lexical, each run of a paired with the run of b its words are closest to."""
    a, b = pf.a, pf.b
    out: list[_Item] = []
    for own, other, runs, other_runs, kind in ((a, b, runs_a, runs_b, "omission"), (b, a, runs_b, runs_a, "addition")):
        for run in list(runs):
            if not other_runs and _lacking(own, other, run):
                p = p_a if own is a else p_b
                words = (run, []) if own is a else ([], run)
                out.append(_Item(kind, *words, float(p[run].max()), False, [], []))
                runs.remove(run)
    sim = word_cosines(a.vectors, b.vectors)
    free_b = list(runs_b)
    for run in runs_a:
        placed = [r for r in free_b if _in_place(a, run, b, r) or float(sim[np.ix_(run, r)].max()) >= SYNONYM]
        partner = max(placed, key=lambda r: float(sim[np.ix_(run, r)].max()), default=None)
        if partner is not None:
            free_b.remove(partner)
        words_b = partner or []
        out.append(_Item("lexical", run, words_b, _peak(p_a, np.array(run), p_b, np.array(words_b, np.int64)),
                         False, [], []))
    out += [_Item("lexical", [], run, float(p_b[run].max()), False, [], []) for run in free_b]
    return out


def _in_place(a: Side, run_a: list[int], b: Side, run_b: list[int]) -> bool:
    """Whether two runs stand in each other's place ("the Moroccan sultan under" / "the Moroccan ruler under"):
    the same word just before both and just after both (or the text's edge), or the same content word on one
    of those sides."""
    same = [_neighbour(a, run_a, step) == _neighbour(b, run_b, step) for step in (-1, 1)]
    content = [_neighbour(a, run_a, step)[1] for step in (-1, 1)]
    return all(same) or any(s and c for s, c in zip(same, content, strict=True))


def _neighbour(side: Side, run: list[int], step: int) -> tuple[str, bool]:
    """The word just before (``step`` -1) or after (1) a run: its key and whether it is a content word."""
    i = run[0] - 1 if step < 0 else run[-1] + 1
    return (side.keys[i], bool(side.content[i])) if 0 <= i < side.n else ("", False)


def _counterpart(own: Side, words: list[int], other: Side, taken: set[int]) -> list[int]:
    """The words of ``other`` standing where ``own``'s run of ``words`` stands, no more of them: after the word
    just before the run (or the text's edge) and up to the first word just after it. None where one such place
    is empty (the run was added or dropped), where there are several or the one is ``DISPLACED`` far, where an
    item holds one of the words or ``other`` keeps it (``taken``), or where only function words stand for
    content words ("China's" / "the")."""
    if words != list(range(words[0], words[-1] + 1)):
        return []
    before, after = _neighbour(own, words, -1)[0], _neighbour(own, words, 1)[0]
    keys = ("", *other.keys, "")  # other's word k is keys[k + 1], between its edges
    places = [next((list(range(i, j - 1)) for j in range(i + 1, len(keys)) if keys[j] == after), None)
              for i in range(other.n + 1) if keys[i] == before]
    if len(places) != 1 or not places[0] or len(places[0]) > len(words) or taken & set(places[0]) or \
            abs(words[0] / own.n - places[0][0] / other.n) > DISPLACED:
        return []
    return places[0] if other.content[places[0]].any() or not own.content[words].any() else []


def _kept(side: Side, other: Side) -> set[int]:
    """The words of a side that ``other`` says as often (moved, perhaps, but none of them replaced)."""
    have, other_has = Counter(side.keys), Counter(other.keys)
    return {i for i, key in enumerate(side.keys) if other_has[key] >= have[key]}


def _lacking(own: Side, other: Side, run: list[int]) -> bool:
    """Whether a run is most of a clause of ``own`` (3 content words or more) and ``other`` is shorter by it."""
    content = [i for i in run if own.content[i]]
    if len(content) < 3 or int(own.content.sum()) - int(other.content.sum()) < max(2, len(content) // 2):
        return False
    start = int(own.spans[run[0], 0])
    cuts = [0] + [m.end() for m in _CLAUSE.finditer(own.text)] + [len(own.text) + 1]
    for x, y in zip(cuts, cuts[1:], strict=False):
        if x <= start < y:
            clause = [i for i in range(own.n) if x <= own.spans[i, 0] < y and own.content[i]]
            return len(set(clause) & set(content)) > len(clause) / 2
    return False


def _spans(item: _Item, pf: PairFeatures, p_a: np.ndarray, p_b: np.ndarray,
           alignment: Alignment) -> list[SpanFields]:
    out: list[SpanFields] = []
    for side, article, words, typed_spans, p in ((pf.a, alignment.a, item.words_a, item.spans_a, p_a),
                                                  (pf.b, alignment.b, item.words_b, item.spans_b, p_b)):
        if not words:
            continue
        ranges = typed_spans if item.typed else [(int(side.spans[words[0], 0]), int(side.spans[words[-1], 1]))]
        for start, end in ranges:
            inside = [i for i in words if start <= side.spans[i, 0] < end]
            score = round(float(p[inside].max()), 4) if inside else round(item.score, 4)
            out.append((article, side.offset + start, side.offset + end, side.text[start:end], item.kind, score))
    return out


def _line(item: _Item, a: Side, b: Side, other: str, like: list[int]) -> str:
    """One item's line; ``like``: the words of the side it lacks standing in its place, shown only."""
    text_a = _shown(a, item.spans_a if item.typed and item.words_a else _extent(a, item.words_a or like))
    text_b = _shown(b, item.spans_b if item.typed and item.words_b else _extent(b, item.words_b or like))
    if text_a and text_b:
        return f"{item.kind}: '{text_a}' here, '{text_b}' in {other}"
    if text_a:
        return f"{item.kind}: '{text_a}' here, nothing like it in {other}"
    return f"{item.kind}: '{text_b}' in {other}, nothing like it here"


def _extent(side: Side, words: list[int]) -> list[tuple[int, int]]:
    return [(int(side.spans[words[0], 0]), int(side.spans[words[-1], 1]))] if words else []


def _shown(side: Side, spans: list[tuple[int, int]]) -> str:
    """The words of the spans, at most ``WORDS`` of them in all (then ``…``): never a whole clause. A span that
    does not fit is left out whole ("… / Moscow …", not "… / Moscow / French …" of "French Guiana"); spans
    parted only by a dot or a word linking a name are shown as written ("St. Petersburg", "Running Out of Time")."""
    parts: list[str] = []
    left = WORDS
    for start, end in _joined(side.text, spans):
        words = side.text[start:end].split()
        if not words or " ".join(words) in parts:
            continue
        if len(words) > left:
            return " / ".join(parts) + " …" if parts else " ".join(words[:left]) + " …"
        parts.append(" ".join(words))
        left -= len(words)
    return " / ".join(parts)


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in a row that only a dot, a space or a word that links a name (``_LINK``) part, as one."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and out[-1][1] <= start and _LINK.fullmatch(text[out[-1][1]:start]):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out
