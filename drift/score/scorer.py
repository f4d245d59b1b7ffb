"""How far an aligned pair drifted, which words carry it, and what kind of drift it is.

Three signals, each cheap once the encoder has run:

- the sentence cosine says how far the meaning moved overall;
- each content word's best cosine to the other side's words (contextual token
  vectors from the same forward pass, DiffAlign-style) says *where*; a word
  spelled the same on the other side is kept, and names must match by string;
- typed evidence (``drift.score.evidence``: names, numbers, negation, hedges, quotes,
  attribution) says *what kind*, and how serious it is on its own.

When one side is fully said by the other, the pair only adds or leaves out
detail: that is worth showing (minor) but not alarming, unless a typed change
is among what moved. Thresholds come from ``drift/score/calibration.json``, written by
``benchmarks/calibrate.py``.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from typing import TYPE_CHECKING

from drift.align.aligner import Alignment
from drift.score import relation as relations
from drift.score.evidence import STOPWORDS, Finding, compare_readings, fold, read

if TYPE_CHECKING:  # pragma: no cover
    from drift.article import Article
    from drift.embed.encoder import WordVectors

SCORER = "typed-token-cosine/3"  # 3: relation counterpart/overlap, float64 word cosines (issue 12)
SEVERITIES = ("none", "minor", "major")
KINDS = ("lexical", "entity", "number", "modality", "attribution", "quote", "negation", "omission", "addition")


def _calibrated() -> dict:
    try:
        return json.loads(resources.files("drift.score").joinpath("calibration.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):  # pragma: no cover - a broken install
        return {}


_CALIBRATION = _calibrated()


@dataclass(frozen=True)
class ScoringSettings:
    """Thresholds of the scorer; they go into every report's signature."""

    word_threshold: float = 0.6
    name_threshold: float = 0.85
    sentence_full: float = 0.59
    sentence_none: float = 0.95
    minor: float = _CALIBRATION.get("minor", 0.2)
    major: float = _CALIBRATION.get("major", 0.55)
    substitution: float = 0.88
    typed_discount: float = 0.5
    echo_start: float = 0.4
    echo_width: float = 0.3
    echo_discount: float = 0.6
    kept_factor: float = 0.5
    neighbour_weight: float = 0.5  # chosen on the iSTS train file (benchmarks/ists.py --file STSint.input.headlines.wa)
    pair_weight: float = 0.3
    # Relation (issue 12, drift.score.relation): counterpart or overlap.
    relation_cover: float = 0.6
    relation_member: float = 0.3
    relation_swap: float = 0.8
    relation_free_clause: int = 3
    relation_shared: float = 0.2
    calibration: str = _CALIBRATION.get("data", "defaults (uncalibrated)")

    def to_dict(self) -> dict[str, float | str]:
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


@dataclass
class _Side:
    article: "Article"
    start: int  # article offset of the side's text
    text: str  # the aligned sentences as they stand in the article
    words: list[tuple[int, int]]  # article offsets
    keys: list[str]
    sentence_of: list[int]  # which sentence each word belongs to: spans never cross sentences
    vectors: "object"  # np.ndarray [n, dim]
    function: list[bool]  # function words carry no drift of their own
    capital: list[bool]  # capitalised words are held to the name threshold
    normalized: str  # the text with quotes and spaces folded: same wording, same string


