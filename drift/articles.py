"""Reading articles: plain text, Markdown, JSON, JSONL, directories and stdin."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drift.errors import InputError
from drift.sentences import Sentence


@dataclass
class Article:
    """One version of a story. ``text`` is kept exactly as read: every offset indexes it."""

    id: str
    text: str
    source: str = ""
    title: str | None = None
    language: str = "und"
    published: str | None = None
    metadata: dict = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "language": self.language,
            "title": self.title,
            "text": self.text,
            "sentences": [s.to_dict() for s in self.sentences],
        }


def read_article(path: str | Path, encoding: str | None = None) -> Article:
    """Placeholder reader: one UTF-8 text file."""
    p = Path(path)
    try:
        text = p.read_text(encoding=encoding or "utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{p}: not valid UTF-8; pass --encoding") from e
    return Article(id=p.stem, text=text, source=str(p))


def read_articles(paths: list[str | Path], encoding: str | None = None) -> list[Article]:
    return [read_article(p, encoding) for p in paths]
