"""Stage 9, past one machine: ingestion and story comparison on Ray Data.

``ingest(paths, index, RayOptions(...))`` reads, prepares and embeds articles on
Ray (a local Ray by default, or a cluster) and merges them into an ``Index`` with
one writer, in input order; ``compare_stories(index, out, ...)`` compares every
story with more than one version in parallel and writes one file per story.

Nothing here imports Ray at import time: it loads when a job starts.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from drift.lazy import lazy_attributes

__all__ = ["ingest", "IngestOptions", "IngestResult", "RayOptions", "compare_stories", "ComparedStories"]

_LAZY = {
    "ingest": "drift.distributed.ingest",
    "IngestResult": "drift.distributed.ingest",
    "IngestOptions": "drift.distributed.ingest",
    "RayOptions": "drift.distributed.runtime",
    "compare_stories": "drift.distributed.stories",
    "ComparedStories": "drift.distributed.stories",
}

if TYPE_CHECKING:  # pragma: no cover
    from drift.distributed.ingest import IngestOptions, IngestResult, ingest
    from drift.distributed.runtime import RayOptions
    from drift.distributed.stories import ComparedStories, compare_stories


__getattr__ = lazy_attributes(__name__, _LAZY)