class Scorer:
    """Scores alignments from the word vectors of their sentences."""

    def __init__(self, articles: Sequence["Article"], words: Mapping[tuple[str, int], "WordVectors"],
                 settings: ScoringSettings = ScoringSettings()) -> None:
        self.articles = {a.id: a for a in articles}
        self.words = words
        self.settings = settings
        # Syndicated copies repeat sentences verbatim: the same pair of texts scores once,
        # and each side is assembled once however many versions it is paired with.
        self._cache: dict[tuple, Drift] = {}
        self._sides: dict[tuple[str, tuple[int, ...]], _Side] = {}
        #: Counterpart or overlap (issue 12, drift.score.relation); None: every pair is a counterpart
        #: (``drift.score_pairs``, whose pairs are known to correspond).
        self.relations: relations.Judge | None = relations.Judge(self.articles)

    def score(self, alignment: Alignment) -> Drift:
        key = (self._texts(alignment.a, alignment.a_sentences), self._texts(alignment.b, alignment.b_sentences),
               alignment.similarity, self.relations.shared(alignment) if self.relations else None)
        seen = self._cache.get(key)
        if seen is not None:
            return self._moved(seen, alignment)
        drift = self._score(alignment)
        self._cache[key] = drift
        return drift

    # -- the score ------------------------------------------------------------
    def _score(self, alignment: Alignment) -> Drift:
        s = self.settings
        a = self._side(alignment.a, alignment.a_sentences)
        b = self._side(alignment.b, alignment.b_sentences)
        if a.normalized == b.normalized:
            return Drift(alignment, 0.0, "none", explanation=self._explain(alignment, "none", []))
        best_a, best_b, findings = self._evidence(a, b)
        # Issue 12: two sides that share content but are not the same statement are an overlap,
        # scored in drift.score.relation (unshared words as omission/addition, never major).
        judge = self.relations
        if judge and judge.relation(self, alignment, a, b, best_a, best_b, findings) == relations.OVERLAP:
            return Drift(alignment, *relations.overlap(self, alignment, a, b, best_a, best_b), relations.OVERLAP)
        # Quoted words that changed are first what they are (a word swapped: lexical);
        # a quote span marks only what nothing else explains.
        typed_a = _typed_spans(a, [f for f in findings if f.kind != "quote"], "a")
        typed_b = _typed_spans(b, [f for f in findings if f.kind != "quote"], "b")
        runs_a, cover_a = self._runs(a, b, best_a, typed_a)
        runs_b, cover_b = self._runs(b, a, best_b, typed_b)
        # Content of one side with nothing against it on the other is an omission
        # (what b leaves out of a) or an addition (what b adds to a), not a word swap.
        lexical = bool(runs_a) and bool(runs_b)
        word_spans = ([self._span(a, run, "lexical" if lexical else "omission") for run in runs_a]
                      + [self._span(b, run, "lexical" if lexical else "addition") for run in runs_b])
        quotes = [f for f in findings if f.kind == "quote"]
        taken = typed_a + typed_b + word_spans
        spans = taken + [sp for sp in _typed_spans(a, quotes, "a") + _typed_spans(b, quotes, "b")
                         if not any(t.article == sp.article and t.start < sp.end and sp.start < t.end for t in taken)]
        sentence_drift = _clip((s.sentence_none - alignment.similarity) / (s.sentence_none - s.sentence_full))
        word_drift = max((sp.score for sp in spans if sp.kind in ("lexical", "omission", "addition")), default=0.0)
        semantic = max(sentence_drift, 0.5 * word_drift + 0.5 * sentence_drift, s.minor if spans else 0.0)
        if max(cover_a, cover_b) >= s.substitution:
            semantic = min(semantic, s.major - 0.01)
        # A typed change in an otherwise preserved sentence is unambiguous; in a loose
        # paraphrase a name or figure that "moved" may be a rendering, so it counts less.
        preserved = min(cover_a, cover_b)
        typed = max((f.strength for f in findings), default=0.0) * (1 - s.typed_discount * (1 - preserved))
        drift = round(_clip(max(semantic, typed)), 4)
        severity = "major" if drift >= s.major else "minor" if drift >= s.minor else "none"
        if severity == "none":
            spans = []
        spans.sort(key=lambda sp: (sp.article != alignment.a, sp.start))
        # A word can carry two kinds ("Attal added": a name and a speaker); its span shows
        # the more specific, the pair's kinds keep both, strongest first.
        strength: dict[str, float] = {}
        for kind, value in [(sp.kind, sp.score) for sp in spans] + (
                [(f.kind, f.strength) for f in findings if f.a or f.b] if spans else []):
            strength[kind] = max(strength.get(kind, 0.0), value)
        kinds = tuple(sorted(strength, key=lambda k: (-strength[k], KINDS.index(k))))
        return Drift(alignment, drift, severity, kinds, tuple(spans), self._explain(alignment, severity, spans))

    def _evidence(self, a: _Side, b: _Side) -> tuple[list[float], list[float], list[Finding]]:
        """Each word's best cosine to the other side (a's words, then b's) and the typed findings,
        echo-discounted: what both the score and the heat map start from."""
        import numpy as np

        if a.words and b.words:
            # float64: a pair scores the same in either orientation (check vs compare, issue 12)
            sim = np.asarray(a.vectors, dtype=np.float64) @ np.asarray(b.vectors, dtype=np.float64).T
            best_a, best_b = sim.max(axis=1).tolist(), sim.max(axis=0).tolist()
        else:
            best_a, best_b = [0.0] * len(a.words), [0.0] * len(b.words)
        findings = [self._echoed(f, a, b, best_a, best_b) for f in compare_readings(read(a.text), read(b.text))]
        return best_a, best_b, findings

    def _echoed(self, finding: Finding, a: _Side, b: _Side, best_a: list[float], best_b: list[float]) -> Finding:
        """A changed name that the other side's words echo closely is more likely a rendering
        ("Naples" / "Napoli", "Tue" / "Tuesday") than a swap: it counts less.

        The echo is the changed words' best cosine to the other side, on the side that
        echoes less; swapped names score low (DEMETR: median 0.26), renderings high.
        """
        if finding.kind not in ("entity", "attribution") or not (a.words and b.words) or not (finding.a and finding.b):
            return finding
        echo = min(_echo(a, finding.a, best_a), _echo(b, finding.b, best_b))
        s = self.settings
        factor = 1.0 - s.echo_discount * _clip((echo - s.echo_start) / s.echo_width)
        return replace(finding, strength=round(finding.strength * factor, 4))

    def _side(self, article_id: str, sentences: tuple[int, ...]) -> _Side:
        side = self._sides.get((article_id, sentences))
        if side is None:
            side = self._sides[(article_id, sentences)] = self._assemble(article_id, sentences)
        return side

    def _assemble(self, article_id: str, sentences: tuple[int, ...]) -> _Side:
        import numpy as np

        article = self.articles[article_id]
        first, last = article.sentences[sentences[0]], article.sentences[sentences[-1]]
        words: list[tuple[int, int]] = []
        sentence_of: list[int] = []
        vectors = []
        for i in sentences:
            sent = article.sentences[i]
            wv = self.words[(article_id, i)]
            words.extend((sent.start + x, sent.start + y) for x, y in wv.spans)
            sentence_of.extend([i] * len(wv.spans))
            vectors.append(wv.vectors)
        texts = [article.text[x:y] for x, y in words]
        keys = [fold(t) for t in texts]
        return _Side(article, first.start, article.text[first.start:last.end], words, keys, sentence_of,
                     np.concatenate(vectors) if vectors else np.zeros((0, 1)),
                     [_is_function_word(t, k) for t, k in zip(texts, keys, strict=True)],
                     [t[:1].isupper() for t in texts],
                     _normalize(article.text[first.start:last.end]))

    def _words(self, own: _Side, other: _Side, best: list[float],
               typed: list[Span]) -> list[tuple[int, int, int, bool, float, float, bool]]:
        """Per word of ``own``: start, end, sentence, function word?, best cosine to the other
        side, how well it is matched (1 = kept), and whether a typed span explains it."""
        other_keys = set(other.keys)
        word_threshold, name_threshold = self.settings.word_threshold, self.settings.name_threshold
        out = []
        for (start, end), key, sentence, cosine, function, capital in zip(
                own.words, own.keys, own.sentence_of, best, own.function, own.capital, strict=True):
            matched = 1.0 if key in other_keys else min(1.0, cosine / (name_threshold if capital else word_threshold))
            explained = bool(typed) and any(sp.start <= start < sp.end for sp in typed)
            out.append((start, end, sentence, function, cosine, matched, explained))
        return out

    def _runs(self, own: _Side, other: _Side, best: list[float], typed: list[Span]) -> tuple[list[list], float]:
        """Runs of content words of ``own`` with no close counterpart on the other side, and
        how well the other side covers ``own`` (mean match of its content words).

        Function words neither start nor break a run; words inside a typed span are
        already explained, so they end one; spans never cross sentences.
        """
        runs: list[list[tuple[int, int, float]]] = []
        covered: list[float] = []
        previous_flagged, previous_sentence = False, -1
        for start, end, sentence, function, cosine, matched, explained in self._words(own, other, best, typed):
            if sentence != previous_sentence:
                previous_flagged, previous_sentence = False, sentence
            if function:
                continue
            if not explained:
                covered.append(matched)  # coverage of the rest: what the typed findings leave
            flagged = matched < 1.0 and not explained
            if flagged and previous_flagged:
                runs[-1].append((start, end, 1.0 - cosine))
            elif flagged:
                runs.append([(start, end, 1.0 - cosine)])
            previous_flagged = flagged
        return runs, (sum(covered) / len(covered) if covered else 1.0)

    def word_drift(self, alignment: Alignment) -> list[tuple[str, int, int, float]]:
        """Every word of both sides with a drift score in [0, 1]: a heat map of the pair.

        A word scores 1 - its best cosine to the other side, scaled down by
        ``kept_factor`` when the other side spells it the same (only its context
        moved), and at least the strength of a typed finding it belongs to. Words
        move with their phrase: each takes at least ``neighbour_weight`` (function
        words: half) of its strongest neighbour's score. The whole pair's drift
        raises every word a little (``pair_weight`` x (1 - similarity)): the
        sentence says how much, the words say where.
        """
        s = self.settings
        a = self._side(alignment.a, alignment.a_sentences)
        b = self._side(alignment.b, alignment.b_sentences)
        best_a, best_b, findings = self._evidence(a, b)
        out: list[tuple[str, int, int, float]] = []
        for own, other, best, which in ((a, b, best_a, "a"), (b, a, best_b, "b")):
            typed = _typed_spans(own, findings, which)
            words = self._words(own, other, best, typed)
            other_keys = set(other.keys)
            scores = []
            for (start, _, _, _, cosine, _, _), key in zip(words, own.keys, strict=True):
                score = (1.0 - cosine) * (s.kept_factor if key in other_keys else 1.0)
                scores.append(max([score] + [sp.score for sp in typed if sp.start <= start < sp.end]))
            prior = s.pair_weight * (1.0 - alignment.similarity)
            for i, (start, end, _, function, *_rest) in enumerate(words):
                near = [scores[j] for j in (i - 1, i + 1) if 0 <= j < len(words) and not words[j][3]]
                weight = 0.5 if function else s.neighbour_weight
                score = max(scores[i], weight * max(near, default=0.0))
                out.append((own.article.id, start, end, round(_clip(score + prior), 4)))
        return out

    def _span(self, own: _Side, run: list[tuple[int, int, float]], kind: str) -> Span:
        start, end = run[0][0], run[-1][1]
        return Span(own.article.id, start, end, own.article.text[start:end], kind, round(max(r[2] for r in run), 4))

    # -- reuse and words ----------------------------------------------------------
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
        explanation = drift.explanation if drift.relation == relations.OVERLAP else \
            self._explain(alignment, drift.severity, spans)
        return Drift(alignment, drift.drift, drift.severity, drift.kinds, tuple(spans), explanation, drift.relation)

    def _explain(self, alignment: Alignment, severity: str, spans: list[Span]) -> str:
        """One sentence an editor reads: the strongest kind, with its words on both sides."""
        if not spans:
            same = self._texts(alignment.a, alignment.a_sentences) == self._texts(alignment.b, alignment.b_sentences)
            if severity == "none":
                return f"{'same wording' if same else 'same meaning'} (similarity {alignment.similarity:.2f})"
            return f"{severity}: the sentences differ overall (similarity {alignment.similarity:.2f})"
        kind = max(spans, key=lambda sp: sp.score).kind
        a = " / ".join(sp.text for sp in spans if sp.kind == kind and sp.article == alignment.a)
        b = " / ".join(sp.text for sp in spans if sp.kind == kind and sp.article == alignment.b)
        if a and b:
            return f"{kind}: '{a}' here, '{b}' in {alignment.b}"
        if a:
            return f"{kind}: '{a}' here, nothing like it in {alignment.b}"
        return f"{kind}: '{b}' in {alignment.b}, nothing like it here"


