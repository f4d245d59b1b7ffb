"""Marking text that is not part of the story: bylines, contact notices, captions, tags.

Syndicated copy picks up different furniture on every site ("No Comments", an agency
tag, a photo caption). Left in, it would show up as drift between versions that agree
on every word of the story. It is *marked*, never deleted, so offsets stay valid and
reports can still show it.

Patterns are generic and anchored: a story sentence that merely mentions AFP or a
photo is not boilerplate. A pattern must match the sentence's start, its end, or the
whole of a short sentence.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from drift.article import Sentence

# Agencies whose names appear as bare tags at the end of wire copy.
AGENCIES = (
    "AFP|AP|Reuters|REUTERS|dpa|DPA|ANSA|EFE|Xinhua|XINHUA|TASS|Anadolu|AA|Bernama|PTI|IANS|"
    "ANI|Kyodo|Yonhap|UPI|BGNES|Lusa|APA|CTK|MTI|PAP|Agencies|AGENCIES|Agence France-Presse|"
    "Interfax|RIA Novosti|Sputnik|IRNA|Belga|ANP|AAP|Europa Press|EUROPA PRESS|Prensa Latina|KUNA|WAM|QNA|MENA|"
    "Antara|Jiji|Keystone-SDA|SDA|NTB"
)

# Longer sentences are story text even if they contain a boilerplate-ish phrase.
SHORT_WORDS = 20
SHORT_CHARS = 300

_AGENCY = r"(?:" + AGENCIES + r"|Getty Images|EPA|EPA-EFE|Shutterstock|SIPA|Bloomberg)"

# A place in capitals: "PARIS", "NEW YORK", "ST. LOUIS", "PORT-AU-PRINCE".
_PLACE_CAPS = r"[A-Z][A-Z.'’-]{2,}(?:\s[A-Z][A-Z.'’-]+){0,3}"
# A dateline says where and when a dispatch was filed, not what happened; versions keep it or not as they
# please. "PARIS, March 25 (AFP) -", "Paris (AFP) —", "SPRINGFIELD, Ill. (AP) —", "NEW YORK —",
# "KYIV, Ukraine, March 3 --", "26-3-2024 (PARIS)". Case-sensitive: a capitalised name and a dash is no dateline.
_DATELINE = (
    r"(?:[^\W\d_][^()\n]{0,60}?\s?\(\s?(?:" + AGENCIES + r")\s?\)\s*(?:--?|[–—:])"
    r"|" + _PLACE_CAPS + r"(?:,\s[^,()\n–—]{1,30}){0,2}\s(?:--?|[–—])"
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\s?\(\s?" + _PLACE_CAPS + r"\s?\))"
)
#: A dateline opening a line, with the story text after it: the splitter makes it a sentence of its own.
DATELINE_OPENING = re.compile(_DATELINE + r"\s+(?=\S)")
_DATELINE_WHOLE = re.compile(_DATELINE + r"$")
# A dateline alone on the story's first line, with no agency or dash: "PARIS", "NEW YORK, March 25".
_BARE_DATELINE = re.compile(_PLACE_CAPS + r"(?:,\s[^,()\n]{1,30}){0,2}$")
# An update stamp: "Updated", "Last updated: 25/03/2024 10:32".
_STAMP = re.compile(r"(?:Last\s)?[Uu]pdated(?:\s?:?\s\d[\w:/.,+ ]{0,40})?$")

_CREDIT_WORDS = r"(?:Photo|PHOTO|Photos|Photograph|Image|Picture|Pic|Video|Credit|File photo|Caption)"

# Whole-sentence matches: the sentence is nothing but this.
_WHOLE = re.compile(
    r"^(?:"
    # agency tags: "/BGNES", "(AFP)", "-- Reuters", "AFP"
    r"/\s?[A-Z][A-Za-z-]{1,11}|\(\s?[A-Z]{2,8}\s?\)|(?:--?|[–—])?\s?\(?" + _AGENCY + r"\)?"
    # comment and sharing furniture
    r"|(?:No|\d+|Leave an?|Add an?|View|Show|Post an?)\s+(?:comments?|replies|reply|responses?)"
    r"|Comments?(?:\s*\(\d+\))?|Share(?: this)?(?: (?:article|story|post|page))?(?: on \w+)?"
    r"|Read (?:more|also|next|the full (?:story|article))(?:\s?:.*)?|Related(?: (?:articles|stories|news|posts))?"
    r"|Advertisement|Sponsored|Subscribe(?: now)?|Print|Tweet|Email|Follow us(?: on \w+)?(?: @\w+| at \S+)?"
    # a dispatch credited to agencies: "(With AFP)", "(with AFP and Reuters)"
    r"|\(\s?with " + _AGENCY + r"(?:(?:,| and) " + _AGENCY + r")*\s?\)"
    r"|Click here\b.*|Sign up\b.*|Also read\b.*|Tags?:.*|Filed under\b.*|Back to top"
    r"|Story continues (?:below|after) (?:the )?advertisement|Listen to (?:this|the) (?:article|story)"
    r"|Most (?:read|popular|viewed)|Recommended(?: (?:stories|articles|reading|for you))?|Watch:.*"
    r"|Join our \w+ (?:channel|group|community)\b.*|Download (?:our|the \w+) app\b.*|Image source,.*"
    # a wire service's note on the version: "(Corrects spelling of name in paragraph 2)", "(This story has been
    # refiled to fix a typo)", and its footers: "Our Standards: The Thomson Reuters Trust Principles."
    r"|\((?:Corrects|Updates|Adds|Recasts|Refiles|Repeats|Changes|Removes|Fixes|Clarifies|Rewrites|Writes through)"
    r"\b(?!\s(?:are|is|was|were|will|would|have|has|had)\b)[^()]*\)|\(This (?:story|article|version)\b[^()]*\)"
    r"|Our Standards:.*"
    r"|(?:--?|[–—])\s?With assistance from\b.*"
    # a credit line: "Associated Press writer Jane Doe in Paris contributed to this report."
    r"|(?:The )?(?:" + _AGENCY + r"|Associated Press)(?:\s[\w’'-]+){0,2}\s(?:writers?|reporters?|journalists?|"
    r"correspondents?|photographers?|staff)\b[^.!?]{0,150}\bcontributed"
    r"(?: reporting| to this (?:report|story|article))?"
    # a bare photo credit line: "Ludovic MARIN / AFP"
    r"|[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}\s?/\s?" + _AGENCY + r"(?: Photo)?"
    r")[.:!]?$",
    re.IGNORECASE,
)

# Matches at the start of a sentence.
_START = re.compile(
    r"^(?:"
    r"(?:Posted|Published|Written|Reported|Filed|Compiled|Contributed|Edited|Produced)\s+by\b"
    r"|\(?(?:Reporting|Writing|Editing|Additional reporting|Translated)\s+by\b"
    r"|This (?:article|story|report|post|content|piece)\b.{0,80}\b(?:posted|published|written|"
    r"contributed|filed|produced|provided|generated|translated|sourced)\b"
    r"|(?:Contact|Email|E-mail|Tel|Phone|Fax)(?: us)?\s*:"
    r"|" + _CREDIT_WORDS + r"s?\s*(?::|\bby\b|\bcredit\b|\bcourtesy\b)"
    r"|©|\(c\)\s|Copyright\s*(?:©|\(c\)|\d{4})|All rights reserved"
    r"|This material may not be (?:published|reproduced|distributed)"
    r"|Copyright\s+" + _AGENCY + r"(?:\s+\d{4})?(?:[.,]|\s*$|\s+All rights)"
    # an agency's tag then its copyright: "(AFP) - Copyright 2024"
    r"|\(\s?" + _AGENCY + r"\s?\)\s*[-–—]?\s*(?:Copyright|©|\(c\))"
    r")",
    re.IGNORECASE,
)

# Matches at the end of a sentence: a bracketed photo credit "(Photo by X / AFP)".
_CREDIT_END = re.compile(
    r"\((?:[^()]*\b" + _CREDIT_WORDS + r"s?\b[^()]*|[^()]*/\s?" + _AGENCY + r"[^()]*)\)\s*$"
)

_CAPTION_START = re.compile(_CREDIT_WORDS + r"s?\s*:", re.IGNORECASE)

# Matches anywhere, but only in short sentences.
_SHORT_ANY = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|\[email(?:\s|\xa0)*protected\]|\bplease (?:contact|e-?mail|write to|reach)\b"
    r"|©|All rights reserved"
    r"|^(?:Posted|Published|Updated|Last updated)\s+(?:on|at)\b"
    r"|^For (?:queries|inquiries|enquiries|more information|feedback|comments|corrections|"
    r"reprints|licensing)\b",
    re.IGNORECASE,
)

# Matches a byline: "By Jane Doe", "By Jane Doe and John Roe, AFP", "By Jane Doe, staff writer".
_NAME = r"(?:[A-Z][\w.'’-]*\s?){1,4}"
_BYLINE = re.compile(
    r"^By\s+" + _NAME + r"(?:(?:and|&)\s+" + _NAME + r")?"
    r"(?:[,|/–—-]\s*(?:(?:[A-Z][\w.'’-]*|staff|senior|writer|reporter|correspondent|editor|in|for)\s?){1,6})?$"
)


def is_boilerplate(text: str) -> bool:
    """True if ``text`` (one sentence) is site or agency furniture, not story."""
    s = text.strip()
    if not s:
        return False
    # Only the ends of long sentences can hold furniture; slicing also bounds regex time.
    if _START.match(s[:200]) or _CREDIT_END.search(s[-300:]):
        return True
    if len(s) > SHORT_CHARS:
        return False
    words = len(s.split())
    if _WHOLE.match(s) or _DATELINE_WHOLE.match(s) or _STAMP.match(s) or (words <= 10 and _BYLINE.match(s)):
        return True
    return words <= SHORT_WORDS and bool(_SHORT_ANY.search(s))


def is_bare_dateline(text: str) -> bool:
    """A line that is nothing but a place in capitals (and a date): a dateline set on the line above the story,
    which is neither a headline nor a sentence. Only the story's first line is read this way; elsewhere such a
    line is a subheading."""
    return bool(_BARE_DATELINE.match(text.strip()))


def is_caption_paragraph(sentences: Sequence[str]) -> bool:
    """A paragraph that ends in a photo credit, or opens "Photo:", is a caption: all furniture."""
    if not sentences:
        return False
    return bool(_CREDIT_END.search(sentences[-1].strip()) or _CAPTION_START.match(sentences[0].strip()))


def paragraphs(text: str, sentences: Sequence[Sentence]) -> list[list[int]]:
    """Group sentence positions by paragraph: a line break between two sentences starts one."""
    groups: list[list[int]] = []
    prev_end: int | None = None
    for i, s in enumerate(sentences):
        if prev_end is None or "\n" in text[prev_end:s.start] or "\r" in text[prev_end:s.start]:
            groups.append([])
        groups[-1].append(i)
        prev_end = s.end
    return groups


def mark_boilerplate(text: str, sentences: Sequence[Sentence]) -> list[Sentence]:
    """Return ``sentences`` with ``boilerplate`` set by the sentence and paragraph rules.

    The headline is never boilerplate.
    """
    flags = [not s.title and is_boilerplate(s.text) for s in sentences]
    groups = paragraphs(text, sentences)
    for group in groups:
        if is_caption_paragraph([sentences[i].text for i in group]):
            for i in group:
                flags[i] = not sentences[i].title
    story = [g for g in groups if not all(flags[i] or sentences[i].title for i in g)]
    if len(story) > 1 and len(story[0]) == 1 and is_bare_dateline(sentences[story[0][0]].text):
        flags[story[0][0]] = True
    return [replace(s, boilerplate=f) if s.boilerplate != f else s for s, f in zip(sentences, flags, strict=True)]
