"""How much one run reads and holds: bytes per input, characters per sentence, sentences per run.

Wire feeds are untrusted: a 2 MB line with no full stop, a 50 MB dump or
``/dev/zero`` must not run for minutes or eat the machine. Each limit has a
default generous for news copy, a CLI option and a field of ``Limits`` that
raise it, and a one-line InputError that names all three.
"""
from __future__ import annotations

from dataclasses import dataclass

from drift.errors import check_count, check_type

#: Per input file (or stdin): the largest wire files are well under 1 MB; a JSONL feed may be far larger.
MAX_BYTES = 20_000_000
#: Per sentence: news sentences run to a few hundred characters; an unpunctuated paragraph to a few thousand.
MAX_SENTENCE_CHARS = 10_000
#: Per run (``compare``) or per stored batch (``ingest``): peak memory grows about 100 KB per sentence of
#: 30 words (benchmarks/README.md, hostile), so the default keeps a run near 2 GB and a few minutes.
MAX_SENTENCES = 20_000

#: The CLI option that raises each limit, by field name.
OPTIONS = {"max_bytes": "--max-bytes", "max_sentence_chars": "--max-sentence-chars", "max_sentences": "--max-sentences"}


@dataclass(frozen=True)
class Limits:
    """The limits of one run; pass ``Limits(max_bytes=...)`` to readers, ``compare`` and ``Index`` to raise one."""

    max_bytes: int = MAX_BYTES
    max_sentence_chars: int = MAX_SENTENCE_CHARS
    max_sentences: int = MAX_SENTENCES

    def __post_init__(self) -> None:
        for name in OPTIONS:
            check_count(name, getattr(self, name), getattr(Limits, name))


def check_limits(limits: object, caller: str) -> Limits:
    """``limits`` if it is a Limits: a number or a dict would fail far from the call that passed it."""
    check_type(limits, Limits, f"{caller}: limits", "a drift.Limits", "pass limits=Limits(max_bytes=...)")
    return limits  # type: ignore[return-value]


def raise_hint(name: str) -> str:
    """How to raise limit ``name``: the CLI option and the library field, for the end of an error message."""
    return f"raise the limit with {OPTIONS[name]} N (library: Limits({name}=N))"


def amount(n: int) -> str:
    """1234567 -> '1,234,567': limits are easier to read with thousands separators."""
    return f"{n:,}"