def _echo(side: _Side, spans: tuple[tuple[int, int], ...], best: list[float]) -> float:
    """Highest best-cosine among the words inside ``spans`` (text offsets of the side)."""
    values = [best[i] for i, (start, _) in enumerate(side.words)
              if any(side.start + x <= start < side.start + y for x, y in spans)]
    return max(values, default=0.0)


def _typed_spans(side: _Side, findings: list[Finding], which: str) -> list[Span]:
    """Article-anchored spans of the typed findings on one side, no overlaps: attribution first
    (a speaker swapped is also a name changed, and the more specific kind), then by strength."""
    out: list[Span] = []
    for finding in sorted(findings, key=lambda f: (f.kind != "attribution", -f.strength)):
        for start, end in (finding.a if which == "a" else finding.b):
            start, end = side.start + start, side.start + end
            if any(sp.start < end and start < sp.end for sp in out):
                continue
            out.append(Span(side.article.id, start, end, side.article.text[start:end], finding.kind,
                            finding.strength))
    return out


def _is_function_word(word: str, key: str) -> bool:
    """Function words carry no drift of their own; "IS" (Islamic State) is no "is"."""
    return key in STOPWORDS and not (word.isupper() and len(word) > 1)


_STRAIGHT_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _normalize(text: str) -> str:
    return " ".join(text.translate(_STRAIGHT_QUOTES).split())


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))
