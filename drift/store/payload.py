"""One stored story, packed to be compared away from its index: in another process or on another machine.

``Index.story_payload`` reads a story's versions and stored vectors once;
``compare_payload`` turns them into a Report wherever it runs, embedding only what
was never stored (merged neighbour sentences) with the encoder it is handed.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drift.article import Article
from drift.embed.encoder import Encoder, WordVectors
from drift.embed.stored import StoredEncoder
from drift.limits import Limits
from drift.report.signature import StoryRef

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.report.report import Report


@dataclass(frozen=True)
class StoryPayload:
    """A story's versions, their stored vectors (sentence text -> vector, word vectors) and the model identity."""

    story: int
    articles: list[Article]
    vectors: dict[str, tuple[np.ndarray, WordVectors]]
    ref: StoryRef
    model: str
    languages: frozenset[str] | None
    dim: int
    backend: str

    @property
    def article_ids(self) -> list[str]:
        return [a.id for a in self.articles]


def compare_payload(payload: StoryPayload, encoder: Callable[[], Encoder], reference: str | None = None,
                    pairs: str = "auto", limits: Limits = Limits()) -> Report:
    """The drift between a story's stored versions; ``encoder`` is called only if a text was never stored."""
    from drift.pipeline import compare

    stored = StoredEncoder(payload.vectors, encoder, payload.model, payload.languages, payload.dim, payload.backend)
    return compare(payload.articles, reference=reference, model=stored, pairs=pairs, story=payload.ref, limits=limits)
