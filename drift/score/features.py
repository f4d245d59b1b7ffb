"""What the learned scorer reads of a pair: word features for the tagger, pair features for the classifier.

Everything comes from the one forward pass the aligner already paid for (each
word's contextual vector, the sentence similarity) and from the typed checks
(``drift.score.evidence``): no second model run. Per word of one side, against
the other side: its best cosine and the runner-up, whether the same word is
there, how its neighbours fare, whether its best match chooses it back, and the
typed findings it sits in. Per pair: DiffAlign- and BERTScore-like summaries of
those cosines, unmatched runs, lengths, the strongest finding of each kind, the
characters and words both sides share (chrF, word F: an edited copy or two tellings), and
(``pair_vector``) how the tagger rated the words.

Feature names are stored in the weights file; ``drift.score.model`` refuses
weights built for other features.
"""
from __future__ import annotations

import math
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from drift.score.characters import shared_text
from drift.score.cues import is_pronoun
from drift.score.evidence import STOPWORDS, Finding, compare_readings, fold, read, sentence_initial
from drift.score.numbers import NUMBER_WORDS

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterator, Sequence

#: The typed kinds the features and spans know, in the order of the feature columns.
TYPED = ("entity", "number", "negation", "modality", "attribution", "quote", "person", "antonym")
#: Kinds read as another kind's feature column. No training pair has names in each other's place (the synthetic
#: pass that makes them is off: benchmarks/README.md, "Names that trade places"), so a column of their own would
#: never be read; as names changed they lift drift ("Russia blamed Ukraine" / "Ukraine blamed Russia": 0.08 ->
#: 0.42) without new weights.
FEATURE_KIND = {"role": "entity"}

WORD_FEATURES = (
    "best", "second", "gap", "same_word", "same_prefix", "function", "capital_inside", "capital_first", "number",
    "context_min", "context_mean", "mutual", "partner_best", "partner_same", "distortion", "relative_best",
    "similarity", "length_ratio", "typed", *[f"typed_{k}" for k in TYPED], "log_length", "pronoun_changed",
    "unmatched_run", "other_min", "pair_diffalign", "pair_low", "pair_log_words", "pair_mass",
)
PAIR_BASE = (
    "similarity", "diffalign", "diffalign_content", "bertscore_f", "bertscore_min", "low5", "low7_share_max",
    "low7_share_min", "unmatched_share_max", "unmatched_share_min", "length_ratio", "log_words", "run_max",
    "run_asymmetry", *[f"kind_{k}" for k in TYPED], "typed_echo", "jaccard", "low4", "low6", "mass75",
    "low5_side_max", "low5_side_min", "bottom3", "contrast", "chrf", "chrf_min", "word_f",
)
PAIR_TAGGER = ("p_max", "p_top2", "p_sum", "p_side_sum_max", "p_side_sum_min", "p_noisy_or", "p_mean_content",
               "p_max_typed", "p_max_untyped")
PAIR_FEATURES = PAIR_BASE + PAIR_TAGGER
_COLUMN = {name: n for n, name in enumerate(WORD_FEATURES)}
#: The column of a word's best cosine to the other side.
BEST = _COLUMN["best"]
#: The column saying whether the same word is on the other side.
SAME_WORD = _COLUMN["same_word"]


@dataclass(frozen=True)
class Side:
    """One side of an aligned pair: its text and words, with what the features need of each word."""

    text: str  # the aligned sentences as they stand in the article (from ``offset``)
    offset: int  # article offset of ``text``
    spans: np.ndarray  # int [n, 2], word offsets in ``text``
    sentence_of: np.ndarray  # int [n]: which of the side's sentences each word is in (spans never cross one)
    vectors: np.ndarray  # float32 [n, dim], unit rows (float16-exact, as the index stores them): kept small
    keys: tuple[str, ...]  # folded words
    function: np.ndarray  # bool [n]: function words carry no drift of their own
    capital_inside: np.ndarray  # bool [n]: capitalised, not opening a sentence
    capital_first: np.ndarray  # bool [n]: capitalised, opening a sentence
    number: np.ndarray  # bool [n]
    pronoun: np.ndarray  # bool [n]
    log_length: np.ndarray  # float [n]

    @property
    def n(self) -> int:
        return len(self.keys)

    @cached_property
    def content(self) -> np.ndarray:
        """Not function words (computed once per side: a side is read by every pair it is in)."""
        content = ~self.function
        content.flags.writeable = False
        return content

    @cached_property
    def content_keys(self) -> frozenset[str]:
        return frozenset(k for k, c in zip(self.keys, self.content.tolist(), strict=True) if c)


