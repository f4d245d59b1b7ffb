"""Sentence splitting for news copy, with character offsets into the original text.

Wire copy is not literary prose, so the rules are tuned for it and kept predictable:

* Any line break ends a sentence (wire copy puts one paragraph per line).
* Chinese and Japanese ``。！？`` end a sentence with or without a space after, whatever
  follows, except a closing quote or bracket with no space after it: ``「…。」と彼は言った。``
  is one sentence, a quote with its attribution. Devanagari ``।``, Arabic ``؟`` and Urdu ``۔``
  end one before a space, like ``!`` and ``?``.
* A list or Markdown marker opening a line is layout, not sentence text: ``#``, ``-``, ``*``,
  ``•``, ``–``, ``—``, ``>``, and numbers or letters of a list (``1.``, ``12)``, ``(3)``, ``a)``,
  ``(b)``); a day before a German month (``3. Oktober 1990``) is a date and stays, but a club
  name opening a line is read as a list (``1. FC Köln siegt`` gives ``FC Köln siegt``).
* ``.``, ``!``, ``?`` and ellipses end a sentence when followed by whitespace and a
  capitalised word, a digit or an opening mark (``"“‘'«„‚»([¿¡``: English, French, German and
  Spanish quotes, brackets); closing quotes and brackets right after the full stop (``."``,
  ``.”``, ``?’``, ``.)``, German ``.“`` and ``.«``) stay with the sentence before, and so does a
  French ``»`` after a space or no-break space (``prêts. »``, ``Pourquoi ? »``).
* A full stop followed by a lowercase word never splits (``etc. and``, ``Guiana. while``).
* Quotes are not tracked: ``“A. B,” he said`` splits after ``A.`` like any other text.
  That keeps splitting local and predictable; the closing quote stays with ``B,”``.
* Titles (``Mr.``, ``Dr.``, ``Gen.``, Spanish ``Sra.``, Italian ``Sig.``, German ``Hr.``) and
  initials (``J. K.``, ``W.``) never split.
  Ambiguous abbreviations (``U.S.``, ``p.m.``, ``Inc.``, ``Jan.``) split only when the
  next word is a common sentence opener (``The``, ``He``, ``But``...); numeric ones
  (``No. 5``, ``Jan. 5``) never split before a digit.
* German dates and ordinals never split: a day (1-31) with its full stop before a German
  month name (``3. März``), or a number of up to three digits after a German article or
  preposition (``am``, ``im``, ``zum``, ``der``, ``die``...: ``im 19. Jahrhundert``).
* A trailing agency tag (`` /BGNES``, `` (AFP)``, ``-- Reuters``) becomes its own
  sentence so the boilerplate stage can drop it without losing the story sentence.
* A dateline opening the story's first line (``PARIS, March 25 (AFP) - ...``, ``NEW YORK — ...``,
  ``26-3-2024 (PARIS) President...``; after a byline too) becomes a sentence of its own, which the
  boilerplate stage marks: where and when a dispatch was filed is no claim of the story, and versions
  keep it or not. Elsewhere a dateline-like opening stays in its sentence. A state's abbreviation
  before an agency tag (``SPRINGFIELD, Ill. (AP) — ...``) is no sentence end: its full stop is
  followed by the tag and a dash.
* Abbreviations are matched in all capitals too (``ST. LOUIS``, ``GEN. SMITH``), as in
  datelines and headlines.
"""
from __future__ import annotations

import re

from drift.article import Sentence
from drift.read.boilerplate import AGENCIES, DATELINE_OPENING, is_boilerplate
from drift.read.titles import TITLE_MAX_WORDS

SPLITTER = "drift-news/3"

