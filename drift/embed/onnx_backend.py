"""ONNX Runtime backend: the same model, exported once, run without torch.

A cold ``drift compare`` with torch spends seconds importing torch and
sentence-transformers before any work. The transformer is exported once to
ONNX (with torch, on first use) and dynamically quantized to int8 with one
activation scale per token (``drift.embed.quantize``: a sentence's vector never
depends on the sentences batched with it). The int8 graph is kept when its
sentence vectors stay within cosine ``MIN_COSINE`` of torch's, else the fp32
export (also batch-independent) is. The export is cached under ``$DRIFT_CACHE``
or ``~/.cache/drift``, in a directory named by the model's fingerprint and
``EXPORT``, so a changed model or recipe gets a new export. Afterwards a run
needs only onnxruntime, tokenizers and numpy. Tokenizing, windows, batching and
word grouping are BatchEncoder's: only ``_tokenize`` and ``_forward_ids`` differ.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift.embed.batching import BatchEncoder, Tokens
from drift.embed.model import load_sentence_transformer, model_dim, model_fingerprint
from drift.embed.quantize import per_token
from drift.errors import ModelError, suggested

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger("drift")

#: Bump when the export changes, so old caches are not reused (2: per-token int8, issue 12).
EXPORT = "drift-onnx/2"
#: int8 is kept only when every check sentence keeps at least this cosine to torch's vector.
MIN_COSINE = 0.98
#: The int8 graph with per-token activation scales, and the fp32 export it falls back to.
#: How many threads a session runs (default: every core); set by drift.distributed in its actors.
THREADS_VARIABLE = "DRIFT_ONNX_THREADS"
INT8 = "onnx-int8-token"
FP32 = "onnx-fp32"
FILES = {INT8: "model.int8-token.onnx", FP32: "model.onnx"}
#: News-like sentences the int8 export is checked on before it is kept (tests check hundreds more).
CHECK_SENTENCES = (
    "French President Emmanuel Macron said on Monday that the Islamic State group was behind the attack.",
    "At least 137 people were killed when gunmen opened fire in a concert hall near Moscow on Friday.",
    "The Kremlin has sought to link the assault to Ukraine, which has strenuously denied any involvement.",
    "France raised its terror alert to the highest level after the attack.",
    "Police said they had arrested four suspects, none of whom were Russian citizens.",
    "Officials did not say how many soldiers would be deployed.",
    "Le ministre a démissionné mardi soir.",
    "Shares fell 3.2% in early trading, the lowest level since 2019.",
    "She denied that the government had been warned in advance.",
    "Rain.",
    "The talks, which began in Geneva last week, are expected to resume on 12 April.",
    "“We will not be intimidated,” the mayor told reporters outside city hall.",
)


def cache_root() -> Path:
    """``$DRIFT_CACHE`` or ``~/.cache/drift``: exports are big and per user, never next to the code."""
    return Path(os.environ.get("DRIFT_CACHE") or Path.home() / ".cache" / "drift")


def cache_dir(encoder: "OnnxEncoder") -> Path:
    """Where this model's export lives; a changed model file or export version changes the name."""
    fingerprint = model_fingerprint(encoder.name, encoder.location)
    key = hashlib.sha256(f"{EXPORT}\0{fingerprint}".encode()).hexdigest()[:16]
    return cache_root() / "onnx" / key


