"""What every model backend shares: deduplication, windows, length-sorted batches, pooling, word grouping.

A backend only says how texts become tokens (``_tokenize``) and how one padded
batch of token ids goes through the model (``_forward_ids``). Everything else is
here, once, for torch and ONNX alike:

- a text longer than the model window (``window`` tokens) is embedded in
  overlapping windows (``stride`` = half a window): each token takes its vector
  from the window where it sits furthest from an edge, the sentence vector is the
  mean of those token vectors, and the word vectors cover every word. A text that
  fits one window takes exactly one forward pass, as before;
- the scorer's per-word vectors come from the same pass, so scoring costs no
  extra model time;
- word vectors are rounded through float16, the precision the persistent index
  stores them in, so a stored and a freshly made word vector are the same numbers
  (``check`` and ``compare`` score a pair alike).

A sentence's vectors depend only on its own text when the backend's forward pass
does not mix the sentences of a batch (``onnx-int8-token``, ``onnx-fp32``; torch
up to float rounding, see benchmarks/README.md).
"""
from __future__ import annotations

import logging
import re
import sys
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from drift.embed.encoder import WordVectors, covers
from drift.embed.model import model_languages, resolve_model

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger("drift")

_WORD_CHAR = re.compile(r"\w", re.UNICODE)
_JOINERS = frozenset({"-", "'", "’", "."})


@dataclass(frozen=True)
class Tokens:
    """One text as the model's tokenizer cuts it, special tokens included, never truncated."""

    ids: list[int]
    offsets: list[tuple[int, int]]  # character span of each token in the text; (0, 0) for special tokens
    special: list[int]  # 1 for a special token ([CLS], [SEP]...)


@dataclass(frozen=True)
class _Piece:
    text: int  # which of the unique texts
    ids: list[int]
    body_start: int  # this window's first body token, counted in the text's body (special tokens excluded)
    body_len: int


