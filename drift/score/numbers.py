"""Figures in a text and how they changed: counts, amounts, dates, ranges and the hedges on them.

Part of the typed checks (``drift.score.evidence``). Each text is read once; a figure
is its value, scaled ("10 million"), with the qualifier before it ("at least 137").
A day of the week or a month named on both sides, differently, is a changed date
(``date_findings``: "on Friday evening" / "on Saturday evening"), and a currency the
same way a changed amount (``currency_findings``: "$5 million" / "5 million yuan").
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from drift.score.finding import STRENGTH, Finding, spans_of

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    from drift.score.evidence import Reading
    from drift.score.finding import Token

#: Hedges on a figure, by what they do to it: translations swap words within a class freely.
QUALIFIER_CLASS = {
    "at least": "lower", "more than": "lower", "over": "lower", "upwards of": "lower",
    "nearly": "approx", "almost": "approx", "about": "approx", "around": "approx", "some": "approx",
    "roughly": "approx", "approximately": "approx", "an estimated": "approx", "close to": "approx",
    "up to": "upper", "fewer than": "upper", "less than": "upper", "at most": "upper", "under": "upper",
}
QUALIFIERS = tuple(sorted(QUALIFIER_CLASS, key=len, reverse=True))
NUMBER_WORDS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split())
}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                     "ninety": 90, "hundred": 100, "dozen": 12})
SCALES = {"thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9,
          "billions": 1e9, "trillion": 1e12, "hundreds": 100, "dozens": 12, "percent": 1, "per cent": 1}
#: Temperature scales, capitalised like names, and how a text may write them as a symbol instead.
_CELSIUS = re.compile(r"℃|°\s?C\b")
UNIT_SYMBOLS = {"celsius": _CELSIUS, "centigrade": _CELSIUS, "fahrenheit": re.compile(r"℉|°\s?F\b")}
#: Words between the two ends of a range: "4 to 6 million", "4-6 million".
RANGE_WORDS = frozenset({"to", "-", "–", "and", "or"})

#: Units written onto a figure ("200ml", "5km"): the figure is read, the unit left to the words around it.
#: Only units no scale shares: "5m" may be metres or millions, "2bn" is left unread as before.
_GLUED_UNIT = r"(?:ml|km|kg|mg|mm|cm|kw|mw|gw|kwh|mph|kmh|ha)"
_FIGURE_END = r"(?=" + _GLUED_UNIT + r"?(?![\w]))"  # no letter or digit after it, but a glued unit
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?" + _FIGURE_END
                     + r"|(?<![\w.])\d+(?:\.\d+)?(?:st|nd|rd|th)?" + _FIGURE_END, re.IGNORECASE)
_NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b")

Figure = tuple[int, int, float, str, int]  # start, end, value, qualifier, qualifier start
Amount = tuple[int, int, frozenset[str]]  # start, end (the figure included), the currencies it may be in

WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset("""january february march april may june july august september october november
    december""".split())
#: Months that are also words ("May I", "March on"): a month only beside a day or after these.
_AMBIGUOUS_MONTHS = frozenset({"may", "march"})
_MONTH_BEFORE = frozenset({"in", "of", "since", "until", "till", "early", "late", "mid", "last", "next", "by",
                           "from", "through", "during", "before", "after"})


def figures(text: str) -> tuple[Figure, ...]:
    """Every figure of a text, in order: digits and number words, scaled, with their qualifier."""
    out: list[Figure] = []
    lowered = text.lower()
    for m in _NUMBER.finditer(text):
        if _named(text, m.start()):
            continue
        raw = re.sub(r"(st|nd|rd|th)$", "", m.group()).replace(",", "").replace(" ", "")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
            raw = raw.replace(".", "")  # "272.000": a European thousands separator, not a decimal
        try:
            value = float(raw)
        except ValueError:
            continue
        value, end = _scaled(lowered, value, m.end())
        out.append((m.start(), end, value, *_qualifier(lowered, m.start())))
    for m in _NUMBER_WORD.finditer(lowered):
        if m.group() in ("second", "half") or (m.group() == "one" and not _counted(lowered, m.end())):
            continue  # "a second time", "one of": rarely a figure
        value, end = _scaled(lowered, float(NUMBER_WORDS[m.group()]), m.end())
        out.append((m.start(), end, value, *_qualifier(lowered, m.start())))
    return _ranges(lowered, sorted(out))


def _named(text: str, start: int) -> bool:
    """Digits joined by a hyphen to a capitalised word are part of a name: "COVID-19", "G-20", "Su-57" (while
    "mid-2020" and "top-10" are figures)."""
    if start < 2 or text[start - 1] != "-":
        return False
    word = _WORD_BEFORE.search(text, max(0, start - 40), start - 1)
    return word is not None and word.group()[:1].isupper()


_WORD_BEFORE = re.compile(r"[^\W\d_][\w.]*$")


def _ranges(lowered: str, out: list[Figure]) -> tuple[Figure, ...]:
    """A range shares its scale: "4 to 6 million" is 4 million to 6 million (as "4 million to 6 million")."""
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        scale = next((f for s, f in SCALES.items() if lowered[second[0]:second[1]].endswith(s)), None)
        if (lowered[first[1]:second[0]].strip() in RANGE_WORDS and scale and scale > 1
                and not any(s in lowered[first[0]:first[1]] for s in SCALES) and first[2] * scale <= second[2] * 10):
            out[i] = (first[0], first[1], first[2] * scale, first[3], first[4])
    return tuple(out)


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


#: Currencies by ISO code: symbols and words (folded, singular and plural) as translations write them.
CURRENCIES = {
    "usd": "$ us$ usd dollar dollars", "eur": "€ eur euro euros", "gbp": "£ gbp pound pounds sterling",
    "cny": "cny rmb yuan renminbi", "jpy": "jpy yen", "rub": "rub rouble roubles ruble rubles",
    "inr": "inr rupee rupees", "chf": "chf franc francs", "hkd": "hk$ hkd",
}
#: Signs shared by currencies: "¥" is the yen and the yuan.
_SHARED_SIGNS = {"¥": frozenset({"cny", "jpy"})}
_CURRENCY_OF = {word: frozenset({code}) for code, words in CURRENCIES.items() for word in words.split()}
_CURRENCY_OF.update(_SHARED_SIGNS)
_CURRENCY = re.compile(r"(?<![\w$])(?:us\$|hk\$|[$€£¥])(?=\s?\d)|\b(?:" + "|".join(
    sorted((re.escape(w) for w in _CURRENCY_OF if w[0].isalpha()), key=len, reverse=True)) + r")\b")
_FIGURE_GAP = re.compile(r"\s+(?:(?:us|u\.s\.|hong kong|chinese|japanese)\s+)?")


def currency_findings(a: "Reading", b: "Reading") -> list[Finding]:
    """One currency on each side, and not the same: "$5 million" / "5 million yuan". Only an amount counts (a
    currency beside a figure: "the dollar rose" is none), and a side naming two currencies (an exchange rate,
    "5 million yuan ($700,000)") is left alone."""
    found_a, found_b = a.amounts, b.amounts
    codes_a = frozenset().union(*(codes for *_, codes in found_a))
    codes_b = frozenset().union(*(codes for *_, codes in found_b))
    if not codes_a or not codes_b or codes_a & codes_b or _several(found_a) or _several(found_b):
        return []
    return [Finding("number", STRENGTH["number"], tuple((s, e) for s, e, _ in found_a),
                    tuple((s, e) for s, e, _ in found_b))]


def figure_names(own: "Reading", other: "Reading") -> list[tuple[int, int, str]]:
    """Spans of ``own`` whose capitalised words belong to a figure, not to a name, as sorted spans: a currency's
    word in an amount whose currency ``other`` also gives an amount in (the "US" of "5 million US dollars" /
    "$5 million": ``currency_findings`` compares currencies), or a temperature scale ``other`` writes as its
    symbol ("37 degrees Celsius" / "37 ℃")."""
    codes = frozenset().union(*(found for *_, found in other.amounts))
    spans = [(start, end, "") for start, end, found in own.amounts if found & codes]
    spans += [(start, end, "") for start, end, key in own.names
              if key in UNIT_SYMBOLS and UNIT_SYMBOLS[key].search(other.text)]
    return sorted(spans)


def _several(found: tuple[Amount, ...]) -> bool:
    """Whether the amounts name two currencies for sure (no code that all of them may be)."""
    return bool(found) and not frozenset.intersection(*(codes for *_, codes in found))


def amounts(text: str, numbers: "Sequence[Figure]") -> tuple[Amount, ...]:
    """(start, end, codes) of each amount in a currency: a sign or code before a figure ("$5 million", "RMB
    7.0") or a currency word right after one ("5 million yuan", "300 US dollars"), the figure included. Read once
    per text, with its figures (``drift.score.evidence.read``)."""
    lowered = text.lower()
    out = []
    for m in _CURRENCY.finditer(lowered):
        codes = _CURRENCY_OF[m.group()]
        if not m.group()[0].isalpha():
            figure = next((n for n in numbers if m.end() <= n[0] <= m.end() + 1), None)
            if figure is not None:
                out.append((m.start(), figure[1], codes))
            continue
        figure = next((n for n in numbers if n[1] <= m.start()
                       and _FIGURE_GAP.fullmatch(lowered[n[1]:m.start()])), None)
        if figure is not None:
            out.append((figure[0], m.end(), codes))
            continue
        figure = next((n for n in numbers if m.end() < n[0] and not lowered[m.end():n[0]].strip()), None)
        if figure is not None:  # "RMB 7.0", "USD 5 million"
            out.append((m.start(), figure[1], codes))
    return tuple(out)


def date_findings(a: "Reading", b: "Reading") -> list[Finding]:
    """A day of the week, or a month, that both sides name and on which they disagree: "Friday" / "Saturday",
    "March" / "May". A date one side names alone is no change here (a rewrite adds "on Monday"; a day of the
    month is a figure, ``number_findings``), nor is "Sunday" / "March 24" (possibly one day)."""
    findings = []
    for names in (WEEKDAYS, MONTHS):
        found_a, found_b = _dates(a, names), _dates(b, names)
        keys_a, keys_b = {t.key for t in found_a}, {t.key for t in found_b}
        if keys_a and keys_b and not keys_a & keys_b:
            findings.append(Finding("number", STRENGTH["number"], tuple((t.start, t.end) for t in found_a),
                                    tuple((t.start, t.end) for t in found_b)))
    return findings


def _dates(reading: "Reading", names: frozenset[str]) -> list["Token"]:
    tokens = reading.tokens
    return [t for i, t in enumerate(tokens) if t.key in names and t.text[:1].isupper()
            and (t.key not in _AMBIGUOUS_MONTHS or month_at(tokens, i))]


def month_at(tokens: "Sequence[Token]", i: int) -> bool:
    """Whether "May" or "March" (any case) is the month: before a day ("May 5") or after "in", "since"...
    Not "Texas May Trigger Floods" (a headline's modal) nor "March on Washington"."""
    return (i + 1 < len(tokens) and tokens[i + 1].text[:1].isdigit()) or (i > 0 and tokens[i - 1].key in _MONTH_BEFORE)


def number_findings(a: "Reading", b: "Reading") -> list[Finding]:
    """Figures one side gives and the other does not (a changed value), and changed hedges on a figure."""
    values_a = {n[2] for n in a.numbers}
    values_b = {n[2] for n in b.numbers}
    lost = [n for n in a.numbers if n[2] not in values_b]
    gained = [n for n in b.numbers if n[2] not in values_a]
    findings = []
    if lost and gained:
        findings.append(Finding("number", STRENGTH["number"], spans_of(lost), spans_of(gained)))
    elif lost or gained:
        findings.append(Finding("number", STRENGTH["number_one_side"], spans_of(lost), spans_of(gained)))
    qualified_a = {n[2]: n for n in a.numbers}
    for n in b.numbers:
        m = qualified_a.get(n[2])
        if m is None:
            continue
        class_a, class_b = QUALIFIER_CLASS.get(m[3], ""), QUALIFIER_CLASS.get(n[3], "")
        if class_a != class_b:
            strength = STRENGTH["qualifier"] if class_a and class_b else STRENGTH["qualifier_one_side"]
            findings.append(Finding("number", strength, spans_of([m], qualifier=True),
                                    spans_of([n], qualifier=True)))
    return findings
