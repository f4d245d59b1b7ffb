"""The stages chained: ``compare`` (read articles in, a Report out) and ``score_pairs``.

Stage order (each a subpackage): read -> text -> embed -> align -> score -> report.
This module only wires them together; the persistent index (drift.store) and the
CLI sit on top of it.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drift.align.aligner import ALIGNER, Aligner, Alignment, AlignmentSettings, PairAlignment
from drift.align.candidates import INDEX_TYPE
from drift.align.neighbours import SentenceIndex
from drift.align.pairing import check_pairing, check_pairing_size, plan_pairs
from drift.article import Article
from drift.embed.encoder import Encoder
from drift.embed.load import ModelArgument, as_encoder, model_argument
from drift.errors import (
    ArgumentError,
    ConfigError,
    DriftError,
    InputError,
    LanguageError,
    check_type,
    choices,
    given,
    param,
    type_name,
)
from drift.limits import Limits, amount, check_limits, raise_hint
from drift.read.titles import article_from_text
from drift.report.report import Report, Unmatched
from drift.report.signature import Signature, SkippedVersion, StoryRef
from drift.score.scorer import Drift, Scorer, ScoringSettings, scorer_name
from drift.text.prepare import prepare_article
from drift.text.sentences import SPLITTER, is_subheading
from drift.version import __version__

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger("drift")

MAX_VERSIONS = 5000


def compare(
    articles: Sequence[Article],
    reference: str | None = None,
    model: ModelArgument = None,
    alignment: AlignmentSettings = AlignmentSettings(),
    scoring: ScoringSettings = ScoringSettings(),
    progress: bool = False,
    backend: str = "auto",
    pairs: str = "auto",
    story: StoryRef | None = None,
    limits: Limits = Limits(),
) -> Report:
    """Align versions pairwise and score the drift of every aligned pair.

    ``pairs`` (see ``drift.align.pairing``): ``all`` compares every version with every
    other; ``reference`` each with ``reference``, or with the central version when none
    is given; ``auto`` is ``reference`` when one is given or more than
    ``AUTO_ALL_PAIRS`` versions are compared, else ``all``. ``model`` is a name, a
    path, None (the bundled model, run by ``backend``: auto, torch or onnx) or any
    Encoder: a persistent index passes one that serves stored vectors, so stored
    sentences are never embedded again, and its ``story`` for the signature.

    A version with no story sentences (only boilerplate, say) is skipped like an
    unreadable file while two versions remain; every skip is in ``Report.warnings``.
    More than ``limits.max_sentences`` sentences to embed is an InputError.
    """
    articles = _article_list(articles)
    check_limits(limits, "compare")
    _check_settings("compare", alignment=alignment, scoring=scoring)
    check_type(story, (StoryRef, type(None)), "compare: story", "a drift.report.signature.StoryRef (or None)",
               "an index's comparisons pass it; leave it out")
    _check_versions(articles, reference, pairs)
    encoder = as_encoder(model_argument(model), backend, progress)  # a caller's encoder checked, drift's own not
    warnings: list[str] = []
    articles = _prepared(articles, reference, limits, warnings)

    compared, skipped = _comparable(articles, encoder, warnings)
    if reference and reference not in {a.id for a in compared}:
        language = next(a.language for a in articles if a.id == reference)
        raise LanguageError(
            f"reference {reference!r} is in language {language!r}, which model {encoder.name!r} does not cover; "
            "pass a multilingual ", param("model"), " or another ", param("reference")
        )
    if len(compared) < 2:
        names = ", ".join(f"{a.id} ({a.language})" for a in articles)
        raise LanguageError(
            f"fewer than two versions in a language model {encoder.name!r} covers ({names}); "
            "pass a multilingual ", param("model")
        )

    # Headlines are aligned with the body (drift.align.aligner: a headline pairs with a headline, or
    # last with a free body sentence when only one version has one), so none is dropped silently.
    eligible = {a.id: [s.index for s in a.sentences if not s.boilerplate] for a in compared}
    titles = {a.id: s.index for a in compared for s in a.sentences if s.title and not s.boilerplate}
    keys = [(a.id, i) for a in compared for i in eligible[a.id]]
    if len(keys) > limits.max_sentences:
        raise InputError(
            f"{amount(len(keys))} sentences to compare in {len(compared)} versions, over the limit of "
            f"{amount(limits.max_sentences)} per run; compare fewer or shorter versions, or "
            f"{raise_hint('max_sentences')}"
        )
    by_id = {a.id: a for a in articles}
    windowed = getattr(encoder, "windowed", 0)
    vectors, words = encoder.encode_with_words([by_id[aid].sentences[i].text for aid, i in keys])
    long = getattr(encoder, "windowed", 0) - windowed  # the log says it once per encoder; each report says it
    if long > 0:
        warnings.append(f"{amount(long)} {'sentence was' if long == 1 else 'sentences were'} longer than the model "
                        "window: embedded in overlapping windows, so every word counts")
    row = {key: n for n, key in enumerate(keys)}

    ranges, start = {}, 0
    for a in compared:
        ranges[a.id] = (start, start + len(eligible[a.id]))
        start += len(eligible[a.id])
    index = SentenceIndex(vectors, ranges)

    plan = plan_pairs([a.id for a in compared], index, reference, pairs)
    aligned = Aligner(compared, index, eligible, encoder.encode, alignment, titles).align(plan.pairs)

    scorer = Scorer(compared, {key: words[n] for key, n in row.items()}, scoring)
    # the scorer's models run once for the whole story
    drifts = scorer.score_all([al for result in aligned for al in result.alignments])

    signature = make_signature(encoder, alignment, scoring, plan.reference, plan.chosen, tuple(plan.pairs),
                               tuple(skipped), story)
    return Report(signature, articles, drifts, _unmatched(aligned, compared, plan.reference), warnings)


def make_signature(
    encoder: Encoder,
    alignment: AlignmentSettings = AlignmentSettings(),
    scoring: ScoringSettings = ScoringSettings(),
    reference: str | None = None,
    reference_chosen: str | None = None,
    version_pairs: tuple[tuple[str, str], ...] = (),
    skipped: tuple[SkippedVersion, ...] = (),
    story: StoryRef | None = None,
) -> Signature:
    """The signature of a run with ``encoder``; also of a check that had nothing to compare (no pairs)."""
    return Signature(
        drift=__version__,
        model=encoder.name,
        backend=encoder.backend,
        model_languages=tuple(sorted(encoder.languages)) if encoder.languages is not None else None,
        splitter=SPLITTER,
        aligner=ALIGNER,
        scorer=scorer_name(scoring),
        index=INDEX_TYPE,
        alignment=alignment,
        scoring=scoring.resolved(),
        calibration=scoring.resolved().calibration or "",
        reference=reference,
        reference_chosen=reference_chosen,
        version_pairs=version_pairs,
        skipped=skipped,
        story=story,
    )


@dataclass(frozen=True)
class PairError:
    """A pair ``score_pairs`` could not score (a lone quote mark, a photo credit), and why."""

    index: int  # position of the pair in the input
    error: DriftError

    @property
    def message(self) -> str:
        return str(self.error)


@dataclass
class PreparedPairs:
    """Text pairs split, embedded and ready to score: one Alignment per pair, or the PairError it met."""

    scorer: Scorer
    alignments: list[Alignment | PairError]
    embed_seconds: float


def score_pairs(
    pairs: Sequence[tuple[str, str]],
    model: ModelArgument = None,
    scoring: ScoringSettings = ScoringSettings(),
    timings: dict[str, float] | None = None,
    backend: str = "auto",
    limits: Limits = Limits(),
) -> list["Drift | PairError"]:
    """Score text pairs that are already known to correspond (no alignment step).

    For evaluation sets and quick checks: each side may hold several sentences,
    scored as one group; the similarity is that of the whole texts. The result has
    one entry per pair, in order: its ``Drift``, or a ``PairError`` for a pair with no
    sentence to score on a side, so one bad pair never fails the batch. ``timings``,
    when given, receives the seconds spent embedding and scoring. A side over ``limits`` (a
    sentence longer than ``max_sentence_chars``, say) is that pair's PairError.
    """
    check_type(timings, (dict, type(None)), "score_pairs: timings", "a dict (or None)", "pass e.g. timings={}")
    prepared = prepare_pairs(pairs, model, scoring, backend, limits)
    started = time.perf_counter()
    good = [al for al in prepared.alignments if isinstance(al, Alignment)]
    scored = iter(prepared.scorer.score_all(good))
    out: list[Drift | PairError] = [al if isinstance(al, PairError) else next(scored) for al in prepared.alignments]
    if timings is not None:
        timings["embed"] = timings.get("embed", 0.0) + prepared.embed_seconds
        timings["score"] = timings.get("score", 0.0) + time.perf_counter() - started
    return out


def word_drift_pairs(
    pairs: Sequence[tuple[str, str]],
    model: ModelArgument = None,
    scoring: ScoringSettings = ScoringSettings(),
    backend: str = "auto",
    limits: Limits = Limits(),
) -> list[list[tuple[str, int, int, float]] | PairError]:
    """Per pair, every word of both sides as ("a"|"b", start, end, P(the word carries a change)): a heat
    map; a PairError for a pair that cannot be scored."""
    prepared = prepare_pairs(pairs, model, scoring, backend, limits)
    return [al if isinstance(al, PairError) else
            [(side[0], start, end, score) for side, start, end, score in prepared.scorer.word_drift(al)]
            for al in prepared.alignments]


def prepare_pairs(pairs: Sequence[tuple[str, str]], model: ModelArgument = None,
                  scoring: ScoringSettings = ScoringSettings(), backend: str = "auto",
                  limits: Limits = Limits()) -> PreparedPairs:
    """Articles, word vectors and one alignment per given pair (sides ``a{n}`` and ``b{n}``, the texts as
    given); a pair whose text cannot be split into sentences gets a PairError instead."""
    if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Sequence):
        raise ArgumentError(f"score_pairs: pairs must be a list of (text, text) pairs, not {type_name(pairs)}")
    bad = next((p for p in pairs if not (isinstance(p, (tuple, list)) and len(p) == 2)), None)
    if bad is not None:
        raise ArgumentError(f"score_pairs: every pair must be a (text, text) tuple, not {type_name(bad)}")
    _check_settings("score_pairs", scoring=scoring)
    check_limits(limits, "score_pairs")
    encoder = as_encoder(model_argument(model), backend)
    articles: list[Article] = []
    slots: list[tuple[Article, Article] | PairError] = []
    for n, pair in enumerate(pairs):
        try:
            a, b = (prepare_article(article_from_text(text, id=f"{side}{n}", detect_headline=False), limits,
                                                  story=False)
                    for side, text in zip("ab", pair, strict=True))
        except DriftError as error:
            slots.append(PairError(n, error))
            continue
        slots.append((a, b))
        articles += [a, b]
    keys = [(a.id, s.index) for a in articles for s in a.sentences]
    by_id = {a.id: a for a in articles}
    started = time.perf_counter()
    vectors, words = encoder.encode_with_words([by_id[i].sentences[j].text for i, j in keys])
    row = {key: n for n, key in enumerate(keys)}
    several = [a for a in articles if len(a.sentences) > 1]
    whole: dict[str, np.ndarray] = {}
    if several:
        whole.update(zip((a.id for a in several), encoder.encode([a.text for a in several]), strict=True))
    for a in articles:
        if len(a.sentences) == 1:
            whole[a.id] = vectors[row[(a.id, 0)]]
    embed_seconds = time.perf_counter() - started
    # the cosine in float64, as the aligner's index takes it: a float32 dot product's last bits follow the
    # CPU's vector instructions and, rounded to 4 places, would move a feature on another machine
    whole = {key: vector.astype("float64") for key, vector in whole.items()}
    alignments: list[Alignment | PairError] = [
        slot if isinstance(slot, PairError) else
        Alignment(slot[0].id, tuple(s.index for s in slot[0].sentences), slot[1].id,
                  tuple(s.index for s in slot[1].sentences), round(float(whole[slot[0].id] @ whole[slot[1].id]), 4))
        for slot in slots]
    scorer = Scorer(articles, dict(zip(keys, words, strict=True)), scoring)
    scorer.relations = None  # pairs known to correspond are counterparts
    return PreparedPairs(scorer, alignments, embed_seconds)


def _article_list(articles: object) -> list[Article]:
    """The versions as a list of Articles; paths, strings or None are an ArgumentError that says what to pass."""
    if articles is None or isinstance(articles, (str, bytes, Article)) or not isinstance(articles, Iterable):
        raise ArgumentError(f"compare: articles must be a list of Articles, not {type_name(articles)}; "
                            "read files with read_articles(paths)")
    out = list(articles)
    bad = [a for a in out if not isinstance(a, Article)]
    if bad:  # a list, not next(..., None): a None among the versions is itself the bad one
        raise ArgumentError(f"compare: every version must be an Article, not {type_name(bad[0])}; "
                            "read files with read_articles(paths) or text with article_from_text(text, id=...)")
    return out


def _check_settings(caller: str, **given: object) -> None:
    """Settings of the wrong type (None too) would fail as an AttributeError deep inside alignment or scoring."""
    kinds: dict[str, type] = {"alignment": AlignmentSettings, "scoring": ScoringSettings}
    for name, value in given.items():
        check_type(value, kinds[name], f"{caller}: {name}", kinds[name].__name__,
                   f"pass {name}={kinds[name].__name__}(...) or leave it out")


def _prepared(articles: list[Article], reference: str | None, limits: Limits, warnings: list[str]) -> list[Article]:
    """Split every version; one with no story sentences is skipped while two remain, as unreadable files are."""
    kept: list[Article] = []
    problems: list[InputError] = []
    for article in articles:
        try:
            kept.append(article if article.sentences else prepare_article(article, limits))
        except InputError as error:
            if article.id == reference:
                raise
            problems.append(error)
    if problems and len(kept) < 2:
        raise problems[0]
    for problem in problems:
        log.warning("%s (skipped)", problem)
        warnings.append(f"{problem} (skipped)")
    return kept


def _check_versions(articles: list[Article], reference: str | None, pairs: str) -> None:
    check_pairing(pairs, reference)
    if not articles:
        raise InputError("no version given; give two or more versions of the story to compare")
    if len(articles) < 2:
        only = articles[0].source or articles[0].id
        raise InputError(f"{only}: only one version given; give two or more versions of the story to compare")
    if len(articles) > MAX_VERSIONS:
        raise InputError(
            f"{len(articles)} versions given; at most {MAX_VERSIONS} per run: split the input into smaller runs"
        )
    ids = [a.id for a in articles]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError(f"{dupes[0]}: article id given twice; give every version a distinct id")
    if reference is not None and reference not in ids:
        raise ConfigError("unknown ", given("reference", reference), f"; choose one of {choices(ids)}")
    check_pairing_size(pairs, len(articles))


def _comparable(articles: list[Article], encoder: Encoder,
                warnings: list[str]) -> tuple[list[Article], list[SkippedVersion]]:
    compared: list[Article] = []
    skipped: list[SkippedVersion] = []
    for a in articles:
        if encoder.covers(a.language):
            compared.append(a)
            continue
        why = f"language {a.language!r} is not covered by model {encoder.name!r}"
        # the log line says the fix as its reader passes it (model= or --model); the report, read by both, neither
        log.warning("%s: %s", a.source or a.id, LanguageError(f"{why}; pass a multilingual ", param("model")))
        reason = f"{why}; use a multilingual model"
        warnings.append(f"{a.source or a.id}: {reason} (not compared)")
        skipped.append(SkippedVersion(a.id, a.language, reason))
    return compared, skipped


def _unmatched(aligned: list[PairAlignment], compared: list[Article], reference: str | None) -> list[Unmatched]:
    missing: dict[tuple[str, int], list[str]] = {}
    partners: dict[str, set[str]] = {a.id: set() for a in compared}
    for r in aligned:
        partners[r.a].add(r.b)
        partners[r.b].add(r.a)
        for i in r.unmatched_a:
            missing.setdefault((r.a, i), []).append(r.b)
        for j in r.unmatched_b:
            missing.setdefault((r.b, j), []).append(r.a)
    order = {a.id: n for n, a in enumerate(compared)}
    by_id = {a.id: a for a in compared}
    out = []
    for (article, sentence), where in sorted(missing.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        if reference:
            kind = "omission" if article == reference else "addition"
        else:
            kind = "addition" if set(where) == partners[article] else "omission"
        text, span = by_id[article].text, by_id[article].sentences[sentence]
        out.append(Unmatched(article, sentence, tuple(sorted(where, key=order.__getitem__)), kind,
                             is_subheading(text, span.start, span.end)))
    return out
