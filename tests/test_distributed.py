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
from fakes import HashEncoder, story_articles

from drift.distributed.ingest import IngestOptions, ingest
from drift.distributed.runtime import RayOptions
from drift.distributed.stories import compare_stories
from drift.errors import IndexStoreError
from drift.limits import Limits
from drift.read.files import read_articles
from drift.store.index import Index

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SEEDS = ROOT / "examples" / "seeds"
UNRELATED = TESTS / "fixtures" / "unrelated"

ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the encoders below travel to the workers


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


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


def snapshot(index: Path) -> dict:
    """Everything an index stores, without timestamps and row ids."""
    db = sqlite3.connect(index / "drift.sqlite")
    try:
        return {
            "stories": db.execute("SELECT id, title FROM stories ORDER BY id").fetchall(),
            "articles": db.execute("SELECT article_id, story, content_sha256, source, title, title_end, language, "
                                   "published, metadata, text FROM articles ORDER BY id").fetchall(),
            "sentences": db.execute("SELECT a.article_id, s.idx, s.start, s.end, s.boilerplate, s.title, s.language, "
                                    "s.vector, s.word_spans, s.word_vectors FROM sentences s "
                                    "JOIN articles a ON a.id = s.article ORDER BY s.id").fetchall(),
        }
    finally:
        db.close()


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


# ---------------------------------------------------------------- the command line


