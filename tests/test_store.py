"""The persistent index: stories, idempotent ingest, check, model identity, arguments, threads
(damage and crashes: test_store_damage.py)."""
from __future__ import annotations

import math
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from fakes import HashEncoder, fake_articles

from drift.errors import ArgumentError, ConfigError, DriftError, IndexStoreError, InputError
from drift.read.files import read_articles
from drift.read.titles import article_from_text
from drift.store.index import Index
from drift.store.matching import MatchSettings
from drift.text.prepare import prepare_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
UNRELATED = ROOT / "tests" / "fixtures" / "unrelated"
TESTS = ROOT / "tests"


def seed_ids() -> set[str]:
    return {p.stem for p in SEEDS}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, encoder) -> Path:
    """Seed versions interleaved with unrelated news, ingested one article per batch."""
    path = tmp_path_factory.mktemp("seeded") / "index"
    seeds, others = read_articles(SEEDS), read_articles([UNRELATED])
    order = others[:3] + seeds[:2] + others[3:5] + seeds[2:4] + others[5:] + seeds[4:]
    with Index(path, model=encoder) as ix:
        ix.add_many(order, batch_size=1)
    return path


# ---------------------------------------------------------------- stories


def test_one_story_holds_exactly_the_seed_versions(seeded, encoder):
    with Index(seeded, model=encoder) as ix:
        stories = ix.stories()
    with_seeds = [s for s in stories if set(s.articles) & seed_ids()]
    assert len(with_seeds) == 1
    assert set(with_seeds[0].articles) == seed_ids()
    # Every unrelated article, including the other French attack and the Moscow trial, stands alone.
    assert sorted(len(s.articles) for s in stories) == [1] * len(list(UNRELATED.glob("*.txt"))) + [len(SEEDS)]


def test_reingesting_adds_nothing(seeded, encoder):
    with Index(seeded, model=encoder) as ix:
        before = ix.store.counts()
        done = ix.add_many(read_articles(SEEDS[:2]))
        assert all(d.skipped for d in done)
        assert [d.article for d in done] == [p.stem for p in SEEDS[:2]]
        assert ix.store.counts() == before


def test_story_of_a_stored_article_is_its_story(seeded, encoder):
    with Index(seeded, model=encoder) as ix:
        seed_story = next(s.id for s in ix.stories() if SEEDS[0].stem in s.articles)
        found = ix.story(read_articles(SEEDS[3:4])[0])
        # a stored version's best candidate is its story, as for any match (it was None: "no candidate")
        assert (found.story, found.best, found.share) == (seed_story, seed_story, 1.0)


def test_check_on_a_seed_version_finds_the_others_without_reembedding_them(seeded, encoder):
    counting = CountingEncoder(encoder)
    with Index(seeded, model=counting) as ix:
        stored_texts = {s.text for a in ix.store.articles() for s in a.sentences}
        original = read_articles(SEEDS[:1])[0]
        new = prepare_article(replace(original, text=original.text.replace("137", "173", 1)))
        new_texts = {s.text for s in new.sentences}
        result = ix.check(new, against="all")
    report = result.report
    assert result.status == "compared" and report.signature.reference == f"{SEEDS[0].stem}-new"
    compared = {b for _, b in report.signature.to_dict()["version_pairs"]}
    assert compared == seed_ids() == set(result.compared_with)
    assert report.pairs
    assert not (set(counting.seen) & stored_texts) - new_texts


def test_compare_story_reuses_stored_vectors_and_matches_a_fresh_compare(seeded, encoder):
    from drift import compare

    counting = CountingEncoder(encoder)
    with Index(seeded, model=counting) as ix:
        story = next(s.id for s in ix.stories() if SEEDS[0].stem in s.articles)
        stored_texts = {s.text for a in ix.store.articles() for s in a.sentences}
        report = ix.compare_story(story)
    assert not set(counting.seen) & stored_texts  # only merged sentence pairs reach the model
    fresh = compare(read_articles(SEEDS), model=encoder)
    key = lambda p: (p.alignment.a, p.alignment.a_sentences, p.alignment.b, p.alignment.b_sentences)  # noqa: E731
    assert {key(p) for p in report.pairs} == {key(p) for p in fresh.pairs}
    drift_of = {key(p): p.drift for p in fresh.pairs}
    assert all(abs(p.drift - drift_of[key(p)]) < 0.03 for p in report.pairs)
    assert report.signature.to_dict()["story"]["id"] == story


