"""Shared fixtures: one model load per test session."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"


@pytest.fixture(scope="session")
def encoder():
    from drift.embedding import Encoder

    enc = Encoder()
    enc.encode(["warm up"])
    return enc


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_report(encoder, seed_paths):
    from drift import compare, read_articles

    return compare(read_articles(seed_paths), model=encoder)


@pytest.fixture(autouse=True)
def restore_drift_logger():
    """A CLI command configures the 'drift' logger for its process; undo that after each test."""
    log = logging.getLogger("drift")
    saved = (list(log.handlers), log.level, log.propagate)
    yield
    log.handlers[:] = saved[0]
    log.level, log.propagate = saved[1], saved[2]


@pytest.fixture
def shared_model(encoder, monkeypatch):
    """Commands build their Encoder as usual but reuse the session's loaded weights."""
    from drift import embedding, pipeline

    class SharedEncoder(embedding.Encoder):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.location == encoder.location:
                self._model = encoder.model

    monkeypatch.setattr(embedding, "Encoder", SharedEncoder)
    monkeypatch.setattr(pipeline, "load_encoder",
                        lambda model=None, backend="auto", progress=False: SharedEncoder(model, progress=progress))
    return encoder


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory, encoder):
    """A private DRIFT_CACHE with the bundled model exported once (torch weights reused)."""
    from drift.onnx_backend import OnnxEncoder

    cache = tmp_path_factory.mktemp("drift-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DRIFT_CACHE", str(cache))
        onnx = OnnxEncoder()
        onnx._model = encoder.model  # the export needs the torch model: do not load it twice
        onnx.encode(["warm up"])
        yield cache, onnx