def test_engine_options_need_the_ray_engine_and_formats_their_mode(tmp_path):
    from click.testing import CliRunner

    from drift.cli import main

    result = CliRunner().invoke(main, ["ingest", str(SEEDS), "--index", str(tmp_path), "--workers", "2"])
    assert result.exit_code == 1 and result.stderr == "Error: --workers needs --engine ray; add it, or leave " \
                                                       "--workers out\n"
    result = CliRunner().invoke(main, ["stories", "--index", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 1 and result.stderr == ("Error: --format jsonl lists nothing; give --compare DIR "
                                                       "to write jsonl reports, or list stories as text or json\n")
    result = CliRunner().invoke(main, ["stories", "--index", str(tmp_path), "--engine", "ray"])
    assert result.exit_code == 1 and result.stderr == ("Error: --engine ray compares stories (--compare DIR) on Ray; "
                                                       "a listing reads the index here: add --compare DIR, or leave "
                                                       "--engine out\n")  # it was silently ignored
    result = CliRunner().invoke(main, ["ingest", "-", "--index", str(tmp_path), "--engine", "ray"], input="x")
    assert result.exit_code == 1 and result.stderr == ("Error: -: a distributed ingest cannot read stdin; save it "
                                                       "to a file, or use --engine local\n")


def test_a_ray_address_nobody_listens_on_is_one_line_at_once():
    import socket
    import time

    from drift.distributed.runtime import connect
    from drift.errors import ConfigError

    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.perf_counter()
    with pytest.raises(ConfigError, match=rf"^address='127.0.0.1:{port}': cannot connect to a Ray cluster "):
        connect(f"127.0.0.1:{port}")
    assert time.perf_counter() - started < 5  # Ray itself retried for minutes, deaf to SIGTERM


def _dies_once(marker: str) -> int:
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(1)
    return 1


def test_ray_events_about_a_dead_worker_never_reach_a_command_lines_stdout(ray_local, tmp_path, capfd):
    """Ray's driver prints "(raylet) A worker died ..." to stdout, where the command line writes its results."""
    import time

    from drift.distributed.runtime import ray_session

    with ray_session(silent=True):
        dies_once = ray.remote(max_retries=1)(_dies_once)
        assert ray.get(dies_once.remote(str(tmp_path / "died"))) == 1  # retried once on a new worker
        time.sleep(5)  # Ray's error listener prints what the raylet publishes a moment later
    assert (tmp_path / "died").exists() and capfd.readouterr().out == ""


def test_ray_that_cannot_be_imported_is_one_line_and_creates_no_index(tmp_path):
    shim = tmp_path / "shim" / "ray"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text('raise ImportError("No module named \'ray\'")\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{shim.parent}{os.pathsep}{ROOT}"}
    done = subprocess.run([sys.executable, "-m", "drift", "ingest", str(SEEDS), "--index", str(tmp_path / "ix"),
                           "--engine", "ray"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == ("Error: --engine ray needs Ray Data, which cannot be imported here (No module named "
                           "'ray'); install it with `pip install -r requirements.txt` (ray[data]), or use "
                           "--engine local\n")
    assert not (tmp_path / "ix").exists()  # nothing created for a job that could not start


def test_a_bad_ray_address_from_the_environment_is_named_as_such(monkeypatch):
    """$RAY_ADDRESS, not --ray-address, is what to fix; an http:// one is a dashboard's, not a cluster's."""
    import socket

    from drift.distributed.runtime import connect
    from drift.errors import ConfigError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("RAY_ADDRESS", f"127.0.0.1:{port}")
    with pytest.raises(ConfigError, match=rf"^\$RAY_ADDRESS 127.0.0.1:{port}: cannot connect to a Ray cluster "
                                          r"\(ConnectionRefusedError: nothing answers there\); start one with "
                                          r"`ray start --head` there, or unset RAY_ADDRESS to run on this machine$"):
        connect()
    monkeypatch.setenv("RAY_ADDRESS", "http://127.0.0.1:8265")  # what Ray's job submission docs export
    with pytest.raises(ConfigError, match=r"^\$RAY_ADDRESS http://127.0.0.1:8265: a Ray dashboard \(job "
                                          r"submission\) address, not a cluster's; give HEAD:6379, or "
                                          r"ray://HEAD:10001 through Ray Client, or unset RAY_ADDRESS"):
        connect()
    with pytest.raises(ConfigError, match=r"^address='nohost.invalid:6379': cannot connect to a Ray cluster "
                                          r"\(gaierror: no such host\); .* or leave address= out"):
        connect("nohost.invalid:6379")


def test_a_second_run_of_a_running_job_is_refused_at_once_in_one_line(tmp_path):
    """Two runs of one job planned from each other's shards (written, then deleted) and failed midway with
    "Ray returned shard 1 in place of 6"; the second is refused before any work, the first is not disturbed."""
    import fcntl

    from drift.errors import JobError

    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 2)])
    job_dir = tmp_path / "job"
    job_dir.mkdir()
    with open(job_dir / ".lock", "a") as running:  # the first run holds its job's lock
        fcntl.flock(running.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with Index(tmp_path / "ix", model=HashEncoder()) as ix:
            with pytest.raises(JobError, match=rf"^{re.escape(str(tmp_path / 'ix'))}: job [0-9a-f]{{16}} \(the same "
                                               r"inputs\) is running in another drift process; wait for it to end, "
                                               r"then run the same command again \(what it stored is skipped\)$"):
                ingest([source], ix, options=IngestOptions(job_dir=job_dir))
            assert ix.stories() == []
    assert sorted(p.name for p in job_dir.iterdir()) == [".lock"]  # nothing of the running job's was touched


def test_a_callers_job_dir_keeps_what_else_it_holds(ray_local, tmp_path):
    """A successful run removed the whole IngestOptions(job_dir=...) folder, whatever else the caller kept in
    it; now only the job's shards and lock go, and the folder only when the job made it."""
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 2)])
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "notes.txt").write_text("mine", encoding="utf-8")
    fresh = tmp_path / "fresh" / "job"
    for n, job_dir in enumerate((scratch, fresh)):
        with Index(tmp_path / f"ix{n}", model=HashEncoder()) as ix:
            result = ingest([source], ix, options=IngestOptions(job_dir=job_dir, unit_size=1))
            assert len(result.added) == 4 and result.units == 4  # a shard a record
    assert sorted(p.name for p in scratch.iterdir()) == ["notes.txt"]
    assert (scratch / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not fresh.exists() and (tmp_path / "fresh").exists()  # only the folder the job made


def test_drift_distributed_ingest_is_the_documented_function_whatever_was_imported_before():
    """The submodule ``drift.distributed.ingest``, once imported (the CLI does), hid the lazy function."""
    script = ("import drift.distributed.ingest\n"
              "from drift.distributed import ingest\n"
              "import drift.distributed\n"
              "assert callable(ingest) and drift.distributed.ingest is ingest, (ingest, drift.distributed.ingest)\n"
              "assert ingest.__module__ == 'drift.distributed.ingest'\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr


def test_a_read_only_index_is_refused_before_any_work(tmp_path):
    """It was refused at the first merge: after a whole Ray job, with shards written into the reader's index."""
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 2)])
    with Index(tmp_path / "ix", model=HashEncoder()):
        pass
    with Index(tmp_path / "ix", read_only=True) as ix:
        with pytest.raises(IndexStoreError, match=r"opened read-only; open it with Index\(path\) to add articles$"):
            ingest([source], ix)
    assert not (tmp_path / "ix" / "jobs").exists()  # no shard written, no Ray job run