#: Marks that close a quote or bracket: English ``” ’``, German ``“ ‘ «`` (``„…“``, ``»…«``),
#: French ``»``, straight quotes, CJK ``」 』 ） 》``. One list for every rule that reads them.
CLOSERS = "\"”’'»“‘«)]」』）》"
#: Marks that may open a sentence: quotes and brackets, German ``„ ‚ »``, Spanish ``¿ ¡``, CJK.
OPENERS = "\"“‘'«„‚»([¿¡「『（《"
#: Chinese and Japanese full stop, exclamation and question marks: they end a sentence with no space after.
CJK_ENDS = "。！？"
_CLOSE = re.escape(CLOSERS)

# A tag alone at the end of a line: " /BGNES", " (AFP)", " -- Reuters", " — AFP".
# Bracketed and dashed forms must follow sentence punctuation so "Islamic State (IS)"
# at the end of an unpunctuated headline is not taken for a tag.
_TAIL_TAG = re.compile(
    r"(?:(?<=\S)\s+/\s?[A-Z][A-Za-z-]{1,11}"
    r"|(?<=[.!?" + re.escape(CLOSERS) + r"])\s+(?:\(\s?(?:[A-Z]{2,8}|" + AGENCIES + r")\s?\)"
    r"|(?:--?|[–—])\s?(?:" + AGENCIES + r")))\s*$"
)

# An agency tag and a dash after a full stop: "SPRINGFIELD, Ill. (AP) — ", a dateline.
_DATELINE_TAG = re.compile(r"\(\s?(?:" + AGENCIES + r")\s?\)\s*(?:--?|[–—])")
# Sentence-final punctuation run (Devanagari ``।``, Arabic ``؟``, Urdu ``۔`` too), then closers that
# belong to the sentence (a French ``»`` may follow a space or no-break space: ``prêts. »``), then
# space: required except after a CJK mark, which _split_line checks.
_BOUNDARY = re.compile(
    r"(\.{2,}|…|[.!?\u0964\u061f\u06d4]+|[" + CJK_ENDS + r"]+)"
    r"((?:[" + _CLOSE + r"]|[ \u00a0\u202f\u2009]»(?=\s))*)(\s*)"
)
_PREV_TOKEN = re.compile(r"(?:^|(?<=[\s" + re.escape(OPENERS) + r"]))([A-Za-z][A-Za-z.]*)$")
_NEXT_WORD = re.compile(r"[" + re.escape(OPENERS) + r"]*(\S*?)(?=[\s,;:.!?" + _CLOSE + r"]|$)")
_LINE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x85]+")

# Never end a sentence: a name always follows.
TITLES = frozenset(
    "Mr Mrs Ms Mx Dr Prof Gen Sen Rep Gov Lt Col Capt Sgt Maj Adm Cmdr Rev Hon Pres Supt "
    "Det Insp Fr Mme Mlle Messrs Brig Cpl Pvt Amb Atty Sens Reps Gens Msgr Mgr "
    "Sra Srta Sras Sres Dra Dña Lic Ing Sig Dott Avv Hr".split()  # Spanish, Italian, German
)
NEVER = frozenset("vs v cf viz".split())
# Abbreviations that precede numbers: "No. 5", "Jan. 5", "p. 12".
NUMERIC = frozenset(
    "No Nos no Nr Art Vol vol Fig fig p pp ch Ch para Jan Feb Mar Apr Jun Jul Aug Sep Sept "
    "Oct Nov Dec approx ca".split()
)
# Abbreviations that may also end a sentence.
AMBIGUOUS = frozenset(
    "etc Inc Ltd Corp Co Jr Sr Bros St Ave Rd Blvd Mt Ft est dept Dept Univ Assn Intl al".split()
)
# German dates and ordinals end in a full stop: "am 3. März", "im 19. Jahrhundert", "der 1. FC Köln".
MONTHS_DE = frozenset(
    "Januar Jänner Februar März April Mai Juni Juli August September Oktober November Dezember".split()
)
ORDINAL_AFTER = frozenset("am im vom zum zur beim ins der die das den dem des ab bis seit".split())
# A number of up to three digits ending the text, with the word before it: "am 3".
_NUMBER_BEFORE = re.compile(r"(?:^|(?<=[\s(]))(?:(\w+)\s+)?(\d{1,3})$")
# Markdown/list markers at the start of a line are layout, not sentence text: "#", "-", "•", "–",
# ">", "1.", "12)", "(3)", "a)", "(b)"; a day before a German month ("3. Oktober 1990") is a date.
_LEAD_MARK = re.compile(
    r"(?:#{1,6}|[-*+•·▪–—]|>|\d{1,2}[.)](?!\s+(?:" + "|".join(sorted(MONTHS_DE)) + r")\b)"
    r"|\((?:\d{1,2}|[A-Za-z])\)|[A-Za-z]\))\s+(?=\S)"
)
# Words that usually open a sentence; after an ambiguous abbreviation they mean "split".
STARTERS = frozenset(
    "The A An He She It They We I You His Her Its Their Our My Your This That These Those "
    "There Here But And Or So Yet Still However Meanwhile Moreover Also In On At For From "
    "After Before When While If As Since Although Though Some Many Most Several Both One "
    "According Asked Earlier Later Officials Police Authorities No Nobody None What Why How "
    "Who Where Then Now Today Yesterday Tomorrow Last Next".split()
)


