"""How far an aligned pair drifted, which words carry it, and what kind of drift it is.

The scorer is learned from expert judgements (``benchmarks/train_scorer.py``) and
reads only what the one forward pass gave (word vectors, the sentence similarity)
plus the typed checks (``drift.score.evidence``), as ``drift.score.features`` sets out:

- a word tagger gives each word P(it carries a change of meaning);
- a pair classifier, given the pair features and the tagger's view, gives
  P(the pair's meaning changed), calibrated: that is ``Drift.drift``;
- severity follows from thresholds set on expert-judged development data
  (``weights.json``): ``major`` and ``minor`` are where a flag is right often
  enough, and rare enough on faithful pairs, for an editor to read it;
- spans, kinds and the explanation come from the tagger's words, named by the typed
  finding they sit in (``drift.score.explain``): a typed check never flags alone.

Pairs are scored in batches (``score_all``): the word features of a batch are computed
over all its words at once (``features.pair_features_all``), and the models run once per batch.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from drift.align.aligner import Alignment
from drift.errors import ConfigError, check_count, check_fields, given
from drift.score import relation as relations
from drift.score.finding import KINDS
from drift.score.parallel import processes, score_split

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.article import Article
    from drift.embed.encoder import WordVectors
    from drift.score.features import PairFeatures, Side
    from drift.score.model import Weights

#: The scorer's family; reports name the exact weights: ``learned/1+sha256:...`` (``scorer_name``).
SCORER = "learned/1"
SEVERITIES = ("none", "minor", "major")
_BATCH = 1024  # pairs whose features are held at once
__all__ = ["KINDS", "SCORER", "SEVERITIES", "Drift", "Scorer", "ScoringSettings", "Span", "scorer_name"]


@dataclass(frozen=True)
class ScoringSettings:
    """Severity thresholds on ``drift`` and the word threshold of spans; None takes the shipped weights' value.

    They go into every report's signature, resolved (``resolved``).
    """

    minor: float | None = None
    major: float | None = None
    word: float | None = None  # P(word) from which a word is part of a span
    calibration: str | None = None  # how the thresholds were chosen
    weights: str | None = None  # a weights file other than the shipped one
    # Relation (issue 12, drift.score.relation): counterpart or overlap.
    relation_said: float = 0.6  # best cosine from which a word counts as said by the other side
    relation_said_name: float = 0.85  # the same for a capitalised word
    relation_cover: float = 0.6
    relation_member: float = 0.3
    relation_swap: float = 0.8
    relation_free_clause: int = 3
    relation_shared: float = 0.2

    def __post_init__(self) -> None:
        check_fields(self, probabilities=("minor", "major", "word"))  # calibration, weights: text or None
        if self.minor is not None and self.major is not None and self.minor > self.major:
            raise ConfigError(given("minor", self.minor), " is above ", given("major", self.major),
                              ": nothing could be minor; give minor at most major")

    def resolved(self) -> ScoringSettings:
        """These settings with every None replaced by the weights' value."""
        w = self.model()
        return replace(self, minor=_pick(self.minor, w.thresholds["minor"]),
                       major=_pick(self.major, w.thresholds["major"]), word=_pick(self.word, w.thresholds["word"]),
                       calibration=self.calibration if self.calibration is not None else w.calibration)

    def model(self) -> Weights:
        from drift.score.model import load_weights

        return load_weights(self.weights)

    def to_dict(self) -> dict[str, Any]:
        s = self.resolved()
        return {f.name: getattr(s, f.name) for f in fields(s) if f.name != "weights" or s.weights}


def scorer_name(settings: ScoringSettings = ScoringSettings()) -> str:
    """What a signature calls the scorer: its version and the sha256 of its weights."""
    return settings.model().name


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
    relation: str = relations.COUNTERPART  # or OVERLAP: see drift.score.relation

    def to_dict(self) -> dict:
        al = self.alignment
        return {
            "relation": self.relation,
            "a": {"article": al.a, "sentences": list(al.a_sentences)},
            "b": {"article": al.b, "sentences": list(al.b_sentences)},
            "similarity": al.similarity,
            "drift": self.drift,
            "severity": self.severity,
            "kinds": list(self.kinds),
            "spans": [s.to_dict() for s in self.spans],
            "explanation": self.explanation,
        }


