"""A fast, deterministic stand-in for the sentence model, for index tests that need many articles.

Bag-of-words hashing: a word's vector comes from its hash, a sentence's is the
normalized sum of its words', so sentences sharing most words are near each other.
It runs in subprocesses too (``sys.path`` holds tests/), which keeps crash and
concurrency tests fast without any test-only hook in the library.
"""
from __future__ import annotations

import hashlib
import random
import re

import numpy as np

from drift.embed.encoder import WordVectors

DIM = 32
_WORD = re.compile(r"\w+")


def _word_vector(word: str, dim: int = DIM) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(word.lower().encode()).digest()[:8], "little")
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


class HashEncoder:
    """An Encoder (see drift.embed.encoder) that counts what it embeds."""

    backend = "hash"

    def __init__(self, name: str = "hash-test", dim: int = DIM) -> None:
        self.name = name
        self.languages = None
        self.dim = dim
        self.seen: list[str] = []

    def covers(self, language: str) -> bool:
        return True

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.encode_with_words(texts)[0]

    def encode_with_words(self, texts: list[str]) -> tuple[np.ndarray, list[WordVectors]]:
        self.seen.extend(texts)
        vectors, words = [], []
        for text in texts:
            spans = [m.span() for m in _WORD.finditer(text)] or [(0, len(text))]
            wv = np.stack([_word_vector(text[a:b], self.dim) for a, b in spans])
            v = wv.sum(axis=0)
            vectors.append(v / np.linalg.norm(v))
            words.append(WordVectors(spans, wv))
        return np.stack(vectors).astype(np.float32), words


def story_articles(stories: int, versions: int, sentences: int = 6, seed: int = 0, prefix: str = "s") -> list[dict]:
    """Synthetic wire copy: ``versions`` versions of each story, one word changed per sentence."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(4000)]
    out = []
    for s in range(stories):
        base = [[rng.choice(vocab) for _ in range(9)] for _ in range(sentences)]
        for v in range(versions):
            lines = []
            for words in base:
                words = list(words)
                words[rng.randrange(len(words))] = rng.choice(vocab)
                lines.append(" ".join(words).capitalize() + ".")
            out.append({"id": f"{prefix}{s}v{v}", "text": "\n".join(lines) + "\n", "story": s})
    return out


def fake_articles(stories: int, versions: int, seed: int = 0, prefix: str = "s") -> list:
    """``story_articles`` as Articles, ready to store."""
    from drift.read.titles import article_from_text

    return [article_from_text(a["text"], id=a["id"]) for a in story_articles(stories, versions, seed=seed,
                                                                             prefix=prefix)]