def make_side(text: str, offset: int, spans: "Sequence[tuple[int, int]]", sentence_of: "Sequence[int]",
              vectors: np.ndarray) -> Side:
    """A side from its text, its words' offsets in it, and their vectors (one row per word)."""
    words = [text[s:e] for s, e in spans]
    keys = tuple(fold(w) for w in words)
    upper = [w[:1].isupper() for w in words]
    capital = np.array(upper, bool)
    # where a word stands matters only for a capitalised one
    first = np.array([u and sentence_initial(text, s) for u, (s, _) in zip(upper, spans, strict=True)], bool)
    return Side(
        text, offset, np.asarray(spans, np.int64).reshape(-1, 2), np.asarray(sentence_of, np.int64),
        np.asarray(vectors, np.float32).reshape(len(words), -1), keys,
        np.array([is_function_word(w, k) for w, k in zip(words, keys, strict=True)], bool),
        capital & ~first, capital & first,
        np.array([_has_digit(w) or k in NUMBER_WORDS for w, k in zip(words, keys, strict=True)], bool),
        np.array([is_pronoun(w, k) for w, k in zip(words, keys, strict=True)], bool),
        np.log1p(np.array([e - s for s, e in spans], np.float64)),
    )


def _length_ratio(n_a: int, n_b: int) -> float:
    """|log| of the ratio of two word counts, the same bits either way round: trees split on exact values, and
    log(x / y) and log(y / x) can differ in the last bit (a pair then scored differently with its sides swapped)."""
    return abs(math.log(n_a + 1) - math.log(n_b + 1))


def _has_digit(word: str) -> bool:
    # no character is both a letter and a digit (checked over all of Unicode): most words need one call
    return not word.isalpha() and any(c.isdigit() for c in word)


def is_function_word(word: str, key: str) -> bool:
    """Function words carry no drift of their own; "IS" (Islamic State) is no "is"."""
    return key in STOPWORDS and not (word.isupper() and len(word) > 1)


@dataclass(frozen=True)
class PairFeatures:
    """Everything the tagger and the classifier read of one pair, computed once."""

    a: Side
    b: Side
    similarity: float
    findings: tuple[Finding, ...]
    typed_words: tuple[tuple[Finding, np.ndarray, np.ndarray], ...]  # each finding with its words on a and on b
    words_a: np.ndarray  # [n_a, len(WORD_FEATURES)]
    words_b: np.ndarray
    base: np.ndarray  # [len(PAIR_BASE)]


def word_cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Every word of a against every word of b (float64), with BLAS on one thread.

    A pair's matrices are small (tens of words): a multi-threaded BLAS spends more
    time waking its threads than multiplying, ten times more on a busy machine, and
    its sums may depend on the thread count. One thread is faster and gives the same
    features, so the same weights, on any machine.
    """
    if not len(a) or not len(b):
        return np.zeros((len(a), len(b)))
    with one_blas_thread():
        return np.asarray(a, np.float64) @ np.asarray(b, np.float64).T


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS on one thread (``word_cosines``) while inside: entered once around many pairs, it spares each
    pair the switch, which costs more than its product."""
    if getattr(_HELD, "on", False):
        yield
        return
    with _one_thread():
        _HELD.on = True
        try:
            yield
        finally:
            _HELD.on = False


_HELD = threading.local()


def _one_thread() -> Any:
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()  # after numpy is loaded: it finds numpy's BLAS
    return _CONTROLLER.limit(limits=1, user_api="blas")


_CONTROLLER: Any = None


