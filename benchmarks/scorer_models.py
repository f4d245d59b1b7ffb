"""Fitting the scorer's models with scikit-learn and exporting them to the JSON that ``drift.score.model`` runs.

Training only (benchmarks/, never shipped): scikit-learn is pinned in
requirements-dev.txt. Every fit is deterministic (fixed ``random_state``, no early
stopping, no subsampling of rows), and each export is checked against
scikit-learn's own decision function before it is returned.
"""
from __future__ import annotations

import numpy as np

from drift.score.model import Model, inputs


def fit_lr(x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, c: float = 1.0) -> dict:
    """A standardised logistic regression."""
    from sklearn.linear_model import LogisticRegression

    x = inputs(x)  # what Model.logits reads
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=c, max_iter=5000, tol=1e-8).fit((x - mean) / scale, y, sample_weight=w)
    spec = {"type": "lr", "mean": _round(mean), "scale": _round(scale), "coef": _round(model.coef_[0]),
            "intercept": round(float(model.intercept_[0]), 9)}
    _check(spec, model.decision_function((x[:500] - mean) / scale), x[:500])
    return spec


def fit_trees(x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, trees: int = 200, depth: int = 3,
              rate: float = 0.05, leaf: int = 60, leaves: int = 8, l2: float = 1.0) -> dict:
    """Gradient-boosted shallow trees (scikit-learn's histogram GBDT), exported node by node."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = inputs(x)  # what Model.logits reads
    model = HistGradientBoostingClassifier(
        max_iter=trees, max_depth=depth, learning_rate=rate, min_samples_leaf=leaf, max_leaf_nodes=leaves,
        l2_regularization=l2, early_stopping=False, random_state=0).fit(x, y, sample_weight=w)
    exported = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf_node = nodes["is_leaf"].astype(bool)
        exported.append({
            "feature": [int(f) for f in nodes["feature_idx"]],
            "threshold": [float(t) for t in nodes["num_threshold"]],
            "left": [-1 if is_leaf else int(v) for v, is_leaf in zip(nodes["left"], leaf_node, strict=True)],
            "right": [-1 if is_leaf else int(v) for v, is_leaf in zip(nodes["right"], leaf_node, strict=True)],
            "value": [round(float(v), 9) for v in nodes["value"]],
        })
    spec = {"type": "trees", "init": round(float(np.ravel(model._baseline_prediction)[0]), 9), "depth": depth,
            "trees": exported}
    _check(spec, model.decision_function(x[:500]), x[:500])
    return spec


def average_trees(specs: list[dict]) -> dict:
    """One tree model whose logit is the mean of ``specs``' logits: every member's trees, their leaf values
    divided by the number of members (a tree model's logit is its init plus the sum of its trees)."""
    n = len(specs)
    trees = [{**tree, "value": [round(v / n, 9) for v in tree["value"]]} for spec in specs for tree in spec["trees"]]
    return {"type": "trees", "init": round(sum(spec["init"] for spec in specs) / n, 9),
            "depth": max(spec["depth"] for spec in specs), "trees": trees}


def fit_platt(z: np.ndarray, y: np.ndarray) -> list[float]:
    """Platt scaling: P(drift) = sigmoid(A z + B), fitted on out-of-fold logits."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1e6, max_iter=1000, tol=1e-10).fit(np.asarray(z).reshape(-1, 1), y)
    return [round(float(model.coef_[0, 0]), 9), round(float(model.intercept_[0]), 9)]


def _round(values: np.ndarray) -> list[float]:
    return [round(float(v), 9) for v in values]


def _check(spec: dict, expected: np.ndarray, x: np.ndarray) -> None:
    got = Model.of(spec).logits(x)
    if not np.allclose(got, expected, atol=1e-4):
        raise AssertionError(f"exported {spec['type']} model disagrees with scikit-learn "
                             f"(max difference {np.abs(got - expected).max():.2g})")