def _span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim whitespace; drop spans with no letter or digit (rules, stray dashes)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not any(c.isalnum() for c in text[start:end]):
        return None
    return start, end


def _is_boundary(line: str, m: re.Match[str], end: int) -> bool:
    """Decide whether the punctuation run in ``m`` ends a sentence (``line[:end]`` is the body)."""
    punct = m.group(1)
    nxt = m.end()
    if nxt >= end:
        return False
    first = ""
    for i in range(nxt, min(end, nxt + 8)):
        if line[i].isalnum():
            first = line[i]
            break
    opener = line[nxt] in OPENERS
    if punct[-1] in CJK_ENDS:  # no case to read: a closer then no space keeps "「…。」と彼は言った。" whole
        return bool(first) and (not m.group(2) or bool(m.group(3)))
    if not first or first.islower():
        return False
    if not (line[nxt].isalnum() or opener):
        return False  # a dash or slash follows: not a new sentence
    if "…" in punct or ".." in punct:
        return first.isupper()
    if "." not in punct:  # ! or ?
        return True
    if _DATELINE_TAG.match(line, nxt):
        return False  # "SPRINGFIELD, Ill. (AP) — ...": a dateline
    window = max(0, m.start(1) - 32)
    if _german_ordinal(line[window:m.start(1)], _next_word(line, nxt, end)):
        return False
    pm = _PREV_TOKEN.search(line[window:m.start(1)])
    prev = pm.group(1) if pm else ""
    if not prev:
        return True
    if len(prev) > 1 and prev.isupper() and "." not in prev:
        prev = prev.title()  # all-caps datelines and headlines: "ST. LOUIS", "GEN. SMITH"
    if prev in TITLES or prev.lower() in NEVER:
        return False
    if len(prev) == 1 and prev.isupper():
        return False  # an initial: "J. K. Rowling", "George W. Bush"
    dotted = "." in prev
    if first.isdigit():
        return not (prev in NUMERIC or dotted)
    if prev in NUMERIC or prev in AMBIGUOUS or dotted:
        return _next_word(line, nxt, end) in STARTERS
    return True


def _next_word(line: str, start: int, end: int) -> str:
    """The word at ``line[start:end]``, without the quotes or brackets that open it."""
    nm = _NEXT_WORD.match(line, start, end)
    return nm.group(1) if nm else ""


def _german_ordinal(before: str, word: str) -> bool:
    """Whether the full stop after ``before`` marks a German ordinal: ``am 3. März``, ``im 19. Jahrhundert``."""
    num = _NUMBER_BEFORE.search(before)
    if num is None:
        return False
    if word in MONTHS_DE and 1 <= int(num.group(2)) <= 31:
        return True
    return (num.group(1) or "").lower() in ORDINAL_AFTER


