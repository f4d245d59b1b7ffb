"""A caller's own Encoder that breaks the protocol is repaired or refused with a ModelError, never a numpy
traceback or a report of NaN similarities (drift.embed.checked)."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from fakes import HashEncoder

from drift import article_from_text, compare
from drift.embed.encoder import WordVectors
from drift.errors import ModelError
from drift.pipeline import PairError, score_pairs

A = "The minister said on Friday that 137 people died in the flood.\nRescue teams are searching the area.\n"
B = "The minister said on Saturday that at least 140 people died in the flood.\nRescue teams searched the area.\n"

Hook = Callable[[np.ndarray, list[WordVectors]], tuple[object, object]]


class Broken(HashEncoder):
    """The hashing encoder with its answer passed through ``hook``."""

    def __init__(self, hook: Hook) -> None:
        super().__init__("broken")
        self.hook = hook

    def encode_with_words(self, texts):  # type: ignore[override]
        return self.hook(*super().encode_with_words(texts))


def articles():
    return [article_from_text(A, id="a"), article_from_text(B, id="b")]


def similarities(model) -> list[float]:
    report = compare(articles(), model=model)
    return [p.alignment.similarity for p in report.pairs]


@pytest.mark.parametrize("hook", [
    lambda v, w: (v.astype(np.float64) * 7.0, w),   # float64, not unit length
    lambda v, w: (v.tolist(), w),                    # a list, not an array
])
def test_vectors_off_the_contract_are_normalised(hook: Hook) -> None:
    expected = similarities(HashEncoder())
    assert similarities(Broken(hook)) == expected
    assert [d.alignment.similarity for d in score_pairs([(A, B)], model=Broken(hook))] == \
        [d.alignment.similarity for d in score_pairs([(A, B)], model=HashEncoder())]


@pytest.mark.parametrize("hook, said", [
    (lambda v, w: (np.full_like(v, np.nan), w), "a NaN vector"),
    (lambda v, w: (np.full_like(v, np.inf), w), "an infinite vector"),
    (lambda v, w: (np.zeros_like(v), w), "a zero vector"),
    (lambda v, w: (v[:-1], w), "returned shape"),
    (lambda v, w: (np.zeros((0, v.shape[1]), np.float32), w), "returned shape [0, 32]"),
    (lambda v, w: (v[:, 0], w), "one row per text"),
    (lambda v, w: (v, w[:-1]), "one WordVectors per text"),
    (lambda v, w: (v, None), "NoneType"),
    (lambda v, w: (v, [WordVectors([(0, 10**6)], x.vectors[:1]) for x in w]), "word span (0, 1000000)"),
    (lambda v, w: (v, [WordVectors(x.spans, x.vectors[:1]) for x in w]), "one row per span"),
    (lambda v, w: (v, [WordVectors(x.spans, x.vectors * np.nan) for x in w]), "a NaN word vector"),
])
def test_a_broken_encoder_is_refused_with_one_line(hook: Hook, said: str) -> None:
    for call in (lambda: compare(articles(), model=Broken(hook)), lambda: score_pairs([(A, B)], model=Broken(hook))):
        with pytest.raises(ModelError, match="encoder 'broken'") as error:
            call()
        assert said in str(error.value) and "\n" not in str(error.value)


def test_an_encoder_that_raises_is_a_model_error() -> None:
    def boom(v, w):
        raise RuntimeError("out of\nmemory")

    with pytest.raises(ModelError, match=r"raised RuntimeError: out of memory; fix the encoder") as error:
        compare(articles(), model=Broken(boom))
    assert isinstance(error.value.__cause__, RuntimeError)


def test_a_change_of_dimension_between_calls_is_refused() -> None:
    class Shrinking(HashEncoder):
        def encode(self, texts):  # the whole texts of several-sentence pairs go through here
            return np.full((len(texts), 16), 0.25, dtype=np.float32)

    with pytest.raises(ModelError, match="16-dimensional vectors; an Encoder must return 32"):
        score_pairs([(A, B)], model=Shrinking())


def test_no_text_to_embed_never_reaches_the_encoder() -> None:
    """Every pair unscorable: the encoder is not asked for an empty batch (HashEncoder cannot stack none)."""
    out = score_pairs([("", "x"), ("“", "”")], model=HashEncoder())
    assert [type(d) for d in out] == [PairError, PairError]
    assert score_pairs([], model=HashEncoder()) == []


def test_a_checked_encoder_survives_pickling_as_ray_workers_receive_it():
    """Unpickling looked ``inner`` up through ``__getattr__`` before it was set: a RecursionError in every Ray
    worker given an Index's checked encoder."""
    import pickle

    from drift.embed.checked import checked

    encoder = checked(HashEncoder())
    again = pickle.loads(pickle.dumps(encoder))
    assert again.name == encoder.name and again.encode(["One text."]).shape == (1, encoder.dim)


