"""Distributed ingestion and story comparison on a local Ray (2 CPUs, one per session: the ray_local fixture).

The engine must not change what is stored: the same articles, sentences, vectors and
stories as a local ingest of the same inputs in the same order, bad records skipped and
counted, and a job killed at any point resumed without storing anything twice.
"""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import ray
from conftest import ROOT, SEEDS
from distributed_helpers import snapshot, write_jsonl
from fakes import HashEncoder, story_articles

from drift.distributed.ingest import IngestOptions, ingest
from drift.distributed.runtime import RayOptions
from drift.distributed.stories import compare_stories
from drift.errors import IndexStoreError
from drift.limits import Limits
from drift.read.files import read_articles
from drift.store.index import Index

TESTS = ROOT / "tests"
UNRELATED = TESTS / "fixtures" / "unrelated"

ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the encoders below travel to the workers


def write_parquet(path: Path, records: list[dict]) -> Path:
    pq.write_table(pa.Table.from_pylist(records), path, row_group_size=64)
    return path


def corpus(folder: Path, stories: int = 100, versions: int = 5, seed: int = 7) -> list[Path]:
    """The seed story (text files), then ``stories * versions`` synthetic articles: 60% JSONL, the rest Parquet."""
    folder.mkdir(parents=True, exist_ok=True)
    records = [{"id": a["id"], "text": a["text"], "desk": f"desk-{a['story'] % 3}"}
               for a in story_articles(stories, versions, seed=seed)]
    cut = len(records) * 3 // 5
    return [SEEDS, write_jsonl(folder / "wire.jsonl", records[:cut]),
            write_parquet(folder / "archive.parquet", records[cut:])]


def local_ingest(paths: list[Path], index: Path, encoder=None) -> dict:
    with Index(index, model=encoder or HashEncoder()) as ix:
        ix.add_many(read_articles(paths))
        assert ix.verify() == []
    return snapshot(index)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    return corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def local_snapshot(inputs, tmp_path_factory) -> dict:
    return local_ingest(inputs, tmp_path_factory.mktemp("local") / "ix")


# ---------------------------------------------------------------- same result as a local ingest


def test_seeds_and_500_synthetic_articles_store_exactly_what_a_local_ingest_stores(
        ray_local, inputs, local_snapshot, tmp_path):
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        result = ingest(inputs, ix, options=IngestOptions(unit_size=40))
        assert ix.verify() == []
    ray_snapshot = snapshot(tmp_path / "ix")
    assert len(ray_snapshot["articles"]) == 505 and len(ray_snapshot["stories"]) > 100
    assert ray_snapshot["stories"] == local_snapshot["stories"]
    assert ray_snapshot["articles"] == local_snapshot["articles"]
    assert ray_snapshot["sentences"] == local_snapshot["sentences"]  # offsets, flags, vectors, word vectors
    assert result.bad == [] and result.units == 1 + 8 + 7  # seed files; JSONL every 40 lines; Parquet 3x(40+24)+8
    assert [a.article for a in result.added][:5] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert json.loads(ray_snapshot["articles"][5][8]) == {"desk": "desk-0", "path": str(inputs[1])}
    assert not (tmp_path / "ix" / "jobs").exists()  # shards are removed once merged


def meta(index: Path) -> dict:
    db = sqlite3.connect(index / "drift.sqlite")
    try:
        return dict(db.execute("SELECT key, value FROM meta WHERE key NOT IN ('created')").fetchall())
    finally:
        db.close()


#: Backends whose vectors do not depend on the batch a sentence is embedded in: equal to the bit.
BATCH_INDEPENDENT = ("onnx-int8-token", "onnx-fp32")


