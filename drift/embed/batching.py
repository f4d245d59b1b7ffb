"""What every model backend shares: deduplication, length-sorted batches, progress, word grouping.

A backend only says how one batch goes through the model (``_forward``); the
scorer's per-word vectors come from that same pass, so scoring costs no extra
model time.
"""
from __future__ import annotations

import re
import sys
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from drift.embed.encoder import WordVectors, covers
from drift.embed.model import model_languages, resolve_model

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

_WORD_CHAR = re.compile(r"\w", re.UNICODE)
_JOINERS = frozenset({"-", "'", "’", "."})


class BatchEncoder(ABC):
    """An Encoder (see drift.embed.encoder) over a model that a backend runs one batch at a time."""

    def __init__(self, model: str | None = None, batch_size: int = 32, progress: bool = False) -> None:
        self.name, self.location = resolve_model(model)
        self.languages = model_languages(self.name, self.location)
        self.batch_size = batch_size
        self.progress = progress

    @property
    @abstractmethod
    def backend(self) -> str:
        """Named in every report's signature: vectors from another backend differ slightly."""

    @property
    @abstractmethod
    def dim(self) -> int:
        """Sentence vector size."""

    def covers(self, language: str) -> bool:
        """Whether sentences in ``language`` can be compared with this model."""
        return covers(self.languages, language)

    # -- encoding ----------------------------------------------------------
    def encode(self, texts: Sequence[str]) -> "np.ndarray":
        """Sentence vectors, float32 [n, dim], normalized; repeated texts are embedded once."""
        vectors, _ = self._run(texts, words=False)
        return vectors

    def encode_with_words(self, texts: Sequence[str]) -> "tuple[np.ndarray, list[WordVectors]]":
        """Sentence vectors plus the word vectors of each text, from one forward pass."""
        vectors, words = self._run(texts, words=True)
        assert words is not None
        return vectors, words

    def _run(self, texts: Sequence[str], words: bool) -> tuple["np.ndarray", list[WordVectors] | None]:
        import numpy as np

        unique: dict[str, int] = {}
        for t in texts:
            unique.setdefault(t, len(unique))
        order = list(unique)
        dim = self.dim
        out = np.zeros((len(order), dim), dtype=np.float32)
        word_out: list[WordVectors | None] = [None] * len(order)
        # Longest first keeps padding low inside each batch, as sentence-transformers does.
        by_length = sorted(range(len(order)), key=lambda i: -len(order[i]))
        batches = [by_length[i : i + self.batch_size] for i in range(0, len(by_length), self.batch_size)]
        for batch in self._progress(batches):
            sent, toks = self._forward([order[i] for i in batch], words)
            out[batch] = sent
            if words:
                for i, w in zip(batch, toks, strict=True):
                    word_out[i] = w
        index = np.fromiter((unique[t] for t in texts), dtype=np.int64, count=len(texts))
        word_list = [word_out[i] for i in index] if words else None
        return out[index], word_list

    def _progress(self, batches: list[list[int]]) -> Iterable[list[int]]:
        if not self.progress or len(batches) < 4:
            return batches
        from tqdm.auto import tqdm

        return tqdm(batches, desc="embedding", unit="batch", file=sys.stderr, leave=False)
    @abstractmethod
    def _forward(self, batch: list[str], words: bool) -> "tuple[np.ndarray, list[WordVectors]]":
        """One batch through the model: normalized sentence vectors, and word vectors when ``words``."""


def batch_words(batch: list[str], tokens: "np.ndarray", mask: "np.ndarray",
                offsets: "np.ndarray") -> list[WordVectors]:
    """Word vectors of each text of a batch from its token vectors ([n, seq, dim]), padding dropped."""
    return [_group_words(text, tokens[i][mask[i]], offsets[i][mask[i]]) for i, text in enumerate(batch)]


def _group_words(text: str, tokens: "np.ndarray", offsets: "np.ndarray") -> WordVectors:
    """Merge subword tokens into words and average their vectors.

    Touching alphanumeric pieces form a word, and so do pieces joined by an inner
    hyphen, apostrophe or dot ("IS-K", "face-to-face", "U.S."), so that names
    and compounds are compared whole.
    """
    import numpy as np

    spans: list[tuple[int, int]] = []
    members: list[list[int]] = []
    last_end = -1
    joiner: tuple[int, int] | None = None  # a touching "-", "'" or "." after the current word
    for t, (start, end) in enumerate(offsets.tolist()):
        piece = text[start:end]
        if end <= start:
            last_end, joiner = -1, None  # special tokens
            continue
        if not _WORD_CHAR.search(piece):
            joiner = (t, end) if piece in _JOINERS and start == last_end and joiner is None else None
            last_end = end if joiner else -1
            continue
        if spans and start == last_end:
            spans[-1] = (spans[-1][0], end)
            members[-1].extend([joiner[0], t] if joiner else [t])
        else:
            spans.append((start, end))
            members.append([t])
        last_end, joiner = end, None
    if not spans:
        return WordVectors([], np.zeros((0, tokens.shape[1]), dtype=np.float32))
    vectors = np.stack([tokens[m].mean(axis=0) for m in members]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    return WordVectors(spans, vectors)