def test_drifts_own_encoder_is_not_wrapped(encoder):
    """The checks cost about 30 microseconds a text on every embedding: drift's own encoder keeps the protocol by
    construction, so only a caller's is held to it."""
    from drift.embed.checked import CheckedEncoder, checked

    assert checked(encoder) is encoder
    assert isinstance(checked(HashEncoder()), CheckedEncoder)


def test_an_encoder_without_a_usable_dim_is_a_model_error() -> None:
    """``dim = None`` was a TypeError from int(None), raised inside the first isinstance(encoder, Encoder)."""
    encoder = HashEncoder("no-dim")
    encoder.dim = None  # type: ignore[assignment]
    with pytest.raises(ModelError) as error:
        compare(articles(), model=encoder)
    assert str(error.value) == ("encoder 'no-dim': dim is None; an Encoder's dim must be the size of its vectors, "
                                "a positive int (see drift.embed.encoder.Encoder)")


@pytest.mark.parametrize("name", [None, "", "  ", 42])
def test_an_encoder_without_a_name_is_refused_before_any_work(name) -> None:
    """Every report's signature names the model: a None reached it as ``model=None``, before any check."""
    encoder = HashEncoder()
    encoder.name = name  # type: ignore[assignment]
    with pytest.raises(ModelError) as error:
        compare(articles(), model=encoder)
    assert str(error.value) == (f"encoder HashEncoder: name is {name!r}; an Encoder's name must say which model "
                                "made its vectors, a non-empty str (see drift.embed.encoder.Encoder)")
    assert encoder.seen == []  # nothing embedded


def test_an_encoder_whose_covers_raises_is_a_model_error() -> None:
    """covers() was called unguarded: the caller's ValueError came out of the middle of compare."""
    class Picky(HashEncoder):
        def covers(self, language: str) -> bool:
            raise ValueError("no language\ntable")

    with pytest.raises(ModelError) as error:
        compare(articles(), model=Picky("picky"))
    assert str(error.value) == ("encoder 'picky': covers('en') raised ValueError: no language table; fix the "
                                "encoder or pass another model")
    assert isinstance(error.value.__cause__, ValueError)


def test_an_encoder_missing_members_is_told_which() -> None:
    """Was "model must be a model name, a path, None or an Encoder, not NoName": not that ``name`` was missing."""
    from drift.errors import ArgumentError

    class NoName:
        languages, backend, dim = None, "hash", 32

        def covers(self, language: str) -> bool:
            return True

        def encode(self, texts):
            return HashEncoder().encode(texts)

        def encode_with_words(self, texts):
            return HashEncoder().encode_with_words(texts)

    with pytest.raises(ArgumentError) as error:
        compare(articles(), model=NoName())
    assert str(error.value) == ("model: NoName is no Encoder, it has no name; give it name, languages, backend, dim, "
                                "covers, encode, encode_with_words (see drift.embed.encoder.Encoder)")
