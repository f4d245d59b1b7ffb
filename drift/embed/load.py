"""From what a caller names (a model, a backend) to a ready Encoder, in one place.

Every entry point (``compare``, ``score_pairs``, the persistent index) accepts a
model name, a path, None for the bundled default, or an Encoder already loaded;
``as_encoder`` is the one rule that turns any of these into an Encoder.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from drift.embed.checked import checked
from drift.embed.encoder import Encoder
from drift.embed.model import resolve_model
from drift.errors import ArgumentError, ConfigError, ModelError, check_type, choices, given, suggested, type_name

#: What ``model=`` takes everywhere: a name, a path (str or pathlib.Path), None for the default, or an Encoder.
ModelArgument = str | os.PathLike[str] | Encoder | None

log = logging.getLogger("drift")

BACKENDS = ("auto", "torch", "onnx")


def load_encoder(model: str | os.PathLike[str] | None = None, backend: str = "auto",
                 progress: bool = False) -> Encoder:
    """The encoder of ``model`` (a name, a path, None for the bundled default) for ``backend``: ``auto`` takes ONNX
    Runtime when it is installed and the model can be exported (falling back to torch with one warning), ``torch``
    or ``onnx`` force one."""
    if isinstance(model, os.PathLike):
        model = os.fspath(model)
    check_type(model, (str, type(None)), "load_encoder: model", "a model name, a path or None",
               "leave it out for the bundled model")
    check_backend_name(backend)
    from drift.embed.torch_backend import TorchEncoder

    if backend == "torch":
        return TorchEncoder(model, progress=progress)
    from drift.embed.onnx_backend import OnnxEncoder, unsupported

    reason = unsupported(resolve_model(model)[1])
    if reason is not None:
        if backend == "onnx":
            raise ModelError(suggested("backend", "onnx"), f": {reason}; pass ", suggested("backend", "torch"))
        return TorchEncoder(model, progress=progress)
    onnx = OnnxEncoder(model, progress=progress)
    if backend == "auto":
        try:
            onnx.load()
        except ModelError as e:
            if onnx.model_error is not None:  # the model itself does not load: torch would fail the same way
                raise
            log.warning("%s; using the torch backend", e)
            return TorchEncoder(model, progress=progress)
    return onnx


def check_backend_name(backend: object) -> None:
    """A backend drift can run its own model on, else one ConfigError naming the choices."""
    if backend not in BACKENDS:
        raise ConfigError("unknown ", given("backend", backend), f"; choose one of {choices(BACKENDS)}")


def default_backend(location: "Path | str | None") -> str:
    """The backend family ``auto`` picks for a model at ``location`` (``onnx`` or ``torch``), without
    loading anything; an export that then fails still falls back to torch."""
    from drift.embed.onnx_backend import unsupported

    return "torch" if unsupported(location if location is not None else resolve_model(None)[1]) else "onnx"


def as_encoder(model: ModelArgument, backend: str = "auto",
               progress: bool = False) -> Encoder:
    """``model`` itself when it is an Encoder already, else the one ``load_encoder`` makes of its name or path
    (a ``pathlib.Path`` too: the message below promises "a path")."""
    if model is None or isinstance(model, (str, os.PathLike)):
        return load_encoder(model, backend, progress)
    missing = [m for m in _MEMBERS if not hasattr(model, m)]
    if missing and len(missing) < len(_MEMBERS):  # an Encoder but for these: say which, not only "no Encoder"
        raise ArgumentError(f"model: {type_name(model)} is no Encoder, it has no {', '.join(missing)}; give it "
                            f"{', '.join(_MEMBERS)} (see drift.embed.encoder.Encoder)")
    check_type(model, Encoder, "model", "a model name, a path, None or an Encoder")
    return model


#: What an Encoder has (drift.embed.encoder.Encoder), in the order its docstring gives them.
_MEMBERS = ("name", "languages", "backend", "dim", "covers", "encode", "encode_with_words")


def model_argument(model: ModelArgument) -> "str | Encoder | None":
    """A ``model=`` argument as the rest of drift takes it, nothing loaded: a name or path as ``str`` (a
    ``pathlib.Path`` too), None, or a caller's Encoder held to the protocol (``drift.embed.checked``)."""
    if isinstance(model, os.PathLike):
        return os.fspath(model)
    return model if model is None or isinstance(model, str) else checked(as_encoder(model))
