"""The typed findings of two texts read without the model, word by word: shared by the test_evidence*.py files."""
from __future__ import annotations

from drift.score.evidence import compare_readings, read


def findings(a: str, b: str) -> dict[str, tuple[list[str], list[str]]]:
    out: dict[str, tuple[list[str], list[str]]] = {}
    for f in compare_readings(read(a), read(b)):
        words_a, words_b = out.setdefault(f.kind, ([], []))
        words_a += [a[s:e] for s, e in f.a]
        words_b += [b[s:e] for s, e in f.b]
    return out
