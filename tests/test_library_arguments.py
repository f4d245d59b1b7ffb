"""Library calls with arguments of the wrong type or shape: a one-line DriftError that says what to pass,
never an AttributeError from deep inside a stage."""
from __future__ import annotations

from pathlib import Path

import pytest

from drift.errors import ModelError
from drift.pipeline import score_pairs


def test_model_as_a_pathlib_path_is_read_as_the_path(tmp_path: Path) -> None:
    """The message for a bad ``model`` says "a path" is fine: a ``Path`` was refused as "not PosixPath"."""
    with pytest.raises(ModelError, match=f"{tmp_path}: not a sentence-transformers model directory"):
        score_pairs([("One sentence.", "Another sentence.")], model=tmp_path)
    with pytest.raises(ModelError, match="no such model directory"):
        score_pairs([("One sentence.", "Another sentence.")], model=tmp_path / "missing")
