"""Countries and their capitals: "the Russian capital" names Moscow; "Austria" is not "Australia".

A translator may write the city where the original wrote the country's capital, or the other way
round; the entity check (``drift.score.evidence``) then must not read "Russian" / "Moscow" as a name
replaced by another, while "the Russian capital" / "Kyiv" still is one. The same table tells apart
countries whose names share their first letters: the entity check takes "Portuguese" / "Portugal" for
one name by spelling, and so would take "Austria" / "Australia" or "Niger" / "Nigeria" (``different_countries``).
The table is written by hand for news copy and kept short: one line per country: its name keys as
``evidence`` folds them (the same targets as ``evidence.DEMONYMS``: "britain", "us", "netherlands") and
demonyms, then its capital. It holds every country whose name or demonym shares its spelling rule with
another's (checked by ``tests/test_evidence_capitals.py`` over a list of the world's countries).
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

from drift.score.finding import Token

#: Words before a place name that make it another place: "South Sudan", "West Virginia", "New Mexico" (not
#: "Northern Europe" / "Europe": a part of the same place).
QUALIFIERS = frozenset("north south east west new".split())


def qualified(short: list[str], long: list[str]) -> bool:
    """Whether ``long`` is ``short`` with a place qualifier before it: "South Sudan" / "Sudan", "West Virginia" /
    "Virginia", "New Mexico" / "Mexico" are different places, not a name and its short form."""
    k = len(long) - len(short)
    return k > 0 and long[k:] == short and all(w in QUALIFIERS for w in long[:k])


class QualifiedNames:
    """One side's names, found by their words and by their words after leading qualifiers, so that which name is
    another's with a qualifier more or less is one lookup, not a pass over every name (a list of names
    against a list of names was quadratic)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(names)
        self._whole: dict[tuple[str, ...], int] = {}  # a name's words -> its first place
        self._bare: dict[tuple[str, ...], int] = {}  # a name's words after 1, 2... leading qualifiers -> first place
        for at, name in enumerate(self.names):
            words = tuple(name.split())
            self._whole.setdefault(words, at)
            for k in _qualifier_cuts(words):
                self._bare.setdefault(words[k:], at)

    def partner(self, words: Sequence[str]) -> str | None:
        """The first name that is ``words`` with a qualifier before it, or that ``words`` is with one before it
        (``qualified`` either way round), or None."""
        key = tuple(words)
        places = [self._bare.get(key), *(self._whole.get(key[k:]) for k in _qualifier_cuts(key))]
        found = [at for at in places if at is not None]
        return self.names[min(found)] if found else None


def _qualifier_cuts(words: tuple[str, ...]) -> Iterable[int]:
    """Each k > 0 where ``words[:k]`` are all qualifiers and some word is left after them."""
    k = 0
    while k < len(words) - 1 and words[k] in QUALIFIERS:
        k += 1
        yield k