class _Unloadable(HashEncoder):
    """Cannot be built on the workers, as a model missing on a node."""

    def __setstate__(self, state):
        from drift.errors import ModelError

        raise ModelError("the model files are missing on this node")


def test_a_worker_that_cannot_load_the_model_is_one_line_on_a_command_lines_stderr(ray_local, tmp_path,
                                                                                   monkeypatch):
    """Ray Data logged its own stack traces (a hundred lines) on stderr before drift's one line; that line is the
    worker's own ModelError, not a JobError that buried it and said to run the same command again."""
    import io
    import logging

    from drift.errors import ModelError

    console = io.StringIO()  # where Ray's console handlers write (stderr, but pytest holds the stream they took)
    for name in ("ray", "ray.data"):
        for handler in logging.getLogger(name).handlers:
            if type(handler).__module__.startswith("ray.") and "File" not in type(handler).__name__:
                monkeypatch.setattr(handler, "stream", console)
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 2)])
    with Index(tmp_path / "ix", model=_Unloadable()) as ix:
        with pytest.raises(ModelError) as error:
            ingest([source], ix, RayOptions(silent=True))
        assert ix.stories() == []
    assert str(error.value) == "the model files are missing on this node"
    assert console.getvalue() == ""
    assert not (tmp_path / "ix" / "jobs").exists()  # the failed job left no empty folder in the index


# ---------------------------------------------------------------- bad input: what each engine says and leaves


@pytest.fixture
def hash_index(monkeypatch):
    """The command line's indexes embed with HashEncoder: no model for the Ray workers to load."""
    import drift.cli.store as commands

    opened = commands._open
    monkeypatch.setattr(commands, "_open",
                        lambda index_dir, model=None, **kw: opened(index_dir, model or HashEncoder(), **kw))


def _cli_both(tmp_path: Path, *args: Any, index: str = "new-{engine}/ix", stdin: str | None = None) -> dict:
    """``drift ingest ARGS`` with each engine into its own index: (exit code, stdout, stderr), the index as IX."""
    from click.testing import CliRunner

    from drift.cli import main

    seen = {}
    for engine in ("local", "ray"):
        ix = str(tmp_path / index.format(engine=engine))
        done = CliRunner().invoke(main, ["ingest", *map(str, args), "--index", ix, "--engine", engine], input=stdin)
        assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
        seen[engine] = (done.exit_code, done.stdout.replace(ix, "IX"), done.stderr.replace(ix, "IX"))
    return seen


def test_a_ray_ingests_warnings_name_the_flags_as_a_local_ones(ray_local, hash_index, tmp_path):
    """A worker's refusal reached the driver as text, so the command line could not name its flags: a Latin-1
    file's hint said "pass encoding= (e.g. encoding='latin-1')" on Ray, "--encoding latin-1" locally."""
    good, latin = tmp_path / "good.txt", tmp_path / "latin.txt"
    good.write_text(story_articles(1, 1, seed=3)[0]["text"], encoding="utf-8")
    latin.write_bytes("Le caf\u00e9 est ouvert. La deuxi\u00e8me phrase suit.".encode("latin-1"))
    seen = _cli_both(tmp_path, good, latin)
    assert seen["ray"] == seen["local"]
    assert seen["ray"][2] == (f"drift: warning: {latin}: not valid UTF-8 (byte 0xe9 at offset 6); pass --encoding "
                              "(e.g. --encoding latin-1) (skipped)\n")