@dataclass(frozen=True)
class Matches:
    """Every word's cosine to every word of the other side (``sim`` = a @ b.T), and each word's best."""

    sim: np.ndarray
    best_a: np.ndarray
    best_b: np.ndarray


def match_words(a: Side, b: Side) -> Matches:
    sim = word_cosines(a.vectors, b.vectors)
    return Matches(sim, sim.max(axis=1) if b.n else np.zeros(a.n), sim.max(axis=0) if a.n else np.zeros(b.n))


def typed_findings(a: Side, b: Side) -> tuple[Finding, ...]:
    return tuple(compare_readings(read(a.text), read(b.text))) if a.n and b.n else ()


def pair_features(a: Side, b: Side, similarity: float, matches: Matches | None = None,
                  findings: tuple[Finding, ...] | None = None) -> PairFeatures:
    """The features of a pair. ``findings=()`` leaves the typed checks out (a pair that is no counterpart);
    ``matches`` and ``findings`` already computed (to judge the relation) are not computed again."""
    return pair_features_all([(a, b, similarity, matches, findings)])[0]


#: What ``pair_features_all`` takes of each pair: sides, similarity, and ``pair_features``'s optional inputs.
PairInput = tuple[Side, Side, float, "Matches | None", "tuple[Finding, ...] | None"]


def pair_features_all(pairs: "Sequence[PairInput]") -> list[PairFeatures]:
    """``pair_features`` of many pairs: the word features of all their words are computed at once
    (numpy's cost per call is paid per batch, not per pair), with the same operations on the same values."""
    views: list[_View] = []
    kept = []
    with one_blas_thread():
        matched = [match_words(a, b) if m is None else m for a, b, _, m, _ in pairs]
    for (a, b, similarity, _, findings), m in zip(pairs, matched, strict=True):
        sim, best_a, best_b = m.sim, m.best_a, m.best_b
        findings = typed_findings(a, b) if findings is None else findings
        typed_words = tuple((f, covered(a, f.a), covered(b, f.b)) for f in findings
                            if f.kind in TYPED or f.kind in FEATURE_KIND)
        typed_a = _typed(a.n, [(f, ia) for f, ia, _ in typed_words])
        typed_b = _typed(b.n, [(f, ib) for f, _, ib in typed_words])
        best = np.concatenate([best_a, best_b])
        content = best[np.concatenate([a.content, b.content])]
        context = (1.0 - float(best.min()) if len(best) else 1.0, float((content < 0.5).sum()),
                   math.log1p(a.n + b.n), float(np.clip(0.75 - content, 0, None).sum()))
        views += [_View(a, b, sim, best_a, best_b, typed_a, similarity, context),
                  _View(b, a, sim.T, best_b, best_a, typed_b, similarity, context)]
        kept.append((a, b, similarity, findings, typed_words))
    words = _words(views)
    out = []
    for n, (a, b, similarity, findings, typed_words) in enumerate(kept):
        pf = PairFeatures(a, b, similarity, findings, typed_words, words[2 * n], words[2 * n + 1], np.zeros(0))
        out.append(PairFeatures(a, b, similarity, findings, typed_words, pf.words_a, pf.words_b,
                                _base(pf, views[2 * n].context)))
    return out


def covering(side: Side, spans: "Sequence[tuple[int, int]]") -> np.ndarray:
    """[spans, words]: which of the side's words each span (offsets in the side's text) overlaps."""
    x = np.array(spans, np.int64).reshape(-1, 2)
    return (x[:, :1] < side.spans[:, 1][None, :]) & (side.spans[:, 0][None, :] < x[:, 1:])


def covered(side: Side, spans: tuple[tuple[int, int], ...]) -> np.ndarray:
    """Indices of the side's words that overlap any of ``spans`` (offsets in the side's text)."""
    if not spans or not side.n:
        return np.zeros(0, np.int64)
    return np.flatnonzero(covering(side, spans).any(axis=0))


def _typed(n: int, hits: list[tuple[Finding, np.ndarray]]) -> np.ndarray:
    """[n, 1 + len(TYPED)]: the strongest finding each word is in, of any kind, then per kind."""
    out = np.zeros((n, 1 + len(TYPED)))
    for f, words in hits:
        column = 1 + TYPED.index(FEATURE_KIND.get(f.kind, f.kind))
        out[words, column] = np.maximum(out[words, column], f.strength)
        out[words, 0] = np.maximum(out[words, 0], f.strength)
    return out


