"""Sentence and word vectors of the scorer's training and evaluation texts, embedded once, kept on disk.

Training the scorer reads about 40,000 texts; embedding them takes minutes, so
each text is embedded once and its vectors (the sentence vector in float32, the word
vectors in float16, as the index stores them) go to ``$DRIFT_CACHE/scorer-vectors/KEY/``.
KEY hashes what made them: the model's name and fingerprint, the backend and its
export, so vectors of another backend or model are never reused (``identity.json``
there says which). ``CachedEncoder`` is an Encoder over it, so the pipeline's own
code (``drift.pipeline.prepare_pairs``) runs on cached vectors.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from drift.embed.encoder import Encoder, WordVectors
from drift.embed.model import model_fingerprint
from drift.embed.onnx_backend import cache_root

CHUNK = 4096


def identity(encoder: Encoder) -> dict[str, Any]:
    """What made an encoder's vectors: model, fingerprint, backend and export (ONNX), library versions."""
    out: dict[str, Any] = {"model": encoder.name, "backend": encoder.backend}
    location = getattr(encoder, "location", None)
    if location is not None:
        out["fingerprint"] = model_fingerprint(encoder.name, location)
    meta = getattr(encoder, "meta", None)
    if isinstance(meta, dict):
        out["export"] = meta.get("export")
    if encoder.backend == "torch":
        import torch

        out["torch"] = torch.__version__
    else:
        import onnxruntime

        out["onnxruntime"] = onnxruntime.__version__
    return out


class VectorCache:
    """Texts to (sentence vector, word vectors) for one encoder, on disk, embedding only what is new."""

    def __init__(self, encoder: Encoder, root: Path | None = None) -> None:
        self.encoder = encoder
        self.identity = identity(encoder)
        key = hashlib.sha256(json.dumps(self.identity, sort_keys=True).encode()).hexdigest()[:16]
        self.dir = (root or cache_root() / "scorer-vectors") / key
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "identity.json").write_text(json.dumps(self.identity, indent=2, sort_keys=True) + "\n")
        self._index: dict[str, tuple[int, int]] = {}
        self._shards: list[dict[str, np.ndarray]] = []
        for path in sorted(self.dir.glob("shard-*.npz")):
            self._load(path)
        #: Seconds the encoder spent on texts embedded through this cache, and how many.
        self.seconds = 0.0
        self.embedded = 0

    def __contains__(self, text: str) -> bool:
        return _key(text) in self._index

    def __len__(self) -> int:
        return len(self._index)

    def get(self, text: str) -> tuple[np.ndarray, WordVectors]:
        shard_no, i = self._index[_key(text)]
        shard = self._shards[shard_no]
        lo, hi = int(shard["offsets"][i]), int(shard["offsets"][i + 1])
        spans = [(int(s), int(e)) for s, e in shard["spans"][lo:hi]]
        return shard["sentences"][i], WordVectors(spans, shard["words"][lo:hi].astype(np.float32))

    def ensure(self, texts: Sequence[str], log=None) -> None:
        """Embed every text not cached yet, in the order given (so the batches, and the vectors, repeat)."""
        todo = list(dict.fromkeys(t for t in texts if _key(t) not in self._index))
        for start in range(0, len(todo), CHUNK):
            part = todo[start:start + CHUNK]
            began = time.perf_counter()
            vectors, words = self.encoder.encode_with_words(part)
            self.seconds += time.perf_counter() - began
            self.embedded += len(part)
            self._save(part, vectors, words)
            if log:
                log(f"embedded {start + len(part):,} of {len(todo):,} new texts ({self.seconds:.0f} s)")

    def _save(self, texts: list[str], vectors: np.ndarray, words: list[WordVectors]) -> None:
        offsets = np.zeros(len(texts) + 1, np.int64)
        offsets[1:] = np.cumsum([len(w.spans) for w in words])
        dim = vectors.shape[1]
        shard = {
            "keys": np.array(json.dumps([_key(t) for t in texts])),
            "sentences": np.asarray(vectors, np.float32),
            "offsets": offsets,
            "spans": np.concatenate([np.asarray(w.spans, np.int32).reshape(-1, 2) for w in words]),
            "words": np.concatenate([np.asarray(w.vectors, np.float32).reshape(-1, dim) for w in words]
                                    ).astype(np.float16),
        }
        path = self.dir / f"shard-{len(self._shards):05d}.npz"
        tmp = path.with_name(path.stem + ".tmp.npz")
        np.savez(tmp, **shard)
        tmp.replace(path)
        self._load(path)

    def _load(self, path: Path) -> None:
        with np.load(path) as z:
            shard = {k: z[k] for k in z.files}
        number = len(self._shards)
        self._shards.append(shard)
        for i, key in enumerate(json.loads(str(shard["keys"]))):
            self._index[key] = (number, i)


class CachedEncoder:
    """An Encoder whose vectors come from a VectorCache (texts not cached are embedded and cached)."""

    def __init__(self, cache: VectorCache) -> None:
        self.cache = cache
        self.name = cache.encoder.name
        self.languages = cache.encoder.languages
        self.backend = cache.encoder.backend
        self.dim = cache.encoder.dim

    def covers(self, language: str) -> bool:
        return self.cache.encoder.covers(language)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_with_words(texts)[0]

    def encode_with_words(self, texts: Sequence[str]) -> tuple[np.ndarray, list[WordVectors]]:
        self.cache.ensure(texts)
        found = [self.cache.get(t) for t in texts]
        if not found:
            return np.zeros((0, self.dim), np.float32), []
        return np.stack([v for v, _ in found]).astype(np.float32), [w for _, w in found]


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
