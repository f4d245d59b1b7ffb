"""The text stage applied to one article: sentences, boilerplate marks and languages."""
from __future__ import annotations

from dataclasses import replace

from drift.article import UND, Article, refuse_broken_words, refuse_unstorable, refuse_wrong_types
from drift.errors import InputError
from drift.limits import Limits, amount, raise_hint
from drift.read.boilerplate import mark_boilerplate
from drift.text.language import detect_article_language, detect_sentence_languages
from drift.text.sentences import split_sentences


def prepare_article(article: Article, limits: Limits = Limits(), story: bool = True) -> Article:
    """Split, mark boilerplate and detect languages; fills the article in place and returns it.

    A language already set (e.g. from JSON) is kept; otherwise it is detected from the
    story sentences, which keeps captions and contact lines from skewing it. ``story=False`` reads
    a pair's text, scored as given: no detection (pairs given to score, not versions to choose) and
    no dateline cut off the opening (nothing is dropped from a pair, so it would only re-embed it). A
    sentence longer than ``limits.max_sentence_chars`` (a megabyte line with no full
    stop) is refused before any later stage spends time on it.
    """
    refuse_wrong_types(article)
    label = article.source or article.id
    refuse_broken_words(article.text, article.title, label)  # an Article built by hand skipped the readers
    split = split_sentences(article.text, article.title_end, datelines=story)
    longest = max(split, key=lambda s: s.end - s.start, default=None)
    if longest is not None and longest.end - longest.start > limits.max_sentence_chars:
        raise InputError(
            f"{label}: sentence {longest.index + 1} has {amount(longest.end - longest.start)} characters, over "
            f"the limit of {amount(limits.max_sentence_chars)} per sentence; break the text into sentences "
            f"(one paragraph a line), or {raise_hint('max_sentence_chars')}"
        )
    sentences = mark_boilerplate(article.text, split)
    kept = [s for s in sentences if not s.boilerplate]
    if not any(not s.title for s in kept):
        raise InputError(
            f"{label}: no sentences found; give story text, not only "
            "a headline, captions or site furniture"
        )
    if not story:
        article.sentences = [replace(s, language=article.language or UND) for s in sentences]
        return article
    if article.language in ("", UND):
        article.language = detect_article_language(" ".join(s.text for s in kept if not s.title))
    langs = detect_sentence_languages([s.text for s in sentences], article.language)
    article.sentences = [replace(s, language=lang) for s, lang in zip(sentences, langs, strict=True)]
    return article


def prepare(article: Article, limits: Limits = Limits()) -> Article:
    """Split and mark the article unless that was done already."""
    return article if article.sentences else prepare_article(article, limits)


def prepared_within(article: Article, limits: Limits) -> Article:
    """``prepare`` for a stored batch: an InputError when the article alone holds more sentences than a batch may,
    or a field an index cannot store."""
    refuse_unstorable(article)
    size = len(prepare(article, limits).sentences)
    if size > limits.max_sentences:
        raise InputError(f"{article.source or article.id}: {amount(size)} sentences, over the limit of "
                         f"{amount(limits.max_sentences)} per batch; split the article, or "
                         f"{raise_hint('max_sentences')}")
    return article