_TABLE = """
afghanistan, afghan: kabul
argentina, argentine, argentinian: buenos aires
armenia, armenian: yerevan
australia, australian: canberra
austria, austrian: vienna
azerbaijan, azerbaijani, azeri: baku
belarus, belarusian: minsk
belgium, belgian: brussels
brazil, brazilian: brasilia
britain, united kingdom, uk, british: london
canada, canadian: ottawa
china, chinese: beijing
colombia, colombian: bogota
cuba, cuban: havana
czech republic, czechia, czech: prague
denmark, danish: copenhagen
dominica: roseau
dominican republic, dominican: santo domingo
egypt, egyptian: cairo
equatorial guinea, equatoguinean: malabo
ethiopia, ethiopian: addis ababa
finland, finnish: helsinki
france, french: paris
georgia, georgian: tbilisi
germany, german: berlin
greece, greek: athens
guinea, guinean: conakry
guyana, guyanese: georgetown
hungary, hungarian: budapest
india, indian: new delhi
indonesia, indonesian: jakarta
iran, iranian: tehran
iraq, iraqi: baghdad
ireland, irish: dublin
italy, italian: rome
japan, japanese: tokyo
kenya, kenyan: nairobi
lebanon, lebanese: beirut
libya, libyan: tripoli
madagascar, malagasy: antananarivo
malawi, malawian: lilongwe
malaysia, malaysian: kuala lumpur
mali, malian: bamako
mauritania, mauritanian: nouakchott
mauritius, mauritian: port louis
mexico, mexican: mexico city
netherlands, holland, dutch: amsterdam
niger, nigerien: niamey
nigeria, nigerian: abuja
north korea, north korean: pyongyang
norway, norwegian: oslo
pakistan, pakistani: islamabad
papua new guinea: port moresby
peru, peruvian: lima
philippines, filipino, philippine: manila
poland, polish: warsaw
portugal, portuguese: lisbon
qatar, qatari: doha
romania, romanian: bucharest
russia, russian: moscow
saudi arabia, saudi: riyadh
serbia, serbian: belgrade
slovakia, slovak, slovakian: bratislava
slovenia, slovene, slovenian: ljubljana
somalia, somali: mogadishu
somaliland: hargeisa
south korea, south korean: seoul
south sudan, south sudanese: juba
spain, spanish: madrid
sudan, sudanese: khartoum
sweden, swedish: stockholm
switzerland, swiss: bern
syria, syrian: damascus
taiwan, taiwanese: taipei
thailand, thai: bangkok
turkey, turkish: ankara
turkmenistan, turkmen: ashgabat
ukraine, ukrainian: kyiv
us, usa, united states, america, american: washington
venezuela, venezuelan: caracas
vietnam, vietnamese: hanoi
yemen, yemeni: sanaa
"""


def _parse(table: str) -> dict[str, str]:
    return {name.strip(): city.strip() for line in table.strip().splitlines()
            for names, city in [line.split(":")] for name in names.split(",")}


#: A country's name key, or a demonym, -> the key of its capital city.
CAPITAL_OF = _parse(_TABLE)
#: A country's name key, or a demonym, -> the country (its line's first name).
COUNTRY_OF = {name.strip(): names.split(",")[0].strip() for line in _TABLE.strip().splitlines()
              for names in [line.split(":")[0]] for name in names.split(",")}


def different_countries(a: str, b: str) -> bool:
    """Whether two name keys (or demonyms) are known countries, and not the same one."""
    country_a, country_b = COUNTRY_OF.get(a), COUNTRY_OF.get(b)
    return country_a is not None and country_b is not None and country_a != country_b


def capital_cities(text: str, tokens: Sequence[Token], names: Sequence[tuple[int, int, str]]) -> tuple[
        tuple[int, str], ...]:
    """(start of the country's name, capital city key) for each capital a text names by its country.

    "the Russian capital" (a demonym or country after "the"), "Russia's capital" (a possessive) and
    "the capital of Russia" (also "the capital city of Russia"). The table says which city.
    """
    starts = [t.start for t in tokens]
    found = []
    for start, end, key in names:
        city = CAPITAL_OF.get(key)
        if city is None:
            continue
        i, j = bisect_left(starts, start), bisect_left(starts, end)
        gap = text[end:tokens[j].start].strip() if j < len(tokens) else "-"
        after = tokens[j].key if not gap or (gap == "." and "." in text[start:end]) else ""  # "the U.S. capital"
        before = [t.key for t in tokens[max(0, i - 4):i]]
        possessive = text[end - 2:end].replace("’", "'") == "'s"
        if after == "capital" and (possessive or before[-1:] == ["the"]):
            found.append((start, city))  # "the Russian capital", "Russia's capital"
            continue
        before = before[:-1] if before[-1:] == ["the"] else before  # "the capital of the United States"
        if before[-2:] == ["capital", "of"] or before[-3:] == ["capital", "city", "of"]:
            found.append((start, city))  # "the capital of Russia", "the capital city of Russia"
    return tuple(found)
