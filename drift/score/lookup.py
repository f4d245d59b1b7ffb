"""Lookups that keep the typed checks linear in sentence length: name indexes and token bisection.

A sentence may be a megabyte of text or a list of a thousand names. Comparing every
name of one side with every name of the other, or scanning every token for each
name, grows with the square of that; these structures are built once per text and
answer each question in about constant time.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

#: Up to this many distinct names (or name words) on a side, each is tried, as always. Past it the
#: sentence is a list of names: only the ones that share a bucket (``_buckets``) are tried, at most
#: this many, so each lookup costs a bounded time (a transliteration that changes the first two
#: letters beyond ``spelling_key`` is then missed: "Gaddafi" / "Qadhafi" in a list of hundreds of names).
ALL_PAIRS_UP_TO = 32


#: Letters that Latin transcriptions of one foreign name choose between: "Katri" / "Catry", "Cenas" /
#: "Senas", "Tchaikovsky" / "Chaikovsky", "Yousef" / "Yusef", "Qadhafi" / "Qaddafi". Applied in order, on folded
#: words.
_SPELLINGS = ((re.compile(r"tch"), "ch"), (re.compile(r"ph"), "f"), (re.compile(r"dh"), "d"),
              (re.compile(r"ck|q"), "k"), (re.compile(r"c(?=[eiy])"), "s"), (re.compile(r"c(?!h)"), "k"),
              (re.compile(r"y"), "i"), (re.compile(r"w"), "v"), (re.compile(r"ou"), "u"),
              (re.compile(r"(\w)\1+"), r"\1"))


@lru_cache(maxsize=1 << 17)
def spelling_key(word: str) -> str:
    """One form for the ways transcriptions spell a sound (``_SPELLINGS``), so that two of them compare equal."""
    for pattern, replacement in _SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


def transcribed(x: str, y: str) -> bool:
    """Whether two words are one name transcribed two ways: the same ``spelling_key``, or keys of 6 letters or
    more that differ only in an opening g / k, the sound Arabic and Persian names are written with either
    ("Gaddafi" / "Qadhafi"); shorter words keep theirs ("Gold" / "Kold")."""
    x, y = spelling_key(x), spelling_key(y)
    return x == y or (len(x) >= 6 and x[1:] == y[1:] and {x[0], y[0]} == {"g", "k"})


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


class _Read(Protocol):
    """What the index needs of a Reading (a Protocol: this module comes before evidence, not after)."""

    @property
    def names(self) -> Sequence[tuple[int, int, str]]: ...

    @property
    def openers(self) -> Sequence[_Keyed]: ...


def _buckets(key: str, demonyms: Mapping[str, str]) -> set[str]:
    """Where a name or word is filed: its first two letters (also after demonyms), its initials, its last word.

    Two names ``same_name`` accepts share one of these (the same head word, initials that
    begin an acronym, a demonym, an inflection or a close spelling of the first letters).
    """
    words = key.split()
    mapped = demonyms.get(key, key)
    found = {key[:2], mapped[:2], spelling_key(key)[:2], "last:" + demonyms.get(words[-1], words[-1]) if words else ""}
    if len(words) > 1:
        found.add("".join(w[0] for w in words)[:2])
    return found


def _filed(items: Iterable[str], demonyms: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for item in items:
        for bucket in _buckets(item, demonyms):
            out.setdefault(bucket, []).append(item)
    return {bucket: tuple(found) for bucket, found in out.items()}


@dataclass(frozen=True)
class NameIndex:
    """One text's distinct name keys and name words, filed for lookup."""

    keys: tuple[str, ...]
    words: tuple[str, ...]
    demonyms: Mapping[str, str]
    filed_keys: dict[str, tuple[str, ...]]
    filed_words: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, reading: _Read, demonyms: Mapping[str, str]) -> NameIndex:
        """The index of a ``drift.score.evidence.Reading``: its names (start, end, key), each of the names a
        name joins by "and" ("Putin and Zelensky" names "Zelensky" too), and its sentence openers."""
        keys = tuple(dict.fromkeys(key for n in reading.names for key in (n[2], *n[2].split(" and "))))
        words = tuple(dict.fromkeys([w for k in keys for w in k.split()] + [t.key for t in reading.openers]))
        return cls(keys, words, demonyms, _filed(keys, demonyms), _filed(words, demonyms))

    def _lookup(self, key: str, every: tuple[str, ...], filed: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        if len(every) <= ALL_PAIRS_UP_TO:
            return every
        found: dict[str, None] = {}
        for bucket in sorted(_buckets(key, self.demonyms)):
            for item in filed.get(bucket, ()):
                found[item] = None
                if len(found) == ALL_PAIRS_UP_TO:
                    return tuple(found)
        return tuple(found)

    def candidates(self, key: str) -> tuple[str, ...]:
        """The names that may denote the same thing as ``key`` (every one, up to ``ALL_PAIRS_UP_TO``)."""
        return self._lookup(key, self.keys, self.filed_keys)

    def word_candidates(self, word: str) -> tuple[str, ...]:
        """The name words that may spell ``word`` another way, chosen as ``candidates`` chooses names."""
        return self._lookup(word, self.words, self.filed_words)

    def names_word(self, word: str, same_word: Callable[[str, str], bool]) -> bool:
        """Whether a name word spells ``word`` another way: ``same_word`` says so, or a demonym maps both alike."""
        mapped = self.demonyms.get(word)
        return any(same_word(word, w) or mapped == self.demonyms.get(w, w) for w in self.word_candidates(word))


def between(starts: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """Indices ``[first, stop)`` of the tokens starting in ``[start, end)``, given every token's start, ascending."""
    return bisect_left(starts, start), bisect_left(starts, end)


def inside(spans: Sequence[tuple[int, int, str]], position: int) -> bool:
    """Whether ``position`` falls inside one of ``spans`` (sorted by start, not overlapping), by bisection."""
    i = bisect_right(spans, position, key=lambda span: span[0]) - 1
    return i >= 0 and spans[i][0] <= position < spans[i][1]
