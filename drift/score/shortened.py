"""Names written short: an acronym for some words of a longer name, a surname for a full name.

"Hong Kong SAR" / "Hong Kong Special Administrative Region", "the PLA" / "the Chinese People's Liberation
Army" and "Steve Marshall said" / "Marshall said" name one thing each. The name check
(``drift.score.evidence``) compares whole names, and read each as a changed name (0.78, 0.81 and 0.88, major,
before this module). What one text offers the other is filed once per text, so each side looks the other's up
in constant time per word (a sentence may be a list of thousands of names).
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from drift.score.finding import Token

#: Acronyms this long are read; two letters ("US", "UN") match too many initials by chance and have their own
#: rules (``evidence._initials``, ``evidence._acronym_named``).
LENGTHS = range(3, 7)


class _Read(Protocol):
    """What these checks need of a Reading (a Protocol: this module comes before evidence, not after)."""

    @property
    def text(self) -> str: ...

    @property
    def tokens(self) -> Sequence[Token]: ...

    @property
    def names(self) -> Sequence[tuple[int, int, str]]: ...

    @property
    def openers(self) -> Sequence[Token]: ...


def acronym(word: str) -> str:
    """The word as a lowercase acronym ("PLA's" -> "pla"), or "" when it is none."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            word = word[:-len(suffix)]
    return word.lower() if len(word) in LENGTHS and word.isalpha() and word.isupper() else ""


def name_runs(reading: _Read) -> tuple[tuple[Token, ...], ...]:
    """The words of a text's names, names only a space apart as one ("Chinese People's" "Liberation Army")."""
    starts = [t.start for t in reading.tokens]
    runs: list[list[Token]] = []
    end = -1
    for start, stop, _ in reading.names:
        words = list(reading.tokens[bisect_left(starts, start):bisect_left(starts, stop)])
        if runs and not reading.text[end:start].strip():
            runs[-1] += words
        else:
            runs.append(words)
        end = stop
    return tuple(tuple(run) for run in runs)


@dataclass(frozen=True)
class Initials:
    """What one text offers the other side: its acronyms, and every run of its names' initials."""

    acronyms: frozenset[str]
    runs: frozenset[str]

    @classmethod
    def of(cls, reading: _Read, joiners: Collection[str]) -> Initials:
        runs: set[str] = set()
        for words in name_runs(reading):
            letters = "".join(t.key[0] for t in words if t.key not in joiners)
            runs.update(letters[i:i + n] for n in LENGTHS for i in range(len(letters) - n + 1))
        return cls(frozenset(a for a in (acronym(t.text) for t in reading.tokens) if a), frozenset(runs))


def spelled_out(reading: _Read, other: Initials, joiners: Collection[str]) -> set[int]:
    """Starts of the words of a text's names that the other side writes another way: an acronym the other side
    spells out in a name of its own, and consecutive words whose initials are an acronym the other side writes."""
    covered: set[int] = set()
    for words in name_runs(reading):
        covered.update(t.start for t in words if acronym(t.text) and acronym(t.text) in other.runs)
        lettered = [t for t in words if t.key not in joiners]
        for n in LENGTHS:
            for i in range(len(lettered) - n + 1):
                if "".join(t.key[0] for t in lettered[i:i + n]) in other.acronyms:
                    covered.update(t.start for t in lettered[i:i + n])
    return covered


def speakers_opening(reading: _Read, speech: Collection[str]) -> frozenset[str]:
    """The common words opening a text's sentences as a person is named there: before a comma or a word of
    speech ("Marshall said", "Marshall, the attorney general,")."""
    starts = [t.start for t in reading.tokens]
    found: set[str] = set()
    for opener in reading.openers:
        i = bisect_left(starts, opener.start)
        following = reading.tokens[i + 1] if i + 1 < len(reading.tokens) else None
        if reading.text[opener.end:opener.end + 1] == "," or following is not None and following.key in speech \
                and not reading.text[opener.end:following.start].strip():
            found.add(opener.key)
    return frozenset(found)


def by_surname(name: str, speakers: frozenset[str]) -> bool:
    """Whether the other side names ``name`` (two words or more, folded) by its last word where a sentence opens
    (``speakers_opening``): "Steve Marshall said" / "Marshall said"; "European Union countries" / "Union
    countries" is no person named."""
    words = name.split()
    return len(words) > 1 and len(words[-1]) > 3 and words[-1] in speakers
