"""What the index hands back: ``Added`` for each article stored (or skipped), ``Story`` for each story."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Added:
    """What ``add_many`` did with one article."""

    article: str  # the id it is stored under (or, if skipped, the id of the stored copy)
    story: int
    new_story: bool = False
    skipped: bool = False  # the same content was already stored


@dataclass(frozen=True)
class MergedShard:
    """A distributed job's shard already in the index: its articles as a re-run finds them, and its bad records."""

    added: list[Added]  # each skipped=True, under the id it is stored as
    problems: list[str]  # records that could not be read
    refused: list[str] = field(default_factory=list)  # records read, but refused (a limit, nothing to store)


@dataclass(frozen=True)
class Story:
    """A story found so far: its versions in the order they were added."""

    id: int
    title: str | None
    articles: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "articles": list(self.articles), "title": self.title}
