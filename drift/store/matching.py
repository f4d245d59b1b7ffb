"""Which stored story a new article belongs to: its body sentences vote through their nearest neighbours."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from drift.errors import check_fields

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.article import Article
    from drift.store.database import Store
    from drift.store.vectors import VectorIndex

STORY_MATCHER = "knn-vote/1"


@dataclass(frozen=True)
class MatchSettings:
    """When a new article joins a stored story; recorded in every check report's signature.

    Each body sentence votes for the stories of its ``k`` nearest stored sentences
    with cosine >= ``similarity``. The article joins the story with the most votes
    if they are at least ``share`` of its body sentences and at least
    ``min_sentences``: a heavy rewrite keeps enough sentences, unrelated news on
    the same topic shares too few.
    """

    k: int = 4
    similarity: float = 0.65
    share: float = 0.2
    min_sentences: int = 2

    def __post_init__(self) -> None:
        check_fields(self, probabilities=("share",))  # k and min_sentences counts, similarity a cosine

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class StoryMatch:
    """The best stored story for an article, and how many of its body sentences matched it."""

    story: int | None  # None: no story matched well enough
    matched: int
    sentences: int
    best: int | None = None  # the best candidate even when it fell short

    @property
    def share(self) -> float:
        return self.matched / self.sentences if self.sentences else 0.0


def body_sentences(article: "Article") -> list[int]:
    """The sentences that vote: neither headline nor boilerplate."""
    return [s.index for s in article.sentences if not s.boilerplate and not s.title]


def match_story(article: "Article", vectors: "Mapping[int, np.ndarray]", index: "VectorIndex | None",
                store: "Store", settings: MatchSettings) -> StoryMatch:
    """The story ``article`` joins, from the vectors of its sentences (by sentence index)."""
    import numpy as np

    body = [i for i in body_sentences(article) if i in vectors]
    if not body or index is None or index.count == 0:
        return StoryMatch(None, 0, len(body))
    sims, ids = index.search(np.stack([vectors[i] for i in body]), settings.k)
    stories = store.stories_of(sorted({int(i) for i in ids.ravel() if i >= 0}))
    votes: Counter[int] = Counter()
    for row_sims, row_ids in zip(sims, ids, strict=True):
        votes.update({stories[int(i)] for s, i in zip(row_sims, row_ids, strict=True)
                      if i >= 0 and s >= settings.similarity and int(i) in stories})
    if not votes:
        return StoryMatch(None, 0, len(body))
    best, matched = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    enough = matched >= settings.min_sentences and matched / len(body) >= settings.share
    return StoryMatch(best if enough else None, matched, len(body), best)


def story_title(article: "Article") -> str:
    """A new story's title: its first version's headline, else the start of its first story sentence."""
    if article.title:
        return article.title
    first = next(s.text for s in article.sentences if not s.boilerplate)
    return first if len(first) <= 80 else first[:77].rstrip() + "..."
