"""Library calls with arguments of the wrong type or shape: a one-line DriftError that says what to pass,
never an AttributeError from deep inside a stage."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drift import Report, article_from_text, compare, load_encoder
from drift.errors import ArgumentError, ModelError
from drift.pipeline import score_pairs
from drift.report.triage import Triage


def test_model_as_a_pathlib_path_is_read_as_the_path(tmp_path: Path) -> None:
    """The message for a bad ``model`` says "a path" is fine: a ``Path`` was refused as "not PosixPath"."""
    with pytest.raises(ModelError, match=f"{tmp_path}: not a sentence-transformers model directory"):
        score_pairs([("One sentence.", "Another sentence.")], model=tmp_path)
    with pytest.raises(ModelError, match="no such model directory"):
        score_pairs([("One sentence.", "Another sentence.")], model=tmp_path / "missing")


def _report(**options: Any) -> Report:
    from fakes import HashEncoder

    return compare([article_from_text("Rescuers found 12 people on Friday. The river rose.", id="a"),
                    article_from_text("Rescuers found 21 people on Friday. The river rose.", id="b")],
                   model=HashEncoder(), **options)


def _checked():
    from drift.store.check import CheckResult

    return CheckResult(article="a", label="a.txt", status="new", against="latest", story=None, report=_report())


@pytest.mark.parametrize("call, said", [
    (lambda: _report().findings("major"), r"Report.findings: triage must be a .*Triage \(or None\), not str 'major'"),
    (lambda: _report().render("text", triage="major"), r"Report.render: triage must be .*not str 'major'"),
    (lambda: Triage(kinds="number"),
     r"Triage: kinds must be a tuple of kinds, not str 'number'; pass e.g. kinds=\('number',\)"),
    (lambda: Triage(limit="3"),
     r"Triage: limit must be an int \(or None\), not str '3'"),
    (lambda: Triage(limit=2.5), r"limit must be an int.*not float"),
    (lambda: score_pairs([("A b c.", "A b d.")], scoring="strict"),
     r"score_pairs: scoring must be ScoringSettings, not str 'strict'"),
    (lambda: score_pairs([("A b c.", "A b d.")], timings=[]), r"score_pairs: timings must be a dict .*not list"),
    (lambda: compare([], alignment="strict"),
     r"compare: alignment must be AlignmentSettings, not str 'strict'"),
    (lambda: _checked().tripped(None), r"CheckResult.tripped: fail_on must be a gate or a list of gates "
     r"\('minor', 'major', 'new'\), not None; pass e.g. fail_on=\['major', 'new'\]"),
    (lambda: _checked().tripped(3), r"fail_on must be a gate or a list of gates .*not int"),
    # None was taken for "left out" and failed as an AttributeError inside the aligner or the scorer
    (lambda: _report(alignment=None), r"^compare: alignment must be AlignmentSettings, not None; pass alignment="),
    (lambda: _report(scoring=None), r"^compare: scoring must be ScoringSettings, not None; pass scoring="),
    (lambda: score_pairs([("A b c.", "A b d.")], scoring=None),
     r"^score_pairs: scoring must be ScoringSettings, not None"),
    # an AttributeError when the report was written (to_json), after the whole comparison
    (lambda: _report(story=5), r"^compare: story must be a drift.report.signature.StoryRef \(or None\), not int; "),
    # a TypeError or ValueError from dict()
    (lambda: article_from_text("One sentence.", id="a", metadata=[("guid", "urn:1"), "x"]),
     r"^article_from_text: metadata must be a dict \(or None\), not list; pass e.g. metadata=\{'guid': 'urn:1'\}$"),
    (lambda: article_from_text("One sentence.", id="a", metadata="guid=urn:1"),
     r"^article_from_text: metadata must be a dict \(or None\), not str 'guid=urn:1'; "),
    # an AttributeError ('int' object has no attribute 'strip')
    (lambda: load_encoder(5), r"^load_encoder: model must be a model name, a path or None, not int; leave it out"),
])
def test_a_wrong_type_is_an_argument_error(call, said: str) -> None:
    with pytest.raises(ArgumentError, match=said):
        call()


@pytest.mark.parametrize("call, said", [
    (lambda: article_from_text("One sentence.", id="a", detect_headline="no"),
     "article_from_text: detect_headline must be True or False, not str 'no'"),
    (lambda: article_from_text("One sentence.", id="a", markdown=None),
     "article_from_text: markdown must be True or False, not None"),
    (lambda: _report().render("text", color="never"), "render: color must be True or False, not str 'never'"),
])
def test_a_flag_that_is_no_bool_is_refused(call, said: str) -> None:
    """A non-empty string read as True: ``read_only="false"`` opened an index read-only."""
    with pytest.raises(ArgumentError) as error:
        call()
    assert str(error.value) == said


@pytest.mark.parametrize("options, said", [
    ({"read_only": "false"}, "Index: read_only must be True or False, not str 'false'"),
    ({"create": 0}, "Index: create must be True or False, not int"),
])
def test_an_index_flag_that_is_no_bool_is_refused_before_anything_is_made(tmp_path: Path, options, said) -> None:
    from fakes import HashEncoder

    from drift.store.index import Index

    with pytest.raises(ArgumentError) as error:
        Index(tmp_path / "ix", model=HashEncoder(), **options)
    assert str(error.value).startswith(said)
    assert not (tmp_path / "ix").exists()
    with Index(tmp_path / "made", model=HashEncoder()) as index, pytest.raises(ArgumentError) as error:
        index.check(article_from_text("Rescuers found 12 people.", id="a"), ingest="yes")
    assert str(error.value).startswith("Index.check: ingest must be True or False, not str 'yes'")


def test_score_pairs_takes_the_limits_its_message_tells_to_raise() -> None:
    """A side over a limit is a PairError whose fix is ``Limits(max_sentence_chars=N)``: score_pairs takes it."""
    from fakes import HashEncoder

    from drift import Limits
    from drift.pipeline import PairError

    long = "word " * 3000 + "end."
    refused = score_pairs([(long, "A short one.")], model=HashEncoder())[0]
    assert isinstance(refused, PairError) and "Limits(max_sentence_chars=N)" in refused.message
    scored = score_pairs([(long, "A short one.")], model=HashEncoder(), limits=Limits(max_sentence_chars=20_000))
    assert not isinstance(scored[0], PairError)
    with pytest.raises(ArgumentError, match="score_pairs: limits must be a drift.Limits, not int"):
        score_pairs([(long, "A short one.")], limits=5)


def test_load_encoder_takes_a_pathlib_path_as_compare_does(tmp_path: Path) -> None:
    """``load_encoder(Path(...))`` failed with an AttributeError ('PosixPath' object has no attribute 'strip')."""
    with pytest.raises(ModelError, match=f"^{tmp_path}: not a sentence-transformers model directory"):
        load_encoder(tmp_path)


def test_triage_kinds_from_a_generator_filter_as_a_tuple_does():
    """The check of the kinds spent a generator, so the filter kept nothing of it: ``wants`` saw no kinds."""
    given = Triage(kinds=(k for k in ("number", "entity")))
    assert given.kinds == ("number", "entity") == Triage(kinds=["number", "entity"]).kinds


def test_add_embedded_refuses_a_bad_batch_before_storing(tmp_path: Path) -> None:
    """A batch_size of 0 failed inside range() ("range() arg 3 must not be zero"), "16" as a TypeError."""
    from fakes import HashEncoder

    from drift.errors import DriftError
    from drift.store.index import Index

    with Index(tmp_path / "ix", model=HashEncoder()) as index:
        for options, said in (({"batch_size": 0}, "batch_size=0: not a positive whole number; give a count such as 16"),
                              ({"batch_size": "16"}, "batch_size='16': not a positive whole number"),
                              ({"on_batch": "print"}, "Index.add_embedded: on_batch must be")):
            with pytest.raises(DriftError) as error:
                index.add_embedded([], **options)
            assert str(error.value).startswith(said)
        assert index.add_embedded([], batch_size=4) == []
