"""Which changed names stand in each other's place: a swap, or names each side has alone.

The entity check finds the names one side has and the other lacks. Whether one was put in
the other's place ("arrival in Guyana" / "arrival in ... Guiana") or each side simply says
something the other does not ("the Vigipirate plan" / "..., reported AFP") is for the
explanation to say: the classifier reads both alike (names changed on both sides).
"""
from __future__ import annotations

from drift.score.evidence import STOPWORDS, Reading, read
from drift.score.finding import Finding, Token
from drift.score.lookup import between, inside

Span = tuple[int, int]
#: What stands before a name that opens its text, and after one that closes it.
EDGE = "\x02"


def swap_parts(text_a: str, text_b: str, finding: Finding) -> tuple[Finding, ...]:
    """An entity finding with names on both sides as up to three findings: the names in each other's place,
    then those ``text_a`` has alone, then those ``text_b`` has alone (same kind and strength)."""
    if finding.kind != "entity" or not finding.a or not finding.b:
        return (finding,)
    a, b = read(text_a), read(text_b)
    starts_a, starts_b = [t.start for t in a.tokens], [t.start for t in b.tokens]
    near_a = [_context(a, starts_a, s, finding.a) for s in finding.a]
    near_b = [_context(b, starts_b, s, finding.b) for s in finding.b]
    placed_a = [s for s, c in zip(finding.a, near_a, strict=True) if _placed(c, near_b)]
    placed_b = [s for s, c in zip(finding.b, near_b, strict=True) if _placed(c, near_a)]
    if len(placed_a) == len(finding.a) and len(placed_b) == len(finding.b):
        return (finding,)
    parts = [Finding("entity", finding.strength, tuple(placed_a), tuple(placed_b))] if placed_a else []
    alone_a = tuple(s for s in finding.a if s not in placed_a)
    alone_b = tuple(s for s in finding.b if s not in placed_b)
    parts += [Finding("entity", finding.strength, alone_a, ())] if alone_a else []
    parts += [Finding("entity", finding.strength, (), alone_b)] if alone_b else []
    return tuple(parts)


Context = tuple[frozenset[str], frozenset[str]]


def _placed(context: Context, others: list[Context]) -> bool:
    """The same content word just before both names, or just after both."""
    return any(context[0] & other[0] or context[1] & other[1] for other in others)


def _context(reading: Reading, starts: list[int], span: Span, changed: tuple[Span, ...], near: int = 2,
             reach: int = 8) -> Context:
    """Before a name and after it: the ``near`` closest content words that are no name, and the closest one
    that is not a ``changed`` name (a title's "Violence against METI" / "Violence against Women");
    ``EDGE`` where the name opens or closes its text. ``starts``: the reading's token starts, to bisect."""
    first, last = between(starts, *span)
    words = reading.tokens

    def side(run: list[Token]) -> set[str]:
        kept = [t for t in run if t.key not in STOPWORDS and not any(s <= t.start < e for s, e in changed)]
        plain = [t for t in kept if not inside(reading.names, t.start)]
        return {t.key for t in plain[:near]} | {t.key for t in kept[:1]}

    before = side(list(reversed(words[max(0, first - reach):first]))) if first else {EDGE}
    after = side(list(words[last:last + reach])) if last < len(words) else {EDGE}
    return frozenset(before), frozenset(after)
