"""Names that trade places ("Russia blamed Ukraine" / "Ukraine blamed Russia"): the role check.

Every word of a reversed statement is on both sides, so the word vectors, the shared
characters and the name check all read it as a copy; only the order of the names says
who did what to whom. The check is narrow on purpose: two names that each side writes
once, in the opposite order, with the same words between them (a passive, "Russia was
blamed by Ukraine", has other words between and is left alone), and those words are no
link of two equals ("Russia and Ukraine", "held talks with", "versus"). Like every typed
check it gives the classifier a feature and names the kind of a change, and never raises
a flag on its own.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from typing import TYPE_CHECKING

from drift.score.finding import STRENGTH, Finding

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterator

    from drift.score.evidence import Reading

#: Words between two names that state no direction: the two can trade places and mean the same.
SYMMETRIC = frozenset("""and or nor & plus vs vs. versus v with between both neither either as well against
met meet meets meeting talks talk talked spoke speak speaks called call calls phoned tied drew draw draws
and/or""".split())


#: The most words between two names the check reads: past it, two names rarely share one verb, and a long
#: list of names stays linear to check.
MOST = 12


def role_findings(a: "Reading", b: "Reading") -> list[Finding]:
    """Two names in each other's place with the same words between them."""
    places_a, places_b = _places(a), _places(b)
    starts_b = [t.start for t in b.tokens]
    return [Finding("role", STRENGTH["role"], (places_a[x], places_a[y]), (places_b[y], places_b[x]))
            for x, y, words in _directed(a, {k: v for k, v in places_a.items() if k in places_b})
            if places_b[y][0] < places_b[x][0] and words == _between(b, starts_b, places_b[y], places_b[x])]


def reversible(reading: "Reading", most: int = 8, openers: bool = True
               ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Pairs of names the side writes once, in order, with 1 to ``most`` words between them that state a
    direction: where putting one in the other's place would change who did what (``scorer_synth``'s
    role swaps)."""
    places = _places(reading, openers)
    return [(places[x], places[y]) for x, y, _ in _directed(reading, places, most)]


def _directed(reading: "Reading", places: dict[str, tuple[int, int]], most: int = MOST
              ) -> "Iterator[tuple[str, str, tuple[str, ...]]]":
    """(first, second, the words between) for two of ``places``' names in text order, at most ``most`` words
    apart, the words between them stating a direction (not ``_symmetric``)."""
    order = sorted(places, key=lambda k: places[k])
    starts = [t.start for t in reading.tokens]
    for i, x in enumerate(order):
        for y in order[i + 1:]:
            words = _between(reading, starts, places[x], places[y], most)
            if words is None:
                break  # the names after y are farther still
            if not _symmetric(words):
                yield x, y, words


def _places(reading: "Reading", openers: bool = True) -> dict[str, tuple[int, int]]:
    """Names (and capitalised sentence openers) the side writes exactly once, by key."""
    spans = [(s, e, key) for s, e, key in reading.names]
    spans += [(t.start, t.end, t.key) for t in reading.openers] if openers else []
    counts = Counter(key for *_, key in spans)
    return {key: (s, e) for s, e, key in spans if counts[key] == 1 and " and " not in key}


def _between(reading: "Reading", starts: list[int], first: tuple[int, int], second: tuple[int, int],
             most: int = MOST) -> tuple[str, ...] | None:
    """The words between two names, articles left out ("sanctions on Belarus" / "on the European Union");
    None past ``most`` words."""
    i, j = bisect_left(starts, first[1]), bisect_left(starts, second[0])
    if j - i > most:
        return None
    return tuple(t.key for t in reading.tokens[i:j] if t.key not in _ARTICLES)


_ARTICLES = frozenset(("the", "a", "an"))


def _symmetric(words: tuple[str, ...]) -> bool:
    return not words or any(w in SYMMETRIC for w in words)
