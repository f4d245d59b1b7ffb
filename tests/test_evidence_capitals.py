"""Typed evidence without the model: a capital named by its country, and the world's countries and demonyms."""
from __future__ import annotations

import random

import pytest
from evidence_helpers import findings

from drift.score.evidence import same_name
from drift.score.places import QualifiedNames, qualified

# ---------------------------------------------------------------- capitals named by their country


@pytest.mark.parametrize("a,b", [
    ("The attack on a concert hall on the outskirts of the Russian capital.",
     "The attack on the concert hall outside Moscow."),  # seeds 000 / 001
    ("He flew to Russia's capital on Monday.", "He flew to Moscow on Monday."),
    ("He flew to the capital of France on Monday.", "He flew to Paris on Monday."),
    ("Officials in the U.S. capital said so.", "Officials in Washington said so."),
    ("He flew to the Ukrainian capital on Monday.", "He flew to Kiev on Monday."),  # a spelling of Kyiv
    ("Moscow says it will respond.", "The Russian capital says it will respond."),  # a city opening a sentence
])
def test_a_capital_named_by_its_country_is_no_entity_change(a, b):
    assert "entity" not in findings(a, b) and "entity" not in findings(b, a)


@pytest.mark.parametrize("a,b,words", [
    ("He flew to the Russian capital on Monday.", "He flew to Kyiv on Monday.", (["Russian"], ["Kyiv"])),
    ("He flew to the capital of France on Monday.", "He flew to Berlin on Monday.", (["France"], ["Berlin"])),
    ("He flew to the Russian capital on Monday.", "He flew to the Ukrainian capital on Monday.",
     (["Russian"], ["Ukrainian"])),
    ("Russian officials said so.", "Moscow officials said so.", (["Russian"], ["Moscow"])),  # no capital named
])
def test_a_capital_named_by_its_country_against_another_place_is_an_entity_change(a, b, words):
    assert findings(a, b)["entity"] == words


@pytest.mark.parametrize("b,words", [
    ("Europe is a bilingual capital of Canada with many museums.", (["Ottawa"], ["Europe"])),
    ("Is a bilingual capital of Canada with many museums.", (["Ottawa"], [])),
    ("Ottawa is a bilingual capital of with many museums.", (["Canada"], [])),
])
def test_a_capital_named_beside_its_city_stands_for_nothing(b, words):
    """DEMETR train: "Ottawa is ... the capital of Canada": the phrase says what Ottawa is. On both sides it
    pairs with itself, so it does not name the city that the other side replaced or dropped."""
    assert findings("Ottawa is a bilingual capital of Canada with many museums.", b)["entity"] == words


def test_the_capitals_table_agrees_with_the_demonyms():
    from drift.score.evidence import DEMONYMS
    from drift.score.places import CAPITAL_OF

    assert CAPITAL_OF["russian"] == CAPITAL_OF["russia"] == "moscow"
    assert all(CAPITAL_OF[k] == CAPITAL_OF[v] for k, v in DEMONYMS.items() if k in CAPITAL_OF or v in CAPITAL_OF)


#: The world's countries and demonyms (a check list for the table; not what drift reads).
_COUNTRIES = """
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain
bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burkina
burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia denmark
djibouti dominica ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia
germany ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq
ireland israel italy jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia
lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali
malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique myanmar
namibia nauru nepal netherlands nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay
peru philippines poland portugal qatar romania russia rwanda samoa senegal serbia seychelles singapore
slovakia slovenia somalia somaliland spain sudan suriname sweden switzerland syria taiwan tajikistan tanzania
thailand togo tonga tunisia turkey turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela
vietnam yemen zambia zimbabwe
afghan albanian algerian angolan argentine argentinian armenian australian austrian azerbaijani bahraini
bangladeshi belarusian belgian bolivian bosnian brazilian bulgarian burundian cambodian cameroonian canadian
chadian chilean chinese colombian congolese croatian cuban cypriot czech danish dominican ecuadorian egyptian
eritrean estonian ethiopian finnish french gabonese gambian georgian german ghanaian greek guatemalan guinean
guyanese haitian honduran hungarian icelandic indian indonesian iranian iraqi irish israeli italian jamaican
japanese jordanian kazakh kenyan kosovar kuwaiti kyrgyz lao latvian lebanese liberian libyan lithuanian
malagasy malawian malaysian malian maltese mauritanian mauritian mexican moldovan mongolian montenegrin
moroccan mozambican namibian nepali nepalese dutch nicaraguan nigerien nigerian norwegian omani pakistani
palestinian panamanian paraguayan peruvian filipino polish portuguese qatari romanian russian rwandan saudi
senegalese serbian slovak slovakian slovene slovenian somali spanish sudanese swedish swiss syrian taiwanese
tajik tanzanian thai togolese tunisian turkish turkmen ugandan ukrainian uruguayan uzbek venezuelan vietnamese
yemeni zambian zimbabwean""".split()