def test_comparing_every_story_counts_drifted_counterparts_as_the_summary_does(seeded, encoder, tmp_path):
    """``stories --compare`` said "3 drifted pairs" of two seeds whose report has 1 major, 1 minor and 1 overlap."""
    from drift.distributed.stories import compare_stories

    with Index(seeded, model=encoder) as ix:
        done = compare_stories(ix, tmp_path / "reports", "json")
        reports = [ix.compare_story(story) for story in done.compared]
    assert any(p.relation == "overlap" and p.severity != "none" for r in reports for p in r.pairs)
    assert done.drifted == sum(r.summary().major + r.summary().minor for r in reports)
    assert done.major == sum(r.summary().major for r in reports)


def test_check_of_unrelated_news_is_a_new_story(seeded, encoder):
    text = ("Wildlife officers counted a record number of storks nesting on church towers this spring.\n"
            "Volunteers built new platforms on chimneys after the birds returned early from Africa.\n"
            "The regional park said mild winters had helped the population recover.\n")
    with Index(seeded, model=encoder) as ix:
        result = ix.check(article_from_text(text, id="storks", source="storks"))
    assert (result.status, result.story, result.report.pairs) == ("new", None, [])
    assert result.line().startswith("storks: new story, no stored story matches (")
    assert result.tripped(["major"]) is None and result.tripped(["major", "new"]) == "new"


def test_check_with_ingest_stores_the_version(tmp_path):
    arts = fake_articles(2, 3)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[:2])
        result = ix.check(arts[2], ingest=True, against="all")
        assert [b for _, b in result.report.signature.to_dict()["version_pairs"]] == ["s0v0", "s0v1"]
        assert result.ingested == ("s0v2", ix.stories()[0].id)
        assert ix.stories()[0].articles == ["s0v0", "s0v1", "s0v2"]


def test_same_id_with_other_text_is_stored_under_a_new_id(tmp_path):
    a, b = fake_articles(2, 1)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add(a)
        done = ix.add_many([article_from_text(b.text, id=a.id)])
        assert done[0].article == f"{a.id}-2" and done[0].new_story


@pytest.mark.parametrize("field", ["id", "source", "metadata"])
def test_a_field_sqlite_cannot_store_is_an_input_error_not_a_unicode_error(tmp_path, field):
    text = "The minister spoke on Monday about the plan. Taxes will rise next year, she said.\n"
    given = {"id": "a", "source": "a.txt", "metadata": {}}
    given[field] = {"k": "caf\udce9"} if field == "metadata" else "caf\udce9"
    article = article_from_text(text, **given)
    problems: list[InputError] = []
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        with pytest.raises(InputError, match=rf'field "{field}" has a character that is no UTF-8 text \\udce9; '
                                             "an index stores UTF-8 only"):
            ix.add(article)
        assert ix.add_many([article, article_from_text(text, id="b")], on_error=problems.append)[0].article == "b"
    assert len(problems) == 1


def test_synthetic_versions_group_into_their_stories(tmp_path):
    arts = fake_articles(6, 4, seed=3)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts, batch_size=5)
        groups = sorted(sorted(s.articles) for s in ix.stories())
    assert groups == [[f"s{s}v{v}" for v in range(4)] for s in range(6)]


def test_compare_story_of_many_versions_uses_the_central_version(tmp_path):
    from drift.align.pairing import AUTO_ALL_PAIRS

    arts = fake_articles(1, AUTO_ALL_PAIRS + 2, seed=5)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts)
        (story,) = [s.id for s in ix.stories()]
        auto = ix.compare_story(story)
        every = ix.compare_story(story, pairs="all")
    assert auto.signature.reference_chosen == "central"
    assert len(auto.signature.to_dict()["version_pairs"]) == len(arts) - 1
    assert len(every.signature.to_dict()["version_pairs"]) == len(arts) * (len(arts) - 1) // 2


def test_compare_story_needs_two_versions_and_a_known_story(tmp_path):
    a = fake_articles(1, 1)[0]
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        story = ix.add(a)
        with pytest.raises(InputError, match="has one version"):
            ix.compare_story(story)
        with pytest.raises(InputError, match=r"^no story 99 in .*; run `drift stories"):
            ix.compare_story(99)


