"""A user's Encoder held to the protocol: what it returns is checked before alignment and scoring see it.

Any object with the Encoder's shape is accepted (``compare(..., model=my_encoder)``),
so nothing stops one from returning float64 or un-normalized rows, a row too few,
NaN, a list, or word spans outside the text. Unchecked, these surface as a numpy
traceback deep in alignment or, worse, as a report with NaN similarities or no
pairs at all. Here a contract break is either repaired the way sentence-transformers
would (cast to float32, rows scaled to unit length) or refused with one ModelError
that names the encoder, what it returned and what it should return.
"""
from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import TYPE_CHECKING, Any

from drift.embed.encoder import Encoder, WordVectors
from drift.errors import DriftError, ModelError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

#: Rows whose length is this far from 1 are scaled to unit length (float16-rounded word vectors are within it).
NORM_TOLERANCE = 1e-2


class CheckedEncoder:
    """Forwards to ``inner`` and checks every answer against the Encoder protocol."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        name = getattr(inner, "name", None)
        if not isinstance(name, str) or not name.strip():  # every report's signature names the model: not None
            raise ModelError(f"encoder {type(inner).__name__}: name is {name!r}; an Encoder's name must say which "
                             "model made its vectors, a non-empty str (see drift.embed.encoder.Encoder)")
        declared = getattr(inner, "dim", None)
        self._dim: int | None = declared if isinstance(declared, int) and declared > 0 else None
        self._word_dim: int | None = None

    def __getattr__(self, name: str) -> Any:
        # name, languages, backend, windowed...: whatever the wrapped encoder has. Not ``inner`` itself nor a
        # dunder: unpickling (a Ray worker gets the encoder) looks them up before ``inner`` is set, which
        # recursed without end.
        if name == "inner" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.inner, name)

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def languages(self) -> frozenset[str] | None:
        return self.inner.languages

    @property
    def backend(self) -> str:
        return self.inner.backend

    @property
    def dim(self) -> int:
        if self._dim is None:
            declared = self.inner.dim
            if isinstance(declared, bool) or not isinstance(declared, Integral) or declared < 1:
                # was int(None): a TypeError from deep inside the first isinstance(encoder, Encoder)
                raise ModelError(f"encoder {self._name()!r}: dim is {declared!r}; an Encoder's dim must be the size "
                                 "of its vectors, a positive int (see drift.embed.encoder.Encoder)")
            return int(declared)
        return self._dim

    def covers(self, language: str) -> bool:
        try:
            return bool(self.inner.covers(language))
        except DriftError:
            raise
        except Exception as e:  # as encode's: one DriftError, not the caller's traceback from the middle of a run
            raise ModelError(f"encoder {self._name()!r}: covers({language!r}) raised {type(e).__name__}: "
                             f"{_line(e)}; fix the encoder or pass another model") from e

    def encode(self, texts: Sequence[str]) -> "np.ndarray":
        import numpy as np

        if not texts:  # the protocol never promised an empty batch works
            return np.zeros((0, self._dim or 0), dtype=np.float32)
        return self._sentences(self._call("encode", texts), len(texts), "encode")

    def encode_with_words(self, texts: Sequence[str]) -> "tuple[np.ndarray, list[WordVectors]]":
        import numpy as np

        if not texts:
            return np.zeros((0, self._dim or 0), dtype=np.float32), []
        out = self._call("encode_with_words", texts)
        if not isinstance(out, tuple) or len(out) != 2:
            raise self._broken("encode_with_words", f"returned {type(out).__name__}",
                               "a (vectors, word vectors) tuple")
        vectors = self._sentences(out[0], len(texts), "encode_with_words")
        return vectors, self._words(out[1], texts)

    def _call(self, method: str, texts: Sequence[str]) -> Any:
        try:
            return getattr(self.inner, method)(list(texts))
        except DriftError:
            raise
        except Exception as e:  # a bug in the caller's encoder: one DriftError, the original chained
            raise ModelError(f"encoder {self._name()!r}: {method}() raised {type(e).__name__}: {_line(e)}; "
                             "fix the encoder or pass another model") from e

    def _sentences(self, value: Any, n: int, method: str) -> "np.ndarray":
        import numpy as np

        try:
            vectors = np.asarray(value, dtype=np.float32)
        except (TypeError, ValueError) as e:
            raise self._broken(method, f"returned {type(value).__name__} ({_line(e)})", f"a float32 array [{n}, dim]") \
                from e
        if vectors.ndim != 2 or vectors.shape[0] != n or vectors.shape[1] == 0:
            raise self._broken(method, f"returned shape {list(vectors.shape)} for {n} texts",
                               f"one row per text, [{n}, dim]")
        if self._dim is not None and vectors.shape[1] != self._dim:
            raise self._broken(method, f"returned {vectors.shape[1]}-dimensional vectors",
                               f"{self._dim} (its dim, and what it returned before)")
        self._dim = vectors.shape[1]
        return _unit_rows(vectors, lambda row: self._broken(
            method, f"returned {_what(vectors[row])} vector for text {row}", "finite, non-zero rows"))

    def _words(self, value: Any, texts: Sequence[str]) -> list[WordVectors]:
        import numpy as np

        if not isinstance(value, (list, tuple)) or len(value) != len(texts):
            got = f"{len(value)} word vector sets" if isinstance(value, (list, tuple)) else type(value).__name__
            raise self._broken("encode_with_words", f"returned {got} for {len(texts)} texts",
                               "one WordVectors per text")
        out = []
        for n, (words, text) in enumerate(zip(value, texts, strict=True)):
            if not isinstance(words, WordVectors):
                raise self._broken("encode_with_words", f"returned {type(words).__name__} for text {n}",
                                   "drift.embed.encoder.WordVectors")
            bad = next((s for s in words.spans if not _span_in(s, len(text))), None)
            if bad is not None:
                raise self._broken("encode_with_words", f"returned word span {bad!r} for text {n} of "
                                   f"{len(text)} characters", "(start, end) character offsets into that text")
            vectors = np.asarray(words.vectors, dtype=np.float32)
            if vectors.ndim != 2 or vectors.shape[0] != len(words.spans) or \
                    (self._word_dim is not None and vectors.size and vectors.shape[1] != self._word_dim):
                raise self._broken("encode_with_words", f"returned word vectors of shape {list(vectors.shape)} "
                                   f"for {len(words.spans)} spans of text {n}",
                                   f"one row per span, [{len(words.spans)}, {self._word_dim or 'dim'}]")
            if vectors.size:
                self._word_dim = vectors.shape[1]
            vectors = _unit_rows(vectors, lambda row, n=n, v=vectors: self._broken(
                "encode_with_words", f"returned {_what(v[row])} word vector in text {n}", "finite, non-zero rows"))
            out.append(words if vectors is words.vectors else WordVectors(list(words.spans), vectors))
        return out

    def _name(self) -> str:
        return str(getattr(self.inner, "name", type(self.inner).__name__))

    def _broken(self, method: str, got: str, want: str) -> ModelError:
        return ModelError(f"encoder {self._name()!r}: {method}() {got}; an Encoder must return {want} "
                          "(see drift.embed.encoder.Encoder)")


def _unit_rows(vectors: "np.ndarray", refuse: Any) -> "np.ndarray":
    """``vectors`` as they are when every row is unit length, else scaled to it; NaN, inf or zero rows refused."""
    import numpy as np

    norms = np.linalg.norm(vectors, axis=1) if vectors.size else np.ones(vectors.shape[0], dtype=np.float32)
    bad = np.flatnonzero(~np.isfinite(norms) | (norms == 0) | ~np.isfinite(vectors).all(axis=1))
    if bad.size:
        raise refuse(int(bad[0]))
    if np.all(np.abs(norms - 1) <= NORM_TOLERANCE):
        return vectors
    return (vectors / norms[:, None]).astype(np.float32)


def _line(error: Exception) -> str:
    """An exception's message as one line: DriftError messages are one line, so logs stay parseable."""
    return " ".join(str(error).split())[:200]


def _span_in(span: Any, length: int) -> bool:
    """Whether ``span`` is a (start, end) pair of character offsets inside a text of ``length`` characters."""
    return isinstance(span, (tuple, list)) and len(span) == 2 and all(isinstance(i, Integral) for i in span) \
        and 0 <= span[0] < span[1] <= length


def _what(row: "np.ndarray") -> str:
    import numpy as np

    return "a NaN" if np.isnan(row).any() else "an infinite" if np.isinf(row).any() else "a zero"


def checked(encoder: Encoder) -> Encoder:
    """``encoder`` held to the protocol (once: a checked encoder is not wrapped again). drift's own encoders
    (``load_encoder()``'s, an index's stored vectors) keep the protocol by construction and are not wrapped:
    the checks cost about 30 microseconds a text, on every embedding."""
    from drift.embed.batching import BatchEncoder
    from drift.embed.stored import StoredEncoder

    return encoder if isinstance(encoder, (CheckedEncoder, BatchEncoder, StoredEncoder)) else CheckedEncoder(encoder)
