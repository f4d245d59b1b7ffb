"""drift: find where versions of one wire story drifted apart in meaning.

The pipeline, one subpackage per stage in order: ``read`` (files to Articles),
``text`` (sentences, boilerplate, languages), ``embed`` (sentence and word
vectors), ``align`` (which sentences correspond), ``score`` (how far each pair
drifted, and where), ``report`` (the JSON contract and its views); ``pipeline``
chains them, ``store`` keeps articles for ingestion jobs, ``cli`` is the command.

The public API is imported lazily so that ``import drift`` (and ``drift --help``)
never pays for torch or faiss.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from drift.lazy import lazy_attributes
from drift.version import __version__

# The library never prints: without this, Python's last-resort handler writes the
# "drift" logger's warnings to stderr. Applications (and the CLI) attach their own.
logging.getLogger("drift").addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "Sentence",
    "Alignment",
    "Drift",
    "Report",
    "Signature",
    "Encoder",
    "DriftError",
    "Limits",
    "compare",
    "score_pairs",
    "load_encoder",
    "Index",
    "article_from_text",
    "read_article",
    "read_articles",
    "__version__",
]

_LAZY = {
    "Article": "drift.article",
    "Sentence": "drift.article",
    "article_from_text": "drift.read.titles",
    "read_article": "drift.read.files",
    "read_articles": "drift.read.files",
    "Encoder": "drift.embed.encoder",
    "load_encoder": "drift.embed.load",
    "Alignment": "drift.align.aligner",
    "Drift": "drift.score.scorer",
    "Report": "drift.report.report",
    "Signature": "drift.report.signature",
    "compare": "drift.pipeline",
    "score_pairs": "drift.pipeline",
    "DriftError": "drift.errors",
    "Limits": "drift.limits",
    "Index": "drift.store.index",
}

if TYPE_CHECKING:  # pragma: no cover
    from drift.align.aligner import Alignment
    from drift.article import Article, Sentence
    from drift.embed.encoder import Encoder
    from drift.embed.load import load_encoder
    from drift.errors import DriftError
    from drift.limits import Limits
    from drift.pipeline import compare, score_pairs
    from drift.read.files import read_article, read_articles
    from drift.read.titles import article_from_text
    from drift.report.report import Report
    from drift.report.signature import Signature
    from drift.score.scorer import Drift
    from drift.store.index import Index


__getattr__ = lazy_attributes(__name__, _LAZY)
