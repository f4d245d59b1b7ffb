"""Sentence splitting for news copy, with character offsets into the original text."""
from __future__ import annotations

from dataclasses import dataclass

SPLITTER = "drift-news/1"


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article; ``text == article.text[start:end]``."""

    index: int
    start: int
    end: int
    text: str
    boilerplate: bool = False
    title: bool = False
    language: str = "und"

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "boilerplate": self.boilerplate,
        }


def split_sentences(text: str, title_end: int | None = None) -> list[Sentence]:
    """Split ``text`` into sentences (placeholder: one sentence per paragraph)."""
    out: list[Sentence] = []
    pos = 0
    for para in text.split("\n"):
        stripped = para.strip()
        if stripped:
            start = text.index(stripped, pos)
            out.append(Sentence(len(out), start, start + len(stripped), stripped,
                                title=title_end is not None and start < title_end))
        pos += len(para) + 1
    return out