@dataclass(frozen=True)
class _View:
    """The words of x against the words of y (``sim`` = x @ y.T), with what the pair already computed."""

    x: Side
    y: Side
    sim: np.ndarray
    best: np.ndarray
    best_other: np.ndarray
    typed: np.ndarray
    similarity: float
    context: tuple[float, float, float, float]


def _words(views: list[_View]) -> list[np.ndarray]:
    """[n_x, len(WORD_FEATURES)] per view. What needs a view's matrix or sets is computed per view; the
    per-word arithmetic runs once over all views' words, row by row as it would per view: the same bits."""
    sizes = [v.x.n for v in views]
    out = np.zeros((sum(sizes), len(WORD_FEATURES)))
    if not len(out):
        return [out[:0] for _ in views]
    used = [v for v in views if v.x.n]
    per_word: dict[str, list] = {k: [] for k in ("second", "mutual", "partner_best", "match")}
    same: list[bool] = []
    prefix: list[bool] = []
    partner_same: list[bool] = []
    runs: list[float] = []
    per_view: dict[str, list] = {k: [] for k in ("median", "length_ratio", "other_min", "columns")}
    for v in used:
        x, y, sim, best, n = v.x, v.y, v.sim, v.best, v.x.n
        if y.n:
            match = sim.argmax(axis=1)
            per_word["second"].append(np.partition(sim, -2, axis=1)[:, -2] if y.n > 1 else np.full(n, -0.2))
            per_word["mutual"].append(sim.argmax(axis=0)[match] == np.arange(n))
            per_word["partner_best"].append(v.best_other[match])
            partner_same += [x.keys[i] == y.keys[j] for i, j in enumerate(match.tolist())]
        else:
            match = np.zeros(n, np.int64)
            for key in ("second", "mutual", "partner_best"):
                per_word[key].append(np.zeros(n))
            partner_same += [False] * n
        per_word["match"].append(match)
        other_keys = set(y.keys)
        prefixes = {k[:5] for k in y.keys if len(k) >= 5}
        same_x = [k in other_keys for k in x.keys]
        same += same_x
        prefix += [len(k) >= 5 and k[:5] in prefixes for k in x.keys]
        content = x.content
        per_view["median"].append(_median(best[content]) if content.any() else _median(best))
        per_view["length_ratio"].append(_length_ratio(int(content.sum()), int(y.content.sum())))
        per_view["other_min"].append(v.best_other.min() if y.n else 0.0)
        per_view["columns"].append((x.n, max(1, y.n), v.similarity, *v.context))
        runs += _runs([b < 0.6 and not s for b, s in zip(best.tolist(), same_x, strict=True)], x.function.tolist())
    counts = [v.x.n for v in used]
    each = np.repeat(np.arange(len(used)), counts)  # the view of each word
    start = np.repeat(np.cumsum(counts) - counts, counts)
    best = np.concatenate([v.best for v in used])
    rows = np.arange(len(best)) - start  # each word's place in its side
    # each view's words between two NaN on either side (as ``np.nanmin`` and ``np.nansum`` read the neighbours)
    padded = np.full(len(best) + 4 * len(used), np.nan)
    at = np.arange(len(best)) + 4 * each + 2
    padded[at] = best
    bounded = np.nan_to_num(padded, nan=np.inf)
    left, right = bounded[at - 1], bounded[at + 1]
    near = np.where(left <= right, left, right)  # the lower one (inf: neither side has a word)
    window = np.stack([padded[at - 2], padded[at - 1], padded[at + 1], padded[at + 2]], axis=1)
    counted = (~np.isnan(window)).sum(axis=1)
    columns = np.array(per_view["columns"])[each]  # n, max(1, n_y), similarity, the pair's context
    match = np.concatenate(per_word["match"])
    same_word = np.array(same, float)
    c = _COLUMN
    out[:, c["best"]] = best
    second = np.concatenate(per_word["second"])
    out[:, c["second"]] = second
    out[:, c["gap"]] = best - second
    out[:, c["same_word"]] = same_word
    out[:, c["same_prefix"]] = np.array(prefix, float)
    for name in ("function", "capital_inside", "capital_first", "number"):
        out[:, c[name]] = np.concatenate([getattr(v.x, name) for v in used])
    out[:, c["context_min"]] = np.where(near == np.inf, 1.0, near)
    out[:, c["context_mean"]] = np.where(counted > 0, np.nansum(window, axis=1) / np.maximum(counted, 1), 1.0)
    out[:, c["mutual"]] = np.concatenate(per_word["mutual"])
    out[:, c["partner_best"]] = np.concatenate(per_word["partner_best"])
    out[:, c["partner_same"]] = np.array(partner_same, float)
    out[:, c["distortion"]] = np.abs((rows + 0.5) / columns[:, 0] - (match + 0.5) / columns[:, 1])
    out[:, c["relative_best"]] = best - np.array(per_view["median"])[each]
    out[:, c["similarity"]] = columns[:, 2]
    out[:, c["length_ratio"]] = np.array(per_view["length_ratio"])[each]
    out[:, c["typed"]:c["typed"] + 1 + len(TYPED)] = np.concatenate([v.typed for v in used])
    out[:, c["log_length"]] = np.concatenate([v.x.log_length for v in used])
    out[:, c["pronoun_changed"]] = np.concatenate([v.x.pronoun for v in used]) & (same_word == 0)
    out[:, c["unmatched_run"]] = runs
    out[:, c["other_min"]] = np.array(per_view["other_min"], np.float64)[each]
    out[:, c["pair_diffalign"]:] = columns[:, 3:]
    return np.split(out, np.cumsum(sizes)[:-1])


