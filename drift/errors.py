"""Every failure drift reports on purpose is a DriftError.

Messages are one line, name the bad value (usually the file) and say the fix,
so the CLI can print them as they are and ingestion jobs can log them.
"""
from __future__ import annotations

from collections.abc import Iterable


class DriftError(Exception):
    """Base class: catch this to handle any input or configuration problem."""


class InputError(DriftError):
    """An input file or text cannot be read as an article."""


class LanguageError(DriftError):
    """No comparable language: the model does not cover the versions' language."""


class ModelError(DriftError):
    """The embedding model cannot be found or loaded."""


class IndexStoreError(DriftError):
    """A stored index is missing, corrupt or made with another model."""


class JobError(DriftError):
    """A distributed job failed: a task kept failing after its retries, or the cluster went away."""


class ConfigError(DriftError):
    """An option has a value outside its valid choices."""


class ArgumentError(DriftError, TypeError):
    """A library call got an argument of the wrong type (a path where an Article belongs, None for text)."""


def type_name(value: object) -> str:
    """How a message names what a caller passed: ``None``, ``str 'a.txt'``, ``list``."""
    if value is None:
        return "None"
    if isinstance(value, (str, bytes)):
        shown = repr(value)
        return f"{type(value).__name__} {shown if len(shown) <= 40 else shown[:37] + '...'}"
    return type(value).__name__


def check_callback(value: object, caller: str, name: str) -> None:
    """An ``on_error``/``warn`` that is no function would fail only at the first bad input, far from the call."""
    if value is not None and not callable(value):
        raise ArgumentError(f"{caller}: {name} must be a function taking an InputError (or None), "
                            f"not {type_name(value)}; pass e.g. {name}=problems.append")


def choices(valid: Iterable[str]) -> str:
    """Render valid choices the same way in every message."""
    return ", ".join(repr(v) for v in valid)