def _split_line(line: str, opening: bool = False) -> list[tuple[int, int]]:
    """Sentence spans (relative to ``line``) within one paragraph line; ``opening``: the story's first line, where
    a dateline becomes a sentence of its own."""
    spans: list[tuple[int, int]] = []
    body_end = len(line)
    tag = _TAIL_TAG.search(line)
    if tag:
        body_end = tag.start()
    lead = _LEAD_MARK.match(line.lstrip())
    pos = len(line) - len(line.lstrip()) + (lead.end() if lead else 0)
    dateline = DATELINE_OPENING.match(line, pos, body_end) if opening else None
    if dateline and not line[dateline.end():].lstrip(OPENERS)[:1].islower():  # "NASA — the agency — said": a name
        spans.append((pos, dateline.end()))
        pos = dateline.end()
    for m in _BOUNDARY.finditer(line, pos, body_end):
        spaced = bool(m.group(3)) or m.group(1)[-1] in CJK_ENDS
        if m.start() <= pos or not spaced or not _is_boundary(line, m, body_end):
            continue
        spans.append((pos, m.end(2)))
        pos = m.end()
    spans.append((pos, body_end))
    if tag:
        spans.append((body_end, len(line)))
    return spans


def split_sentences(text: str, title_end: int | None = None, datelines: bool = True) -> list[Sentence]:
    """Split ``text`` into sentences whose offsets index ``text`` exactly.

    ``title_end`` marks the end of a headline: everything before it is one sentence
    flagged ``title=True``, whatever punctuation it contains. ``datelines=False`` leaves an
    opening dateline in its sentence.
    """
    raw: list[tuple[int, int, bool]] = []
    body_start = 0
    if title_end is not None and title_end > 0:
        lead = _LEAD_MARK.match(text.lstrip())
        skip = len(text) - len(text.lstrip()) + (lead.end() if lead else 0)
        span = _span(text, min(skip, title_end), title_end)
        if span:
            raw.append((span[0], span[1], True))
        body_start = title_end
    opening = datelines  # until the story starts: a dateline may follow a byline, a headline or an agency tag
    for lm in _LINE.finditer(text, body_start):
        spans = [span for a, b in _split_line(lm.group(), opening)
                 if (span := _span(text, lm.start() + a, lm.start() + b))]
        raw += [(a, b, False) for a, b in spans]
        # a short line with no sentence end (an undetected headline) does not start the story either
        opening = opening and (_unended(lm.group(), TITLE_MAX_WORDS)
                               or all(is_boilerplate(text[a:b]) for a, b in spans))
    return [
        Sentence(index=i, start=a, end=b, text=text[a:b], title=is_title)
        for i, (a, b, is_title) in enumerate(raw)
    ]


def _unended(text: str, most_words: int) -> bool:
    """Text of one to ``most_words`` words whose last mark, past closing quotes, is a letter or a digit: no
    sentence end (a headline, a section title)."""
    return 0 < len(text.split()) <= most_words and text.rstrip().rstrip(CLOSERS)[-1:].isalnum()


#: Words in a subheading at most: a section title, not a sentence without its full stop.
SUBHEADING_WORDS = 8


def is_subheading(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a line of its own inside the story with no sentence-ending mark and at
    most ``SUBHEADING_WORDS`` words: a section title ("“Increased cooperation”") that says no claim."""
    # Read outward from the sentence only to its line's ends: called once per unmatched sentence, it must not
    # copy the rest of a long text each time.
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    after = end
    while after < len(text) and text[after] != "\n" and text[after].isspace():
        after += 1
    line_start = before == 0 or text[before - 1] in "\n\r"
    line_end = after == len(text) or text[after] == "\n"
    return start > 0 and line_start and line_end and _unended(text[start:end], SUBHEADING_WORDS)