def _runs(flag: list[bool], function: list[bool]) -> list[float]:
    """Per word, the length of the run of flagged content words it belongs to (function words bridge)."""
    out = [0.0] * len(flag)
    members: list[int] = []
    for i, (f, fn) in enumerate(zip(flag, function, strict=True)):
        if f and not fn:
            members.append(i)
        elif members and not fn:
            for m in members:
                out[m] = float(len(members))
            members = []
    for m in members:
        out[m] = float(len(members))
    return out


def _base(pf: PairFeatures, context: tuple[float, float, float, float]) -> np.ndarray:
    """The pair features that need no tagger (``PAIR_BASE``); ``context`` is what ``pair_features_all``
    computed of the same cosines (diffalign, low5, log words, mass75). Counts are counted in Python, every
    float sum or median is numpy's, as always: the same bits."""
    a, b = pf.a, pf.b
    best_a, best_b = pf.words_a[:, _COLUMN["best"]], pf.words_b[:, _COLUMN["best"]]
    in_a, in_b = a.content, b.content
    content_a, content_b = best_a[in_a], best_b[in_b]
    ca, cb = in_a.tolist(), in_b.tolist()
    values_a, values_b = content_a.tolist(), content_b.tolist()
    diffalign = context[0]
    mean_a = _mean(best_a) if a.n else 0.0
    mean_b = _mean(best_b) if b.n else 0.0
    f1 = 2 * mean_a * mean_b / (mean_a + mean_b) if mean_a + mean_b > 0 else 0.0
    unmatched_a = _unmatched(pf.words_a, ca)
    unmatched_b = _unmatched(pf.words_b, cb)
    run_a = max(pf.words_a[:, _COLUMN["unmatched_run"]].tolist(), default=0.0)
    run_b = max(pf.words_b[:, _COLUMN["unmatched_run"]].tolist(), default=0.0)
    strongest: dict[str, float] = {}
    for f in pf.findings:
        kind = FEATURE_KIND.get(f.kind, f.kind)
        strongest[kind] = max(strongest[kind], f.strength) if kind in strongest else f.strength
    kinds = [strongest.get(k, 0.0) for k in TYPED]
    echo = min([float(best_a[i].max()) for _, i, _ in pf.typed_words if len(i)]
               + [float(best_b[i].max()) for _, _, i in pf.typed_words if len(i)], default=1.0)
    words_a, words_b = a.content_keys, b.content_keys
    low_a, low_b = float(_below(values_a, 0.5)), float(_below(values_b, 0.5))
    share_a, share_b = _share(values_a, 0.7), _share(values_b, 0.7)
    content = values_a + values_b
    return np.array([
        pf.similarity, diffalign,
        1.0 - float(np.concatenate([content_a, content_b]).min()) if content else diffalign, f1,
        min(mean_a, mean_b), context[1], max(share_a, share_b), min(share_a, share_b), max(unmatched_a, unmatched_b),
        min(unmatched_a, unmatched_b), _length_ratio(sum(ca), sum(cb)),
        context[2], max(run_a, run_b), abs(run_a - run_b), *kinds, echo,
        len(words_a & words_b) / max(1, len(words_a | words_b)), float(_below(content, 0.4)),
        float(_below(content, 0.6)), context[3], max(low_a, low_b),
        min(low_a, low_b), min(_bottom3(content_a), _bottom3(content_b)),
        max(_contrast(content_a), _contrast(content_b)), *shared_text(a.text, b.text),
    ])