def unsupported(location: Path | str) -> str | None:
    """Why this model cannot run on ONNX Runtime here, or None when it can.

    Only the layout every sentence-transformers text model of the BERT family has
    is exported: a transformer, mean pooling, optionally normalization.
    """
    if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("tokenizers") is None:
        return "onnxruntime is not installed (pip install onnxruntime)"
    if not isinstance(location, Path) or not location.is_dir():
        return f"model {location} is not a local directory"
    if not (location / "tokenizer.json").exists():
        return f"{location}: no tokenizer.json (a fast tokenizer is needed)"
    modules_file = location / "modules.json"
    if not modules_file.exists():
        return None  # a plain transformer: sentence-transformers adds mean pooling
    modules = json.loads(modules_file.read_text(encoding="utf-8"))
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or any(k != "Normalize" for k in kinds[2:]):
        return f"{location}: modules {kinds} are not transformer + pooling (+ normalize)"
    pooling = location / modules[1].get("path", "") / "config.json"
    config = json.loads(pooling.read_text(encoding="utf-8")) if pooling.exists() else {}
    modes = sorted(k for k, v in config.items() if k.startswith("pooling_mode") and v)
    if modes and modes != ["pooling_mode_mean_tokens"]:
        return f"{location}: pooling {modes} is not mean pooling"
    return None


def max_length(location: Path) -> int:
    """The model's max_seq_length, as sentence-transformers truncates."""
    config = location / "sentence_bert_config.json"
    if config.exists():
        value = json.loads(config.read_text(encoding="utf-8")).get("max_seq_length")
        if value:
            return int(value)
    positions = json.loads((location / "config.json").read_text(encoding="utf-8")).get("max_position_embeddings")
    return min(int(positions or 512), 512)


class OnnxEncoder(BatchEncoder):
    """An Encoder whose forward pass runs on ONNX Runtime; the export is made (with torch) on first use."""

    def __init__(self, model: str | None = None, batch_size: int = 32, progress: bool = False) -> None:
        super().__init__(model, batch_size, progress)
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: set[str] = set()
        self._window = 0
        self._meta: dict[str, Any] = {}
        #: The torch model, loaded only to build the export (a test may hand over one already loaded).
        self.torch_model: Any = None
        #: Why the torch model could not load, when it could not: the torch backend would fail alike.
        self.model_error: ModelError | None = None

    @property
    def backend(self) -> str:
        self.load()
        return str(self._meta["backend"])

    @property
    def dim(self) -> int:
        self.load()
        return int(self._meta["dim"])

    @property
    def batch_independent(self) -> bool:
        """Both exports (per-token int8 and fp32) give a text the same bits in any batch (issue 12)."""
        return True

    @property
    def window(self) -> int:
        if not self._window:
            self._window = max_length(Path(self.location))
        return self._window

    @property
    def export(self) -> str:
        """The export recipe's version (``EXPORT`` when it was made): vectors change with it."""
        return str(self.meta.get("export", EXPORT))

    @property
    def meta(self) -> dict[str, Any]:
        """What the export recorded: backend, cosines to torch, versions."""
        self.load()
        return dict(self._meta)

    def load(self) -> None:
        """Open the cached export, building it first when missing; a ModelError when that fails."""
        if self._session is not None:
            return
        directory = ensure_cache(self)
        self._meta = read_meta(directory)
        self._session, self._tokenizer = open_session(directory / FILES[self._meta["backend"]], Path(self.location))
        self._inputs = {i.name for i in self._session.get_inputs()}

    def sentence_transformer(self) -> Any:
        """The torch model the export is made from (and checked against)."""
        if self.torch_model is None:
            try:
                self.torch_model = load_sentence_transformer(self.location)
            except ModelError as e:
                self.model_error = e
                raise
        return self.torch_model

    def _tokenize(self, texts: list[str]) -> list[Tokens]:
        self.load()
        return [Tokens(e.ids, e.offsets, e.special_tokens_mask) for e in self._tokenizer.encode_batch(texts)]

    def _forward_ids(self, ids: "np.ndarray", mask: "np.ndarray") -> "tuple[np.ndarray, np.ndarray | None]":
        self.load()
        return run_ids(self._session, self._inputs, ids, mask), None


def read_meta(directory: Path) -> dict[str, Any]:
    """The export's record; a ModelError (so ``auto`` falls back to torch) when it is damaged."""
    path = directory / "meta.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("backend") not in FILES or not isinstance(meta.get("dim"), int):
            raise ValueError("not an export record")
    except (OSError, ValueError) as e:
        raise ModelError(f"{path}: damaged ONNX export record ({type(e).__name__}); delete {directory}") from e
    return meta


