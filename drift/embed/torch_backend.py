"""The torch backend: sentence-transformers runs the model.

torch and sentence-transformers are imported on first use so that ``drift --help``
and error paths stay fast. Tokenizing, windows, batching and pooling are
BatchEncoder's (drift.embed.batching); a text that fits the model window takes the
model's own pooled vector, so any sentence-transformers model works as before.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drift.embed.batching import BatchEncoder, Tokens
from drift.embed.model import load_sentence_transformer, model_dim

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


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

    @property
    def window(self) -> int:
        return int(self.model.max_seq_length)

    def _tokenize(self, texts: list[str]) -> list[Tokens]:
        encoded = self.model.tokenizer(texts, add_special_tokens=True, truncation=False,
                                       return_offsets_mapping=True, return_special_tokens_mask=True,
                                       return_attention_mask=False, return_token_type_ids=False)
        return [Tokens(list(ids), [tuple(o) for o in offsets], list(special)) for ids, offsets, special in
                zip(encoded["input_ids"], encoded["offset_mapping"], encoded["special_tokens_mask"], strict=True)]

    def _forward_ids(self, ids: "np.ndarray", mask: "np.ndarray") -> "tuple[np.ndarray, np.ndarray | None]":
        """The one step a backend replaces (see drift.embed.onnx_backend)."""
        import torch

        model = self.model
        features: dict[str, Any] = {"input_ids": torch.from_numpy(ids), "attention_mask": torch.from_numpy(mask)}
        if "token_type_ids" in model.tokenizer.model_input_names:
            features["token_type_ids"] = torch.zeros_like(features["input_ids"])
        features["modality"] = "text"
        with torch.inference_mode():
            result = model.forward(features)
        return result["token_embeddings"].float().numpy(), result["sentence_embedding"].float().numpy()
