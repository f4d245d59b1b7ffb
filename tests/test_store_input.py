"""What an index cannot keep as it was given is refused, naming it and the fix: metadata JSON has no type for,
a database of another program or drift version, a vector file of another index."""
from __future__ import annotations

import datetime
import decimal
import json
import shutil
import sqlite3

import pytest
from fakes import HashEncoder, fake_articles

from drift.errors import IndexStoreError, InputError
from drift.read.titles import article_from_text
from drift.store.index import Index
from drift.version import __version__


def test_json_metadata_comes_back_as_it_was_stored(tmp_path):
    metadata = {"guid": "urn:x", "version": 3, "score": 0.25, "embargo": None, "flash": False,
                "tags": ["politik", "ü"], "desk": {"name": "Berlin", "shifts": [1, 2]}}
    article = article_from_text(fake_articles(1, 1)[0].text, id="a", metadata=metadata)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        story = ix.add(article)
    with Index(tmp_path / "ix", model=HashEncoder(), read_only=True) as ix:
        stored = ix.articles(story)[0].metadata
    assert json.dumps(stored) == json.dumps(metadata)  # same types too: 3 is no "3", False no 0


@pytest.mark.parametrize("metadata, said", [
    ({"published": datetime.datetime(2024, 5, 1, 12, 30)},
     "metadata 'published' is a datetime, which the index's JSON would give back as another type; store it as an "
     "ISO string (value.isoformat())"),
    ({"desk": {"dates": [datetime.date(2024, 5, 1)]}}, "metadata 'desk'['dates'][0] is a date, which"),
    ({"ids": ("a", "b")}, "metadata 'ids' is a tuple, which the index's JSON would give back as another type; "
                          "store it as a list"),
    ({"price": decimal.Decimal("1.5")}, "metadata 'price' is a Decimal, which the index's JSON would give back as "
                                        "another type; store it as a number or a string"),
    ({"score": float("nan")}, "metadata 'score' is nan, which JSON has no number for; store null or a string"),
    ({7: "seven"}, "metadata has the key 7 (int); give metadata keys as strings"),
], ids=["datetime", "nested-date", "tuple", "decimal", "nan", "int-key"])
def test_metadata_json_cannot_keep_is_refused_naming_the_key(tmp_path, metadata, said):
    """A datetime came back from the index as its str (a tuple as a list, the key 7 as "7"): a library caller got
    another type than it stored, silently."""
    first, second = fake_articles(2, 1)
    bad = article_from_text(first.text, id="a", source="feed/a.json", metadata=metadata)
    skipped: list[InputError] = []
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        with pytest.raises(InputError) as refused:
            ix.add(bad)
        assert str(refused.value).startswith(f"feed/a.json: {said}")
        assert [d.article for d in ix.add_many([bad, second], on_error=skipped.append)] == [second.id]
        assert len(skipped) == 1 and ix.store.counts()["articles"] == 1


def test_check_with_ingest_refuses_metadata_before_comparing(tmp_path):
    """check(ingest=True) embedded and compared the version, then refused its metadata when storing it: the work
    was thrown away, and a caller that logged the comparison had a verdict for a version never stored."""
    first, second = fake_articles(1, 2)
    encoder = HashEncoder()
    with Index(tmp_path / "ix", model=encoder) as ix:
        ix.add(first)
        bad = article_from_text(second.text, id="b", metadata={"when": datetime.date(2024, 5, 1)})
        embedded: list[str] = []
        real = encoder.encode_with_words
        encoder.encode_with_words = lambda texts: (embedded.extend(texts), real(texts))[1]  # type: ignore[method-assign]
        with pytest.raises(InputError, match="metadata 'when' is a date"):
            ix.check(bad, ingest=True)
        assert embedded == [] and ix.store.counts()["articles"] == 1
        assert ix.check(bad).status == "compared"  # without ingest nothing is stored, so nothing is refused


def test_a_vector_file_of_another_dimension_is_reported_then_rebuilt(tmp_path):
    """Another index's vectors.faiss (a backup mixed up, a copied directory): verify said nothing was wrong, and the
    first search died in a bare AssertionError from faiss ("a bug in drift" on the command line)."""
    arts = fake_articles(3, 2)
    for name, dim in (("ix", 32), ("other", 64)):
        with Index(tmp_path / name, model=HashEncoder(dim=dim)) as ix:
            ix.add_many(arts[:5])
    shutil.copy(tmp_path / "other" / "vectors.faiss", tmp_path / "ix" / "vectors.faiss")
    said = (f"{tmp_path / 'ix' / 'vectors.faiss'}: vector file holds vectors of 64 dimensions, the database's have 32 "
            "(another index's file?)")
    with Index(tmp_path / "ix", model=HashEncoder(), read_only=True) as ix:
        assert ix.verify() == [said]
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        assert ix.story(arts[5]).story == ix.story(arts[4]).story
        assert ix.warnings == [f"{said}; rebuilding it from the database"]
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        assert ix.verify() == [] and ix.warnings == []


@pytest.mark.parametrize("read_only", [False, True])
def test_a_database_of_another_program_is_named_and_left_as_it_was(tmp_path, read_only):
    """A writer switched it to WAL and added drift's meta and stories tables to it, then failed on "no such column:
    story" with 'check the directory and its disk, then run drift index verify' (which said the same)."""
    db = tmp_path / "ix" / "drift.sqlite"
    db.parent.mkdir()
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE articles (headline TEXT)")
    con.commit()
    con.close()
    before = db.read_bytes()
    with pytest.raises(IndexStoreError) as refused:
        Index(tmp_path / "ix", model=HashEncoder(), read_only=read_only)
    assert str(refused.value) == (f"{db}: not a drift index database (it holds the tables articles); give path= the "
                                  "directory of a drift index, or a new directory for a new one")
    assert db.read_bytes() == before and sorted(p.name for p in db.parent.iterdir()) == ["drift.sqlite"]


@pytest.mark.parametrize("read_only", [False, True])
def test_an_index_of_another_drift_version_is_refused_before_anything_is_written(tmp_path, read_only):
    """The schema version an index records was never read: another drift's index was read and written as this
    one's."""
    path = tmp_path / "ix"
    with Index(path, model=HashEncoder()) as ix:
        ix.add_many(fake_articles(2, 1))
    with sqlite3.connect(path / "drift.sqlite") as con:
        con.execute("UPDATE meta SET value = 'drift.index/2' WHERE key = 'schema'")
    con.close()
    with pytest.raises(IndexStoreError) as refused:
        Index(path, model=HashEncoder(), read_only=read_only)
    assert str(refused.value) == (f"{path / 'drift.sqlite'}: an index of another drift version (index schema "
                                  f"'drift.index/2'; drift {__version__} reads 'drift.index/1'); open it with the "
                                  "drift that made it, or upgrade drift")


def test_an_index_that_stored_no_vector_yet_and_an_older_one_without_newer_tables_open(tmp_path):
    """No schema is recorded before the first vector, and tables added since (shard_outcomes) are made on open."""
    Index(tmp_path / "empty", model=HashEncoder()).close()
    with Index(tmp_path / "empty", model=HashEncoder()) as ix:
        ix.add_many(fake_articles(1, 1))
    with sqlite3.connect(tmp_path / "empty" / "drift.sqlite") as con:
        con.execute("DROP TABLE shard_outcomes")
    con.close()
    with Index(tmp_path / "empty", model=HashEncoder(), read_only=True) as ix:
        assert ix.verify() == []
    with Index(tmp_path / "empty", model=HashEncoder()) as ix:
        assert ix.merged_shards("job") == {} and ix.store.counts()["articles"] == 1
