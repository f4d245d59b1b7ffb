"""How far an aligned pair drifted, and which words carry the difference.

Baseline scorer: the sentence cosine says how far the meaning moved overall; the
words say where. Each content word takes its best cosine to the other side's
words (contextual token vectors from the same forward pass as the sentence
vectors, DiffAlign-style); a word spelled the same on the other side counts as
kept. Low-scoring words next to each other form a span.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from drift.alignment import Alignment

if TYPE_CHECKING:  # pragma: no cover
    from drift.articles import Article
    from drift.embedding import WordVectors

SCORER = "token-cosine/1"
SEVERITIES = ("none", "minor", "major")

STOPWORDS = frozenset(
    """a an the and or but if of at by for with about against between into through during before after
    above below to from up down in out on off over under again further then once here there when where why
    how all any both each few more most other some such only own same so than too very s t can will just
    should now i me my we our ours you your he him his she her it its they them their what which who whom
    this that these those am is are was were be been being have has had having do does did doing would
    could as until while also per upon said says say told ’s 's""".split()
)
NEGATIONS = frozenset("not no never none nobody nothing neither nor without n't cannot denied deny".split())
#: Hedges whose loss or gain changes how sure a claim is: always worth an editor's eye.
STRONG_HEDGES = frozenset(
    """apparently allegedly reportedly purportedly purported alleged believed perhaps possibly probably
    likely suspected seemingly presumably unconfirmed""".split()
)
#: Modal verbs shift certainty too, but translations swap them freely ("may" / "could").
MODALS = frozenset("may might could would should must suggest suggested suggesting appears appeared".split())
HEDGES = STRONG_HEDGES | MODALS
#: Span kinds that are meaning changes on their own, whatever the rest of the sentence does.
TYPED_KINDS = frozenset({"number", "negation"})
_DIGIT = re.compile(r"\d")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


@dataclass(frozen=True)
class ScoringSettings:
    """Thresholds of the scorer; they go into every report's signature."""

    word_threshold: float = 0.6
    name_threshold: float = 0.85
    sentence_full: float = 0.59
    sentence_none: float = 0.95
    minor: float = 0.2
    major: float = 0.55
    substitution: float = 0.88

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class Span:
    """Characters of one version that carry a difference."""

    article: str
    start: int
    end: int
    text: str
    kind: str
    score: float

    def to_dict(self) -> dict:
        return {"article": self.article, "start": self.start, "end": self.end, "text": self.text,
                "kind": self.kind, "score": self.score}


@dataclass(frozen=True)
class Drift:
    """An aligned pair with its drift: the unit an editor reads."""

    alignment: Alignment
    drift: float
    severity: str
    kinds: tuple[str, ...] = ()
    spans: tuple[Span, ...] = field(default_factory=tuple)
    explanation: str = ""

    def to_dict(self) -> dict:
        al = self.alignment
        return {
            "a": {"article": al.a, "sentences": list(al.a_sentences)},
            "b": {"article": al.b, "sentences": list(al.b_sentences)},
            "similarity": al.similarity,
            "drift": self.drift,
            "severity": self.severity,
            "kinds": list(self.kinds),
            "spans": [s.to_dict() for s in self.spans],
            "explanation": self.explanation,
        }


@dataclass
class _Side:
    article: "Article"
    words: list[tuple[int, int]]  # article offsets
    sentence_of: list[int]  # which sentence each word belongs to: spans never cross sentences
    texts: list[str]
    vectors: "object"  # np.ndarray [n, dim]


