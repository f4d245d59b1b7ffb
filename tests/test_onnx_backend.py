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
    assert onnx.backend == "onnx-int8-token", onnx.meta  # the bar held on the export's own check sentences
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
    with pytest.raises(ModelError, match="^backend='onnx': onnxruntime is not installed; pass backend='torch'$"):
        load_encoder(None, "onnx")
    with pytest.raises(ConfigError, match="unknown backend='gpu'"):
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


def test_a_model_that_does_not_load_is_not_retried_on_torch(monkeypatch, caplog, tmp_path):
    """``auto`` warned "cannot load model ...; using the torch backend", then torch failed the same way: one
    error, no misleading fallback, and nothing left in the cache."""
    import shutil

    from drift.embed.model import default_model_path

    monkeypatch.setenv("DRIFT_CACHE", str(tmp_path / "cache"))
    model = tmp_path / "model"
    shutil.copytree(default_model_path(), model)
    (model / "model.safetensors").unlink()
    with pytest.raises(ModelError, match=r"no file named model\.safetensors.*; pass model= with a local model"):
        load_encoder(str(model), "auto").encode(["x"])
    assert "using the torch backend" not in caplog.text
    assert [p.name for p in (tmp_path / "cache" / "onnx").iterdir()] == []


def test_what_a_killed_export_left_is_removed_by_the_next_one(monkeypatch, tmp_path):
    """An export killed outright (SIGKILL) left its .build- directory, up to 110 MB, in the cache for good."""
    import os
    import time

    monkeypatch.setenv("DRIFT_CACHE", str(tmp_path))
    onnx = OnnxEncoder()
    onnx.torch_model = "not a model"  # the export fails at once, after the sweep
    exports = cache_dir(onnx).parent
    killed, running = exports / ".build-killed", exports / ".build-running"
    for leftover in (killed, running):
        leftover.mkdir(parents=True)
        (leftover / "model.onnx").write_bytes(b"half an export")
    os.utime(killed, (time.time() - 2 * 86400,) * 2)  # two days old
    with pytest.raises(ModelError, match="cannot export"):
        onnx.load()
    assert sorted(p.name for p in exports.iterdir()) == [".build-running"]  # another export may be running


def test_a_leftover_export_without_its_record_is_replaced(onnx_cache, encoder, monkeypatch, caplog, tmp_path):
    """An export directory with no meta.json (partly deleted, or from an older drift) made every run export
    again, fail to move its export into place ("Directory not empty") and run on torch, for ever."""
    _, cached = onnx_cache
    monkeypatch.setenv("DRIFT_CACHE", str(tmp_path))
    onnx = OnnxEncoder()
    onnx.torch_model = encoder.model
    directory = cache_dir(onnx)
    directory.mkdir(parents=True)
    (directory / "model.int8-token.onnx").write_bytes(b"half an export")
    texts = ["The minister resigned.", "Shares fell 3.2% in early trading."]
    assert np.array_equal(onnx.encode(texts), cached.encode(texts))
    assert onnx.backend == "onnx-int8-token" and "using the torch backend" not in caplog.text
    assert [p.name for p in directory.parent.iterdir()] == [directory.name]  # nothing put aside is left
    assert (directory / "meta.json").exists()


@pytest.mark.parametrize("record", ["{garbage", "[1, 2]", '{"backend": "onnx-int4"}', ""])
def test_a_damaged_export_record_is_a_model_error_so_auto_uses_torch(monkeypatch, caplog, tmp_path, record):
    monkeypatch.setenv("DRIFT_CACHE", str(tmp_path))
    directory = cache_dir(OnnxEncoder())
    directory.mkdir(parents=True)
    (directory / "meta.json").write_text(record, encoding="utf-8")
    with pytest.raises(ModelError, match=r"meta.json: damaged ONNX export record .*; delete "):
        OnnxEncoder().load()
    assert load_encoder(None, "auto").backend == "torch"
    assert "damaged ONNX export record" in caplog.text


def test_a_cache_that_is_no_directory_is_a_model_error(monkeypatch, caplog, tmp_path):
    monkeypatch.setenv("DRIFT_CACHE", str(tmp_path / "a-file"))
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    with pytest.raises(ModelError, match="set DRIFT_CACHE to a writable directory"):
        OnnxEncoder().load()
    # the error alone: "first use of the ONNX backend: exporting ..." came before it, promising an export
    assert caplog.text == ""


def test_cold_onnx_compare_imports_no_torch(onnx_cache):
    cache, _ = onnx_cache
    script = (
        "import sys, json, drift.cli\n"
        "from click.testing import CliRunner\n"
        f"r = CliRunner().invoke(drift.cli.main, ['compare', '--backend', 'onnx', '--format', 'json', "
        f"{str(SEEDS[0])!r}, {str(SEEDS[1])!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "report = json.loads(r.stdout)\n"
        "assert report['signature']['backend'] == 'onnx-int8-token' and report['pairs'], report['signature']\n"
        "heavy = {'torch', 'sentence_transformers', 'transformers'} & set(sys.modules)\n"
        "assert not heavy, sorted(heavy)\n"
        "assert 'onnxruntime' in sys.modules\n"
    )
    env = {**os.environ, "DRIFT_CACHE": str(cache)}
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr


# ---------------------------------------------------------------- batch independence (issue 12)

