"""Typed evidence without the model: antonyms, and a passive report about a name that is no attribution."""
from __future__ import annotations

import pytest
from evidence_helpers import findings

# ---------------------------------------------------------------- antonyms


@pytest.mark.parametrize("a,b,words", [
    ("The minister praised the agreement.", "The minister condemned the agreement.", (["praised"], ["condemned"])),
    ("Prices rose sharply in March.", "Prices fell sharply in March.", (["rose"], ["fell"])),
    ("The court accepted the appeal.", "The court rejected the appeal.", (["accepted"], ["rejected"])),
    ("Sanctions were lifted on Monday.", "Sanctions were imposed on Monday.", (["lifted"], ["imposed"])),
    ("Exports are rising.", "Exports are falling.", (["rising"], ["falling"])),
    ("The ban was lifted after a higher court ruled.", "The ban was lifted after a lower court ruled.",
     (["higher"], ["lower"])),
    # a verb that doubles its last consonant: "acquitted", "admitted", "winning", "beginning" were missed
    ("The court convicted the former minister.", "The court acquitted the former minister.",
     (["convicted"], ["acquitted"])),
    ("The player admitted the charge.", "The player denied the charge.", (["admitted"], ["denied"])),
    ("The team is winning the league.", "The team is losing the league.", (["winning"], ["losing"])),
    ("At the end of July the talks resumed.", "At the beginning of July the talks resumed.",
     (["end"], ["beginning"])),
    # outcomes a casualty report must not trade
    ("Five people were injured in the blast.", "Five people were killed in the blast.", (["injured"], ["killed"])),
    ("Two soldiers were wounded near the border.", "Two soldiers died near the border.", (["wounded"], ["died"])),
    ("There were no injuries in the crash.", "There were no deaths in the crash.", (["injuries"], ["deaths"])),
])
def test_a_word_against_its_opposite_is_an_antonym(a, b, words):
    assert findings(a, b)["antonym"] == words


@pytest.mark.parametrize("a,b", [
    ("The team did not win the final.", "The team lost the final."),  # reversed twice: the same statement
    ("Prices rose in March after falling in February.", "Prices increased in March after falling in February."),
    ("Even the people below the top have less good health.", "Even those below the top have worse health."),
    ("the smaller black hole falls into the larger black hole", "the little black hole falls into the big hole"),
    ("The minister welcomed the agreement.", "The minister praised the agreement."),
    ("Prices rose and then fell.", "Prices fell after they rose."),  # both words on both sides
    ("The attack killed 5 people and injured 20 others.", "The attack left 5 dead and 20 wounded."),
    ("One of the injured later died in hospital.", "One of the wounded later died in hospital."),
])
def test_no_antonym_where_the_meaning_holds(a, b):
    assert "antonym" not in findings(a, b)


def test_antonym_forms_are_inflected_without_a_stemmer():
    from drift.score.antonyms import verb_forms

    assert verb_forms("rise:rose:risen") == ("rise", "rises", "rose", "risen", "rising")
    assert verb_forms("ban+") == ("ban", "bans", "banned", "banning")
    assert verb_forms("deny") == ("deny", "denies", "denied", "denying")
    assert verb_forms("agree") == ("agree", "agrees", "agreed", "agreeing")
    assert verb_forms("begin:began:begun+") == ("begin", "begins", "began", "begun", "beginning")


def test_every_verb_that_doubles_its_last_consonant_is_marked():
    """A stressed last syllable of a short vowel and one consonant doubles it ("acquitted", "cutting"): the
    table must say so with "+", or those forms are never found."""
    from drift.score.antonyms import VERBS

    specs = [spec for chunk in VERBS.split("|") for spec in chunk.split()]
    doubling = {"acquit", "admit", "win", "begin", "forget", "forbid", "cut", "quit", "ban", "permit", "drop"}
    unmarked = [s for s in specs if s.split(":")[0].rstrip("+") in doubling and not s.endswith("+")]
    assert unmarked == []


def test_a_passive_report_about_a_name_is_no_attribution():
    """Seeds 001 [1] / 004 [7-8]: "the Islamic State in Khorasan (IS-K), believed to be responsible" was an
    attribution of "IS-K": "believed to be", "said to have" report about their subject, whom no one quotes."""
    a = "The group had made several attempts in France."
    b = "The Islamic State in Khorasan (IS-K), believed to be responsible, had made several attempts in France."
    found = findings(a, b)
    assert "attribution" not in found and "IS-K" in found["entity"][1]
    found = findings("Macron is said to have left Paris.", "Attal is said to have left Paris.")
    assert "attribution" not in found and found["entity"] == (["Macron"], ["Attal"])
    assert findings("Macron said to reporters that it was over.", "Attal said to reporters that it was over.")[
        "attribution"] == (["Macron"], ["Attal"])  # a speaker still