def test_a_ray_ingest_that_fails_before_storing_anything_leaves_no_index_as_a_local_one(ray_local, hash_index,
                                                                                         tmp_path):
    """Ray opened (so made) the index before its workers read the inputs: a run that read nothing left an
    empty index directory (and its parent) behind, where a local ingest, which reads first, left none."""
    scan, scan2, good = tmp_path / "scan.txt", tmp_path / "scan2.txt", tmp_path / "good.txt"
    scan.write_bytes(b"%PDF-1.7\x00\x01")
    scan2.write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    good.write_text(story_articles(1, 1, seed=2)[0]["text"], encoding="utf-8")
    broken = tmp_path / "unloadable"
    broken.mkdir()
    (broken / "config.json").write_text("{}", encoding="utf-8")
    binary = "binary file, not text; give a .txt, .md, .json or .jsonl article"
    cases = {
        "one": ([scan], f"Error: {scan}: {binary}\n"),
        "all": ([scan, scan2], f"drift: warning: {scan}: {binary} (skipped)\ndrift: warning: {scan2}: {binary} "
                               "(skipped)\nError: none of the 2 inputs could be read (see the warnings above); fix "
                               "them and run again\n"),
        "codec": ([good, "--encoding", "no-such-codec"], "Error: --encoding 'no-such-codec': unknown encoding; "
                                                         "give a Python codec name such as utf-8 or latin-1\n"),
        # a local ingest too made the index before it found the model unusable, at its first batch; on Ray the
        # workers' ModelError was "ingest job ... failed on Ray (... UDF failed to process a data block.); run the
        # same command again to resume", naming neither the model nor the fix
        "model": ([good, "--model", broken], f"Error: {broken}: cannot load model (ValueError: Unrecognized model "
                                             f"in {broken}.); pass --model with a local model directory (nothing is "
                                             "downloaded at run time)\n"),
    }
    for case, (args, stderr) in cases.items():
        seen = _cli_both(tmp_path, *args, index=f"{case}-{{engine}}/ix")
        assert seen["ray"] == seen["local"] == (1, "", stderr), case
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(case)) == [], case
    seen = _cli_both(tmp_path, "-", index="stdin-{engine}/ix", stdin="One sentence here.")
    assert seen["ray"] == (1, "", "Error: -: a distributed ingest cannot read stdin; save it to a file, or use "
                                  "--engine local\n")
    assert not (tmp_path / "stdin-ray").exists()

    # an index that was there before is kept as it was, stored articles and all; so is an empty directory
    with Index(tmp_path / "kept", model=HashEncoder()) as ix:
        ix.add_many(read_articles([good]))
    before = snapshot(tmp_path / "kept")
    (tmp_path / "mine").mkdir()
    for index in ("kept", "mine"):
        seen = _cli_both(tmp_path, scan, index=index)
        assert seen["ray"] == seen["local"] == (1, "", f"Error: {scan}: {binary}\n")
    assert snapshot(tmp_path / "kept") == before and (tmp_path / "mine").is_dir()
    with Index(tmp_path / "kept", model=HashEncoder()) as ix:
        assert ix.verify() == []


def test_records_all_refused_by_a_limit_get_the_local_summary_on_ray_first_and_on_a_rerun(ray_local, hash_index,
                                                                                          tmp_path):
    """A record read but refused (a limit, in the workers) was told from an unreadable one by neither the job nor
    its shards: with nothing stored, Ray printed the refusal as an Error line where a local ingest, which had read
    the article, prints its summary; with an unreadable input too, "none of the 2 inputs could be read"."""
    long, good, scan = tmp_path / "long.txt", tmp_path / "good.txt", tmp_path / "scan.txt"
    long.write_text("Word " * 100 + "end.\n", encoding="utf-8")
    good.write_text(story_articles(1, 1, seed=2)[0]["text"], encoding="utf-8")
    scan.write_bytes(b"%PDF-1.7\x00\x01")
    refused = (f"drift: warning: {long}: sentence 1 has 504 characters, over the limit of 50 per sentence; break "
               "the text into sentences (one paragraph a line), or raise the limit with --max-sentence-chars N "
               "(library: Limits(max_sentence_chars=N)) (skipped)\n")
    unreadable = f"drift: warning: {scan}: binary file, not text; give a .txt, .md, .json or .jsonl article (skipped)\n"
    nothing = "0 added (0 new stories), {} unreadable and skipped; the index holds 0 articles in 0 stories\n"
    for _ in range(2):  # the re-run finds the job's shards merged, and says what a local re-run says
        seen = _cli_both(tmp_path, long, "--max-sentence-chars", "50", index="chars-{engine}")
        assert seen["ray"] == seen["local"] == (1, "IX: " + nothing.format(1), refused)
        seen = _cli_both(tmp_path, good, "--max-sentences", "2", index="sentences-{engine}")
        assert seen["ray"] == seen["local"] and seen["local"][:2] == (1, "IX: " + nothing.format(1))
        assert "sentences, over the limit of 2 per batch" in seen["local"][2]
        # and an unreadable input first: a local ingest warns of what it could not read, then of what it refused
        seen = _cli_both(tmp_path, long, scan, "--max-sentence-chars", "50", index="both-{engine}")
        assert seen["ray"] == seen["local"] == (1, "IX: " + nothing.format(2), unreadable + refused)


