"""compare(): the whole pipeline, from read articles to a Report."""
from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Sequence

from drift import __version__
from drift.alignment import (
    ALIGNER,
    AUTO_ALL_PAIRS,
    MAX_ALL_PAIRS,
    PAIRINGS,
    Aligner,
    Alignment,
    AlignmentSettings,
    central_version,
)
from drift.articles import Article, article_from_text, prepare_article
from drift.embedding import Encoder, load_encoder
from drift.errors import ConfigError, InputError, LanguageError, choices
from drift.index import INDEX_TYPE, SentenceIndex
from drift.reports import Report, Unmatched
from drift.scoring import SCORER, Drift, Scorer, ScoringSettings
from drift.sentences import SPLITTER

log = logging.getLogger("drift")

MAX_VERSIONS = 5000
CALIBRATION = "seeds_public + DEMETR base_id35 (dev)"


def compare(
    articles: Sequence[Article],
    reference: str | None = None,
    model: "str | Encoder | None" = None,
    alignment: AlignmentSettings = AlignmentSettings(),
    scoring: ScoringSettings = ScoringSettings(),
    progress: bool = False,
    backend: str = "auto",
    pairs: str = "auto",
) -> Report:
    """Align versions pairwise and score the drift of every aligned pair.

    ``pairs`` (see ``PAIRINGS``): ``all`` compares every version with every other;
    ``reference`` each with ``reference``, or with the central version when none is
    given; ``auto`` is ``reference`` when one is given or more than ``AUTO_ALL_PAIRS``
    versions are compared, else ``all``. ``backend`` (auto, torch, onnx) applies when
    ``model`` is a name or None; see ``load_encoder``.
    """
    articles = list(articles)
    _check_versions(articles, reference, pairs)
    # Anything with Encoder's interface will do: a persistent index passes one that
    # serves stored vectors, so stored sentences are never embedded again.
    encoder = load_encoder(model, backend, progress) if model is None or isinstance(model, str) else model
    for article in articles:
        if not article.sentences:
            prepare_article(article)

    compared, skipped = _comparable(articles, encoder)
    if reference and reference not in {a.id for a in compared}:
        language = next(a.language for a in articles if a.id == reference)
        raise LanguageError(
            f"reference {reference!r} is in language {language!r}, which model {encoder.name!r} does not cover; "
            "pass a multilingual --model or another --reference"
        )
    if len(compared) < 2:
        names = ", ".join(f"{a.id} ({a.language})" for a in articles)
        raise LanguageError(
            f"fewer than two versions in a language model {encoder.name!r} covers ({names}); "
            "pass a multilingual --model"
        )

    eligible = {a.id: [s.index for s in a.sentences if not s.boilerplate and not s.title] for a in compared}
    titles = {a.id: next((s.index for s in a.sentences if s.title), None) for a in compared}
    keys = [(a.id, i) for a in compared for i in eligible[a.id]]
    keys += [(a.id, titles[a.id]) for a in compared if titles[a.id] is not None]
    by_id = {a.id: a for a in articles}
    vectors, words = encoder.encode_with_words([by_id[aid].sentences[i].text for aid, i in keys])
    row = {key: n for n, key in enumerate(keys)}

    ranges, start = {}, 0
    for a in compared:
        ranges[a.id] = (start, start + len(eligible[a.id]))
        start += len(eligible[a.id])
    index = SentenceIndex(vectors[:start], ranges)

    chosen = "given" if reference else None
    if not reference and (pairs == "reference" or (pairs == "auto" and len(compared) > AUTO_ALL_PAIRS)):
        reference, chosen = central_version(index) or compared[0].id, "central"
        log.info("%d versions: each is compared with the central version %s (pairs=all compares every pair)",
                 len(compared), reference)
    if reference:
        version_pairs = [(reference, a.id) for a in compared if a.id != reference]
    else:
        version_pairs = list(itertools.combinations([a.id for a in compared], 2))
    aligned = Aligner(compared, index, eligible, encoder.encode, alignment).align(version_pairs)

    scorer = Scorer(compared, {key: words[n] for key, n in row.items()}, scoring)
    pairs = []
    for result in aligned:
        title_pair = _title_alignment(result.a, result.b, titles, vectors, row, alignment)
        found = ([title_pair] if title_pair else []) + result.alignments
        pairs.extend(scorer.score(al) for al in found)

    signature = {
        "drift": __version__,
        "model": encoder.name,
        "backend": getattr(encoder, "backend", "torch"),
        "model_languages": sorted(encoder.languages) if encoder.languages is not None else "any",
        "splitter": SPLITTER,
        "aligner": ALIGNER,
        "scorer": SCORER,
        "index": INDEX_TYPE,
        "thresholds": {"alignment": alignment.to_dict(), "scoring": scoring.to_dict()},
        "calibration": CALIBRATION,
        "pairs": "reference" if reference else "all",
        "reference": reference,
        "reference_chosen": chosen,
        "version_pairs": [list(p) for p in version_pairs],
        "skipped": skipped,
    }
    return Report(signature, articles, pairs, _unmatched(aligned, compared, reference))


