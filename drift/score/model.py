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
#: Model inputs are read on a grid of 10^-DECIMALS (``inputs``).
DECIMALS = 6


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
        return cls("trees", spec, _complete(spec["trees"], int(spec["depth"])))

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Raw scores of the rows of ``x`` ([n, features]); vectorised over trees, in row blocks that stay
        in cache (each row's sum is the same whatever the block)."""
        x = inputs(x)
        p = self.packed
        if self.kind == "lr":
            return ((x - p["mean"]) / p["scale"]) @ p["coef"] + float(self.spec["intercept"])
        out = np.empty(len(x))
        for start in range(0, len(x), _BLOCK):
            out[start:start + _BLOCK] = self._trees(x[start:start + _BLOCK])
        return out

    def _trees(self, x: np.ndarray) -> np.ndarray:
        p = self.packed
        rows = np.ascontiguousarray(x.T)  # [features, rows]: a node's feature is one row
        # Every node of a level is tested on every row (row copies and compares, no per-element gathers);
        # each tree's path then picks its node's outcome with bitwise selects (bool arrays, no np.where).
        path: list[np.ndarray] = []  # per level so far: [trees, rows] True where the path went right
        for level in range(int(self.spec["depth"])):
            first = 2 ** level - 1
            tested = [~(rows[p["feature"][node]] <= p["threshold"][node][:, None])
                      for node in range(first, 2 * first + 1)]
            path.append(_select(tested, path))
        turns = np.zeros((len(p["base"]), len(x)), np.uint8 if len(path) <= 8 else np.intp)
        for right in path:  # the leaf's number in its tree: the turns as bits, the first one highest
            turns <<= 1
            turns |= right
        leaf = p["base"] + turns
        # the trees' values summed in tree order, as always (axis 0 of [trees, rows]): the same bits
        return float(self.spec["init"]) + p["value"].take(leaf).sum(axis=0)

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


def _complete(trees: list[dict[str, Any]], depth: int) -> dict[str, np.ndarray]:
    """The trees as complete trees of ``depth`` levels, so a path is just its left/right bits.

    Node ``k`` of a level (level order: ``2 ** level - 1 + k``) holds the feature and
    threshold its path reaches in the exported tree; a path that reached a leaf stays
    there (as the exported traversal does), so every leaf below it holds that leaf's value.
    """
    width = 2 ** depth
    feature = np.zeros((width - 1, len(trees)), np.int64)  # [node, tree]: one row per node
    threshold = np.zeros((width - 1, len(trees)), np.float64)
    value = np.zeros((len(trees), width), np.float64)
    for t, tree in enumerate(trees):
        todo = [(0, 0, 0)]  # (node of the exported tree, node of the complete one, level)
        while todo:
            source, node, level = todo.pop()
            if level == depth:
                value[t, node - (width - 1)] = tree["value"][source]
                continue
            feature[node, t] = max(tree["feature"][source], 0)  # leaves name no feature
            threshold[node, t] = tree["threshold"][source]
            for side, child in enumerate((tree["left"][source], tree["right"][source])):
                todo.append((child if child >= 0 else source, 2 * node + 1 + side, level + 1))
    return {"feature": feature, "threshold": threshold, "value": value.ravel(),
            "base": (np.arange(len(trees)) * width)[:, None]}


def _select(tested: list[np.ndarray], path: list[np.ndarray]) -> np.ndarray:
    """Of a level's tested nodes (in level order), the outcome of the one each tree's ``path`` reached."""
    for right in reversed(path):  # the last turn picks between siblings, then up
        left = ~right
        tested = [(left & tested[k]) | (right & tested[k + 1]) for k in range(0, len(tested), 2)]
    return tested[0]


def inputs(x: np.ndarray) -> np.ndarray:
    """Features as both models read them, in training and in scoring: rounded to ``DECIMALS`` places.

    Features pass through numpy functions whose last bits depend on the CPU's vector
    instructions (``np.exp`` in the tagger's P(word), sums): a split of a tree fitted on
    one machine then falls between values that differ in the 16th digit on another, and
    ``make weights`` stops rebuilding the shipped file byte for byte. On this grid the last
    bits vanish (unless a value lies within them of a rounding edge).
    """
    return np.round(np.asarray(x, np.float64), DECIMALS)


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
