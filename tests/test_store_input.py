"""What an index cannot keep as it was given is refused, naming it and the fix: metadata JSON has no type for,
a database of another program or drift version, a vector file of another index."""
from __future__ import annotations

import datetime
import decimal
import json
import shutil

import pytest
from fakes import HashEncoder, story_articles

from drift.errors import InputError
from drift.read.titles import article_from_text
from drift.store.index import Index


def fake_articles(stories: int, versions: int, seed: int = 0):
    return [article_from_text(a["text"], id=a["id"]) for a in story_articles(stories, versions, seed=seed)]


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