def test_countries_alike_in_spelling_are_in_the_table():
    """Two words the spelling rule takes for one name ("Portuguese" / "Portugal") and that name two countries
    must both be in drift.score.places, which tells them apart: else "Austria" / "Australia" is no change."""
    from drift.score.evidence import _same_word
    from drift.score.places import COUNTRY_OF

    def country(word: str) -> str:  # the check list's own guess: the country sharing most of a demonym's start
        from os.path import commonprefix

        return COUNTRY_OF.get(word) or max(_COUNTRIES[:_COUNTRIES.index("afghan")],
                                           key=lambda c: len(commonprefix([c, word])))

    alike = [(x, y) for i, x in enumerate(_COUNTRIES) for y in _COUNTRIES[i + 1:] if _same_word(x, y)]
    assert ("portugal", "portuguese") in alike and ("nepal", "nepalese") in alike  # the rule still joins these
    confused = [(x, y) for x, y in alike if country(x) != country(y)]
    assert confused == []


@pytest.mark.parametrize("a,b", [("Austria", "Australia"), ("Niger", "Nigeria"), ("Slovenian", "Slovak"),
                                 ("Malawi", "Malaysia"), ("Mauritania", "Mauritius"), ("Turkey", "Turkmenistan"),
                                 ("Austrian", "Australian")])
def test_countries_alike_in_spelling_are_different_names(a, b):
    found = findings(f"The minister flew to {a} on Monday for talks.", f"The minister flew to {b} on Monday for talks.")
    assert found["entity"] == ([a], [b])
    assert not same_name(a.lower(), b.lower())


@pytest.mark.parametrize("a,b,word", [("Guinea", "Equatorial Guinea", "Equatorial")])
def test_a_country_inside_another_countrys_name_is_a_different_name(a, b, word):
    """The word that makes the other country is the change: "Equatorial" (Guinea / Equatorial Guinea; "Sudan" /
    "South Sudan": ``test_a_place_named_with_a_qualifier_is_another_place``)."""
    found = findings(f"The minister flew to {a} on Monday for talks.", f"The minister flew to {b} on Monday for talks.")
    assert found["entity"] == ([], [word])
    assert not same_name(a.lower(), b.lower())


@pytest.mark.parametrize("a,b", [("Nigeria", "Nigerian"), ("Austria", "Austrian"), ("Slovakia", "Slovak"),
                                 ("Turkey", "Turkish"), ("Portugal", "Portuguese")])
def test_a_country_and_its_demonym_are_one_name(a, b):
    assert "entity" not in findings(f"Officials from {a} said so on Monday.", f"{b} officials said so on Monday.")


# ---------------------------------------------------------------- places with a qualifier, found by lookup


def test_qualified_names_finds_what_a_pass_over_every_name_finds() -> None:
    """``QualifiedNames.partner`` is the first name ``qualified`` either way round, as a pass over the names in
    order was (the pass was quadratic on a list of names against a list of names)."""
    rng = random.Random(7)
    words = ["sudan", "virginia", "mexico", "york", "shore", "north", "south", "new", "west", "east"]
    for _ in range(2000):
        names = [" ".join(rng.choices(words, k=rng.randint(1, 3))) for _ in range(rng.randint(0, 6))]
        name = " ".join(rng.choices(words, k=rng.randint(1, 3))).split()
        first = next((found for found in names
                      if qualified(name, found.split()) or qualified(found.split(), name)), None)
        assert QualifiedNames(names).partner(name) == first, (names, name)
    assert QualifiedNames(["Sudan", "south sudan"]).partner(["sudan"]) == "south sudan"
    assert QualifiedNames(["sudan"]).partner(["south", "sudan"]) == "sudan"
    assert QualifiedNames(["northern europe"]).partner(["europe"]) is None