class Scorer:
    """Scores alignments from the word vectors of their sentences."""

    def __init__(self, articles: Sequence["Article"], words: Mapping[tuple[str, int], "WordVectors"],
                 settings: ScoringSettings = ScoringSettings(), workers: int | None = None) -> None:
        if workers is not None:
            check_count("workers", workers, 2)
        #: Processes that score a large batch (drift.score.parallel); None: $DRIFT_SCORING_PROCESSES, else
        #: the usable cores. Results are the same whatever the count.
        self.workers = workers
        self.articles = {a.id: a for a in articles}
        self.words = words
        self._settings = settings
        self._resolved: tuple[ScoringSettings, Weights] | None = None
        # Syndicated copies repeat sentences verbatim: the same pair of texts scores once,
        # and each side is assembled once however many versions it is paired with.
        self._cache: dict[tuple, Drift] = {}
        self._sides: dict[tuple[str, tuple[int, ...]], Side] = {}
        self._by_text: dict[tuple[str, tuple[int, ...]], Side] = {}
        #: Counterpart or overlap (issue 12, drift.score.relation); None: every pair is a counterpart
        #: (``drift.score_pairs``, whose pairs are known to correspond).
        self.relations: relations.Judge | None = relations.Judge(self.articles)

    @property
    def settings(self) -> ScoringSettings:
        """The settings, every threshold resolved (the weights load on first use: features need none)."""
        return self._loaded()[0]

    @property
    def weights(self) -> Weights:
        return self._loaded()[1]

    def _loaded(self) -> tuple[ScoringSettings, Weights]:
        if self._resolved is None:
            self._resolved = (self._settings.resolved(), self._settings.model())
        return self._resolved

    def score(self, alignment: Alignment) -> Drift:
        return self.score_all([alignment])[0]

    def score_all(self, alignments: Sequence[Alignment]) -> list[Drift]:
        """A Drift per alignment, in order; the models run once for all pairs not seen before."""
        keys = [self._key(al) for al in alignments]
        todo: dict[tuple, Alignment] = {}
        for key, al in zip(keys, alignments, strict=True):
            if key not in self._cache and key not in todo:
                todo[key] = al
        new = list(todo.values())
        drifts = score_split(self._score_batches, new, processes(self.workers)) if new else None
        for key, drift in zip(todo, self._score_batches(new) if drifts is None else drifts, strict=True):
            self._cache[key] = drift
        out = []
        for key, al in zip(keys, alignments, strict=True):
            seen = self._cache[key]
            out.append(seen if seen.alignment == al else self._moved(seen, al))
        return out

    def _score_batches(self, alignments: Sequence[Alignment]) -> list[Drift]:
        """New pairs scored a batch at a time: the features held at once, so memory, stay bounded."""
        out: list[Drift] = []
        for start in range(0, len(alignments), _BATCH):
            with _collector_paused():
                out += self._score_new(list(alignments[start:start + _BATCH]))
        return out

    def features(self, alignment: Alignment, keep: bool = True) -> PairFeatures:
        """What the models read of a pair (the training code reads the same); ``keep=False`` does not keep
        its sides for the next pair (many pairs, each seen once)."""
        return self.features_all([alignment], keep)[0]

    def features_all(self, alignments: Sequence[Alignment], keep: bool = True) -> list[PairFeatures]:
        """``features`` of many pairs, a batch at a time (the training and benchmark code read thousands)."""
        out: list[PairFeatures] = []
        for start in range(0, len(alignments), _BATCH):
            with _collector_paused():
                out += [pf for pf, _ in self._assess_all(alignments[start:start + _BATCH], keep)]
        return out

    def word_drift(self, alignment: Alignment) -> list[tuple[str, int, int, float]]:
        """Every word of both sides with P(it carries a change of meaning): a heat map of the pair."""
        pf = self.features(alignment)
        p_a, p_b = self._tag([pf])[0]
        return [(side_id, side.offset + int(s), side.offset + int(e), round(float(p), 4))
                for side_id, side, probs in ((alignment.a, pf.a, p_a), (alignment.b, pf.b, p_b))
                for (s, e), p in zip(side.spans.tolist(), probs, strict=True)]

    # -- the score ------------------------------------------------------------
    def _assess_all(self, alignments: Sequence[Alignment], keep: bool = True) -> list[tuple[PairFeatures, str]]:
        """Pairs' features and relations (drift.score.relation): an overlap, two sides that are not one
        statement, is scored with only the typed changes inside clauses both sides share (no fact of one
        clause compared with another's), never major."""
        from drift.score.features import PairInput, match_words, one_blas_thread, pair_features_all, typed_findings

        inputs: list[PairInput] = []
        relation: list[str] = []
        judge = self.relations
        with one_blas_thread():  # once for all pairs' word cosines
            for al in alignments:
                a = self._side(al.a, al.a_sentences, keep)
                b = self._side(al.b, al.b_sentences, keep)
                if judge is None:
                    inputs.append((a, b, al.similarity, None, None))
                    relation.append(relations.COUNTERPART)
                    continue
                matches, findings = match_words(a, b), typed_findings(a, b)
                relation.append(judge.relation(self.settings, al, a, b, matches.best_a.tolist(),
                                               matches.best_b.tolist(), findings))
                if relation[-1] == relations.OVERLAP:
                    findings = relations.shared_clause_findings(self.settings, a, b, matches.sim, findings)
                inputs.append((a, b, al.similarity, matches, findings))
        return list(zip(pair_features_all(inputs), relation, strict=True))

    def _score_new(self, alignments: list[Alignment]) -> list[Drift]:
        import numpy as np

        from drift.score.explain import describe, same_wording
        from drift.score.features import BEST, SAME_WORD, pair_vector

        out: list[Drift | None] = [None] * len(alignments)
        todo: list[int] = []
        for n, al in enumerate(alignments):
            a = self._side(al.a, al.a_sentences)
            b = self._side(al.b, al.b_sentences)
            if same_wording(a.text, b.text):
                out[n] = Drift(al, 0.0, "none", explanation=f"same wording (similarity {al.similarity:.2f})")
            else:
                todo.append(n)
        assessed = [(n, pf, relation) for n, (pf, relation) in
                    zip(todo, self._assess_all([alignments[n] for n in todo]), strict=True)]
        if assessed:
            probs = self._tag([pf for _, pf, _ in assessed])
            x = np.stack([pair_vector(pf.base, pf.words_a, pf.words_b, p_a, p_b)
                          for (_, pf, _), (p_a, p_b) in zip(assessed, probs, strict=True)])
            drifts = self.weights.drift(self.weights.pair.logits(np.nan_to_num(x, copy=False)))  # x is ours: in place
            s = self.settings
            major, minor = float(s.major or 0.0), float(s.minor or 0.0)
            for (n, pf, relation), (p_a, p_b), value in zip(assessed, probs, drifts.tolist(), strict=True):
                overlap = relation == relations.OVERLAP
                drift = round(min(value, major - 1e-4) if overlap else value, 4)  # an overlap is never major
                severity = "major" if drift >= major else "minor" if drift >= minor else "none"
                al = alignments[n]
                if severity == "none":
                    why = "overlap" if overlap else "same meaning"
                    out[n] = Drift(al, drift, "none", explanation=f"{why} (similarity {al.similarity:.2f})",
                                   relation=relation)
                    continue
                unsaid = (relations.unsaid_runs(s, pf.a, pf.words_a[:, BEST], pf.words_a[:, SAME_WORD] > 0),
                          relations.unsaid_runs(s, pf.b, pf.words_b[:, BEST], pf.words_b[:, SAME_WORD] > 0)
                          ) if overlap else ([], [])
                kinds, spans, explanation = describe(pf, p_a, p_b, al, float(s.word or 0.0), overlap, unsaid)
                if overlap:  # what the shared clauses changed, else that each says something the other does not
                    typed = any(kind not in ("lexical", "omission", "addition") for kind in kinds)
                    explanation = f"overlap (similarity {al.similarity:.2f}): " + (
                        explanation if typed else "each says something the other does not")
                out[n] = Drift(al, drift, severity, kinds, tuple(Span(*sp) for sp in spans), explanation, relation)
        return [d for d in out if d is not None]

    def _tag(self, pfs: list[PairFeatures]) -> list[tuple["np.ndarray", "np.ndarray"]]:
        """The tagger's P(word) on both sides of each pair, from one run over all their words."""
        import numpy as np

        blocks = [m for pf in pfs for m in (pf.words_a, pf.words_b)]
        sizes = [len(m) for m in blocks]
        stacked = np.concatenate(blocks) if sum(sizes) else np.zeros((0, blocks[0].shape[1] if blocks else 1))
        p = self.weights.tagger.probabilities(np.nan_to_num(stacked, copy=False)) if len(stacked) else np.zeros(0)
        parts = np.split(p, np.cumsum(sizes)[:-1]) if blocks else []
        return [(parts[2 * i], parts[2 * i + 1]) for i in range(len(pfs))]

    # -- sides and reuse --------------------------------------------------------
    def _side(self, article_id: str, sentences: tuple[int, ...], keep: bool = True) -> Side:
        side = self._sides.get((article_id, sentences))
        if side is None:
            # The same sentences in another version (syndicated copy, an evaluation set's repeated
            # source) make the same side: only where it starts in its article differs.
            article = self.articles[article_id]
            first, last = article.sentences[sentences[0]], article.sentences[sentences[-1]]
            key = (article.text[first.start:last.end], tuple(article.sentences[i].start - first.start
                                                             for i in sentences))
            same = self._by_text.get(key)
            side = replace(same, offset=first.start) if same is not None else self._assemble(article_id, sentences)
            if keep:
                self._sides[(article_id, sentences)] = side
                self._by_text[key] = side
        return side

    def _assemble(self, article_id: str, sentences: tuple[int, ...]) -> Side:
        import numpy as np

        from drift.score.features import make_side

        article = self.articles[article_id]
        first, last = article.sentences[sentences[0]], article.sentences[sentences[-1]]
        spans: list[tuple[int, int]] = []
        sentence_of: list[int] = []
        vectors = []
        for k, i in enumerate(sentences):
            sent = article.sentences[i]
            wv = self.words[(article_id, i)]
            spans.extend((sent.start - first.start + x, sent.start - first.start + y) for x, y in wv.spans)
            sentence_of.extend([k] * len(wv.spans))  # the sentence's place in the side
            vectors.append(np.asarray(wv.vectors).reshape(len(wv.spans), -1))
        return make_side(article.text[first.start:last.end], first.start, spans, sentence_of,
                         np.concatenate(vectors) if vectors else np.zeros((0, 1)))

    def _key(self, alignment: Alignment) -> tuple:
        return (self._texts(alignment.a, alignment.a_sentences), self._texts(alignment.b, alignment.b_sentences),
                alignment.similarity, self.relations.shared(alignment) if self.relations else None)

    def _texts(self, article_id: str, sentences: tuple[int, ...]) -> tuple[str, ...]:
        article = self.articles[article_id]
        return tuple(article.sentences[i].text for i in sentences)

    def _moved(self, drift: Drift, alignment: Alignment) -> Drift:
        """A finding already made, re-anchored on the offsets of another pair with the same texts."""
        from drift.score.explain import relabel

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
                     relabel(drift.explanation, old.b, alignment.b), drift.relation)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a batch is scored, and resumed after it.

    A batch keeps tens of thousands of new objects (each sentence's reading, its side,
    findings, drifts): they push the collector into full collections, each of which walks
    every object of the process (the caller's articles and caches too), several per batch:
    a fifth of the scoring time on the dev sets. Scoring makes no garbage cycles to wait
    for; between batches the collector runs as usual, and it is left as it was found.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _pick(value: float | None, default: float) -> float:
    return default if value is None else value
