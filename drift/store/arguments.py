"""What ``Index`` and its methods are given, refused at the call in one line.

A wrong type or value there failed far from it: ``match=None`` as an AttributeError
at the first article matched, ``lock_timeout="x"`` as a TypeError at the first write,
an ``on_batch`` that is no function after its batch was stored, and ``articles(None)``
gave every stored article as if they were one story's.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

from drift.article import Article
from drift.errors import (
    ArgumentError,
    check_callback,
    check_count,
    check_number,
    check_type,
    choices,
    type_name,
)
from drift.store.database import LOCK_TIMEOUT
from drift.store.matching import MatchSettings


def article(value: object, caller: str) -> Article:
    """``value`` if it is an Article: a path or a text is the usual mistake."""
    if not isinstance(value, Article):
        raise ArgumentError(f"{caller}: give an Article (read_article(path) or article_from_text(text, id=...)), "
                            f"not {type_name(value)}")
    return value


def story_number(value: object, caller: str) -> int:
    """A story's number (``Index.stories()`` lists them): None would read every story as one, "1" pass unchecked."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentError(f"{caller}: story must be a story number (int), not {type_name(value)}")
    return value


def check_options(match: object, lock_timeout: object) -> None:
    """``Index``'s settings: a MatchSettings (whose fields it checks itself), and seconds to wait for the lock
    (``math.inf``: for ever)."""
    check_type(match, MatchSettings, "Index: match", "a drift.store.matching.MatchSettings",
               "pass match=MatchSettings(...) or leave it out")
    if lock_timeout != math.inf:
        check_number("lock_timeout", lock_timeout, LOCK_TIMEOUT)


class RecordedBackend(str):
    """A backend family read back from an index's meta (``rebuild --from-articles`` passes it to the fresh
    index): whatever embedded the index, a caller's own Encoder (``hash``) included, so it is passed through
    as recorded and never checked against drift's choices."""


def check_backend(backend: object, model: object) -> None:
    """A backend the caller names for the model drift loads (``auto``, ``torch``, ``onnx``): an unknown one
    failed only at the first article embedded, after the index's directory and database were made. A caller's
    Encoder runs itself (``backend`` only names what it must match), and a recorded family is no choice."""
    from drift.embed.load import BACKENDS, check_backend_name

    if backend is None or isinstance(backend, RecordedBackend) or not (model is None or isinstance(model, str)):
        return
    check_type(backend, str, "Index: backend", "a str (or None)", f"pass one of {choices(BACKENDS)}")
    check_backend_name(backend)


def check_add_many(articles: object, batch_size: object, on_batch: object, on_error: object) -> None:
    """``Index.add_many``'s arguments, before anything is stored (each article is checked as it comes)."""
    if isinstance(articles, (str, bytes, Article)) or not isinstance(articles, Iterable):
        raise ArgumentError(f"Index.add_many: give a list of Articles, not {type_name(articles)}")
    check_batches(batch_size, on_batch, "Index.add_many")
    check_callback(on_error, "Index.add_many", "on_error")


def check_batches(batch_size: object, on_batch: object, caller: str) -> None:
    """How a call stores in batches: a batch_size of 0 or "16" failed inside range(), mid-call."""
    check_count("batch_size", batch_size, 16)
    check_callback(on_batch, caller, "on_batch", "a list of Added", "done.extend")
