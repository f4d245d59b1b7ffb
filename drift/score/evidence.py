"""Typed evidence of drift: names, numbers, negation, hedges, quotes, attribution and person.

Embeddings say *that* two sentences differ; editors need to know *how*. These
checks read both sides of an aligned pair as text and say which kind of change
they see, where, and how sure they are (``strength``). They are deliberately
lexical and cheap: each sentence is read once, and the checks compare sets.
This module reads a text and checks names, attribution and quotes; figures are
``drift.score.numbers``, cue words (negation, hedges, modals, pronouns) ``drift.score.cues``.
The learned scorer uses the findings as features and to name a change's kind: a
finding never flags a pair on its own.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from drift.score import numbers as number_check
from drift.score.antonyms import antonym_findings
from drift.score.cues import (
    SPEECH_CUES,
    hedge_findings,
    is_cue,
    modal_findings,
    negation_findings,
    person_findings,
    reports_speech,
)
from drift.score.finding import STRENGTH, Finding, Token, spans_of
from drift.score.lexicon import common_word as _common_word
from drift.score.lookup import NameIndex, between, inside, transcribed
from drift.score.numbers import NUMBER_WORDS, SCALES, Figure, currency_findings, date_findings, figures, number_findings
from drift.score.places import COUNTRY_OF, QualifiedNames, capital_cities, different_countries, qualified
from drift.score.roles import role_findings
from drift.score.shortened import Initials, by_surname, speakers_opening, spelled_out

#: Function words carry no drift of their own.
STOPWORDS = frozenset(
    """a an the and or but if of at by for with about against between into through during before after
    above below to from up down in out on off over under again further then once here there when where why
    how all any both each few more most other some such only own same so than too very s t can will just
    should now i me my we our ours you your he him his she her it its they them their what which who whom
    this that these those am is are was were be been being have has had having do does did doing would
    could as until while also per upon said says say told""".split()
)

#: Words of meeting someone ("talks with X", "met X"); "with" alone is no cue ("the period with the highest ...").
MEETING_CUES = frozenset("meeting meetings talks contacts spoke speak met meet called".split())
#: Words before "called" that make it a naming ("is called X"), not a call ("Macron called Putin").
_NAMING_BEFORE = frozenset("is are was were be been being so also often now once".split())
#: Demonyms that share too little spelling with their country to be matched by prefix, and other names of one
#: place or group.
DEMONYMS = {
    "french": "france", "dutch": "netherlands", "british": "britain", "uk": "britain", "swiss": "switzerland",
    "greek": "greece", "welsh": "wales", "irish": "ireland", "spanish": "spain", "danish": "denmark",
    "polish": "poland", "finnish": "finland", "filipino": "philippines", "philippine": "philippines",
    "american": "us", "america": "us", "usa": "us", "united states": "us", "holland": "netherlands",
    "kiev": "kyiv", "peking": "beijing", "bombay": "mumbai", "burma": "myanmar",
    # one group, as agencies write it: "ISIS" / "ISIL" / "Daesh", "IS-K" / "ISIS-K" / "ISKP"
    "isil": "isis", "daesh": "isis", "isis k": "is k", "isil k": "is k", "iskp": "is k",
}
NAME_JOINERS = frozenset({"de", "du", "la", "le", "van", "von", "al", "bin", "del", "der"})
#: Lowercase words inside a name when a capitalised word follows: "Communist Party of China", "Ministry for
#: Foreign Affairs". They never end a name, and initials skip them ("CPC").
INNER_JOINERS = frozenset({"of", "for", "and", "the", "on"})
_JOINERS = NAME_JOINERS | INNER_JOINERS
#: Endings of inflected or derived words ("Increased", "Tightening", "Currently"): such a word opening a
#: sentence is an ordinary word, not a name ("Argentina", "Washington" do not end like this).
_INFLECTED = ("ed", "ing", "ly", "ment", "ments", "tion", "tions", "ness", "ities")
_CLITICS = ("n't", "'re", "'ve", "'ll", "'d", "'m")
_COMMON_CAPS = frozenset(
    """the a an he she it they we i you his her its their this that these those but and or so if when
    while after before as in on at for from by with to of mr mrs ms dr president prime minister yet
    nevertheless however meanwhile although though still also then now today yesterday tomorrow last let
    next since until despite during thus therefore moreover furthermore besides instead indeed even
    there here what who which where why how all some many most several both each every no not one
    according asked speaking arriving citing fresh separately""".split()
) | frozenset(  # days and months are dates, not names: "Sunday" / "March 24" may be one day
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec""".split()
) | frozenset(NUMBER_WORDS) | frozenset(SCALES)  # "Four men ..." / "Five men ...": a number, not a name