@pytest.mark.slow
def test_seeds_and_synthetic_articles_with_the_real_model_through_the_command_line(ray_local, shared_model, tmp_path):
    from click.testing import CliRunner

    from drift.cli import main

    def run(*args: str):
        return CliRunner().invoke(main, list(args))

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from distributed import corpus as english  # synthetic stories of real English words (the benchmark's)

    synthetic = write_jsonl(tmp_path / "wire.jsonl", english(24, seed=17))
    inputs = [str(SEEDS), str(UNRELATED), str(synthetic)]
    local, on_ray = str(tmp_path / "local"), str(tmp_path / "ray")
    scan = tmp_path / "scan.txt"
    scan.write_bytes(b"%PDF-1.7\x00\x01")
    here = run("ingest", *inputs, str(scan), "--index", local)
    assert here.exit_code == 0, here.output
    assert here.stdout.startswith(f"{local}: 36 added (") and ", 1 unreadable and skipped; " in here.stdout
    done = run("ingest", *inputs, str(scan), "--index", on_ray, "--engine", "ray", "--workers", "2", "--strict")
    assert done.exit_code == 1, done.output  # --strict: a skipped input fails the run, the rest is stored
    assert done.stdout == here.stdout.replace(local, on_ray)  # the same summary, warnings and skips
    skipped = [f"drift: warning: {scan}: binary file, not text; give a .txt, .md, .json or .jsonl article (skipped)"]
    # (a first use of the ONNX backend also says it exports the model, once)
    assert [line for line in done.stderr.splitlines() if "first use of the ONNX" not in line] == skipped
    assert [line for line in here.stderr.splitlines() if "first use of the ONNX" not in line] == skipped
    listed = run("stories", "--index", on_ray, "--format", "json").stdout
    assert listed == run("stories", "--index", local, "--format", "json").stdout
    several = sum(len(s["articles"]) > 1 for s in json.loads(listed)["stories"])
    assert meta(Path(on_ray)) == meta(Path(local))  # the same model, fingerprint and backend recorded
    a, b = snapshot(Path(local)), snapshot(Path(on_ray))
    assert a["stories"] == b["stories"] and a["articles"] == b["articles"]
    import numpy as np

    exact = meta(Path(local)).get("backend") in BATCH_INDEPENDENT
    assert exact  # a new index embeds with compare's default backend, ONNX (issue 12), on Ray as here
    for left, right in zip(a["sentences"], b["sentences"], strict=True):
        assert left[:7] == right[:7]
        if exact:
            assert left == right  # vectors and word vectors to the bit
        elif left[7] is not None:  # torch batches differently in each engine: equal up to float rounding
            assert np.abs(np.frombuffer(left[7], np.float32) - np.frombuffer(right[7], np.float32)).max() < 1e-5
    compared = run("stories", "--index", on_ray, "--compare", str(tmp_path / "reports"), "--engine", "ray")
    assert compared.exit_code == 0, compared.output
    assert compared.stdout.startswith(f"{tmp_path / 'reports'}: {several} stories compared ("), compared.stderr
    assert several == 7  # the seed story and six synthetic ones
    reports = sorted((tmp_path / "reports").glob("story-*.jsonl"))
    assert len(reports) == several
    findings = [json.loads(line) for line in reports[0].read_text(encoding="utf-8").splitlines()]
    assert findings and {f["schema"] for f in findings} == {"drift.finding/1"}
    # a re-run of the finished job reports what a local re-run reports: all stored before, the same skip, exit 1
    here = run("ingest", *inputs, str(scan), "--index", local, "--strict")
    again = run("ingest", *inputs, str(scan), "--index", on_ray, "--engine", "ray", "--strict")
    assert here.exit_code == again.exit_code == 1, again.output
    assert ": 0 added (0 new stories), 36 already stored and skipped (" in here.stdout
    assert again.stdout == here.stdout.replace(local, on_ray)
    assert [line for line in again.stderr.splitlines() if "ONNX" not in line] == skipped


# ---------------------------------------------------------------- bad records, retries, model identity


