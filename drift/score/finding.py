"""What a typed check reports (``Finding``), the tokens it reads, and how strong each kind of change is."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

#: Every kind of drift a span or pair can have: the typed kinds, ``lexical`` (a word changed that no typed
#: check explains), and ``omission`` / ``addition`` (a clause one side has and the other lacks).
KINDS = ("lexical", "entity", "number", "modality", "attribution", "quote", "negation", "antonym", "person",
         "role", "omission", "addition")

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
    "antonym": 0.85,         # a word against its opposite ("rose" / "fell")
    "person": 0.6,           # "I did not hear" / "we did not hear": one person swapped for another
    "role": 0.85,            # two names in each other's place ("Russia blamed Ukraine" / "Ukraine blamed Russia")
    "person_one_side": 0.25,  # a pronoun of a person the other side does not use ("his" / "the")
}


@dataclass(frozen=True)
class Finding:
    """One typed change: where it is on each side (sentence-text offsets) and how strong it is."""

    kind: str
    strength: float
    a: tuple[tuple[int, int], ...]
    b: tuple[tuple[int, int], ...]


class Token(NamedTuple):
    """A word of a text as the typed checks read it (a tuple: read() makes one per word of every text)."""

    start: int
    end: int
    text: str
    key: str


def spans_of(items, qualifier: bool = False) -> tuple[tuple[int, int], ...]:
    """(start, end) of names or numbers; with ``qualifier``, a figure's hedge is included."""
    return tuple((item[4] if qualifier else item[0], item[1]) for item in items)
