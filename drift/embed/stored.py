"""An encoder that serves stored vectors, so stored sentences are never embedded again.

``drift.pipeline.compare`` takes any Encoder. This one answers from the vectors
an index already holds (sentence and word vectors) and only sends texts it has
never seen (a merged pair of sentences, a new article) to the real model, which
it loads on first need.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from drift.embed.encoder import Encoder, WordVectors, covers

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


class StoredEncoder:
    """An Encoder: stored vectors for known texts, the real model for the rest.

    ``backend`` names what made the stored vectors, so a report says which vectors it compared.
    """

    def __init__(self, stored: "Mapping[str, tuple[np.ndarray, WordVectors]]", model: Callable[[], Encoder],
                 name: str, languages: frozenset[str] | None, dim: int, backend: str) -> None:
        self._stored = dict(stored)
        self._model = model
        self.name = name
        self.languages = languages
        self.dim = dim
        self.backend = backend
        #: How many texts went to the real model (the rest came from the store).
        self.embedded = 0

    def covers(self, language: str) -> bool:
        return covers(self.languages, language)

    def encode(self, texts: Sequence[str]) -> "np.ndarray":
        return self.encode_with_words(texts)[0]

    def encode_with_words(self, texts: Sequence[str]) -> "tuple[np.ndarray, list[WordVectors]]":
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self._stored))
        if missing:
            vectors, words = self._model().encode_with_words(missing)
            self.embedded += len(missing)
            self._stored.update(zip(missing, zip(vectors, words, strict=True), strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), []
        found = [self._stored[t] for t in texts]
        return np.stack([v for v, _ in found]).astype(np.float32, copy=False), [w for _, w in found]