# ---------------------------------------------------------------- model identity


def test_index_made_with_another_model_is_a_clear_error(tmp_path, encoder):
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add(fake_articles(1, 1)[0])
    with pytest.raises(IndexStoreError) as err:
        Index(tmp_path / "ix", model=encoder)
    message = str(err.value)
    assert "made with model 'hash-test'" in message and "not 'all-MiniLM-L6-v2'" in message
    assert "pass model='hash-test'" in message and "drift index rebuild --model all-MiniLM-L6-v2" in message
    assert "\n" not in message


def test_rebuild_with_another_model_reembeds(tmp_path):
    arts = fake_articles(2, 2)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts)
    other = HashEncoder(name="hash-other", dim=16)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.rebuild(other)
    with Index(tmp_path / "ix", model=other) as ix:
        assert ix.stats()["dim"] == 16 and ix.stats()["model"] == "hash-other"
        assert ix.verify() == []
        assert ix.story(fake_articles(2, 3)[2]).story == ix.stories()[0].id


@pytest.mark.parametrize("story", [None, "1", 1.0, True])
def test_compare_story_takes_a_story_number_only(tmp_path, story):
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(fake_articles(2, 2))
        with pytest.raises(ArgumentError, match=r"Index.compare_story: story must be a story number \(int\), not "):
            ix.compare_story(story)


@pytest.mark.parametrize("call, said", [
    (lambda ix, arts: ix.articles(None), r"Index.articles: story must be a story number \(int\), not None"),
    (lambda ix, arts: ix.articles("1"), r"Index.articles: story must be a story number \(int\), not str '1'"),
    (lambda ix, arts: ix.add_many(arts, on_batch=1),
     r"Index.add_many: on_batch must be a function taking a list of Added \(or None\), not int; "
     r"pass e.g. on_batch=done.extend"),
    (lambda ix, arts: ix.add_many(arts, batch_size=0),
     r"batch_size=0: not a positive whole number; give a count such as 16"),
    (lambda ix, arts: ix.add_many(arts, batch_size="8"),
     r"batch_size='8': not a positive whole number; give a count such as 16"),
])
def test_index_methods_refuse_a_wrong_argument_before_anything_is_stored(tmp_path, call, said):
    """``articles(None)`` gave every story's articles as one story's and ``articles("1")`` passed; an ``on_batch``
    that is no function failed with a TypeError after its batch was stored; ``batch_size=0`` or ``"8"`` was
    silently one batch."""
    arts = fake_articles(2, 2)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[:2])
        with pytest.raises(DriftError, match=f"^{said}$"):
            call(ix, arts[2:])
        assert ix.store.counts()["articles"] == 2


@pytest.mark.parametrize("options, said", [
    ({"match": None}, r"Index: match must be a drift.store.matching.MatchSettings, not None; "
                      r"pass match=MatchSettings\(...\) or leave it out"),
    ({"match": MatchSettings}, r"Index: match must be a .*MatchSettings, not type; pass .*"),
    ({"lock_timeout": "10"}, r"lock_timeout='10': not a finite number; give one such as 600(\.0)?"),
    ({"lock_timeout": math.nan}, r"lock_timeout=nan: not a finite number; give one such as 600(\.0)?"),
])
def test_index_options_of_the_wrong_type_are_refused_when_it_opens(tmp_path, options, said):
    """``match=None`` failed as an AttributeError at the first article matched, ``lock_timeout="10"`` as a
    TypeError at the first write: after the caller had read and embedded the batch."""
    with pytest.raises(DriftError, match=f"^{said}$"):
        Index(tmp_path / "ix", model=HashEncoder(), **options)
    with Index(tmp_path / "ix", model=HashEncoder(), lock_timeout=math.inf) as ix:  # wait for ever: allowed
        ix.add_many(fake_articles(1, 2))


