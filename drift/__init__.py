"""drift: find where versions of one wire story drifted apart in meaning.

The public API is imported lazily so that ``import drift`` (and ``drift --help``)
never pays for torch or faiss.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Sentence",
    "Alignment",
    "Drift",
    "Report",
    "DriftError",
    "compare",
    "Index",
    "read_article",
    "read_articles",
    "__version__",
]

_LAZY = {
    "Article": "drift.articles",
    "read_article": "drift.articles",
    "read_articles": "drift.articles",
    "Sentence": "drift.sentences",
    "Alignment": "drift.alignment",
    "Drift": "drift.scoring",
    "Report": "drift.reports",
    "compare": "drift.pipeline",
    "DriftError": "drift.errors",
    "Index": "drift.story_index",
}

if TYPE_CHECKING:  # pragma: no cover
    from drift.alignment import Alignment
    from drift.articles import Article, read_article, read_articles
    from drift.pipeline import compare
    from drift.errors import DriftError
    from drift.reports import Report
    from drift.scoring import Drift
    from drift.sentences import Sentence
    from drift.story_index import Index


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'drift' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
