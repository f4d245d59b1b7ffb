"""The seam between embedding and the stages after it: the Encoder protocol and word vectors.

Alignment, scoring and the persistent index only need "texts in, unit vectors
out", so any object with this shape will do: the torch and ONNX backends, the
index's stored-vector encoder, or a test's hashing stand-in.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


@dataclass(frozen=True)
class WordVectors:
    """The words of one text: character spans and one unit vector each."""

    spans: list[tuple[int, int]]
    vectors: "np.ndarray"  # float32 [n_words, dim], rows normalized


@runtime_checkable
class Encoder(Protocol):
    """Normalized float32 sentence vectors ``[n, dim]``, and the word vectors of the same pass."""

    @property
    def name(self) -> str:
        """The model's name, as reports show it."""

    @property
    def languages(self) -> frozenset[str] | None:
        """Languages the model covers; None means any."""

    @property
    def backend(self) -> str:
        """What runs the model (``torch``, ``onnx-int8``...): vectors from another backend differ slightly."""

    @property
    def dim(self) -> int:
        """Sentence vector size."""

    def covers(self, language: str) -> bool:
        """Whether sentences in ``language`` can be compared with this model."""

    def encode(self, texts: Sequence[str]) -> "np.ndarray":
        """Sentence vectors, float32 [n, dim], rows normalized."""

    def encode_with_words(self, texts: Sequence[str]) -> "tuple[np.ndarray, list[WordVectors]]":
        """Sentence vectors plus each text's word vectors, from one forward pass."""


def covers(languages: frozenset[str] | None, language: str) -> bool:
    """The one rule for "this model can compare that language": None covers all, and an
    undetermined language ("und": too little text to tell) is never excluded."""
    return languages is None or language in languages or language == "und"
