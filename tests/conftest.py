"""Shared fixtures: one model load per test session, and the data outside the repository."""
from __future__ import annotations

import json
import logging
import os
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
SHARED = ROOT.parent / "shared"

# helper modules whose asserts check tests: rewritten for pytest's messages, as in a test module
pytest.register_assert_rewrite("hostile_inputs", "hostile_library", "scoring_helpers")


def shared_path(relative: str) -> Path:
    """A file or folder of ../shared that a test needs: skipped when absent, a failure on CI (CI set)."""
    path = SHARED / relative
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing on CI: put shared/ beside the checkout", pytrace=False)
        pytest.skip(f"needs {path} (shared data beside the checkout)")
    return path


@pytest.fixture(scope="session")
def encoder():
    from drift.embed.torch_backend import TorchEncoder

    enc = TorchEncoder()
    enc.encode(["warm up"])
    return enc


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_report(encoder, seed_paths):
    from drift import compare, read_articles

    return compare(read_articles(seed_paths), model=encoder)


@pytest.fixture(scope="session")
def report_schema() -> dict[str, Any]:
    """The JSON Schema of drift.report/1, as the package ships it."""
    return json.loads((resources.files("drift.report") / "report.schema.json").read_text(encoding="utf-8"))


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
    """Commands load their models as usual, but the session's torch weights are reused, and the
    default backend is torch (the ONNX export is tested on its own)."""
    from drift.embed import load, model, onnx_backend, torch_backend

    loaded = {str(encoder.location): encoder.model}

    def load_sentence_transformer(location):
        return loaded.get(str(location)) or model.load_sentence_transformer(location)

    monkeypatch.setattr(torch_backend, "load_sentence_transformer", load_sentence_transformer)
    monkeypatch.setattr(onnx_backend, "load_sentence_transformer", load_sentence_transformer)
    real = load.load_encoder
    monkeypatch.setattr(load, "load_encoder",
                        lambda model=None, backend="auto", progress=False: real(model, "torch", progress)
                        if backend == "auto" else real(model, backend, progress))
    return encoder


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory, encoder):
    """A private DRIFT_CACHE with the bundled model exported once (torch weights reused)."""
    from drift.embed.onnx_backend import OnnxEncoder

    cache = tmp_path_factory.mktemp("drift-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DRIFT_CACHE", str(cache))
        onnx = OnnxEncoder()
        onnx.torch_model = encoder.model  # the export needs the torch model: do not load it twice
        onnx.encode(["warm up"])
        yield cache, onnx


@pytest.fixture(scope="session")
def ray_local():
    """One local Ray with 2 CPUs for the session (stopped at its end); its address, for subprocesses.

    tests/fakes.py is not installed on the workers, so its encoders travel pickled by value.
    """
    import fakes
    import ray

    from drift.distributed.runtime import ray_session

    ray.cloudpickle.register_pickle_by_value(fakes)
    with ray_session(num_cpus=2):
        yield ray.get_runtime_context().gcs_address


@pytest.fixture
def report():
    """The hand-made two-version report of sample_reports.py (no model)."""
    from sample_reports import make_report

    return make_report()


@pytest.fixture
def fake_compare(monkeypatch, tmp_path):
    """The command with the pipeline replaced by the hand-made report: reading stays real."""
    from sample_reports import A_TEXT, B_TEXT, make_report

    from drift import pipeline

    seen: list[list[str]] = []

    def compare(articles, **kwargs):
        seen.append([a.id for a in articles])
        return make_report()

    monkeypatch.setattr(pipeline, "compare", compare)
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(A_TEXT, encoding="utf-8")
    Path("b.txt").write_text(B_TEXT, encoding="utf-8")
    return seen
