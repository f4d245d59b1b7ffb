"""Whether a plain text opens with a headline, and Articles built from text a caller already has.

Wire copy rarely marks its headline. A wrong guess costs either way: a story
sentence taken for a headline is compared only with headlines, a headline taken
for body text is reported as an addition. So the rule is conservative and plain.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from drift.article import Article, normalize_language, refuse_broken_words
from drift.errors import ArgumentError, InputError, check_flag, check_type, type_name
from drift.read.boilerplate import is_bare_dateline, is_boilerplate

# A first line this short without closing punctuation reads as a headline.
TITLE_MAX_WORDS = 16
# ...and up to this long if a blank line separates it from the body.
TITLE_MAX_WORDS_BLANK = 30
# Lines ending like this are body text (or continue onto the next line), not headlines.
_SENTENCE_END = re.compile(r"[.!?…:;,][\"”’'»)\]]*$")
_MD_HEADING = re.compile(r"#{1,6}\s+")
# A sentence end inside a line: the line is two sentences, so not one headline.
_INNER_END = re.compile(r"[.!?…][\"”’'»)\]]*\s+[A-Z“\"]")


def detect_title(text: str, markdown: bool = False) -> tuple[str | None, int | None]:
    """(headline, offset where its line ends) or (None, None).

    The first non-empty line is a headline if more text follows, it does not end like
    a sentence (``. ! ? … : ; ,`` optionally before a closing quote), is not furniture
    such as a byline, and is short (<= 16 words) or set off by a blank line (<= 30
    words). A line ending in a full stop is a headline too when it is one short
    sentence (<= 16 words) set off by a blank line: outlets differ on that full stop,
    and the same headline must be read the same way in every version. A Markdown
    ``# heading`` first line is always a headline. A headline ending in ``?`` is read
    as body text.
    """
    m = re.search(r"\S[^\n\r]*", text)
    if not m:
        return None, None
    line = m.group().rstrip()
    end = m.start() + len(line)
    if not text[end:].strip():
        return None, None
    heading = _MD_HEADING.match(line) if markdown else None
    if heading:
        return line[heading.end():].strip() or None, end
    if is_boilerplate(line) or is_bare_dateline(line):
        return None, None
    words = len(line.split())
    blank_after = re.match(r"[ \t]*\r?\n[ \t]*\r?\n", text[end:]) is not None
    if _SENTENCE_END.search(line):
        # Some outlets end a headline with a full stop: a short line of one sentence set off by a
        # blank line is still a headline (the aligner pairs it either way; never silently dropped).
        if line.endswith(".") and blank_after and words <= TITLE_MAX_WORDS and not _INNER_END.search(line):
            return line.strip(), end
        return None, None
    if words <= TITLE_MAX_WORDS or (blank_after and words <= TITLE_MAX_WORDS_BLANK):
        return line.strip(), end
    return None, None


def article_from_text(
    text: str,
    id: str | None = None,
    source: str = "",
    title: str | None = None,
    language: str | None = None,
    published: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    detect_headline: bool = True,
    markdown: bool = False,
) -> Article:
    """Build an Article from text a caller already has.

    With ``title`` given it is stored as-is and the text is not searched for a
    headline; otherwise the first line may be taken as one (see ``detect_title``).
    ``id`` is required; its default only lets a call without one get an ArgumentError
    that says so (rather than Python's missing-argument TypeError).
    """
    check_type(text, str, "article_from_text: text", "a str")
    if isinstance(id, bool) or not isinstance(id, (str, int)) or not str(id).strip():
        raise ArgumentError(f"article_from_text: id must be a non-blank str, not {type_name(id)}; "
                            "give each version its own id")
    for name, value in (("source", source), ("title", title), ("language", language), ("published", published)):
        check_type(value, (str, type(None)), f"article_from_text: {name}", "a str or None")
    check_type(metadata, (Mapping, type(None)), "article_from_text: metadata", "a dict (or None)",
               "pass e.g. metadata={'guid': 'urn:1'}")
    check_flag(detect_headline, "article_from_text: detect_headline")
    check_flag(markdown, "article_from_text: markdown")
    label = source or str(id)
    refuse_broken_words(text, title, label)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError(f"{label}: no text; give a text with at least one sentence")
    title_end = None
    if title is None and detect_headline:
        title, title_end = detect_title(text, markdown)
    return Article(
        id=str(id), text=text, source=source, title=title,
        language=normalize_language(language), published=published,
        metadata=dict(metadata or {}), title_end=title_end,
    )

