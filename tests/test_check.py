"""``Index.check`` and ``drift check`` as an ingestion job uses them: against what, re-sends, new stories, gates."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from fakes import HashEncoder, fake_articles

from drift.article import Article
from drift.cli import main
from drift.errors import ConfigError
from drift.read.titles import article_from_text
from drift.store.check import choose_targets
from drift.store.index import Index

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
UNRELATED = ROOT / "tests" / "fixtures" / "unrelated"


def version(id: str, **metadata) -> Article:
    return Article(id=id, text=f"Text of {id}.", metadata=metadata)


@pytest.fixture
def validator(report_schema) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(report_schema)


# ---------------------------------------------------------------- against what


STORED = [version("afp-1", guid="urn:1", version="1"), version("rtr-1"), version("afp-1-2", guid="urn:1", version="2"),
          version("dpa-1", source_of=True), version("ap-1")]


@pytest.mark.parametrize("new, against, expected, why", [
    (version("afp-1"), "latest", ["afp-1-2"], "the version it replaces: the latest stored with the same id"),
    (version("x", guid="urn:1"), "latest", ["afp-1-2"],
     "the version it replaces: the latest stored with the same guid"),
    (version("rtr-1"), "latest", ["rtr-1"], "the version it replaces: the latest stored with the same id"),
    (version("bbc-1"), "latest", ["ap-1"], "the latest stored version of the story"),
    (version("bbc-1"), "source", ["dpa-1"], "the source: marked source_of in its metadata"),
    (version("bbc-1"), "all", ["afp-1", "rtr-1", "afp-1-2", "dpa-1", "ap-1"], "every stored version of the story"),
])
def test_choose_targets(new, against, expected, why):
    targets, reason = choose_targets(new, STORED, against)
    assert ([a.id for a in targets], reason) == (expected, why)


def test_source_prefers_a_version_naming_this_one_then_versions_then_the_first_stored():
    naming = [*STORED, version("efe-1", source_of=["bbc-1", "bbc-2"])]
    assert choose_targets(version("bbc-1"), naming, "source") == (
        [naming[-1]], "the source: its metadata lists bbc-1 in source_of")
    unmarked = [a for a in STORED if "source_of" not in a.metadata]
    assert choose_targets(version("x", guid="urn:1", version="3"), unmarked, "source") == (
        [unmarked[0]], "the source: the lowest NewsML/NITF version of the same item (version 1)")
    plain = [version("a"), version("b")]
    assert choose_targets(version("c"), plain, "source") == (
        [plain[0]], "the source: the first stored version (no metadata marks one)")


def test_unknown_against_and_gate_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match=r"^unknown against='newest'; choose one of 'source', 'latest', 'all'$"):
        choose_targets(version("a"), STORED, "newest")
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        with pytest.raises(ConfigError, match="unknown against='oldest'"):
            ix.check(version("a"), against="oldest")


# ---------------------------------------------------------------- re-sends and new stories


def test_an_identical_resend_is_not_drift_and_embeds_nothing(tmp_path, validator):
    arts = fake_articles(2, 3)
    encoder = HashEncoder()
    with Index(tmp_path / "ix", model=encoder) as ix:
        ix.add_many(arts)
        seen = len(encoder.seen)
        resend = article_from_text(arts[1].text, id="renamed", source="inbox/renamed.txt")
        result = ix.check(resend, ingest=True, against="all")
        story = ix.stories()[0].id
        assert ix.store.counts()["articles"] == len(arts)  # nothing stored twice
    assert len(encoder.seen) == seen
    assert (result.status, result.identical_to, result.story, result.report.pairs) == ("identical", "s0v1", story, [])
    assert result.line() == f"inbox/renamed.txt: identical to stored s0v1 (story {story}); no drift"
    assert result.tripped(["minor", "new"]) is None
    doc = result.to_dict()
    assert (doc["story"], doc["check"]["status"], doc["check"]["identical_to"]) == (story, "identical", "s0v1")
    assert list(validator.iter_errors(doc)) == []


def test_a_new_story_is_reported_not_raised_and_ingest_starts_it(tmp_path, validator):
    arts = fake_articles(2, 2)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[:2])
        result = ix.check(arts[2], ingest=True)
        stories = ix.stories()
    assert (result.status, result.story, result.compared_with) == ("new", None, ())
    assert result.ingested == ("s1v0", stories[-1].id) and stories[-1].articles == ["s1v0"]
    assert result.tripped(["major"]) is None and result.tripped(["new"]) == "new"
    assert result.tripped("major") is None and result.tripped("new") == "new"  # one gate alone, not its letters
    doc = result.to_dict()
    assert doc["story"] is None and doc["check"]["ingested"] == {"article": "s1v0", "story": stories[-1].id}
    assert [a["id"] for a in doc["articles"]] == ["s1v0"] and doc["pairs"] == []
    assert list(validator.iter_errors(doc)) == []


def test_latest_is_the_version_a_resend_replaces(tmp_path):
    arts = fake_articles(1, 3)
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts)
        update = article_from_text(arts[0].text.replace(".", " today.", 1), id="s0v0")
        result = ix.check(update)
    assert result.status == "compared" and result.compared_with == ("s0v0",)
    assert result.article == "s0v0-new" and result.report.signature.reference == "s0v0-new"
    assert [list(p) for p in result.report.signature.version_pairs] == [["s0v0-new", "s0v0"]]


def test_to_json_writes_a_library_callers_metadata_as_the_report_does(tmp_path, validator):
    """A checked version (not stored: nothing refused its metadata) carrying a datetime, a date or a set made
    CheckResult.to_json fail with a TypeError after the check; it writes them as Report.to_json does."""
    import datetime

    arts = fake_articles(2, 2)
    meta = {"received": datetime.datetime(2026, 11, 30, 12, 5), "day": datetime.date(2026, 11, 30),
            "desks": {"world", "fr"}}
    with Index(tmp_path / "ix", model=HashEncoder()) as ix:
        ix.add_many(arts[:2])
        update = article_from_text(arts[0].text.replace(".", " today.", 1), id="s0v0", metadata=meta)
        results = [ix.check(update), ix.check(article_from_text(arts[2].text, id="new", metadata=meta))]
    assert [r.status for r in results] == ["compared", "new"]
    for result in results:
        doc = json.loads(result.to_json())
        checked = next(a for a in doc["articles"] if a["id"] == result.article)
        assert checked["metadata"] == {"received": "2026-11-30T12:05:00", "day": "2026-11-30",
                                       "desks": ["fr", "world"]}
        assert doc["check"]["status"] == result.status and list(validator.iter_errors(doc)) == []


# ---------------------------------------------------------------- the command, on the seed story


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_gates_a_resend_of_the_seed_story(shared_model, tmp_path, validator):
    ix = str(tmp_path / "ix")
    assert run("ingest", *map(str, SEEDS), "--index", ix).exit_code == 0
    story = json.loads(run("stories", "--index", ix, "--format", "json").stdout)["stories"][0]["id"]
    seed = SEEDS[1]

    unchanged = run("check", str(seed), "--index", ix, "--fail-on", "major")
    assert unchanged.exit_code == 0, unchanged.output
    assert unchanged.stdout == f"{seed}: identical to stored {seed.stem} (story {story}); no drift\n"

    text = seed.read_text(encoding="utf-8")
    assert text.count("137") == 1
    edited = tmp_path / "resend" / seed.name
    edited.parent.mkdir()
    edited.write_text(text.replace("137", "173"), encoding="utf-8")
    changed = run("check", str(edited), "--index", ix, "--fail-on", "major")
    assert changed.exit_code == 3, changed.output
    first, blank, signature = changed.stdout.splitlines()[:3]
    assert first.startswith(f"{edited}: story {story}, compared with {seed.stem} (the version it replaces: the "
                            "latest stored with the same id): 1 major")
    assert blank == "" and signature.startswith("drift report  drift:")
    assert "[[173]]" in changed.stdout and "[[137]]" in changed.stdout  # the changed number is the finding

    doc = json.loads(run("check", str(edited), "--index", ix, "--format", "json", "--against", "all").stdout)
    assert list(validator.iter_errors(doc)) == []
    assert doc["story"] == story and doc["check"]["against"] == "all"
    assert sorted(doc["check"]["compared_with"]) == [p.stem for p in SEEDS]


def test_check_of_a_new_story_exits_0_unless_asked(shared_model, tmp_path, validator):
    ix = str(tmp_path / "ix")
    assert run("ingest", *map(str, SEEDS[:2]), "--index", ix).exit_code == 0
    new = UNRELATED / "05_mars_rover.txt"
    result = run("check", str(new), "--index", ix, "--fail-on", "major")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1 and result.stdout.startswith(f"{new}: new story, no stored story matches")
    gated = run("check", str(new), "--index", ix, "--fail-on", "major", "--fail-on", "new", "--format", "json")
    assert gated.exit_code == 4
    doc = json.loads(gated.stdout)
    assert doc["story"] is None and doc["check"]["status"] == "new"
    assert list(validator.iter_errors(doc)) == []


def test_a_language_the_model_does_not_cover_is_one_line_naming_what_check_can_do(shared_model, tmp_path):
    """compare's message names its --reference, an option check does not have: check says its own fix."""
    ix = str(tmp_path / "ix")
    text = SEEDS[1].read_text(encoding="utf-8").replace("137", "173")
    french = tmp_path / "fr.json"
    french.write_text(json.dumps({"id": "fr-1", "text": text, "language": "fr"}), encoding="utf-8")
    assert run("ingest", *map(str, SEEDS[1:3]), "--index", ix).exit_code == 0
    result = run("check", str(french), "--index", ix)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: {french}: language 'fr' is not covered by the index's model 'all-MiniLM-L6-v2', "
                             "so it cannot be compared with story 1; re-embed the index with a multilingual model: "
                             f"`drift index rebuild --model NAME --index {ix}`\n")

    stored_in_french = str(tmp_path / "ix-fr")
    assert run("ingest", str(french), "--index", stored_in_french).exit_code == 0
    english = tmp_path / "en.txt"
    english.write_text(text.replace("173", "731"), encoding="utf-8")
    result = run("check", str(english), "--index", stored_in_french)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Error: {english}: the stored versions to compare it with (fr-1 (fr)) are in languages "
                             "the index's model 'all-MiniLM-L6-v2' does not cover; pass --against all to compare it "
                             "with every stored version, or re-embed the index with a multilingual model: "
                             f"`drift index rebuild --model NAME --index {stored_in_french}`\n")


def test_check_with_ingest_embeds_the_version_once(tmp_path):
    """``check(ingest=True)`` stored the version through ``add_many``, which embedded it a second time."""
    arts = fake_articles(2, 3)
    encoder = HashEncoder()
    with Index(tmp_path / "ix", model=encoder) as ix:
        ix.add_many(arts[:2])
        for article, status in ((arts[2], "compared"), (arts[3], "new")):
            before = len(encoder.seen)
            result = ix.check(article, ingest=True)
            embedded = encoder.seen[before:]
            assert result.status == status and result.ingested is not None
            assert ix.story(article).story == result.ingested[1]  # stored, and found again
            assert sorted(embedded) == sorted(set(embedded)), "a sentence of the version embedded twice"