#: Words that open a sentence before another that could open it ("Ever since ..." / "Since ...", "Well yes"):
#: dropping one is no dropped name ("even", "so", "now", "still", "yet" are in _COMMON_CAPS: never openers).
_OPENING_WORDS = frozenset("ever just only well yes let please".split())

_TOKEN = re.compile(r"[\w][\w'’\-.]*[\w]|[\w]", re.UNICODE)
_QUOTE = re.compile(r"[“\"«]([^”\"»]{3,}?)[”\"»]")


@dataclass(frozen=True)
class Reading:
    """What the checks need of one side, computed once per text."""

    text: str
    tokens: tuple[Token, ...]
    names: tuple[tuple[int, int, str], ...]  # start, end, normalized name
    numbers: tuple[Figure, ...]  # start, end, value, qualifier, qualifier start
    amounts: tuple[number_check.Amount, ...]  # figures in a currency: start, end, currency codes
    keys: frozenset[str]
    cues: tuple[Token, ...]  # negation, hedge and modal words: the few tokens the cue checks read
    openers: tuple[Token, ...]  # capitalised common words opening a sentence: names only if paired


@lru_cache(maxsize=1 << 17)
def fold(word: str) -> str:
    """Case-, accent- and quote-insensitive form of a word, possessive dropped."""
    word = unicodedata.normalize("NFKD", word.replace("’", "'").replace("ß", "ss"))
    word = "".join(c for c in word if not unicodedata.combining(c)).lower()
    return word[:-2] if word.endswith("'s") else word


@lru_cache(maxsize=65536)
def read(text: str) -> Reading:
    """Tokens, names and numbers of a text (cached: syndicated copy repeats itself)."""
    tokens = tuple(Token(m.start(), m.end(), word, fold(word)) for m in _TOKEN.finditer(text) for word in (m.group(),))
    cues = tuple(t for t in tokens if is_cue(t.key))
    names = _names(text, tokens)
    openers = tuple(t for t in tokens if t.text[:1].isupper() and t.key not in _COMMON_CAPS and t.key.isalpha()
                    and sentence_initial(text, t.start) and not inside(names, t.start)
                    and not _inflected(t.key))  # "Increased restrictions": a word, not a name
    found, keys = figures(text), frozenset(t.key for t in tokens)
    return Reading(text, tokens, names, found, number_check.amounts(text, found), keys, cues, openers)


def _contraction(key: str) -> bool:
    """"We're", "I'd", "Don't": a word and its clitic, never a name, though no lexicon lists it."""
    return any(key.endswith(c) and key[:-len(c)].isalpha() for c in _CLITICS)


