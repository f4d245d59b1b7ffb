"""The torch backend: sentence-transformers runs the model.

torch and sentence-transformers are imported on first use so that ``drift --help``
and error paths stay fast.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drift.embed.batching import BatchEncoder, batch_words
from drift.embed.model import load_sentence_transformer, model_dim

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.embed.encoder import WordVectors


class TorchEncoder(BatchEncoder):
    """A sentence-transformers model that returns normalized float32 sentence and word vectors."""

    backend = "torch"

    def __init__(self, model: str | None = None, batch_size: int = 32, progress: bool = False) -> None:
        super().__init__(model, batch_size, progress)
        self._model: Any = None

    @property
    def model(self) -> Any:
        """The loaded sentence-transformers model (loaded on first use)."""
        if self._model is None:
            self._model = load_sentence_transformer(self.location)
        return self._model

    @property
    def dim(self) -> int:
        return model_dim(self.model)

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