def test_a_run_that_fails_keeps_a_new_index_once_anything_is_stored_and_the_folders_it_did_not_make(tmp_path):
    import contextlib

    from drift.store.database import write_lock
    from drift.store.fresh import removed_unless_stored

    source = write_jsonl(tmp_path / "in.jsonl", [{"id": a["id"], "text": a["text"]} for a in story_articles(2, 1)])
    for stored in (True, False):
        index = tmp_path / f"made-{stored}" / "by" / "run"
        with pytest.raises(KeyboardInterrupt), removed_unless_stored(index):
            with Index(index, model=HashEncoder()) as ix:
                if stored:
                    ix.add_many(read_articles([source]))
            raise KeyboardInterrupt  # a failure after the first batch: what it stored is kept, to resume
        assert index.exists() is stored and (tmp_path / f"made-{stored}").exists() is stored
    assert len(snapshot(tmp_path / "made-True" / "by" / "run")["articles"]) == 2
    (tmp_path / "made-False" / "other").mkdir(parents=True)  # someone else's folder beside the new index
    with pytest.raises(ValueError), removed_unless_stored(tmp_path / "made-False" / "ix"):
        Index(tmp_path / "made-False" / "ix", model=HashEncoder()).close()
        raise ValueError
    assert sorted(p.name for p in (tmp_path / "made-False").iterdir()) == ["other"]
    # another process opened the new index meanwhile and is storing its first batch: the index is its own now
    with contextlib.ExitStack() as other:
        with pytest.raises(ValueError), removed_unless_stored(tmp_path / "shared" / "ix"):
            Index(tmp_path / "shared" / "ix", model=HashEncoder()).close()
            other.enter_context(write_lock(tmp_path / "shared" / "ix"))
            raise ValueError
        assert (tmp_path / "shared" / "ix" / "drift.sqlite").exists()


def test_ray_that_cannot_start_leaves_no_index(tmp_path):
    import socket

    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = subprocess.run([sys.executable, "-m", "drift", "ingest", str(SEEDS), "--index", str(tmp_path / "new" / "ix"),
                           "--engine", "ray", "--ray-address", f"127.0.0.1:{port}"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"Error: --ray-address 127.0.0.1:{port}: cannot connect to a Ray cluster ")
    assert not (tmp_path / "new").exists()


def test_wrong_options_are_refused_at_the_call_in_one_line(tmp_path):
    """IngestOptions(unit_size=0), RayOptions(workers=-1) or an index that is no Index failed as a Python or
    Ray error in the middle of the job (a ZeroDivisionError, a Ray ValueError, an AttributeError)."""
    from drift.errors import ArgumentError, ConfigError

    cases = [(lambda: IngestOptions(unit_size=0), "unit_size=0: not a positive whole number; give a count such as"),
             (lambda: IngestOptions(batch_size=-3), "batch_size=-3: not a positive whole number"),
             (lambda: IngestOptions(job_dir=5), "IngestOptions: job_dir must be a path (or None), not int"),
             (lambda: RayOptions(workers=0), "workers=0: not a positive whole number; give a count such as 4"),
             (lambda: RayOptions(workers=True), "workers=True: not a positive whole number"),
             (lambda: RayOptions(address=6379), "RayOptions: address must be a str (or None), not int"),
             (lambda: ingest([str(tmp_path)], str(tmp_path / "ix")),
              "drift.distributed.ingest: index must be an Index, not str"),
             (lambda: ingest([str(tmp_path)], None, options=IngestOptions()),  # type: ignore[arg-type]
              "drift.distributed.ingest: index must be an Index, not None"),
             (lambda: ingest([str(tmp_path)], opened, options={"unit_size": 2}),  # type: ignore[arg-type]
              "drift.distributed.ingest: options must be an IngestOptions, not dict")]
    with Index(tmp_path / "ix2", model=HashEncoder()) as opened:
        for call, message in cases:
            with pytest.raises((ConfigError, ArgumentError)) as raised:
                call()
            assert str(raised.value).startswith(message), str(raised.value)
        assert opened.stories() == []
    assert IngestOptions(job_dir=str(tmp_path)).job_dir == tmp_path  # a str is a path, as everywhere
    assert not (tmp_path / "ix").exists()


def test_an_address_ray_cannot_use_because_ray_already_runs_is_said(ray_local, caplog):
    # Ray already started in this process was used silently, whatever cluster address= named.
    from drift.distributed.runtime import ray_session

    with caplog.at_level("WARNING", logger="drift"):
        with ray_session(address="10.9.8.7:6379"):
            pass
        with ray_session(address=ray_local):  # the cluster it runs already: nothing to say
            pass
    assert [r.getMessage() for r in caplog.records] == [
        f"Ray already runs in this process (cluster {ray_local}), so the job runs there, not at "
        "address='10.9.8.7:6379'; call ray.shutdown() first to use that cluster"]