def test_an_unknown_backend_is_refused_before_the_index_is_made(tmp_path):
    """``Index(path, backend="gpu")`` made the directory and its database, then failed at the first article
    embedded, leaving an empty index behind; a caller's own Encoder names its own backend (no choice of drift's)."""
    with pytest.raises(ConfigError, match=r"^unknown backend='gpu'; choose one of 'auto', 'torch', 'onnx'$"):
        Index(tmp_path / "ix", backend="gpu")
    assert not (tmp_path / "ix").exists()
    with pytest.raises(ArgumentError, match=r"^Index: backend must be a str \(or None\), not int; pass one of "):
        Index(tmp_path / "ix", backend=1)  # type: ignore[arg-type]
    assert not (tmp_path / "ix").exists()
    with Index(tmp_path / "own", model=HashEncoder(), backend="hash") as ix:
        ix.add_many(fake_articles(1, 2))
    before = sorted((p.name, p.stat().st_size) for p in (tmp_path / "own").iterdir())
    with pytest.raises(ConfigError, match=r"^unknown backend='gpu'"):
        Index(tmp_path / "own", backend="gpu")  # an existing index: refused alike, left as it was
    assert sorted((p.name, p.stat().st_size) for p in (tmp_path / "own").iterdir()) == before


@pytest.mark.parametrize("fields, said", [
    ({"k": 0}, r"k=0: not a positive whole number; give a count such as 4"),
    ({"min_sentences": "2"}, r"min_sentences='2': not a positive whole number; give a count such as 2"),
    ({"similarity": "high"}, r"similarity='high': not a finite number; give one such as 0.65"),
    ({"share": 20}, r"share=20: not a probability from 0 to 1; give one such as 0.5"),
])
def test_match_settings_check_their_fields(fields, said):
    with pytest.raises(ConfigError, match=f"^{said}$"):
        MatchSettings(**fields)


def test_opening_a_missing_index_without_create_is_an_error(tmp_path):
    with pytest.raises(IndexStoreError, match=r"no drift index here; run `drift ingest FILE --index"):
        Index(tmp_path / "nothing", model=HashEncoder(), create=False)



def test_an_index_used_after_close_says_so(tmp_path):
    """It said 'the index cannot be used (Cannot operate on a closed database.); check the directory and its
    disk': nothing is wrong with either."""
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(fake_articles(1, 2))
    for use in (ix.stories, lambda: ix.add(fake_articles(2, 1)[1]), ix.verify):
        with pytest.raises(IndexStoreError, match=r"ix: the index is closed; open it again \(Index\(path\)\), "
                                                  r"or use it inside its `with Index\(path\) as index:` block$"):
            use()
    ix.close()  # closing twice is harmless