def test_bad_records_are_skipped_and_counted_never_fatal(ray_local, tmp_path):
    good = story_articles(3, 2, seed=4)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(good[0]["text"], encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (folder / "c.txt").write_text("", encoding="utf-8")
    lines = [json.dumps({"id": good[1]["id"], "text": good[1]["text"]}), "{not json", json.dumps({"id": "x"}),
             json.dumps({"id": good[2]["id"], "text": good[2]["text"]})]
    (folder / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = [{"id": a["id"], "text": a["text"]} for a in good[3:]] + [{"id": "y", "text": ""}]
    write_parquet(folder / "e.parquet", rows)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        result = ingest([folder], ix, RayOptions(workers=4))  # more actors than CPUs: some wait, none hangs
        stored = [a for s in ix.stories() for a in s.articles]
    assert sorted(stored) == sorted(["a"] + [a["id"] for a in good[1:]])
    assert sorted(map(str, result.bad)) == sorted([
        f"{folder / 'b.txt'}: binary file, not text; give a .txt, .md, .json or .jsonl article",
        f"{folder / 'c.txt'}: no text; give a file with at least one sentence",
        f"{folder / 'd.jsonl'}: line 2 is not valid JSON (Expecting property name enclosed in double quotes); "
        "fix or remove that line",
        f"{folder / 'd.jsonl'}: line 3 has no \"text\" or \"body\" string; add the article text",
        f"{folder / 'e.parquet'}: row 4 has no text; give it at least one sentence",
    ])


def test_limits_and_skips_are_those_of_a_local_ingest(ray_local, tmp_path):
    good = story_articles(4, 2, seed=5)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(good[0]["text"], encoding="utf-8")
    (folder / "b.txt").write_text("Word " * 100 + "end.\n" + good[1]["text"], encoding="utf-8")  # a 505-char sentence
    (folder / "c.txt").write_text(" ".join(f"Line {i} here." for i in range(40)), encoding="utf-8")  # 40 sentences
    write_jsonl(folder / "d.jsonl", [{"id": a["id"], "text": a["text"]} for a in good[2:4]])
    write_jsonl(folder / "e.jsonl", [{"id": f"big{i}", "text": a["text"]} for i, a in enumerate(good * 5)])
    lines = [json.dumps({"id": good[4]["id"], "text": good[4]["text"]}), json.dumps({"text": good[5]["text"]}),
             '{"id": "n", "text": NaN}']
    (folder / "f.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    limits = Limits(max_bytes=2_000, max_sentence_chars=300, max_sentences=30)
    assert (folder / "e.jsonl").stat().st_size > limits.max_bytes > (folder / "d.jsonl").stat().st_size

    problems: list[str] = []
    with Index(tmp_path / "local", model=HashEncoder(), limits=limits) as ix:
        articles = read_articles([folder], on_error=lambda e: problems.append(str(e)), limits=limits)
        ix.add_many(articles, on_error=lambda e: problems.append(str(e)))
    with Index(tmp_path / "ray", model=HashEncoder(), limits=limits) as ix:
        result = ingest([folder], ix, options=IngestOptions(unit_size=2))
        assert ix.verify() == []
    assert len(problems) == 4 and sorted(map(str, result.bad)) == sorted(problems)  # the same records, the same lines
    assert any("505 characters" in p or "over the limit" in p for p in problems)
    assert snapshot(tmp_path / "ray") == snapshot(tmp_path / "local")
    assert [a[0] for a in snapshot(tmp_path / "ray")["articles"]] == ["a", good[2]["id"], good[3]["id"],
                                                                     good[4]["id"], "f:2"]


def _both_engines(tmp_path: Path, paths: list[Path], tag: str = "", **on_ray: Any) -> tuple[list[str], Any]:
    """The same inputs ingested here (into ``local{tag}``) and on Ray (``ray{tag}``): what the local reader
    refused, and the Ray job's result."""
    problems: list[str] = []
    with Index(tmp_path / f"local{tag}", model=HashEncoder()) as ix:
        ix.add_many(read_articles(paths, encoding=on_ray.get("encoding"), on_error=lambda e: problems.append(str(e))))
    with Index(tmp_path / f"ray{tag}", model=HashEncoder()) as ix:
        result = ingest(paths, ix, **on_ray)
    return problems, result


def test_jsonl_lines_without_ids_get_the_local_names_after_a_bad_line_whatever_the_units(ray_local, tmp_path):
    texts = [a["text"] for a in story_articles(3, 2, seed=21)]
    lines = [json.dumps({"text": texts[0]}), "{not json", "", *(json.dumps({"text": t}) for t in texts[1:])]
    source = tmp_path / "feed.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems, result = _both_engines(tmp_path, [source], options=IngestOptions(unit_size=2))  # bad line in unit 1
    ids = [a[0] for a in snapshot(tmp_path / "ray")["articles"]]
    assert ids == [a[0] for a in snapshot(tmp_path / "local")["articles"]]
    assert ids == ["feed:1", "feed:3", "feed:4", "feed:5", "feed:6", "feed:7"]
    assert list(map(str, result.bad)) == problems


def test_one_path_alone_is_read_as_read_articles_reads_it_and_anything_else_is_one_line(ray_local, tmp_path):
    """A str was a sequence of one-character paths to the planner: "/" made the filesystem root an input, and
    whatever article files it held were stored."""
    from drift.errors import ArgumentError

    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 2)])
    for tag, one in (("str", str(source)), ("path", source)):
        problems, result = _both_engines(tmp_path, one, tag)  # type: ignore[arg-type]
        assert problems == result.bad == [] and len(result.added) == 4
        assert snapshot(tmp_path / f"ray{tag}") == snapshot(tmp_path / f"local{tag}")
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        for wrong, named in ((5, "int"), (None, "None"), (b"in.jsonl", "bytes b'in.jsonl'")):
            with pytest.raises(ArgumentError, match=rf"^drift.distributed.ingest: paths must be a path or a list of "
                                                    rf"paths, not {re.escape(named)}$"):
                ingest(wrong, ix)  # type: ignore[arg-type]
        assert ix.stories() == []