def _inflected(key: str) -> bool:
    return len(key) > 5 and key.endswith(_INFLECTED)


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, a quote, a parenthesis or a line."""
    before = text[max(0, start - 64):start].rstrip() or text[:start].rstrip()  # the window keeps it linear
    return not before or before[-1] in ".!?:;“\"'(‘«—–-\n"


def _names(text: str, tokens: tuple[Token, ...]) -> tuple[tuple[int, int, str], ...]:
    """Runs of capitalised words that are not just the first word of a sentence."""
    out: list[tuple[int, int, str]] = []
    run: list[Token] = []

    def close() -> None:
        while run and (run[-1].key in NAME_JOINERS or run[-1].key in INNER_JOINERS):
            run.pop()
        if run:
            out.append((run[0].start, run[-1].end, _name_key(" ".join(t.key for t in run))))
        run.clear()

    for i, tok in enumerate(tokens):
        if run and text[run[-1].end:tok.start].strip():
            close()  # punctuation between words ends a name: "Khorasan (IS-K)" is two
        word = tok.text
        capital = word[:1].isupper() and not word.isdigit()
        acronym = len(word) > 1 and word.replace("-", "").replace(".", "").isupper()
        if capital and (tok.key in _COMMON_CAPS or _contraction(tok.key)):
            capital = False  # "I'd like", "We're going": a pronoun or a verb, not a name
        if capital and (acronym or not sentence_initial(text, tok.start)):
            run.append(tok)
        elif capital and sentence_initial(text, tok.start) and (
                _next_is_capital(tokens, i) or word.endswith(("'s", "’s")) or not _common_word(tok.key)):
            run.append(tok)  # "Emmanuel Macron said", "Chile's top", "Parly reiterated": names open sentences too
        elif run and word.islower() and (tok.key in NAME_JOINERS or (
                tok.key in INNER_JOINERS and _next_is_capital(tokens, i) and text[tok.end:tok.end + 1] not in ",.;:")):
            run.append(tok)  # "Communist Party of China" is one name
        elif run:
            close()
        if run and word.endswith(("'s", "’s")):
            close()  # "Hong Kong's South China Morning Post" names two things
    close()
    return tuple(out)


def _name_key(name: str) -> str:
    """One spelling per name: "U.S." -> "us", "Johns-Hopkins-University" -> "johns hopkins university"."""
    words = []
    for word in name.replace("-", " ").split():
        bare = word.replace(".", "")
        bare = bare if bare.isalnum() else word
        if len(bare) > 2 and bare.endswith("s") and word[:-1].replace(".", "").isupper():
            bare = bare[:-1]  # "MCIs" is the plural of "MCI"
        words.append(bare)
    return " ".join(words)


def _next_is_capital(tokens: tuple[Token, ...], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].text[:1].isupper()


@lru_cache(maxsize=1 << 17)
def same_name(a: str, b: str) -> bool:
    """Whether two names can denote the same thing.

    They match when they end in the same word ("Macron" / "Emmanuel Macron"), when one is
    the other's initials ("UN" / "United Nations", "ISIS" / "Islamic State"), a
    demonym of it ("Brazilian" / "Brazil"), or a transliteration ("Zelensky" /
    "Zelenskyy"). "Guyana" / "Guiana" do not: different places, one letter apart; nor do two
    countries of ``drift.score.places`` ("Austria" / "Australia", "Sudan" / "South Sudan").
    Names joined by "and" match name by name, in any order: "Putin and Zelensky" /
    "Zelensky and Vladimir Putin", not "Zelensky" alone (it drops one of the two).
    """
    a, b = DEMONYMS.get(a, a), DEMONYMS.get(b, b)
    if different_countries(a, b):
        return False
    wa, wb = [DEMONYMS.get(w, w) for w in a.split()], [DEMONYMS.get(w, w) for w in b.split()]
    if not wa or not wb or qualified(wa, wb) or qualified(wb, wa):
        return False
    if a == b or _initials(wa, wb) or _initials(wb, wa):
        return True
    ca, cb = a.split(" and "), b.split(" and ")
    if len(ca) > 1 or len(cb) > 1:  # "Brooks and Groening" names two: "Groening" keeps the head, not both
        return len(ca) == len(cb) and all(any(same_name(x, y) for y in cb) for x in ca) \
            and all(any(same_name(y, x) for x in ca) for y in cb)
    if wa[-1] == wb[-1] and len(wa[-1]) > 2 and (set(wa) <= set(wb) or set(wb) <= set(wa) or not _common_word(wa[-1])):
        return True  # the same head: "Macron" / "Emmanuel Macron", not "Osaka Prefecture" / "Fukuoka Prefecture"
    return len(wa) == 1 and len(wb) == 1 and _same_word(wa[0], wb[0])


def _initials(short: list[str], long: list[str]) -> bool:
    if len(short) != 1 or len(long) < 2:
        return False
    initials = "".join(w[0] for w in long if w not in NAME_JOINERS and w not in INNER_JOINERS)
    acronym = short[0]
    return len(acronym) >= 2 and (acronym.startswith(initials) or initials.startswith(acronym))


@lru_cache(maxsize=1 << 17)
def _same_word(x: str, y: str) -> bool:
    if different_countries(x, y) or _digits(x) != _digits(y):
        return False  # "Austria" / "Australia", "Niger" / "Nigerian": alike in spelling only; "Covid-19" / "Covid-22"
    if x == y:
        return True  # "US" as a word of "US Constitution" and as the name "U.S."
    if min(len(x), len(y)) >= 2 and abs(len(x) - len(y)) == 1 and max(len(x), len(y)) <= 4 \
            and (x.startswith(y) or y.startswith(x)):
        return True  # short acronyms with a letter more: "BC" / "BCE", "US" / "USA"
    if len(x) < 4 or len(y) < 4:
        return False
    shared = next(i for i, (p, q) in enumerate(zip(x + "\0", y + "\1", strict=False)) if p != q)
    if shared >= max(4, min(len(x), len(y)) - 3):
        return True  # a demonym or an inflection: "Portuguese" / "Portugal", "Chinese" / "China"
    if x not in COUNTRY_OF and y not in COUNTRY_OF and transcribed(x, y):
        return True  # one name transcribed two ways: "Katri" / "Catry"; a country has one ("Guyana" / "Guiana")
    return SequenceMatcher(None, x, y).ratio() >= 0.88


def _digits(word: str) -> str:
    return "".join(c for c in word if c.isdigit()) if not word.isalpha() else ""


def compare_readings(a: Reading, b: Reading) -> list[Finding]:
    """Every typed change between two aligned texts."""
    return [
        *_name_findings(a, b),
        *number_findings(a, b),
        *date_findings(a, b),
        *currency_findings(a, b),
        *negation_findings(a, b),
        *hedge_findings(a, b),
        *modal_findings(a, b),
        *_quote_findings(a, b),
        *person_findings(a, b),
        *antonym_findings(a, b),
        *role_findings(a, b),
    ]


def _name_findings(a: Reading, b: Reading) -> list[Finding]:
    lost, gained = _lost_names(a, b), _lost_names(b, a)
    # A common word opening a sentence ("Argentina is known ...") is a name when the
    # other side has a changed name in its place.
    cities_a, cities_b = _stand_ins(a, b), _stand_ins(b, a)  # "Moscow says" / "The Russian capital says"
    openers_a = [(t.start, t.end, t.key) for t in a.openers if not _word_named(t.key, b) and t.key not in cities_b]
    openers_b = [(t.start, t.end, t.key) for t in b.openers if not _word_named(t.key, a) and t.key not in cities_a]
    # It is a name, too, when the text names it elsewhere, or when it was dropped cleanly and the
    # other side opens with the word that followed it ("Madagascar is ..." / "Is ...").
    paired_a, paired_b = bool(gained or openers_b), bool(lost or openers_a)
    lost = sorted(lost + (openers_a if paired_a else [o for o in openers_a if _dropped_name(a, b, o)]))
    gained = sorted(gained + (openers_b if paired_b else [o for o in openers_b if _dropped_name(b, a, o)]))
    if not lost and not gained:
        return []
    findings = []
    if lost and gained:
        findings.append(Finding("entity", STRENGTH["entity"], spans_of(lost), spans_of(gained)))
    else:
        findings.append(Finding("entity", STRENGTH["entity_one_side"], spans_of(lost), spans_of(gained)))
    moved = [n for n in lost if _near_cue(a, n)], [n for n in gained if _near_cue(b, n)]
    if moved[0] and moved[1]:
        findings.append(Finding("attribution", STRENGTH["attribution"], spans_of(moved[0]), spans_of(moved[1])))
    elif moved[0] or moved[1]:
        findings.append(Finding("attribution", STRENGTH["attribution_one_side"], spans_of(moved[0]),
                                spans_of(moved[1])))
    return findings


def _dropped_name(own: Reading, other: Reading, opener: tuple[int, int, str]) -> bool:
    """Whether a capitalised common word opening a sentence of ``own`` (absent from ``other``) is a name:
    ``own`` capitalises it inside a sentence too, joins it by "and" to a name ("Larson and LaFasto"), or
    ``other`` opens a sentence with the lowercase word that followed it, capitalised ("Turkey would also ..."
    / "Would also ..."). "Increased restrictions" / "Tightening restrictions" stays no name: the other side
    does not open with "Restrictions"."""
    start, end, key = opener
    if any(key in name.split() for _, _, name in own.names):
        return True
    if key in _OPENING_WORDS:
        return False
    starts = _lookup(own.text)[0]
    i = bisect_left(starts, start)
    if i + 1 >= len(own.tokens):
        return False
    following = own.tokens[i + 1]
    if own.text[end:following.start].strip() or not following.text[:1].islower():
        return False  # "Earlier, the minister said" / "The minister said": a word, not a name
    if following.key == "and" and i + 2 < len(own.tokens) and inside(own.names, own.tokens[i + 2].start) \
            and not own.text[following.end:own.tokens[i + 2].start].strip():
        return True  # "(Larson and LaFasto, 1989)": the first of two names joined by "and"
    return any(t.key == following.key and t.text[:1].isupper() and sentence_initial(other.text, t.start)
               for t in other.tokens)


def _lost_names(own: Reading, other: Reading) -> list[tuple[int, int, str]]:
    """The words of ``own``'s names that ``other`` does not name, as spans.

    A name kept whole (same name, initials, demonym, same surname, an acronym a letter or two
    longer or shorter: ``_acronym_named``) loses nothing;
    so is a capital city named by its country on the other side, and the other way round ("Moscow" /
    "the Russian capital": ``_stand_ins``);
    otherwise each name it joins by "and" is checked on its own ("Brooks and Groening" /
    "Groening" loses "Brooks"), then each word of a name not kept must be found on the
    other side, so a title kept around a changed name ("General Secretary Xi Jinping" /
    "General Secretary Skoda") still shows the change. Linear in the sentence: see ``drift.score.lookup``.
    """
    lost: list[tuple[int, int, str]] = []
    capitals, cities = _lookup(own.text)[2], _stand_ins(other, own)
    qualifiers = QualifiedNames(found for _, _, found in other.names)
    figure_words = number_check.figure_names(own, other)  # "US" of "5 million US dollars" / "$5 million"
    shortened = spelled_out(own, _initials_filed(other.text), _JOINERS)  # "SAR" / "Special ..."
    for name in own.names:
        if _kept(name[2], other) or by_surname(name[2], _speakers(other.text)) \
                or any(same_name(name[2], city) for city in cities) or inside(figure_words, name[0]) \
                or (name[0] in capitals and _city_named(capitals[name[0]], other)) \
                or _acronym_named(own.text[name[0]:name[1]], other):
            continue
        if _requalified(name[2], own, other, qualifiers):
            lost.append(name)  # "Sudan" / "South Sudan": the whole name changed, not one word of it
            continue
        for start, end, key in _conjuncts(own, name):
            if key != name[2] and _kept(key, other):
                continue
            run: list[Token] = []
            for tok in own.tokens[slice(*token_range(own, start, end))]:
                word = _name_key(tok.key)
                kept = word in _JOINERS or _word_named(word, other) or word in cities or tok.start in shortened
                if not kept and len(word) > 1:
                    run.append(tok)
                elif run:
                    lost.append((run[0].start, run[-1].end, " ".join(t.key for t in run)))
                    run = []
            if run:
                lost.append((run[0].start, run[-1].end, " ".join(t.key for t in run)))
    return lost


@lru_cache(maxsize=4096)
def _initials_filed(text: str) -> Initials:
    return Initials.of(read(text), _JOINERS)


@lru_cache(maxsize=4096)
def _speakers(text: str) -> frozenset[str]:
    return speakers_opening(read(text), SPEECH_CUES)


def _requalified(name: str, own: Reading, other: Reading, qualifiers: QualifiedNames) -> bool:
    """Whether ``other`` names the place ``name`` names with a qualifier more or less ("Sudan" / "South Sudan"),
    and does not say the qualified name as plain words ("north Shore", "The North, Shore": case and commas)."""
    words = name.split()
    found = qualifiers.partner(words)
    if found is None:
        return False
    longer = max(words, found.split(), key=len)
    return not (_has_run(own, longer) and _has_run(other, longer))


def _has_run(reading: Reading, words: list[str]) -> bool:
    keys = [t.key for t in reading.tokens]
    return any(keys[i:i + len(words)] == words for i in range(len(keys) - len(words) + 1))


def _acronym_named(text: str, other: Reading) -> bool:
    """Whether ``other`` writes an acronym with a letter or two more or less: "ISIS" / "IS", "USA" / "US".
    Only capitals count: "Jike" / "Ji" (romanised names) are two names."""
    if not _acronym(text):
        return False
    return any(_acronym(found) and 0 < abs(len(found) - len(text)) <= 2 and (found.startswith(text) or
                                                                          text.startswith(found))
               for found in (other.text[start:end] for start, end, _ in other.names))


def _acronym(text: str) -> bool:
    return 2 <= len(text) <= 5 and text.isalpha() and text.isupper()


def _kept(key: str, other: Reading) -> bool:
    """Whether ``other`` has a name (or one of the names it joins by "and") that may denote ``key``."""
    return any(same_name(key, n) for n in _lookup(other.text)[1].candidates(key))


def _conjuncts(own: Reading, name: tuple[int, int, str]) -> list[tuple[int, int, str]]:
    """The names a name joins by "and", as names of their own: "Brooks and Groening" names two people."""
    start, end, key = name
    if " and " not in key:
        return [name]
    tokens = own.tokens[slice(*token_range(own, start, end))]
    cuts = [i for i, t in enumerate(tokens) if t.key == "and"]
    return [(tokens[i + 1].start, tokens[j - 1].end, _name_key(" ".join(t.key for t in tokens[i + 1:j])))
            for i, j in zip([-1, *cuts], [*cuts, len(tokens)], strict=True) if j > i + 1]


def _word_named(word: str, other: Reading) -> bool:
    """Whether ``other`` spells the word, or names it another way ("Brazil" / "Brazilian")."""
    return word in other.keys or _lookup(other.text)[1].names_word(word, _same_word)


def _city_named(city: str, other: Reading) -> bool:
    """Whether ``other`` names a city, as a name or in words ("Moscow says ...": an opener, not a name)."""
    return _kept(city, other) or all(_word_named(word, other) for word in city.split())


def _stand_ins(other: Reading, own: Reading) -> frozenset[str]:
    """The capital cities ``other`` names by their country only, where ``own`` does not name them so too: a
    phrase on both sides ("Ottawa is the capital of Canada" / "Europe is the capital of Canada") pairs with
    itself, and one beside its city ("Moscow, the Russian capital") stands for nothing (``drift.score.places``)."""
    return frozenset(_lookup(other.text)[2].values()) - _lookup(own.text)[3]


def _says(reading: Reading, city: str) -> bool:
    return all(w in reading.keys or any(k in reading.keys for k, v in DEMONYMS.items() if v == w) for w in city.split())


@lru_cache(maxsize=4096)
def _lookup(text: str) -> tuple[list[int], NameIndex, dict[int, str], frozenset[str]]:
    """Once per text: token starts (to bisect), names, the capitals it names by their country and not by name
    too (country name start -> city), and every capital it names by its country."""
    reading = read(text)
    phrases = capital_cities(text, reading.tokens, reading.names)
    return ([t.start for t in reading.tokens], NameIndex.of(reading, DEMONYMS),
            {start: city for start, city in phrases if not _says(reading, city)}, frozenset(c for _, c in phrases))


def token_range(reading: Reading, start: int, end: int) -> tuple[int, int]:
    """Indices ``[first, stop)`` of the reading's tokens that start in ``[start, end)`` (by bisection)."""
    return between(_lookup(reading.text)[0], start, end)