def test_an_index_used_from_another_thread_says_to_open_one_per_thread(tmp_path):
    """Two threads calling check on one Index were told 'the index cannot be used (SQLite objects created in a
    thread ...); check the directory and its disk': nothing is wrong with either. One Index per thread works."""
    import threading

    arts = fake_articles(2, 3)
    errors: list[BaseException] = []

    def check(ix: Index) -> None:
        try:
            ix.check(arts[2])
        except BaseException as error:  # noqa: BLE001 - collected for the main thread's assertions
            errors.append(error)

    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[:2])
        threads = [threading.Thread(target=check, args=(ix,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(errors) == 2
    for error in errors:
        assert isinstance(error, IndexStoreError)
        assert str(error).endswith("ix: this Index was opened in another thread, and an Index is used by the thread "
                                   "that opened it; open one Index(path) in each thread (writers take turns under "
                                   "the index's lock)")

    def own() -> None:
        with Index(tmp_path / "ix", model=HashEncoder()) as mine:
            check(mine)
    threads = [threading.Thread(target=own) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 2


@pytest.mark.parametrize("dim", [32, 16])
def test_an_open_index_re_embedded_by_another_process_refuses_to_mix_models(tmp_path, dim):
    """A long-running job kept embedding with the model it opened the index with: after `drift index rebuild
    --model` in another process it stored old-model vectors among the new ones (verify passed), or, with
    another dimension, failed with a bare AssertionError from faiss."""
    arts = fake_articles(2, 2, seed=3)
    job = Index(tmp_path / "ix", model=HashEncoder())
    job.add_many(arts[:2])
    with Index(tmp_path / "ix", model=HashEncoder()) as operator:
        operator.rebuild(model=HashEncoder("other-model", dim=dim))
    with pytest.raises(IndexStoreError, match=r"ix: re-embedded by another process since it was opened here "
                                              r"\(now model 'other-model', backend 'hash'\); open the index again"):
        job.add_many(arts[2:])
    job.close()
    with Index(tmp_path / "ix", model=HashEncoder("other-model", dim=dim)) as ix:
        assert ix.stats()["articles"] == 2  # nothing of the refused batch
        ix.add_many(arts[2:])  # reopened, the job goes on with the index's model
        assert ix.verify() == [] and len(ix.stories()) == 2


def test_a_new_index_whose_first_batch_rolled_back_takes_the_next(tmp_path, monkeypatch):
    """The rolled-back batch had recorded the model in memory only: it is not another process's model."""
    from drift.store.database import Store

    insert = Store.insert_article
    calls = []

    def full_once(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise sqlite3.OperationalError("database or disk is full")
        return insert(self, *args, **kwargs)

    monkeypatch.setattr(Store, "insert_article", full_once)
    arts = fake_articles(1, 2)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        with pytest.raises(IndexStoreError, match="the disk is full"):
            ix.add(arts[0])
        ix.add_many(arts)
        assert [s.articles for s in ix.stories()] == [["s0v0", "s0v1"]] and ix.verify() == []


def test_a_new_index_first_stored_with_another_model_is_refused(tmp_path):
    mine = Index(tmp_path / "ix", model=HashEncoder("mine"))  # both open it while it is empty
    with Index(tmp_path / "ix", model=HashEncoder("theirs")) as theirs:
        theirs.add_many(fake_articles(1, 2))
    with pytest.raises(IndexStoreError, match=r"ix: another process stored the first vectors, with model 'theirs' "
                                              r"\(backend 'hash'\), not 'mine' \('hash'\); open it with that"):
        mine.add_many(fake_articles(2, 1, seed=4))
    mine.close()


def test_an_open_index_whose_database_was_rebuilt_from_articles_refuses_to_write(tmp_path):
    """`drift index rebuild --from-articles` swaps in a new drift.sqlite; a job that had the index open went on
    writing into the old file, kept aside as drift.sqlite.previous-TIME: its articles were lost to the index."""
    from drift.store.recover import rebuild_from_articles

    arts = fake_articles(2, 2, seed=3)
    job = Index(tmp_path / "ix", model=HashEncoder())
    job.add_many(arts[:2])
    rebuild_from_articles(tmp_path / "ix", model=HashEncoder())
    with pytest.raises(IndexStoreError, match=r"ix/drift.sqlite: replaced by another process \(`drift index "
                                              r"rebuild --from-articles`\) since it was opened here; open the"):
        job.add_many(arts[2:])
    job.close()
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[2:])
        assert sorted(a for s in ix.stories() for a in s.articles) == sorted(a.id for a in arts)

class CountingEncoder:
    """The real encoder, recording every text it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.languages, self.location = inner.name, inner.languages, inner.location
        self.seen: list[str] = []

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def backend(self) -> str:
        return self.inner.backend

    def covers(self, language: str) -> bool:
        return self.inner.covers(language)

    def encode(self, texts):
        self.seen.extend(texts)
        return self.inner.encode(texts)

    def encode_with_words(self, texts):
        self.seen.extend(texts)
        return self.inner.encode_with_words(texts)




# ---------------------------------------------------------------- one backend everywhere (issue 12)


def _meta(path: Path) -> dict[str, str]:
    db = sqlite3.connect(path / "drift.sqlite")
    try:
        return dict(db.execute("SELECT key, value FROM meta"))
    finally:
        db.close()


def test_the_index_records_the_backend_it_embedded_with(tmp_path, onnx_cache):
    _, onnx = onnx_cache
    with Index(tmp_path / "ix", model=onnx) as ix:
        ix.add(read_articles(SEEDS[:1])[0])
        assert ix.stats()["backend"] == "onnx-int8-token"
    meta = _meta(tmp_path / "ix")
    assert (meta["backend"], meta["backend_version"]) == ("onnx-int8-token", "drift-onnx/2")


def test_an_index_made_with_another_backend_is_a_clear_error(tmp_path, encoder):
    with Index(tmp_path / "ix", model=encoder) as ix:  # torch
        ix.add(read_articles(SEEDS[:1])[0])
    with pytest.raises(IndexStoreError) as err:
        Index(tmp_path / "ix", backend="onnx")
    message = str(err.value)
    assert "made with backend 'torch', not 'onnx'" in message and "\n" not in message
    assert "drift index rebuild --backend onnx" in message and "leave backend= out" in message
    db = sqlite3.connect(tmp_path / "ix" / "drift.sqlite")
    with db:
        db.execute("DELETE FROM meta WHERE key IN ('backend', 'backend_version')")  # an index of before issue 12
    db.close()
    with Index(tmp_path / "ix") as ix:
        assert ix.recorded_backend == "torch"  # it embedded with torch, so it still does
    with pytest.raises(IndexStoreError, match="made with backend 'torch', not 'onnx'"):
        Index(tmp_path / "ix", backend="onnx")


def test_rebuild_with_another_backend_reembeds_and_records_it(tmp_path, encoder, onnx_cache, monkeypatch):
    cache, _ = onnx_cache
    monkeypatch.setenv("DRIFT_CACHE", str(cache))
    with Index(tmp_path / "ix", model=encoder) as ix:
        ix.add_many(read_articles(SEEDS[:2]))
    with Index(tmp_path / "ix") as ix:
        ix.rebuild(backend="onnx")
    meta = _meta(tmp_path / "ix")
    assert (meta["backend"], meta["model"], meta["generation"]) == ("onnx-int8-token", "all-MiniLM-L6-v2", "1")
    with Index(tmp_path / "ix") as ix:
        assert ix.encoder.backend == "onnx-int8-token" and ix.verify() == []


def test_check_and_compare_give_the_same_pairs_and_scores(tmp_path, onnx_cache):
    """The same two versions, one stored and one checked, or both compared: the same report pairs."""
    from drift import compare

    _, onnx = onnx_cache
    seeds = read_articles(SEEDS)
    with Index(tmp_path / "ix", model=onnx) as ix:
        ix.add_many([seeds[0], *seeds[2:]])  # 000 embedded in a batch with 002-004
        checked = ix.check(read_articles(SEEDS[1:2])[0], against="all").report
    compared = compare(read_articles(SEEDS[:2]), model=onnx)
    a, b = seeds[0].id, seeds[1].id
    swap = {"omission": "addition", "addition": "omission"}

    def view(p, flip: bool):
        al = p.alignment
        sides = (al.b_sentences, al.a_sentences) if flip else (al.a_sentences, al.b_sentences)
        kinds = frozenset(swap.get(k, k) if flip else k for k in p.kinds)
        spans = frozenset((sp.article, sp.start, sp.end, swap.get(sp.kind, sp.kind) if flip else sp.kind, sp.score)
                          for sp in p.spans)
        return sides, al.similarity, p.drift, p.severity, p.relation, kinds, spans

    from_check = sorted(view(p, True) for p in checked.pairs if {p.alignment.a, p.alignment.b} == {a, b})
    from_compare = sorted(view(p, False) for p in compared.pairs)
    assert from_check and from_check == from_compare
    assert checked.signature.backend == compared.signature.backend == "onnx-int8-token"


def test_an_index_takes_a_path_as_its_model_and_holds_a_callers_encoder_to_the_protocol(tmp_path):
    """``Index(model=Path(...))`` kept the Path as an encoder (an AttributeError at the first add), and a caller's
    encoder returning NaN rows stored them: the index now takes what ``compare`` takes, checked the same way."""
    import numpy as np

    from drift.errors import ModelError

    article = article_from_text("The minister resigned on Monday. He said it was over.", id="a")
    with pytest.raises(ModelError, match="no-such-model"):
        with Index(tmp_path / "ix", model=Path(tmp_path / "no-such-model")) as ix:
            ix.add(article)

    class NaNEncoder(HashEncoder):
        def encode_with_words(self, texts):
            vectors, words = super().encode_with_words(texts)
            return np.full_like(vectors, np.nan), words

    with Index(tmp_path / "ix2", model=NaNEncoder()) as ix:
        with pytest.raises(ModelError, match="returned a NaN vector"):
            ix.add(article)
        assert ix.stories() == []
    with pytest.raises(ArgumentError, match="model must be a model name, a path, None or an Encoder, not int"):
        Index(tmp_path / "ix3", model=5)  # type: ignore[arg-type]