def open_session(path: Path, location: Path) -> tuple[Any, Any]:
    """An inference session on every core, and the model's fast tokenizer (never truncating: long
    texts are embedded in windows, see drift.embed.batching)."""
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError as e:  # pragma: no cover - unsupported() checked first
        raise ModelError(f"onnxruntime cannot be imported ({e}); run `make install` or pass ",
                         suggested("backend", "torch")) from e
    try:
        session = ort.InferenceSession(str(path), session_options(), providers=["CPUExecutionProvider"])
    except Exception as e:  # noqa: BLE001 - a damaged cache file
        raise ModelError(f"{path}: cannot load the ONNX export ({type(e).__name__}); delete {path.parent}") from e
    tokenizer = Tokenizer.from_file(str(location / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return session, tokenizer


def session_options(optimize: bool = True) -> Any:
    """Every core (or ``$DRIFT_ONNX_THREADS``: a distributed job's actor gets its share), quiet; full graph
    optimisation unless ``optimize`` is False (the fusion-safety test)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = int(os.environ.get(THREADS_VARIABLE) or 0) or os.cpu_count() or 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    if not optimize:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return options


def run_ids(session: Any, inputs: set[str], ids: "np.ndarray", mask: "np.ndarray") -> "np.ndarray":
    """Token vectors (float32 [n, width, dim]) of one padded batch of token ids."""
    import numpy as np

    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    return np.asarray(session.run(None, {k: v for k, v in feeds.items() if k in inputs})[0], dtype=np.float32)


def run_session(session: Any, tokenizer: Any, batch: list[str], window: int = 256) -> "np.ndarray":
    """The bare session on one batch of texts, cut at ``window`` tokens, mean-pooled and normalized:
    what the raw-encoder baselines time and the export is checked with."""
    import numpy as np

    encodings = [e.ids[:window] for e in tokenizer.encode_batch(batch)]
    width = max(len(e) for e in encodings)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for i, e in enumerate(encodings):
        ids[i, : len(e)], mask[i, : len(e)] = e, 1
    tokens = run_ids(session, {i.name for i in session.get_inputs()}, ids, mask)
    keep = mask.astype(bool)
    sent = (tokens * keep[..., None]).sum(axis=1) / np.maximum(keep.sum(axis=1, keepdims=True), 1)
    return (sent / (np.linalg.norm(sent, axis=1, keepdims=True) + 1e-12)).astype(np.float32)


# ---------------------------------------------------------------- building the cache


def ensure_cache(encoder: OnnxEncoder) -> Path:
    """The export directory for this model, built (once, with torch) when missing."""
    directory = cache_dir(encoder)
    if (directory / "meta.json").exists():
        return directory
    build(encoder, directory)
    return directory


def build(encoder: OnnxEncoder, directory: Path) -> dict[str, Any]:
    """Export, quantize per token, check against torch, and move the result into place atomically."""
    try:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as e:
        raise ModelError(f"the ONNX export needs the onnx package ({e}); run `make install` or pass ",
                         suggested("backend", "torch")) from e
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=directory.parent))
    except OSError as e:
        raise ModelError(f"cannot write the ONNX export under {cache_root()} ({type(e).__name__}); "
                         "set DRIFT_CACHE to a writable directory") from e
    _sweep(directory.parent, keep=tmp)
    # only now: a cache that cannot be written is one line, not this promise of an export and then the error
    log.warning("first use of the ONNX backend: exporting %s to %s (once; loads torch)", encoder.name, directory)
    try:
        model = encoder.sentence_transformer()  # the torch model, loaded once for the export
        _export(model, tmp / FILES[FP32])
        root = logging.getLogger()
        saved = root.handlers[:]
        root.handlers[:] = [logging.NullHandler()]  # quantize_dynamic logs advice through the root logger
        try:
            quantize_dynamic(str(tmp / FILES[FP32]), str(tmp / "dynamic.onnx"),
                             weight_type=QuantType.QInt8, per_channel=True)
        finally:
            root.handlers[:] = saved
        onnx.save(per_token(onnx.load(str(tmp / "dynamic.onnx"))), str(tmp / FILES[INT8]))
        (tmp / "dynamic.onnx").unlink()
        cosines = _cosines_to_torch(encoder, tmp / FILES[INT8], list(CHECK_SENTENCES))
        backend = INT8 if min(cosines) >= MIN_COSINE else FP32
        (tmp / FILES[FP32 if backend == INT8 else INT8]).unlink()
        meta = {"backend": backend, "export": EXPORT, "model": encoder.name, "dim": model_dim(model),
                "int8_min_cosine": round(min(cosines), 5), "int8_mean_cosine": round(sum(cosines) / len(cosines), 5),
                "min_cosine_required": MIN_COSINE, "check_sentences": len(cosines),
                "quantization": "int8 weights per channel, activations per token (drift.embed.quantize)"}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        _move_into_place(tmp, directory)
        return meta
    except ModelError:
        raise
    except Exception as e:  # noqa: BLE001 - any export failure means: use torch
        raise ModelError(f"cannot export {encoder.name} to ONNX ({type(e).__name__}: {e})") from e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: A build directory untouched this long is a killed export's (an export takes a minute at most), not one in progress.
STALE_BUILD = 3600.0


def _sweep(parent: Path, keep: Path) -> None:
    """Remove what exports killed outright (SIGKILL, a lost machine) left: their ``.build-`` directories,
    up to 110 MB each, were never removed and piled up in the cache."""
    import time

    for leftover in parent.glob(".build-*"):
        try:
            if leftover != keep and time.time() - leftover.stat().st_mtime > STALE_BUILD:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue  # removed by another process meanwhile


def _move_into_place(tmp: Path, directory: Path) -> None:
    """``tmp`` renamed to ``directory`` at once. When another process finished first, its copy is kept. A
    directory there without ``meta.json`` (its record, written last) is no export: one partly deleted, or left
    by an older drift. Nothing reads such a directory, so it is put aside; it blocked every export before, and
    ``auto`` ran on torch ever after."""
    for _ in range(3):
        try:
            os.replace(tmp, directory)
            return
        except OSError:
            if (directory / "meta.json").exists():
                return  # another process finished first: keep its copy
            if not directory.exists():
                raise
        stale = Path(tempfile.mkdtemp(prefix=".stale-", dir=directory.parent))
        try:
            os.replace(directory, stale / "export")
        except FileNotFoundError:
            pass  # another process put it aside first
        finally:
            shutil.rmtree(stale, ignore_errors=True)
    os.replace(tmp, directory)


def _export(model: Any, path: Path) -> None:
    """The transformer alone (last_hidden_state), batch and sequence dynamic; pooling is done in numpy."""
    import torch

    transformer = model[0].auto_model.eval()
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in model.tokenizer.model_input_names]

    class LastHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.transformer(**dict(zip(names, inputs, strict=True))).last_hidden_state

    sample = model.tokenizer(["A sample sentence for the export.", "Two."], padding=True, return_tensors="pt")
    axes = {n: {0: "batch", 1: "sequence"} for n in names + ["last_hidden_state"]}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(LastHidden().eval(), tuple(sample[n] for n in names), str(path), input_names=names,
                          output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=17, dynamo=False)


def _cosines_to_torch(encoder: OnnxEncoder, path: Path, texts: list[str]) -> list[float]:
    """Cosine of each text's sentence vector from the export to the torch one."""
    import numpy as np

    session, tokenizer = open_session(path, Path(encoder.location))
    ours = run_session(session, tokenizer, texts, encoder.window)
    theirs = encoder.sentence_transformer().encode(texts, normalize_embeddings=True, show_progress_bar=False)
    return [float(x) for x in np.sum(ours * np.asarray(theirs, dtype=np.float32), axis=1)]
