"""Language of an article and of each of its sentences.

Language matters twice: the embedding model only covers some languages, and a
sentence left untranslated (a French quote in an English version) is drift in itself.

Cost: langdetect takes about 2 ms for a news sentence, far too much to run on every
sentence next to an encoder doing ~150 sentences/s. So a sentence runs langdetect only
when it *looks* different from its article (the article itself is detected once, see
``detect_article_language``):

* fewer than ``MIN_SENTENCE_LETTERS`` letters: inherit (langdetect is unreliable there);
* its writing system (Latin, Cyrillic, CJK, ...) differs from the article's: detect;
* the article language has a stopword list here (en, fr, de, es, it, pt, nl) and the
  sentence uses at least as many of its stopwords as of any other listed language:
  inherit; otherwise detect;
* the article language has no stopword list: same script means inherit.

Trade-off: a sentence in a *related* language that shares stopwords and script with the
article (Spanish in a Portuguese article, say) can be missed, and languages without a
list only get the script check. In exchange the typical cost is a few microseconds.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from drift.article import UND, normalize_language

# Below this many letters langdetect guesses: a sentence inherits the article language.
MIN_SENTENCE_LETTERS = 25
# Below this many letters langdetect's answer is taken only when it is sure (its probability at least
# SURE_SHORT): on a headline-length text it guesses ('Putin blames Ukraine': Estonian, 0.58; 'Biden wins
# Pennsylvania': Dutch, 0.88), and a wrong guess keeps an English version from being compared. A text it is
# not sure of is 'und' (never excluded by a model); 'Attentat à Moscou' stays French (1.0).
SHORT_LETTERS = 100
SURE_SHORT = 0.9
# Text beyond this many characters is ignored: langdetect time grows with length
# (~2.5 ms at 1000 chars, ~4.6 ms at 3000) and a news paragraph is plenty to decide.
MAX_DETECT_CHARS = 1000

_WORD = re.compile(r"[^\W\d_]+")

STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to in is that was for on with as by at from his her he she it have has "
        "had were be been which this will would not but are an they their said who its after than",
        "fr": "le la les des du et est une un que qui dans pour sur par au aux avec pas ce cette il "
        "elle sont ont été son sa ses mais plus nous vous leur a été selon",
        "de": "der die das und ist nicht mit von den dem des ein eine einen zu auf sich für im auch "
        "es sie er wir wird werden hat haben wurde dass bei nach aus noch",
        "es": "el la los las de del y en que por con para una un es se al lo como más su sus fue "
        "ha pero este esta según",
        "it": "il lo la gli le di del della che e è per con un una non sono ha alla nel dei delle "
        "anche come più questo",
        "pt": "o a os as de do da dos das e que em no na um uma para com não por se é foi mais ao "
        "pelo pela",
        "nl": "de het een en van is dat die niet op met voor zijn ook als maar aan er bij worden "
        "werd heeft naar om te",
    }.items()
}

# Writing system of a language code, for the cheap "looks different" check.
_SCRIPT_OF = {
    **dict.fromkeys("ru uk bg mk sr be kk ky mn tg".split(), "cyrillic"),
    **dict.fromkeys("ar fa ur ps".split(), "arabic"),
    **dict.fromkeys("zh zh-cn zh-tw ja".split(), "han"),
    "ko": "hangul", "el": "greek", "he": "hebrew", "th": "thai", "hi": "devanagari",
    "mr": "devanagari", "ne": "devanagari", "bn": "bengali", "ta": "tamil", "te": "telugu",
    "ka": "georgian", "hy": "armenian", "gu": "gujarati", "kn": "kannada", "ml": "malayalam",
    "pa": "gurmukhi",
}
_RANGES = [  # (first code point, last code point, script)
    (0x0041, 0x024F, "latin"), (0x0370, 0x03FF, "greek"), (0x0400, 0x052F, "cyrillic"),
    (0x0530, 0x058F, "armenian"), (0x0590, 0x05FF, "hebrew"), (0x0600, 0x06FF, "arabic"),
    (0x0900, 0x097F, "devanagari"), (0x0980, 0x09FF, "bengali"), (0x0A00, 0x0A7F, "gurmukhi"),
    (0x0A80, 0x0AFF, "gujarati"), (0x0B80, 0x0BFF, "tamil"), (0x0C00, 0x0C7F, "telugu"),
    (0x0C80, 0x0CFF, "kannada"), (0x0D00, 0x0D7F, "malayalam"), (0x0E00, 0x0E7F, "thai"),
    (0x10A0, 0x10FF, "georgian"), (0x1E00, 0x1EFF, "latin"), (0x3040, 0x30FF, "han"),
    (0x3400, 0x9FFF, "han"), (0xAC00, 0xD7AF, "hangul"),
]


def letter_count(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def dominant_script(text: str) -> str | None:
    """The writing system most letters of ``text`` use, or None if it has no letters."""
    counts: dict[str, int] = {}
    for c in text:
        if not c.isalpha():
            continue
        o = ord(c)
        script = "other"
        for lo, hi, name in _RANGES:
            if lo <= o <= hi:
                script = name
                break
        counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


@lru_cache(maxsize=1)
def _factory() -> Any:
    """Load langdetect's profiles once (~0.3 s), seeded so results are reproducible."""
    import langdetect.detector_factory as df
    from langdetect.detector_factory import DetectorFactory, init_factory

    DetectorFactory.seed = 0
    init_factory()
    df._factory.set_seed(0)
    return df._factory


