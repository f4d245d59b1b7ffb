"""An encoder that serves stored vectors, so stored sentences are never embedded again.

``drift.pipeline.compare`` takes any object with Encoder's interface. This one
answers from the vectors an index already holds (sentence and word vectors) and
only sends texts it has never seen (a merged pair of sentences, a new article)
to the real model, which it loads on first need.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift.embedding import covers

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.embedding import WordVectors

#: Model files up to this size are hashed whole (configs, tokenizer); larger ones by name and size.
_SMALL_FILE = 1 << 20


def model_fingerprint(encoder: Any) -> str:
    """A short hash that changes when the model's files do, without loading the model.

    Hashes the names and sizes of the model directory's files and the contents of
    its small ones (configs, vocabulary); a model known only by a hub name is
    identified by that name.
    """
    digest = hashlib.sha256()
    location = getattr(encoder, "location", None)
    if isinstance(location, Path) and location.is_dir():
        for f in sorted(p for p in location.rglob("*") if p.is_file()):
            size = f.stat().st_size
            digest.update(f"{f.relative_to(location)}\0{size}\0".encode())
            if size <= _SMALL_FILE:
                digest.update(f.read_bytes())
    else:
        digest.update(f"name:{encoder.name}".encode())
    return digest.hexdigest()[:16]


class StoredEncoder:
    """Encoder-like: stored vectors for known texts, the real model for the rest."""

    def __init__(self, stored: "Mapping[str, tuple[np.ndarray, WordVectors]]", model: Callable[[], Any],
                 name: str, languages: frozenset[str] | None, dim: int) -> None:
        self._stored = dict(stored)
        self._model = model
        self.name = name
        self.languages = languages
        self.dim = dim
        #: How many texts went to the real model (the rest came from the store).
        self.embedded = 0

    def covers(self, language: str) -> bool:
        return covers(self.languages, language)

    def encode(self, texts: list[str]) -> "np.ndarray":
        return self.encode_with_words(texts)[0]

    def encode_with_words(self, texts: list[str]) -> tuple["np.ndarray", list["WordVectors"]]:
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self._stored))
        if missing:
            vectors, words = self._model().encode_with_words(missing)
            self.embedded += len(missing)
            self._stored.update(zip(missing, zip(vectors, words)))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), []
        found = [self._stored[t] for t in texts]
        return np.stack([v for v, _ in found]).astype(np.float32, copy=False), [w for _, w in found]
