"""Versions of one story written a sentence a line, and the seed files: shared by the test_pipeline*.py files."""
from __future__ import annotations

from pathlib import Path

from drift.read.titles import article_from_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))

TITLE = "Floods force thousands from their homes"
STORY = [
    "Heavy rain flooded the river valley on Tuesday, forcing thousands of residents to leave their homes.",
    "Emergency crews rescued forty people who were trapped on rooftops in the town of Millbrook.",
    "The regional governor declared a state of emergency and asked the army for help.",
    "Meteorologists warned that more storms are expected to reach the coast later this week.",
    "Schools and several hospitals in the area will stay closed until the water recedes.",
    "Insurance companies estimate the damage at more than two hundred million dollars.",
]


def art(id: str, sentences: list[str], title: str | None = None, **kwargs):
    """An article with one sentence per line (a line break always ends a sentence)."""
    lines = ([title] if title else []) + list(sentences)
    return article_from_text("\n".join(lines) + "\n", id=id, **kwargs)