class Scorer:
    """Scores alignments from the word vectors of their sentences."""

    def __init__(self, articles: Sequence["Article"], words: Mapping[tuple[str, int], "WordVectors"],
                 settings: ScoringSettings = ScoringSettings()) -> None:
        self.articles = {a.id: a for a in articles}
        self.words = words
        self.settings = settings
        # Syndicated copies repeat sentences verbatim: the same pair of texts scores once.
        self._cache: dict[tuple, Drift] = {}

    def score(self, alignment: Alignment) -> Drift:
        key = (self._texts(alignment.a, alignment.a_sentences), self._texts(alignment.b, alignment.b_sentences),
               alignment.similarity)
        seen = self._cache.get(key)
        if seen is not None:
            return self._moved(seen, alignment)
        drift = self._score(alignment)
        self._cache[key] = drift
        return drift

    def _texts(self, article_id: str, sentences: tuple[int, ...]) -> tuple[str, ...]:
        article = self.articles[article_id]
        return tuple(article.sentences[i].text for i in sentences)

    def _moved(self, drift: Drift, alignment: Alignment) -> Drift:
        """A cached finding, re-anchored on the offsets of another pair with the same texts."""
        old = drift.alignment
        spans = []
        for sp in drift.spans:
            old_article, old_ids, new_article, new_ids = (
                (old.a, old.a_sentences, alignment.a, alignment.a_sentences) if sp.article == old.a
                else (old.b, old.b_sentences, alignment.b, alignment.b_sentences))
            old_sentences = [self.articles[old_article].sentences[i] for i in old_ids]
            at = next(n for n, sent in enumerate(old_sentences) if sent.start <= sp.start < sent.end)
            shift = self.articles[new_article].sentences[new_ids[at]].start - old_sentences[at].start
            spans.append(Span(new_article, sp.start + shift, sp.end + shift, sp.text, sp.kind, sp.score))
        return Drift(alignment, drift.drift, drift.severity, drift.kinds, tuple(spans),
                     self._explain(alignment, drift.severity, spans))

    def _score(self, alignment: Alignment) -> Drift:
        import numpy as np

        s = self.settings
        a_side = self._side(alignment.a, alignment.a_sentences)
        b_side = self._side(alignment.b, alignment.b_sentences)
        if _normalize(" ".join(a_side.texts)) == _normalize(" ".join(b_side.texts)):
            return Drift(alignment, 0.0, "none", explanation=self._explain(alignment, "none", []))
        sim = np.asarray(a_side.vectors) @ np.asarray(b_side.vectors).T if a_side.words and b_side.words else None
        spans_a, cover_a = self._spans(a_side, b_side, sim, axis=1)
        spans_b, cover_b = self._spans(b_side, a_side, sim, axis=0)
        spans = spans_a + spans_b
        sentence_drift = _clip((s.sentence_none - alignment.similarity) / (s.sentence_none - s.sentence_full))
        word_drift = max((sp.score for sp in spans), default=0.0)
        # Words say where; the sentence says how much. A changed word in an otherwise
        # close sentence is worth showing (minor) but not alarming on its own.
        drift = _clip(max(sentence_drift, 0.5 * word_drift + 0.5 * sentence_drift, s.minor if spans else 0.0))
        # When one side is fully said by the other, the other only adds or leaves out
        # detail: a trimmed copy is worth showing, not alarming, unless a typed change
        # (a number, a negation, a hedge like "apparently", a name on both sides) is among what moved.
        omission_only = max(cover_a, cover_b) >= s.substitution
        renamed = any(sp.kind == "entity" for sp in spans_a) and any(sp.kind == "entity" for sp in spans_b)
        if omission_only and not renamed and not any(_is_typed(sp) for sp in spans):
            drift = min(drift, s.major - 0.01)
        drift = round(drift, 4)
        severity = "major" if drift >= s.major else "minor" if drift >= s.minor else "none"
        kinds = tuple(sorted({sp.kind for sp in spans})) if severity != "none" else ()
        if severity == "none":
            spans = []
        return Drift(alignment, drift, severity, kinds, tuple(spans), self._explain(alignment, severity, spans))

    def _side(self, article_id: str, sentences: tuple[int, ...]) -> _Side:
        import numpy as np

        article = self.articles[article_id]
        words: list[tuple[int, int]] = []
        sentence_of: list[int] = []
        vectors = []
        texts = []
        for i in sentences:
            sent = article.sentences[i]
            wv = self.words[(article_id, i)]
            words.extend((sent.start + a, sent.start + b) for a, b in wv.spans)
            sentence_of.extend([i] * len(wv.spans))
            vectors.append(wv.vectors)
            texts.append(sent.text)
        return _Side(article, words, sentence_of, texts, np.concatenate(vectors) if vectors else np.zeros((0, 1)))

    def _spans(self, own: _Side, other: _Side, sim: "object", axis: int) -> tuple[list[Span], float]:
        """Runs of content words of ``own`` with no close counterpart in ``other``, and how
        well ``other`` covers ``own`` (mean best cosine of its content words)."""
        import numpy as np

        if not own.words:
            return [], 1.0
        text = own.article.text
        other_words = {_word_key(other.article.text[a:b]) for a, b in other.words}
        best = np.zeros(len(own.words)) if sim is None else np.asarray(sim).max(axis=axis)
        runs: list[list[tuple[int, int, float]]] = []
        covered: list[float] = []
        previous_flagged, previous_sentence = False, -1
        for (start, end), sentence, cosine in zip(own.words, own.sentence_of, best.tolist()):
            if sentence != previous_sentence:
                previous_flagged, previous_sentence = False, sentence
            word = text[start:end]
            key = _word_key(word)
            if _is_function_word(word, key):
                continue  # function words neither start nor break a run
            threshold = self.settings.name_threshold if _is_name(text, start, word) else self.settings.word_threshold
            matched = 1.0 if key in other_words else min(1.0, cosine / threshold)
            covered.append(matched)
            flagged = matched < 1.0
            if flagged:
                if previous_flagged:
                    runs[-1].append((start, end, 1.0 - cosine))
                else:
                    runs.append([(start, end, 1.0 - cosine)])
            previous_flagged = flagged
        return [self._span(own, run) for run in runs], (sum(covered) / len(covered) if covered else 1.0)

    def _span(self, own: _Side, run: list[tuple[int, int, float]]) -> Span:
        start, end = run[0][0], run[-1][1]
        text = own.article.text[start:end]
        score = round(max(r[2] for r in run), 4)
        return Span(own.article.id, start, end, text, _kind(own.article.text, start, text), score)

    def _explain(self, alignment: Alignment, severity: str, spans: list[Span]) -> str:
        if severity == "none" and not spans:
            same = self._texts(alignment.a, alignment.a_sentences) == self._texts(alignment.b, alignment.b_sentences)
            return f"{'same wording' if same else 'same meaning'} (similarity {alignment.similarity:.2f})"
        if severity == "none":
            return f"same meaning (similarity {alignment.similarity:.2f})"
        a = [sp for sp in spans if sp.article == alignment.a]
        b = [sp for sp in spans if sp.article == alignment.b]
        if not a and not b:
            return f"{severity}: the sentences differ overall (similarity {alignment.similarity:.2f})"
        top_a = max(a, key=lambda sp: sp.score, default=None)
        top_b = max(b, key=lambda sp: sp.score, default=None)
        kind = (top_a or top_b).kind  # type: ignore[union-attr]
        if top_a and top_b:
            return f"{kind}: '{top_a.text}' here, '{top_b.text}' in {alignment.b}"
        if top_a:
            return f"{kind}: '{top_a.text}' has no counterpart in {alignment.b}"
        return f"{kind}: '{top_b.text}' in {alignment.b} has no counterpart here"  # type: ignore[union-attr]


