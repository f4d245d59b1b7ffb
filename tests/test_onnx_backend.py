"""The ONNX Runtime backend: close to torch, cached by model fingerprint, and torch-free when cached."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import shared_path

from drift.embed import onnx_backend
from drift.embed.load import load_encoder
from drift.embed.onnx_backend import MIN_COSINE, OnnxEncoder, cache_dir
from drift.embed.torch_backend import TorchEncoder
from drift.errors import ConfigError, ModelError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))


def real_sentences(limit: int = 400) -> list[str]:
    """Seed sentences, DEMETR references and MT outputs (../shared), and synthetic edits."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_story

    from drift.read.files import read_articles
    from drift.text.prepare import prepare_article

    texts = [s.text for a in read_articles(SEEDS) for s in prepare_article(a).sentences]
    items = json.loads(shared_path("data/demetr/base_id35_reference.json").read_text(encoding="utf-8"))
    texts += [x[k] for x in items[:150] for k in ("eng_sent", "mt_sent")]
    for a in make_story(10, 20):
        texts += [s.text for s in prepare_article(a).sentences]
    return list(dict.fromkeys(t for t in texts if t.strip()))[:limit]


def test_int8_sentence_vectors_stay_within_cosine_bar_of_torch(onnx_cache, encoder):
    _, onnx = onnx_cache
    texts = real_sentences()
    assert len(texts) >= 300
    assert onnx.backend == "onnx-int8", onnx.meta  # the bar held on the export's own check sentences
    ours, ours_words = onnx.encode_with_words(texts)
    theirs, their_words = encoder.encode_with_words(texts)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() >= MIN_COSINE, (cosines.min(), texts[int(cosines.argmin())])
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    # Word vectors come from the same pass: same words, close vectors.
    assert [w.spans for w in ours_words] == [w.spans for w in their_words]
    word_cos = np.concatenate([np.sum(a.vectors * b.vectors, axis=1)
                               for a, b in zip(ours_words, their_words, strict=True)])
    assert np.median(word_cos) >= 0.98 and word_cos.min() >= 0.9


def test_cache_is_rebuilt_when_the_model_changes(onnx_cache, tmp_path, monkeypatch):
    cache, onnx = onnx_cache
    model = tmp_path / "model"
    model.mkdir()
    for f in Path(onnx.location).iterdir():  # the bundled model, files linked, config edited
        (model / f.name).symlink_to(f)
    (model / "config.json").unlink()
    config = json.loads((Path(onnx.location) / "config.json").read_text(encoding="utf-8"))
    (model / "config.json").write_text(json.dumps({**config, "drift_test": 1}), encoding="utf-8")
    changed = OnnxEncoder(str(model))
    assert cache_dir(changed) != cache_dir(onnx) and cache_dir(changed).parent == cache / "onnx"

    builds: list[Path] = []

    def fake_build(encoder, directory):  # a real export costs seconds: copy the one made already
        builds.append(directory)
        shutil.copytree(cache_dir(onnx), directory)

    monkeypatch.setattr(onnx_backend, "build", fake_build)
    changed.encode(["The minister resigned."])
    assert builds == [cache_dir(changed)]
    OnnxEncoder(str(model)).encode(["Again."])  # cached now: no second build
    OnnxEncoder().encode(["The bundled model's export is still there."])
    assert builds == [cache_dir(changed)]


def test_auto_falls_back_to_torch_and_onnx_explains(monkeypatch):
    monkeypatch.setattr(onnx_backend, "unsupported", lambda location: "onnxruntime is not installed")
    assert type(load_encoder(None, "auto")) is TorchEncoder
    with pytest.raises(ModelError, match="--backend onnx: onnxruntime is not installed; pass --backend torch"):
        load_encoder(None, "onnx")
    with pytest.raises(ConfigError, match="unknown backend 'gpu'"):
        load_encoder(None, "gpu")


def test_failed_export_falls_back_to_torch_unless_onnx_is_asked_for(monkeypatch, caplog, tmp_path):
    monkeypatch.setenv("DRIFT_CACHE", str(tmp_path))

    def broken(encoder, directory):
        raise ModelError("cannot export all-MiniLM-L6-v2 to ONNX (RuntimeError: boom)")

    monkeypatch.setattr(onnx_backend, "build", broken)
    lenient = load_encoder(None, "auto")
    assert lenient.backend == "torch"
    assert "boom); using the torch backend" in caplog.text
    with pytest.raises(ModelError, match="boom"):
        load_encoder(None, "onnx").encode(["x"])


def test_cold_onnx_compare_imports_no_torch(onnx_cache):
    cache, _ = onnx_cache
    script = (
        "import sys, json, drift.cli\n"
        "from click.testing import CliRunner\n"
        f"r = CliRunner().invoke(drift.cli.main, ['compare', '--backend', 'onnx', '--format', 'json', "
        f"{str(SEEDS[0])!r}, {str(SEEDS[1])!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "report = json.loads(r.stdout)\n"
        "assert report['signature']['backend'] == 'onnx-int8' and report['pairs'], report['signature']\n"
        "heavy = {'torch', 'sentence_transformers', 'transformers'} & set(sys.modules)\n"
        "assert not heavy, sorted(heavy)\n"
        "assert 'onnxruntime' in sys.modules\n"
    )
    env = {**os.environ, "DRIFT_CACHE": str(cache)}
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
