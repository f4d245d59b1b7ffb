"""The pipeline's errors (versions, pairs, references, languages, limits) and its library manners."""
from __future__ import annotations

import json
import logging
import sys

import pytest
from pipeline_helpers import STORY, TITLE, art

from drift import DriftError, compare, read_articles
from drift.errors import ConfigError, InputError, LanguageError
from drift.read.titles import article_from_text

FRENCH = [
    "De fortes pluies ont inondé la vallée du fleuve mardi, forçant des milliers d'habitants à quitter leur maison.",
    "Les secours ont sauvé quarante personnes qui étaient bloquées sur les toits dans la ville de Millbrook.",
    "Le gouverneur de la région a déclaré l'état d'urgence et a demandé l'aide de l'armée.",
    "Les météorologues ont averti que d'autres tempêtes devraient atteindre la côte plus tard cette semaine.",
]


# ---------------------------------------------------------------- errors


def test_one_version_is_an_input_error(encoder):
    with pytest.raises(InputError) as e:
        compare([art("solo", STORY, source="solo.txt")], model=encoder)
    assert isinstance(e.value, DriftError)
    assert str(e.value) == "solo.txt: only one version given; give two or more versions of the story to compare"


def test_no_version_is_an_input_error(encoder):
    with pytest.raises(InputError, match="^no version given; give two or more versions of the story to compare$"):
        compare([], model=encoder)


def test_duplicate_ids_are_an_error(encoder):
    with pytest.raises(InputError) as e:
        compare([art("same", STORY), art("other", STORY), art("same", STORY[:3])], model=encoder)
    assert str(e.value) == "same: article id given twice; give every version a distinct id"


def test_unknown_pairs_and_contradictory_pairs_are_config_errors(encoder):
    versions = [art("alpha", STORY), art("beta", STORY)]
    with pytest.raises(ConfigError) as e:
        compare(versions, model=encoder, pairs="some")
    assert str(e.value) == "unknown pairs='some'; choose one of 'auto', 'all', 'reference'"
    with pytest.raises(ConfigError) as e:
        compare(versions, model=encoder, pairs="all", reference="alpha")
    assert str(e.value) == "pairs='all' compares every pair, so reference='alpha' has no use; drop one of the two"
    assert e.value.parameters == ("pairs", "reference")
    assert all(not a.sentences for a in versions)


def test_unknown_reference_names_the_valid_ids(encoder):
    with pytest.raises(ConfigError) as e:
        compare([art("alpha", STORY), art("beta", STORY)], reference="gamma", model=encoder)
    msg = str(e.value)
    assert "'gamma'" in msg and "'alpha'" in msg and "'beta'" in msg
    assert msg == "unknown reference='gamma'; choose one of 'alpha', 'beta'"


def test_uncovered_language_is_kept_but_not_compared(encoder, caplog):
    versions = [art("en1", STORY), art("en2", STORY[:4]), art("fr", FRENCH, source="fr.txt")]
    log = logging.getLogger("drift")
    own_handler = not log.propagate  # the CLI turns propagation off in its process
    if own_handler:
        log.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.WARNING, logger="drift"):
            report = compare(versions, model=encoder)
    finally:
        if own_handler:
            log.removeHandler(caplog.handler)
    french = next(a for a in report.articles if a.id == "fr")
    assert [a.id for a in report.articles] == ["en1", "en2", "fr"]
    assert french.language == "fr"
    assert french.sentences  # kept whole in the report
    assert report.signature.to_dict()["skipped"] == [
        {"article": "fr", "language": "fr",
         "reason": "language 'fr' is not covered by model 'all-MiniLM-L6-v2'; use a multilingual model"}
    ]
    assert report.signature.to_dict()["version_pairs"] == [["en1", "en2"]]
    assert report.pairs
    assert all({p.alignment.a, p.alignment.b} == {"en1", "en2"} for p in report.pairs)
    assert all(u.article != "fr" and "fr" not in u.missing_in for u in report.unmatched)
    warnings = [r for r in caplog.records if r.name == "drift" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].getMessage().startswith("fr.txt: language 'fr' is not covered")
    # a library's log names its argument (the command line its flag: test_cli); the report, read by both, neither
    assert warnings[0].getMessage().endswith("; pass a multilingual model=")
    assert report.warnings == ["fr.txt: language 'fr' is not covered by model 'all-MiniLM-L6-v2'; use a "
                               "multilingual model (not compared)"]
    assert "not compared: fr" in report.render("text")