def _below(values: list[float], cut: float) -> int:
    return sum(v < cut for v in values)


def _unmatched(words: np.ndarray, content: list[bool]) -> float:
    """The share of content words whose word the other side lacks (0 without content words)."""
    same = [s for s, c in zip(words[:, _COLUMN["same_word"]].tolist(), content, strict=True) if c]
    return sum(s == 0 for s in same) / len(same) if same else 0.0


def pair_vector(base: np.ndarray, words_a: np.ndarray, words_b: np.ndarray, p_a: np.ndarray,
                p_b: np.ndarray) -> np.ndarray:
    """The classifier's input: the pair features (``base``), then how the tagger rated the words of
    each side (``PAIR_TAGGER``), given their word features and P(word)."""
    p = np.concatenate([p_a, p_b])
    if not len(p):
        return np.concatenate([base, np.zeros(len(PAIR_TAGGER))])
    top = np.sort(p)[::-1]
    content = np.concatenate([words_a[:, _COLUMN["function"]], words_b[:, _COLUMN["function"]]]) == 0
    typed = np.concatenate([words_a[:, _COLUMN["typed"]], words_b[:, _COLUMN["typed"]]]) > 0
    sum_a, sum_b = p_a.sum(), p_b.sum()
    return np.concatenate([base, [
        top[0], _mean(top[:2]), p.sum(), max(sum_a, sum_b), min(sum_a, sum_b),
        1.0 - np.prod(1.0 - np.clip(p, 0.0, 0.999)), _mean(p[content]) if content.any() else 0.0,
        float(p[typed].max()) if typed.any() else 0.0, float(p[~typed].max()) if (~typed).any() else 0.0,
    ]])


def _share(values: list[float], below: float) -> float:
    """``float((values < below).mean())``, 0 when empty: an exact count over the length, correctly rounded."""
    return _below(values, below) / len(values) if values else 0.0


def _bottom3(values: np.ndarray) -> float:
    return _mean(np.sort(values)[:3]) if len(values) else 1.0


def _contrast(values: np.ndarray) -> float:
    return float(_median(values) - values.min()) if len(values) else 0.0


def _mean(values: np.ndarray) -> float:
    """``float(values.mean())`` of a non-empty float array, bit for bit (the same sum, divided by the count)."""
    return float(values.sum() / len(values))


def _median(values: np.ndarray) -> float:
    """``float(np.median(values))`` of a short 1-d array, bit for bit, without its overhead per call."""
    n = len(values)
    if not n:
        return math.nan
    half = n // 2
    # np.median's own partition (same kth, so the same element of equal ones, e.g. 0.0 and -0.0)
    part = np.partition(values, [half - 1, half, -1] if n % 2 == 0 else [half, -1]).tolist()
    if part[-1] != part[-1]:  # a NaN (partitioned last): np.median gives NaN
        return math.nan
    return 0.0 + part[half] if n % 2 else (0.0 + part[half - 1] + part[half]) / 2  # np.mean's sum starts at 0.0