def _kind(text: str, start: int, span: str) -> str:
    words = span.split()
    lowered = {_word_key(w) for w in words}
    if _DIGIT.search(span):
        return "number"
    if lowered & NEGATIONS:
        return "negation"
    if lowered & HEDGES:
        return "modality"
    if any(w[:1].isupper() for w in words[1:]) or _is_name(text, start, words[0]):
        return "entity"
    return "lexical"


def _is_typed(span: Span) -> bool:
    if span.kind in TYPED_KINDS:
        return True
    return span.kind == "modality" and any(_word_key(w) in STRONG_HEDGES for w in span.text.split())


def _is_name(text: str, start: int, word: str) -> bool:
    """A capitalised word that does not open a sentence: names must match by string."""
    if not word[:1].isupper():
        return False
    before = text[:start].rstrip()
    return not (start == 0 or before[-1:] in {".", "!", "?", "“", '"', ""} or text[:start].endswith("\n"))


def _is_function_word(word: str, key: str) -> bool:
    """Function words carry no drift of their own; "IS" (Islamic State) is no "is"."""
    return key in STOPWORDS and key not in NEGATIONS and key not in HEDGES and not (word.isupper() and len(word) > 1)


def _word_key(word: str) -> str:
    return word.translate(_QUOTES).lower().removesuffix("'s")


def _normalize(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))
