"""The text stage applied to one article: sentences, boilerplate marks and languages."""
from __future__ import annotations

from dataclasses import replace

from drift.article import UND, Article
from drift.errors import InputError
from drift.read.boilerplate import mark_boilerplate
from drift.text.language import detect_article_language, detect_sentence_languages
from drift.text.sentences import split_sentences


def prepare_article(article: Article) -> Article:
    """Split, mark boilerplate and detect languages; fills the article in place and returns it.

    A language already set (e.g. from JSON) is kept; otherwise it is detected from the
    story sentences, which keeps captions and contact lines from skewing it.
    """
    sentences = mark_boilerplate(article.text, split_sentences(article.text, article.title_end))
    story = [s for s in sentences if not s.boilerplate]
    if not any(not s.title for s in story):
        raise InputError(
            f"{article.source or article.id}: no sentences found; give story text, not only "
            "a headline, captions or site furniture"
        )
    if article.language in ("", UND):
        article.language = detect_article_language(" ".join(s.text for s in story if not s.title))
    langs = detect_sentence_languages([s.text for s in sentences], article.language)
    article.sentences = [replace(s, language=lang) for s, lang in zip(sentences, langs, strict=True)]
    return article