def test_a_utf16_encoding_is_taken_as_a_local_ingest_takes_it(ray_local, tmp_path):
    """The driver checked --encoding by decoding no bytes, which utf-16 and utf-32 call implausible."""
    folder = tmp_path / "in"
    folder.mkdir()
    for a in story_articles(2, 2, seed=3):
        (folder / f"{a['id']}.txt").write_bytes(a["text"].encode("utf-16"))
    _, result = _both_engines(tmp_path, [folder], encoding="utf-16")
    assert result.bad == [] and len(result.added) == 4
    assert snapshot(tmp_path / "ray") == snapshot(tmp_path / "local")


def test_a_utf16_jsonl_file_is_read_whole_not_cut_at_0x0a_bytes(ray_local, tmp_path):
    """A line break is 0A 00 in UTF-16-LE: cut after 0A, every unit but the first started with a NUL byte and
    was skipped ("looks like UTF-16-BE text without a byte-order mark")."""
    lines = "".join(json.dumps({"text": a["text"]}) + "\n" for a in story_articles(3, 2, seed=8))
    (tmp_path / "bom.jsonl").write_bytes(lines.encode("utf-16"))  # Windows "Unicode" text: a BOM, little-endian
    (tmp_path / "le.jsonl").write_bytes(lines.encode("utf-16-le"))
    expected = []
    for name, encoding in (("bom", None), ("le", "utf-16-le")):
        paths = [tmp_path / f"{name}.jsonl"]
        _, result = _both_engines(tmp_path, paths, f"-{name}", encoding=encoding, options=IngestOptions(unit_size=2))
        assert result.bad == [] and len(result.added) == 6
        assert snapshot(tmp_path / f"ray-{name}") == snapshot(tmp_path / f"local-{name}")
        expected.append([a[0] for a in snapshot(tmp_path / f"ray-{name}")["articles"]])
    assert expected == [[f"bom:{n}" for n in range(1, 7)], [f"le:{n}" for n in range(1, 7)]]


def test_jsonl_lines_are_counted_by_the_workers_as_by_the_driver(ray_local, tmp_path):
    """A line of Unicode spaces was blank to the workers but a record to the driver, which numbers later units:
    the id-less lines after it got other names than a local ingest gives them."""
    texts = [a["text"] for a in story_articles(3, 2, seed=23)]
    lines = [json.dumps({"text": texts[0]}), "\u00a0", json.dumps({"text": texts[1].replace("\n", "\u2028", 1)},
                                                                    ensure_ascii=False),
             *(json.dumps({"text": t}) for t in texts[2:])]
    source = tmp_path / "feed.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems, result = _both_engines(tmp_path, [source], options=IngestOptions(unit_size=2))
    assert snapshot(tmp_path / "ray") == snapshot(tmp_path / "local") and list(map(str, result.bad)) == problems
    assert [a[0] for a in snapshot(tmp_path / "ray")["articles"]] == [f"feed:{n}" for n in (1, 3, 4, 5, 6, 7)]


