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

# Bound now, not lazily: the submodule of the same name, once anything imports it (the CLI, a
# ``from drift.distributed.ingest import IngestOptions``), becomes the package's attribute ``ingest`` and
# hides a lazy one, so ``drift.distributed.ingest(...)`` called a module. It loads no Ray (0.1 s).
from drift.distributed.ingest import ingest  # noqa: E402

_LAZY = {
    "IngestResult": "drift.distributed.ingest",
    "IngestOptions": "drift.distributed.ingest",
    "RayOptions": "drift.distributed.runtime",
    "compare_stories": "drift.distributed.stories",
    "ComparedStories": "drift.distributed.stories",
}

if TYPE_CHECKING:  # pragma: no cover
    from drift.distributed.ingest import IngestOptions, IngestResult
    from drift.distributed.runtime import RayOptions
    from drift.distributed.stories import ComparedStories, compare_stories


__getattr__ = lazy_attributes(__name__, _LAZY)