def score_pairs(
    pairs: Sequence[tuple[str, str]],
    model: "str | Encoder | None" = None,
    scoring: ScoringSettings = ScoringSettings(),
    timings: dict[str, float] | None = None,
    backend: str = "auto",
) -> list["Drift"]:
    """Score text pairs that are already known to correspond (no alignment step).

    For evaluation sets and quick checks: each side may hold several sentences,
    scored as one group; the similarity is that of the whole texts. ``timings``,
    when given, receives the seconds spent embedding and scoring.
    """
    scorer, alignments, embed_seconds = _pair_scorer(pairs, model, scoring, backend)
    started = time.perf_counter()
    drifts = [scorer.score(al) for al in alignments]
    if timings is not None:
        timings["embed"] = timings.get("embed", 0.0) + embed_seconds
        timings["score"] = timings.get("score", 0.0) + time.perf_counter() - started
    return drifts


def word_drift_pairs(
    pairs: Sequence[tuple[str, str]],
    model: "str | Encoder | None" = None,
    scoring: ScoringSettings = ScoringSettings(),
    backend: str = "auto",
) -> list[list[tuple[str, int, int, float]]]:
    """Per pair, every word of both sides as ("a"|"b", start, end, drift score): a heat map."""
    scorer, alignments, _ = _pair_scorer(pairs, model, scoring, backend)
    return [[(side[0], start, end, score) for side, start, end, score in scorer.word_drift(al)]
            for al in alignments]


def _pair_scorer(pairs: Sequence[tuple[str, str]], model: "str | Encoder | None", scoring: ScoringSettings,
                 backend: str = "auto") -> tuple[Scorer, list[Alignment], float]:
    """Articles, word vectors and one alignment per given pair; also the seconds spent embedding."""
    encoder = load_encoder(model, backend) if model is None or isinstance(model, str) else model
    articles = []
    for n, (a_text, b_text) in enumerate(pairs):
        for side, text in (("a", a_text), ("b", b_text)):
            articles.append(prepare_article(article_from_text(text, id=f"{side}{n}", detect_headline=False)))
    keys = [(a.id, s.index) for a in articles for s in a.sentences]
    by_id = {a.id: a for a in articles}
    started = time.perf_counter()
    vectors, words = encoder.encode_with_words([by_id[i].sentences[j].text for i, j in keys])
    row = {key: n for n, key in enumerate(keys)}
    several = [a for a in articles if len(a.sentences) > 1]
    whole = dict(zip((a.id for a in several), encoder.encode([a.text for a in several]) if several else []))
    for a in articles:
        if len(a.sentences) == 1:
            whole[a.id] = vectors[row[(a.id, 0)]]
    embed_seconds = time.perf_counter() - started
    alignments = []
    for n in range(len(pairs)):
        a, b = articles[2 * n], articles[2 * n + 1]
        alignments.append(Alignment(a.id, tuple(s.index for s in a.sentences), b.id,
                                    tuple(s.index for s in b.sentences), round(float(whole[a.id] @ whole[b.id]), 4)))
    return Scorer(articles, dict(zip(keys, words)), scoring), alignments, embed_seconds


def _check_versions(articles: list[Article], reference: str | None, pairs: str) -> None:
    if pairs not in PAIRINGS:
        raise ConfigError(f"unknown --pairs {pairs!r}; choose one of {choices(PAIRINGS)}")
    if pairs == "all" and reference is not None:
        raise ConfigError(f"--pairs all compares every pair, so --reference {reference!r} has no use; "
                          "drop one of the two")
    if len(articles) < 2:
        only = articles[0].source or articles[0].id if articles else "nothing"
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
        raise ConfigError(f"unknown --reference {reference!r}; choose one of {choices(ids)}")
    if pairs == "all" and len(articles) > MAX_ALL_PAIRS:
        raise InputError(
            f"{len(articles)} versions make {len(articles) * (len(articles) - 1) // 2} version pairs; "
            f"use --pairs auto or reference to compare each with one version (all pairs allowed up to {MAX_ALL_PAIRS})"
        )


def _comparable(articles: list[Article], encoder: Encoder) -> tuple[list[Article], list[dict]]:
    compared, skipped = [], []
    for a in articles:
        if encoder.covers(a.language):
            compared.append(a)
            continue
        reason = f"language {a.language!r} is not covered by model {encoder.name!r}; pass a multilingual --model"
        log.warning("%s: %s", a.source or a.id, reason)
        skipped.append({"article": a.id, "language": a.language, "reason": reason})
    return compared, skipped


def _title_alignment(a: str, b: str, titles: dict, vectors, row: dict,
                     settings: AlignmentSettings) -> Alignment | None:
    """Headlines pair with headlines only: a headline is no body sentence."""
    ta, tb = titles.get(a), titles.get(b)
    if ta is None or tb is None:
        return None
    sim = float(vectors[row[(a, ta)]] @ vectors[row[(b, tb)]])
    return Alignment(a, (ta,), b, (tb,), round(sim, 4)) if sim >= settings.floor else None


def _unmatched(aligned, compared: list[Article], reference: str | None) -> list[Unmatched]:
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
    out = []
    for (article, sentence), where in sorted(missing.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        if reference:
            kind = "omission" if article == reference else "addition"
        else:
            kind = "addition" if set(where) == partners[article] else "omission"
        out.append(Unmatched(article, sentence, tuple(sorted(where, key=order.get)), kind))
    return out