def test_only_one_covered_version_is_a_language_error(encoder):
    with pytest.raises(LanguageError) as e:
        compare([art("fr", FRENCH), art("en", STORY)], model=encoder)
    msg = str(e.value)
    assert "fr (fr)" in msg and "en (en)" in msg
    assert msg.endswith("; pass a multilingual model=")


def test_uncovered_reference_is_a_language_error(encoder):
    with pytest.raises(LanguageError, match="pass a multilingual model= or another reference=$"):
        compare([art("fr", FRENCH), art("en1", STORY), art("en2", STORY)], reference="fr", model=encoder)


def test_uncovered_reference_error_names_the_reference(encoder):
    with pytest.raises(LanguageError) as e:
        compare([art("fr", FRENCH), art("en1", STORY), art("en2", STORY)], reference="fr", model=encoder)
    msg = str(e.value)
    assert "fewer than two versions" not in msg
    assert "reference" in msg and "'fr'" in msg


def test_too_many_versions_for_all_pairs_fail_before_any_work(encoder):
    versions = [article_from_text(f"Version {i} of the story says the river flooded.", id=f"v{i}")
                for i in range(251)]
    with pytest.raises(InputError) as e:
        compare(versions, model=encoder, pairs="all")
    msg = str(e.value)
    assert msg.startswith("251 versions make 31375 version pairs; ")
    assert "use pairs='auto' or 'reference' to compare" in msg and "up to 250" in msg
    # the check runs before splitting (and so before any embedding)
    assert all(not a.sentences for a in versions)


def test_too_many_versions_allowed_with_reference_until_the_hard_limit(encoder):
    from drift import pipeline

    versions = [article_from_text("The river flooded.", id=f"v{i}") for i in range(pipeline.MAX_VERSIONS + 1)]
    with pytest.raises(InputError, match="split the input into smaller runs"):
        compare(versions, reference="v0", model=encoder)
    assert all(not a.sentences for a in versions)


# ---------------------------------------------------------------- library manners


def test_library_never_prints_or_exits(encoder, capsys, monkeypatch):
    exits = []
    monkeypatch.setattr(sys, "exit", lambda *a: exits.append(a))
    report = compare([art("p", STORY[:3]), art("q", STORY[1:4])], model=encoder)
    assert report.pairs
    for bad in ([art("p", STORY)], [art("p", STORY), art("q", STORY)]):
        with pytest.raises(DriftError):
            compare(bad, reference="nope" if len(bad) == 2 else None, model=encoder)
    with pytest.raises(DriftError):
        compare([art("fr", FRENCH), art("en", STORY)], model=encoder)
    assert exits == []
    assert capsys.readouterr().out == ""


def test_read_articles_then_compare(encoder, tmp_path):
    (tmp_path / "a.txt").write_text("\n".join(STORY), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"id": "b", "text": "\n".join(STORY[:4]), "title": TITLE}),
                                     encoding="utf-8")
    articles = read_articles([tmp_path / "a.txt", tmp_path / "b.json"])
    report = compare(articles, model=encoder)
    assert [a.id for a in report.articles] == ["a", "b"]
    assert [(u.article, u.sentence) for u in report.unmatched] == [("a", 4), ("a", 5)]
    assert report.to_dict()["articles"][1]["title"] == TITLE