def detect_language(text: str) -> str:
    """ISO code of ``text``'s language ('en', 'fr', 'zh-cn'), or 'und' if undetermined (a short text
    langdetect is not sure of, see ``SHORT_LETTERS``)."""
    letters = letter_count(text)
    if letters < 3:
        return UND
    from langdetect.lang_detect_exception import LangDetectException

    try:
        detector = _factory().create()
        detector.append(text[:MAX_DETECT_CHARS])
        if letters >= SHORT_LETTERS:
            return normalize_language(detector.detect())
        best = max(detector.get_probabilities(), key=lambda p: p.prob, default=None)
        return normalize_language(best.lang) if best is not None and best.prob >= SURE_SHORT else UND
    except LangDetectException:
        return UND


def _stopword_hits(words: list[str]) -> dict[str, int]:
    return {lang: sum(w in stop for w in words) for lang, stop in STOPWORDS.items()}


def detect_article_language(text: str) -> str:
    """Language of a whole article: unmistakable English by stopwords, else langdetect.

    langdetect costs ~1.5-2.5 ms per call whatever the length, which for short articles
    is more than everything else drift does before encoding. English is recognised by
    its stopwords when they make up a quarter of at least 40 words and outnumber any
    other listed language's 3 to 1; no other language langdetect knows writes "the".
    """
    words = _WORD.findall(text[:MAX_DETECT_CHARS * 2].lower())
    if len(words) >= 40 and "the" in words:
        hits = _stopword_hits(words)
        en = hits.pop("en")
        if en >= 0.25 * len(words) and en >= 3 * max(hits.values()):
            return "en"
    return detect_language(text)


def _looks_like(text: str, language: str) -> bool:
    """Cheap test: could ``text`` be in ``language`` without asking langdetect?"""
    if dominant_script(text) != _SCRIPT_OF.get(language, "latin"):
        return False
    stop = STOPWORDS.get(language)
    if stop is None:
        return True
    words = _WORD.findall(text.lower())
    own = sum(w in stop for w in words)
    if own == 0 or own < 0.1 * len(words):
        return False
    hits = _stopword_hits(words)
    hits.pop(language)
    return own >= max(hits.values())


def detect_sentence_languages(sentences: Sequence[str], article_language: str) -> list[str]:
    """Language of each sentence; inherits ``article_language`` unless it looks different.

    See the module docstring for when langdetect runs and what that trades away.
    """
    article_language = normalize_language(article_language)
    out: list[str] = []
    for text in sentences:
        if letter_count(text) < MIN_SENTENCE_LETTERS:
            out.append(article_language)
        elif article_language != UND and _looks_like(text, article_language):
            out.append(article_language)
        else:
            found = detect_language(text)
            out.append(found if found != UND else article_language)
    return out