def _near_cue(reading: Reading, name: tuple[int, int, str], window: int = 4) -> bool:
    """Whether a name sits where the speaker or a party to talks would: "X said", "talks with X"."""
    first, stop = token_range(reading, name[0], name[1])
    if stop <= first:
        return False
    lo, hi = max(0, first - window), min(len(reading.tokens), stop + window)
    tokens = reading.tokens
    return any(reports_speech(tokens, i) or tokens[i].key in MEETING_CUES and not _naming(tokens, i)
               for i in range(lo, hi))


def _naming(tokens: tuple[Token, ...], i: int) -> bool:
    """"is called Biased Chains", "so-called": "called" names a thing there; no one speaks or meets."""
    return tokens[i].key == "called" and i > 0 and tokens[i - 1].key in _NAMING_BEFORE


def _quote_findings(a: Reading, b: Reading) -> list[Finding]:
    """Quoted words that the other version's matching quote does not have."""
    quotes_b = [(m.start(1), m.end(1), {fold(w) for w in _TOKEN.findall(m.group(1))}) for m in _QUOTE.finditer(b.text)]
    findings = []
    for m in _QUOTE.finditer(a.text):
        words = {fold(w) for w in _TOKEN.findall(m.group(1))}
        if len(words) < 3 or not quotes_b:
            continue
        best = max(quotes_b, key=lambda q: len(words & q[2]) / max(1, len(words | q[2])))
        overlap = len(words & best[2]) / max(1, len(words | best[2]))
        if 0.3 <= overlap < 1.0:
            # A word the other side says anywhere only moved out of the quote; function words
            # ("had" / "has") are the translator's, not the speaker's.
            only_a = tuple((t.start, t.end) for t in a.tokens[slice(*token_range(a, *m.span(1)))]
                           if t.key not in best[2] and t.key not in b.keys and t.key not in STOPWORDS)
            only_b = tuple((t.start, t.end) for t in b.tokens[slice(*token_range(b, *best[:2]))]
                           if t.key not in words and t.key not in a.keys and t.key not in STOPWORDS)
            if only_a or only_b:
                findings.append(Finding("quote", STRENGTH["quote"], only_a, only_b))
    return findings
