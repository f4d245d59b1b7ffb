"""The learned scorer's two models, run with numpy from a versioned JSON file shipped in the package.

``drift/score/weights.json`` holds a word tagger (P(this word carries a change of
meaning)) and a pair classifier (P(the pair drifted)), each a small logistic
regression or a small ensemble of shallow trees; the Platt scaling that makes the
pair's output a calibrated probability; the severity thresholds; and what it was
trained with (data, backend, export). ``benchmarks/train_scorer.py`` (``make
weights``) rebuilds it byte for byte from ``../shared``. Reports name it by
version and the sha256 of the file's bytes: ``learned/1+sha256:1a2b3c4d5e6f``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from drift.errors import ModelError
from drift.score.features import PAIR_FEATURES, WORD_FEATURES

FORMAT = "drift-scorer-weights/1"
_BLOCK = 2048  # rows per block of tree evaluation
WEIGHTS = "weights.json"


@dataclass(frozen=True)
class Model:
    """One model of the weights file: ``lr`` (standardised logistic regression) or ``trees`` (boosted)."""

    kind: str
    spec: dict[str, Any] = field(repr=False)
    packed: dict[str, np.ndarray] = field(repr=False)

    @classmethod
    def of(cls, spec: dict[str, Any]) -> Model:
        if spec["type"] == "lr":
            return cls("lr", spec, {k: np.asarray(spec[k], np.float64) for k in ("mean", "scale", "coef")})
        if spec["type"] != "trees":
            raise ValueError(f"unknown model type {spec['type']!r}")
        trees = spec["trees"]
        width = max(len(t["feature"]) for t in trees)
        packed: dict[str, np.ndarray] = {}
        for key, fill, dtype in (("feature", 0, np.int64), ("threshold", 0.0, np.float64), ("left", -1, np.int64),
                                 ("right", -1, np.int64), ("value", 0.0, np.float64)):
            array: np.ndarray = np.full((len(trees), width), fill, dtype)
            for i, tree in enumerate(trees):
                array[i, :len(tree[key])] = tree[key]
            packed[key] = array
        packed["feature"] = np.maximum(packed["feature"], 0)  # leaves name no feature
        return cls("trees", spec, packed)

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Raw scores of the rows of ``x`` ([n, features]); vectorised over trees, in row blocks that stay
        in cache (each row's sum is the same whatever the block)."""
        x = np.asarray(x, np.float64)
        p = self.packed
        if self.kind == "lr":
            return ((x - p["mean"]) / p["scale"]) @ p["coef"] + float(self.spec["intercept"])
        out = np.empty(len(x))
        for start in range(0, len(x), _BLOCK):
            out[start:start + _BLOCK] = self._trees(x[start:start + _BLOCK])
        return out

    def _trees(self, x: np.ndarray) -> np.ndarray:
        p = self.packed
        n_trees, width = p["value"].shape
        # every node of every tree as one flat index: one gather per level, no [trees, rows] index pairs
        base = (np.arange(n_trees) * width)[:, None]
        node = np.zeros((n_trees, len(x)), np.int64) + base
        feature, threshold = p["feature"].ravel(), p["threshold"].ravel()
        left, right = p["left"].ravel(), p["right"].ravel()
        flat = x.T  # [features, rows]: a node's feature row
        columns = np.arange(len(x))[None, :]
        for _ in range(int(self.spec["depth"])):
            go_left = flat[feature[node], columns] <= threshold[node]
            child = np.where(go_left, left[node], right[node])
            node = np.where(child < 0, node, child + base)
        return float(self.spec["init"]) + p["value"].ravel()[node].sum(axis=0)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return sigmoid(self.logits(x))


@dataclass(frozen=True)
class Weights:
    """The scorer's weights, as loaded: both models, calibration, thresholds, and where they came from."""

    version: str
    sha256: str
    tagger: Model
    pair: Model
    platt: tuple[float, float]
    thresholds: dict[str, float]
    calibration: str
    trained_with: dict[str, Any]

    @property
    def name(self) -> str:
        """What the signature calls this scorer: version plus the start of the file's sha256."""
        return f"{self.version}+sha256:{self.sha256[:12]}"

    def drift(self, logits: np.ndarray) -> np.ndarray:
        """Calibrated P(the pair drifted) from the classifier's logits."""
        return sigmoid(self.platt[0] * np.asarray(logits) + self.platt[1])


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


def parse_weights(raw: bytes, where: str = WEIGHTS) -> Weights:
    """Weights from the bytes of a weights file; a ModelError when they are not for this scorer."""
    try:
        spec = json.loads(raw)
        if spec.get("format") != FORMAT:
            raise ValueError(f"format {spec.get('format')!r}, expected {FORMAT!r}")
        if tuple(spec["word_features"]) != WORD_FEATURES or tuple(spec["pair_features"]) != PAIR_FEATURES:
            raise ValueError("built for other features than this drift computes")
        return Weights(spec["version"], hashlib.sha256(raw).hexdigest(), Model.of(spec["tagger"]),
                       Model.of(spec["pair"]), (float(spec["platt"][0]), float(spec["platt"][1])),
                       {k: float(v) for k, v in spec["thresholds"].items() if isinstance(v, (int, float))},
                       str(spec["calibration"]), dict(spec["trained_with"]))
    except (ValueError, KeyError, TypeError, IndexError) as e:
        raise ModelError(f"{where}: not usable scorer weights ({e}); rebuild them with `make weights` "
                         "or reinstall drift") from e


@lru_cache(maxsize=4)
def load_weights(path: str | None = None) -> Weights:
    """The shipped weights (``drift/score/weights.json``), or the file at ``path``; read once."""
    try:
        raw = Path(path).read_bytes() if path else resources.files("drift.score").joinpath(WEIGHTS).read_bytes()
    except OSError as e:
        raise ModelError(f"{path or WEIGHTS}: scorer weights cannot be read ({e.strerror}); "
                         "rebuild them with `make weights` or reinstall drift") from e
    return parse_weights(raw, path or f"drift/score/{WEIGHTS}")
