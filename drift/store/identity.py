"""What embedded an index's vectors: its model and backend, recorded in its meta and checked on open.

A stored vector and a fresh one are comparable only when the same model ran on the
same backend (and export recipe), so an index records both and refuses to mix.
"""
from __future__ import annotations

import logging
from pathlib import Path

from drift.embed.encoder import Encoder
from drift.embed.load import default_backend
from drift.embed.model import model_fingerprint, model_on_disk, resolve_model
from drift.errors import IndexStoreError, given, param, suggested
from drift.text.sentences import SPLITTER

log = logging.getLogger("drift")


def family(backend: str) -> str:
    """``onnx`` for any ONNX Runtime backend (``onnx-int8-token``, ``onnx-fp32``), else the name itself."""
    return "onnx" if backend.startswith("onnx") else backend


def fingerprint(encoder: Encoder) -> str:
    """The recorded identity of an encoder's model: its files when it has a directory, else its name."""
    return model_fingerprint(encoder.name, getattr(encoder, "location", None))


def recorded_backend(meta: dict[str, str]) -> str | None:
    """What embedded the stored vectors, None while nothing is stored; indexes made before drift
    recorded it embedded with torch."""
    if not meta.get("model"):
        return None
    return meta.get("backend") or "torch"


def model_meta(encoder: Encoder) -> dict[str, str]:
    location = getattr(encoder, "location", None)
    return {"model": encoder.name, "model_location": str(location) if isinstance(location, Path) else "",
            "model_fingerprint": fingerprint(encoder), **backend_meta(encoder)}


def first_meta(encoder: Encoder) -> dict[str, str]:
    """What the first vectors of an index record: the model and backend, and the splitter of its sentences (a
    re-embedding keeps the sentences, so only the first batch records it)."""
    return {**model_meta(encoder), "splitter": SPLITTER}


def backend_meta(encoder: Encoder) -> dict[str, str]:
    """What ran the model, and the version of its export (vectors change with either)."""
    return {"backend": encoder.backend, "backend_version": str(getattr(encoder, "export", "") or "")}


def backend_meta_of(meta: dict[str, str]) -> dict[str, str]:
    return {"backend": meta.get("backend") or "torch", "backend_version": meta.get("backend_version", "")}


def check_identity(path: Path, meta: dict[str, str], model: str | Encoder | None,
                   backend: str | None) -> tuple[str | Encoder | None, str, list[str]]:
    """The model and backend family to embed with, and the warnings for ``Index.warnings``; an IndexStoreError
    when the model or backend is not the index's."""
    stored = meta.get("model")
    if model is None and stored:
        model = meta.get("model_location") or stored
    location: Path | str | None
    if model is None or isinstance(model, str):
        name, location = resolve_model(model)
    else:
        name, location = model.name, getattr(model, "location", None)
    if stored and meta.get("model_fingerprint") != model_fingerprint(name, location):
        if isinstance(model, str) and not model_on_disk(model):
            raise IndexStoreError(
                f"{path}: ", given("model", model, quoted=False), ": no such model directory or cached model on "
                "this machine; leave ", param("model"), f" out to use the index's model {stored!r}, or give a "
                "model that exists"
            )
        raise IndexStoreError(
            f"{path}: made with model {stored!r} (fingerprint {meta.get('model_fingerprint')}), "
            f"not {name!r}; pass ", suggested("model", meta.get("model_location") or stored), ", or run "
            f"`drift index rebuild --model {name}` to re-embed the index with it"
        )
    recorded = recorded_backend(meta)
    if recorded is None:
        return model, backend or "auto", []  # nothing stored yet
    if backend not in (None, "auto") and family(backend) != family(recorded):
        raise IndexStoreError(
            f"{path}: made with backend {recorded!r}, not {backend!r}; leave ", param("backend"), " out to use "
            f"{recorded}, or run `drift index rebuild --backend {backend}` to re-embed the index with it"
        )
    if family(recorded) in ("torch", "onnx") and default_backend(location) != family(recorded):
        log.warning("%s: made with backend %s, while drift compare uses %s by default, so check and compare "
                    "may differ slightly; `drift index rebuild --backend %s` re-embeds it",
                    path, recorded, default_backend(location), default_backend(location))
    return model, family(recorded), check_splitter(path, meta)


def check_splitter(path: Path, meta: dict[str, str]) -> list[str]:
    """Say when the stored sentences were split otherwise than a new article's are (``meta['splitter']``, set
    with the first vectors; an index from before it was recorded has none).

    Not refused: the index still answers, but a first sentence split with its dateline, stored, against one
    split without, reads as drift. ``rebuild --from-articles`` splits every stored article again.
    """
    recorded = meta.get("splitter")
    if not meta.get("model") or recorded == SPLITTER:
        return []
    warning = (f"{path}: its sentences were split by {recorded or 'an older splitter'}, while this drift splits with "
               f"{SPLITTER}, so stored and new versions may differ where only the splitting does; `drift index "
               f"rebuild --from-articles --index {path}` splits them again")
    log.warning("%s", warning)
    return [warning]


def same_vectors(path: Path, opened: dict[str, str], now: dict[str, str], encoder: Encoder | None) -> dict[str, str]:
    """The index's meta as committed now, refused when its vectors no longer come from what this Index embeds with.

    Another process may re-embed an open index (``drift index rebuild --model``) or store the first vectors of a
    new one with another model: vectors of two models would then be stored and searched side by side, silently.
    """
    if opened.get("model") and now.get("model"):  # none now: this Index's own first batch rolled back
        keys = ("model_fingerprint", "generation", "backend", "backend_version")
        if any(now.get(key, "") != opened.get(key, "") for key in keys):
            raise IndexStoreError(
                f"{path}: re-embedded by another process since it was opened here (now model {now.get('model')!r}, "
                f"backend {recorded_backend(now)!r}); open the index again to embed with what it holds now"
            )
    elif now.get("model") and encoder is not None and (
            fingerprint(encoder) != now.get("model_fingerprint") or backend_meta(encoder) != backend_meta_of(now)):
        raise IndexStoreError(
            f"{path}: another process stored the first vectors, with model {now['model']!r} (backend "
            f"{recorded_backend(now)!r}), not {encoder.name!r} ({encoder.backend!r}); open it with that model, "
            "or give another index directory"
        )
    return now