BATCH_TEXTS = [
    "French President Emmanuel Macron said on Monday that the Islamic State group was behind the attack.",
    "Rain.",
    "The Kremlin has sought to link the assault to Ukraine, which has strenuously denied any involvement, "
    "while Western governments said there was no evidence for the claim and the investigation went on.",
] + [f"Filler sentence number {n} about the budget and the {n} ministers who debated it." for n in range(40)]


@pytest.fixture(scope="module")
def dynamic_int8(tmp_path_factory, onnx_cache, encoder):
    """The old recipe (``quantize_dynamic`` alone, one activation scale per batch) and the per-token
    rewrite of the same graph, exported here from the session's torch model."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from drift.embed.onnx_backend import _export

    tmp = tmp_path_factory.mktemp("int8")
    _export(encoder.model, tmp / "fp32.onnx")
    quantize_dynamic(str(tmp / "fp32.onnx"), str(tmp / "dynamic.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True)
    return tmp / "dynamic.onnx"


def _with_graph(path: Path, optimize: bool = True) -> OnnxEncoder:
    """The bundled model's OnnxEncoder, running the graph at ``path``."""
    import onnxruntime as ort

    from drift.embed.onnx_backend import session_options

    enc = OnnxEncoder()
    enc.load()
    enc._session = ort.InferenceSession(str(path), session_options(optimize), providers=["CPUExecutionProvider"])
    return enc


def test_a_sentence_alone_and_in_a_padded_batch_gives_bit_identical_vectors(onnx_cache, dynamic_int8):
    _, onnx = onnx_cache
    assert onnx.backend == "onnx-int8-token"
    for enc, independent in ((onnx, True), (_with_graph(dynamic_int8), False)):
        alone, alone_words = enc.encode_with_words(BATCH_TEXTS[:1])
        batch, batch_words = enc.encode_with_words(BATCH_TEXTS)  # padded to the longest of 32
        same = np.array_equal(alone[0], batch[0]) and np.array_equal(alone_words[0].vectors, batch_words[0].vectors)
        assert same == independent, enc.backend  # the old recipe's scale spans the whole batch


def test_batches_cut_by_padding_give_the_same_bits_as_fixed_batches(onnx_cache, monkeypatch):
    """ONNX batches are cut where they waste least padding (drift.embed.batching.padding_cuts):
    no vector may change for it."""
    _, onnx = onnx_cache
    texts = BATCH_TEXTS + [t + " " + t for t in BATCH_TEXTS[3:20]]
    assert onnx.batch_independent
    cut, cut_words = onnx.encode_with_words(texts)
    monkeypatch.setattr(OnnxEncoder, "batch_independent", property(lambda self: False))
    fixed, fixed_words = onnx.encode_with_words(texts)
    assert np.array_equal(cut, fixed)
    assert all(np.array_equal(x.vectors, y.vectors) for x, y in zip(cut_words, fixed_words, strict=True))


def test_full_graph_optimisation_and_none_give_the_same_vectors(onnx_cache, encoder):
    """ORT's MatMulIntegerToFloat fusion assumes one activation scale per tensor: fused onto the
    per-token graph it gives wrong vectors (cosine 0.70 to torch). The graph is built so that it
    does not match. Other fusions (GELU, layer norm) round differently and may flip an int8 code
    here and there: the vectors stay within float noise of each other and of torch."""
    from drift.embed.onnx_backend import FILES

    cache, onnx = onnx_cache
    path = cache_dir(onnx) / FILES[onnx.backend]
    full = _with_graph(path, optimize=True).encode(BATCH_TEXTS)
    none = _with_graph(path, optimize=False).encode(BATCH_TEXTS)
    assert np.sum(full * none, axis=1).min() >= 0.99
    torch_vectors = encoder.encode(BATCH_TEXTS)
    for vectors in (full, none):
        assert np.sum(vectors * torch_vectors, axis=1).min() >= MIN_COSINE


def test_per_token_rewrite_of_the_old_graph_restores_independence(dynamic_int8, tmp_path):
    import onnx as onnx_lib

    from drift.embed.quantize import per_token

    rewritten = tmp_path / "per-token.onnx"
    onnx_lib.save(per_token(onnx_lib.load(str(dynamic_int8))), str(rewritten))
    enc = _with_graph(rewritten)
    assert np.array_equal(enc.encode(BATCH_TEXTS[:1])[0], enc.encode(BATCH_TEXTS)[0])
    with pytest.raises(ValueError, match="not a dynamically quantized graph"):
        per_token(onnx_lib.load(str(rewritten)))


def _pairs_of(encoder, paths: list[Path], a: str, b: str) -> list[str]:
    from drift import compare
    from drift.read.files import read_articles

    report = compare(read_articles(paths), model=encoder)
    return [json.dumps(p.to_dict(), sort_keys=True) for p in report.pairs if (p.alignment.a, p.alignment.b) == (a, b)]


def test_a_pairs_report_does_not_depend_on_the_other_versions_in_the_run(onnx_cache, dynamic_int8):
    """The 000-001 pairs of a two-file run and of a five-file run are the same JSON (issue 12); with the
    old int8 recipe, whose activation scale spans the batch, they are not."""
    _, onnx = onnx_cache
    a, b = SEEDS[0].stem, SEEDS[1].stem
    for enc, independent in ((onnx, True), (_with_graph(dynamic_int8), False)):
        two, five = _pairs_of(enc, SEEDS[:2], a, b), _pairs_of(enc, SEEDS, a, b)
        assert len(two) >= 10
        assert (two == five) == independent, enc.backend