class BatchEncoder(ABC):
    """An Encoder (see drift.embed.encoder) over a model that a backend runs one batch at a time."""

    def __init__(self, model: str | None = None, batch_size: int = 32, progress: bool = False) -> None:
        self.name, self.location = resolve_model(model)
        self.languages = model_languages(self.name, self.location)
        self.batch_size = batch_size
        self.progress = progress
        #: How many texts were longer than the model window and embedded in overlapping windows.
        self.windowed = 0

    @property
    @abstractmethod
    def backend(self) -> str:
        """Named in every report's signature: vectors from another backend differ slightly."""

    @property
    @abstractmethod
    def dim(self) -> int:
        """Sentence vector size."""

    @property
    @abstractmethod
    def window(self) -> int:
        """Tokens the model takes in one pass, special tokens included (its max_seq_length)."""

    @property
    def batch_independent(self) -> bool:
        """Whether a text's vectors are the same bits whatever else is in its batch: then batches
        are cut where they waste least padding (``padding_cuts``), which changes no vector."""
        return False

    @property
    def stride(self) -> int:
        """Body tokens from one window's start to the next: half a window, so every token has context."""
        return max(1, self.window // 2)

    def covers(self, language: str) -> bool:
        """Whether sentences in ``language`` can be compared with this model."""
        return covers(self.languages, language)

    @abstractmethod
    def _tokenize(self, texts: list[str]) -> list[Tokens]:
        """Each text's tokens, special tokens included, without truncation."""

    @abstractmethod
    def _forward_ids(self, ids: "np.ndarray", mask: "np.ndarray") -> "tuple[np.ndarray, np.ndarray | None]":
        """One padded batch ([n, width] int64 ids and attention mask) through the model: float32 token
        vectors [n, width, dim], and the model's own pooled sentence vectors [n, dim] when it pools
        otherwise than by the mean of its tokens (None: the mean is taken here)."""

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
        tokens = self._tokenize(order) if order else []
        pieces = [piece for n, tok in enumerate(tokens) for piece in self._pieces(n, tok)]
        count = [0] * len(order)
        for piece in pieces:
            count[piece.text] += 1
        out = np.zeros((len(order), self.dim), dtype=np.float32)
        word_out: list[WordVectors | None] = [None] * len(order)
        windowed: dict[int, list[tuple[_Piece, np.ndarray]]] = {}
        # Longest first keeps padding low inside each batch, as sentence-transformers does.
        by_length = sorted(range(len(pieces)), key=lambda i: -len(pieces[i].ids))
        if self.batch_independent:
            cuts = padding_cuts([len(pieces[i].ids) for i in by_length], self.batch_size)
        else:
            cuts = list(range(0, len(by_length), self.batch_size)) + [len(by_length)]
        batches = [by_length[lo:hi] for lo, hi in zip(cuts, cuts[1:], strict=False)]
        for batch in self._progress(batches):
            width = max(len(pieces[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(batch):
                ids[row, : len(pieces[i].ids)] = pieces[i].ids
                mask[row, : len(pieces[i].ids)] = 1
            vectors, pooled = self._forward_ids(ids, mask)
            for row, i in enumerate(batch):
                piece = pieces[i]
                own = np.ascontiguousarray(vectors[row, : len(piece.ids)], dtype=np.float32)
                if count[piece.text] > 1:
                    windowed.setdefault(piece.text, []).append((piece, own))
                    continue
                sentence = pooled[row] if pooled is not None else own.mean(axis=0)
                out[piece.text] = sentence / (np.linalg.norm(sentence) + 1e-12)
                if words:
                    word_out[piece.text] = group_words(order[piece.text], own, tokens[piece.text].offsets)
        for n, parts in windowed.items():
            stitched = _stitch(tokens[n], sorted(parts, key=lambda p: p[0].body_start))
            sentence = stitched.mean(axis=0)
            out[n] = sentence / (np.linalg.norm(sentence) + 1e-12)
            if words:
                word_out[n] = group_words(order[n], stitched, tokens[n].offsets)
        index = np.fromiter((unique[t] for t in texts), dtype=np.int64, count=len(texts))
        if not words:
            return out[index], None
        found = [word_out[i] for i in index]
        assert all(w is not None for w in found)
        return out[index], cast("list[WordVectors]", found)

    def _pieces(self, text: int, tokens: Tokens) -> list[_Piece]:
        """The windows one text is embedded in: itself when it fits, else overlapping windows of
        the text's leading and trailing special tokens around ``window`` minus those body tokens."""
        n = len(tokens.ids)
        if n <= self.window:
            return [_Piece(text, tokens.ids, 0, n)]
        lead, tail = _special_ends(tokens.special)
        body = tokens.ids[lead : n - tail]
        size = self.window - lead - tail
        if size < 1:  # pragma: no cover - a model window smaller than its own special tokens
            raise ValueError(f"model window {self.window} leaves no room for text")
        out, start = [], 0
        while True:
            chunk = body[start : start + size]
            out.append(_Piece(text, tokens.ids[:lead] + chunk + tokens.ids[n - tail :], start, len(chunk)))
            if start + size >= len(body):
                break
            start += self.stride
        self.windowed += 1
        if self.windowed == 1:
            log.warning("a sentence of %d tokens is longer than the model window (%d tokens): embedded in %d "
                        "overlapping windows, so every word counts (warned once)", n, self.window, len(out))
        return out

    def _progress(self, batches: list[list[int]]) -> Iterable[list[int]]:
        if not self.progress or len(batches) < 4:
            return batches
        from tqdm.auto import tqdm

        return tqdm(batches, desc="embedding", unit="batch", file=sys.stderr, leave=False)


#: What one more forward call costs, in padded tokens: small batches of like lengths beat one
#: batch padded to its longest text, down to this overhead.
BATCH_OVERHEAD_TOKENS = 96


def padding_cuts(lengths: Sequence[int], batch_size: int, overhead: int = BATCH_OVERHEAD_TOKENS) -> list[int]:
    """Where to cut texts sorted longest first into batches of at most ``batch_size``, so that
    padded tokens plus ``overhead`` per batch are fewest (a batch costs its size times its
    first, longest, text); the cut positions, from 0 to ``len(lengths)``."""
    n = len(lengths)
    cost = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    for end in range(1, n + 1):
        for start in range(max(0, end - batch_size), end):
            c = cost[start] + (end - start) * lengths[start] + overhead
            if c < cost[end]:
                cost[end], back[end] = c, start
    cuts = [n]
    while cuts[-1]:
        cuts.append(back[cuts[-1]])
    return cuts[::-1]


def _special_ends(special: list[int]) -> tuple[int, int]:
    """How many special tokens open and close a tokenized text."""
    lead = 0
    while lead < len(special) and special[lead]:
        lead += 1
    tail = 0
    while tail < len(special) - lead and special[len(special) - 1 - tail]:
        tail += 1
    return lead, tail


def _stitch(tokens: Tokens, parts: "list[tuple[_Piece, np.ndarray]]") -> "np.ndarray":
    """The token vectors of a windowed text: each body token from the window where it is furthest
    from an edge (the text's own start and end are no edge), between the first window's leading
    and the last window's trailing special tokens."""
    import numpy as np

    lead, tail = _special_ends(tokens.special)
    n_body = len(tokens.ids) - lead - tail
    dim = parts[0][1].shape[1]
    body = np.zeros((n_body, dim), dtype=np.float32)
    best = np.full(n_body, -1.0)
    for piece, vectors in parts:
        k = piece.body_len
        pos = np.arange(k)
        centrality = np.minimum(pos + 1, k - pos).astype(np.float64)
        if piece.body_start == 0:
            centrality[pos < k / 2] = np.inf
        if piece.body_start + k >= n_body:
            centrality[pos >= k / 2] = np.inf
        where = slice(piece.body_start, piece.body_start + k)
        better = centrality > best[where]
        body[where][better] = vectors[lead : lead + k][better]
        best[where] = np.where(better, centrality, best[where])
    first, last = parts[0][1], parts[-1][1]
    return np.concatenate([first[:lead], body, last[len(last) - tail :]])


def group_words(text: str, tokens: "np.ndarray", offsets: Sequence[tuple[int, int]]) -> WordVectors:
    """Merge subword tokens into words and average their vectors (rounded through float16).

    Touching alphanumeric pieces form a word, and so do pieces joined by an inner
    hyphen, apostrophe or dot ("IS-K", "face-to-face", "U.S."), so that names
    and compounds are compared whole.
    """
    import numpy as np

    spans: list[tuple[int, int]] = []
    members: list[list[int]] = []
    last_end = -1
    joiner: tuple[int, int] | None = None  # a touching "-", "'" or "." after the current word
    for t, (start, end) in enumerate(offsets):
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
    # float16 is what the index stores: rounding here makes stored and fresh vectors the same numbers.
    return WordVectors(spans, vectors.astype(np.float16).astype(np.float32))