class CrashOnce(HashEncoder):
    """Kills its own worker process the first time it embeds: Ray must restart it and retry the batch."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def encode_with_words(self, texts):
        if not os.path.exists(self.marker):
            open(self.marker, "w").close()
            os._exit(1)
        return super().encode_with_words(texts)


def test_a_worker_that_dies_is_restarted_and_its_batch_retried(ray_local, tmp_path):
    encoder = CrashOnce(str(tmp_path / "crashed"))
    records = [{"id": a["id"], "text": a["text"]} for a in story_articles(4, 3, seed=9)]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    with Index(tmp_path / "ix", model=encoder) as ix:
        result = ingest([source], ix, RayOptions(workers=1), IngestOptions(unit_size=4))
        assert ix.verify() == []
        assert len(ix.stories()) == 4
    assert (tmp_path / "crashed").exists() and len(result.added) == 12 and result.bad == []


class _Renamed(HashEncoder):
    """Arrives on the worker as another model (as a node with other model files would)."""

    def __setstate__(self, state):
        self.__dict__.update(state, name="hash-other")


def test_vectors_from_another_model_are_refused_in_one_line(ray_local, tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 2)])
    with Index(tmp_path / "ix", model=_Renamed()) as ix:
        with pytest.raises(IndexStoreError) as error:
            ingest([source], ix)
        assert ix.stories() == []
    message = str(error.value)
    assert "\n" not in message and "a worker embedded unit-000000 with model fingerprint" in message
    assert "install the same model and drift on every Ray node" in message
    assert not (tmp_path / "ix" / "jobs").exists()  # the failed job left no empty folder in the index


# ---------------------------------------------------------------- resuming a crashed job


def test_a_job_stopped_between_shards_resumes_without_storing_anything_twice(ray_local, tmp_path):
    paths = corpus(tmp_path / "in", stories=12, versions=3, seed=11)
    expected = local_ingest(paths, tmp_path / "local")

    def stop_after_three(done, total, added):
        if done == 3:
            raise KeyboardInterrupt

    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        with pytest.raises(KeyboardInterrupt):
            ingest(paths, ix, options=IngestOptions(unit_size=8), on_shard=stop_after_three)
        again = ingest(paths, ix, options=IngestOptions(unit_size=8))
        assert ix.verify() == []
    assert again.merged_before == 3 and again.units == 1 + 3 + 2
    assert snapshot(tmp_path / "ix") == expected
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        third = ingest(paths, ix, options=IngestOptions(unit_size=8))
    with Index(tmp_path / "local", model=HashEncoder()) as ix:
        local_again = ix.add_many(read_articles(paths))
    # a finished job: nothing computed or stored, every article reported as a local re-run reports it
    assert third.merged_before == third.units and third.reused == 0 and all(a.skipped for a in local_again)
    assert third.added == local_again and snapshot(tmp_path / "ix") == expected


_KILLABLE = """
import sys, time
sys.path.insert(0, {tests!r})
import fakes, ray
from fakes import HashEncoder
from drift.distributed.ingest import IngestOptions, ingest
from drift.distributed.runtime import RayOptions
from drift.store.index import Index

class Slow(HashEncoder):
    def encode_with_words(self, texts):
        time.sleep(0.2)
        return super().encode_with_words(texts)

ray.cloudpickle.register_pickle_by_value(fakes)
with Index({index!r}, model=Slow()) as ix:
    ingest({paths!r}, ix, RayOptions(address={address!r}, workers=1), IngestOptions(unit_size=6, batch_size=6),
           on_shard=lambda done, total, added: print("merged", done, flush=True))
print("done", flush=True)
"""


@pytest.mark.slow
def test_sigkill_in_the_middle_of_the_ray_job_then_a_rerun_leaves_the_index_verified_and_complete(
        ray_local, tmp_path):
    paths = [str(p) for p in corpus(tmp_path / "in", stories=20, versions=3, seed=13)]
    expected = local_ingest([Path(p) for p in paths], tmp_path / "local")
    script = _KILLABLE.format(tests=str(TESTS), index=str(tmp_path / "ix"), paths=paths, address=ray_local)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    merged = 0
    while merged < 3:
        line = proc.stdout.readline()
        assert line.startswith("merged"), proc.stderr.read()
        merged = int(line.split()[1])
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        assert ix.verify() == []
        again = ingest(paths, ix, options=IngestOptions(unit_size=6, batch_size=6))
        assert ix.verify() == []
    assert again.merged_before >= 3 and again.merged_before < again.units
    assert snapshot(tmp_path / "ix") == expected  # complete, in order, nothing twice


# ---------------------------------------------------------------- comparing every story


def test_comparing_stories_on_ray_writes_what_the_local_engine_writes_and_skips_unchanged_stories(
        ray_local, tmp_path):
    articles = story_articles(5, 3, seed=21)
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in articles[:-1]])
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(read_articles([source]))
        local = compare_stories(ix, tmp_path / "local", "json")
        on_ray = compare_stories(ix, tmp_path / "ray", "json", engine="ray")
        assert sorted(local.compared) == sorted(on_ray.compared) == [s.id for s in ix.stories()]
        files = sorted(p.name for p in (tmp_path / "ray").iterdir())
        assert files == sorted(p.name for p in (tmp_path / "local").iterdir()) and len(files) == 5
        for name in files:
            assert (tmp_path / "ray" / name).read_text() == (tmp_path / "local" / name).read_text()
        report = json.loads((tmp_path / "ray" / files[0]).read_text())
        assert report["schema"] == "drift.report/1" and report["signature"]["story"]["index"] == str(tmp_path / "ix")

        last = articles[-1]
        ix.add_many(read_articles([write_jsonl(tmp_path / "late.jsonl", [{"id": last["id"], "text": last["text"]}])]))
        nightly = compare_stories(ix, tmp_path / "ray", "json", engine="ray")
    assert len(nightly.compared) == 1 and len(nightly.unchanged) == 4 and nightly.failed == {}
    assert len(list((tmp_path / "ray").iterdir())) == 5  # the story's older report was replaced
