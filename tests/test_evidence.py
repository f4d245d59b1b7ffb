"""Typed evidence without the model: each kind on small hand-made pairs, and what must not fire."""
from __future__ import annotations

import pytest

from drift.score.evidence import compare_readings, read, same_name
from drift.score.finding import STRENGTH
from drift.score.swaps import swap_parts


def findings(a: str, b: str) -> dict[str, tuple[list[str], list[str]]]:
    out: dict[str, tuple[list[str], list[str]]] = {}
    for f in compare_readings(read(a), read(b)):
        words_a, words_b = out.setdefault(f.kind, ([], []))
        words_a += [a[s:e] for s, e in f.a]
        words_b += [b[s:e] for s, e in f.b]
    return out


def test_entity_swap_names_both_sides():
    found = findings("The president arrived in Guyana on Monday.", "The president arrived in French Guiana on Monday.")
    assert found["entity"] == (["Guyana"], ["French Guiana"])


@pytest.mark.parametrize("a,b,parts", [
    ("The minister spoke at the Davos forum on Tuesday.",
     "The minister spoke at the forum on Tuesday, Reuters reported.",
     [(["Davos"], []), ([], ["Reuters"])]),
    ("after raising the Vigipirate plan to its maximum level.",
     "after the security plan was raised to its maximum level, reported AFP.", [(["Vigipirate"], []), ([], ["AFP"])]),
    ("Angela Merkel met the French president in Berlin.", "Olaf Scholz met the French president in Berlin.",
     [(["Angela Merkel"], ["Olaf Scholz"])]),
    ("Poland to Withdraw from the European Treaty on Violence against METI",
     "Poland to Withdraw from the European Treaty on Violence against Women", [(["METI"], ["Women"])]),
    ("Handicraft products might be defined as antiques.", "Handmade items can be classified as antiques.",
     [(["Handicraft"], ["Handmade"])]),
    ("upon his arrival in Guyana, while", "upon his arrival in the French department of Guiana, while",
     [(["Guyana"], ["French", "Guiana"])]),
])
def test_names_swapped_only_where_they_stand_in_each_others_place(a, b, parts):
    (entity,) = [f for f in compare_readings(read(a), read(b)) if f.kind == "entity"]
    split = swap_parts(a, b, entity)
    assert [([a[s:e] for s, e in f.a], [b[s:e] for s, e in f.b]) for f in split] == parts
    # what the classifier reads does not change: names changed on both sides, at the same strength
    assert {f.strength for f in split} == {entity.strength} == {STRENGTH["entity"]}


@pytest.mark.parametrize("a,b,words", [
    ("Fighting broke out in Sudan on Monday.", "Fighting broke out in South Sudan on Monday.",
     (["Sudan"], ["South Sudan"])),
    ("The talks were held in West Virginia.", "The talks were held in Virginia.", (["West Virginia"], ["Virginia"])),
    ("He flew to New Mexico.", "He flew to Mexico.", (["New Mexico"], ["Mexico"])),
])
def test_a_place_named_with_a_qualifier_is_another_place(a, b, words):
    assert findings(a, b)["entity"] == words


@pytest.mark.parametrize("a,b", [
    ("south African insects love this plant.", "South African insects love this plant."),
    ("The North Shore beaches face the ocean.", "The North, Shore beaches face the ocean."),
])
def test_a_qualifier_written_otherwise_is_no_other_place(a, b):
    assert "entity" not in findings(a, b)


def test_garbled_acronym_is_an_entity_change():
    found = findings("the Islamic State in Khorasan (IS-K) is the suspect",
                     "the Islamic State in Khorasan (ISIL-X) is the suspect")
    assert found["entity"] == (["IS-K"], ["ISIL-X"])


@pytest.mark.parametrize("a,b", [
    ("Macron said", "President Emmanuel Macron said"),
    ("The United Nations said", "The UN said"),
    ("officials in the U.S. said", "officials in the United States said"),
    ("Brazilian officials said", "Brazil's officials said"),
    ("Zelensky said", "Zelenskyy said"),
    ("researchers at Johns-Hopkins-University", "researchers at Johns Hopkins University"),
    ("ISIS claimed responsibility for the attack.", "IS has claimed responsibility for the attack."),
    ("The attack was claimed by ISIL on Friday.", "The attack was claimed by IS on Friday."),
])
def test_same_entity_written_differently_is_no_change(a, b):
    assert "entity" not in findings(a, b)


@pytest.mark.parametrize("a,b", [
    ("Ji said the plan would work.", "Jike said the plan would work."),  # romanised names: two people
    ("The IS claimed the attack.", "The IRGC claimed the attack."),  # not a prefix
])
def test_names_alike_but_not_acronyms_of_each_other_are_a_change(a, b):
    assert "entity" in findings(a, b)


def test_name_matching_rules():
    assert same_name("guiana", "french guiana") and not same_name("guyana", "guiana")
    assert not same_name("osaka prefecture", "fukuoka prefecture")


def test_changed_count_and_qualifier():
    assert findings("It left 137 dead.", "It left 73 dead.")["number"] == (["137"], ["73"])
    assert findings("It left 137 dead.", "It left at least 137 dead.")["number"] == (["137"], ["at least 137"])
    assert "number" not in findings("It had 272.000 users, some 5,375 active.",
                                    "It had 272,000 users, about 5,375 active.")
    assert "number" not in findings("ten million people", "10 million people")


@pytest.mark.parametrize("a,b,words", [
    ("The attack took place on Friday evening.", "The attack took place on Saturday evening.",
     (["Friday"], ["Saturday"])),
    ("The vote is expected in March, officials said.", "The vote is expected in June, officials said.",
     (["March"], ["June"])),
    ("Talks resume on May 5 in Geneva.", "Talks resume on April 5 in Geneva.", (["May"], ["April"])),
])
def test_a_day_or_month_named_differently_is_a_changed_date(a, b, words):
    assert findings(a, b)["number"] == words


@pytest.mark.parametrize("a,b", [
    ("The attack took place on Friday evening.", "The attack took place on Friday, March 22."),  # one side only
    ("He spoke on Sunday.", "He spoke on March 24."),  # perhaps the same day
    ("The attack on Friday was claimed on Saturday.", "The attack was claimed on Saturday."),  # one day shared
    ("Hurricane Hanna in Texas May Trigger Floods", "Hurricane Hanna in Texas Could Trigger Floods in June"),
    ("Protesters March on Washington in June.", "Protesters rallied in Washington in June."),
])
def test_dates_that_may_agree_or_are_no_dates_are_no_changed_date(a, b):
    from drift.score.numbers import date_findings

    assert date_findings(read(a), read(b)) == []


@pytest.mark.parametrize("a,b,words", [
    ("The company raised $5 million last year.", "The company raised 5 million yuan last year.",
     (["$5 million"], ["5 million yuan"])),
    ("The fine was 300 euros, the court said.", "The fine was 300 dollars, the court said.",
     (["300 euros"], ["300 dollars"])),
    ("Tickets cost €40 each.", "Tickets cost £40 each.", (["€40"], ["£40"])),
])
def test_an_amount_in_another_currency_is_a_changed_amount(a, b, words):
    assert findings(a, b)["number"] == words


@pytest.mark.parametrize("a,b", [
    ("The company raised $5 million last year.", "The company raised 5 million US dollars last year."),
    ("It costs ¥7,000 a night.", "It costs 7,000 yen a night."),  # the sign is the yen's and the yuan's
    ("The yuan fell below USD $1 to RMB 7.0 on Monday.", "The yuan fell below the 7.0 yuan mark against the US "
     "dollar on Monday."),  # an exchange rate names two currencies
    ("The dollar rose against the euro.", "The euro rose against the dollar."),  # no amount
])
def test_the_same_currency_or_no_amount_is_no_changed_currency(a, b):
    from drift.score.numbers import currency_findings

    assert currency_findings(read(a), read(b)) == []


def test_negation_flip_but_not_a_reworded_negation():
    found = findings("The U.S. redistributes seats.", "The U.S. does not redistribute seats.")
    assert found["negation"] == ([], ["not"])
    assert "negation" not in findings("He did not come.", "He never came.")


def strength(a: str, b: str, kind: str) -> float:
    return max((f.strength for f in compare_readings(read(a), read(b)) if f.kind == kind), default=0.0)


@pytest.mark.parametrize("a,b,added", [
    ("The US has assured that the system will not be monitored.",
     "The US has not assured that the system will not be monitored.", (["not"], "b")),
    ("Air accidents are common in Iran, whose aircraft were not maintained.",
     "Air accidents are not common in Iran, whose aircraft were not maintained.", (["not"], "b")),
    ("And you cannot say it all you want, but it doesn't make it true.",
     "And you can say it all you want, but it doesn't make it true.", (["cannot"], "a")),
])
def test_a_negation_added_beside_another_is_a_full_negation_change(a, b, added):
    """Both sides negated, one once more in words both share: a flip, not a rewording of the count."""
    words, side = added
    found = findings(a, b)["negation"]
    assert found == ((words, []) if side == "a" else ([], words))
    assert strength(a, b, "negation") == strength("He will come.", "He will not come.", "negation") > 0.5


@pytest.mark.parametrize("a,b", [
    ("The US has assured that the system will not be monitored.",
     "The US has not assured that the system will not be monitored."),
    ("And you cannot say it all you want, but it doesn't make it true.",
     "And you can say it all you want, but it doesn't make it true."),
    ("It wasn't cheap and it wasn't quick.", "It was not cheap or quick."),
])
def test_negations_placed_by_their_neighbours_agree_with_the_alignment(a, b):
    from drift.score.cues import _unaligned_negations, _unmatched_contexts

    assert _unmatched_contexts(read(a), read(b)) == _unaligned_negations(read(a), read(b))


def test_past_the_word_limit_an_added_negation_is_still_placed():
    """Past ALIGN_TOKENS words the check places negations by their neighbouring words instead of aligning
    the texts (which grew faster than the text): the added one is still found, at full strength."""
    from drift.score.cues import ALIGN_TOKENS

    filler = " ".join(["the council met again in the capital and talked about the budget"] * (ALIGN_TOKENS // 12))
    a = f"The US has assured that the system will not be monitored, {filler}."
    b = f"The US has not assured that the system will not be monitored, {filler}."
    assert len(read(a).tokens) + len(read(b).tokens) > ALIGN_TOKENS
    assert findings(a, b)["negation"] == ([], ["not"])
    first = b.index(" not ") + 1  # "has not assured", not "will not be"
    assert [f.b for f in compare_readings(read(a), read(b)) if f.kind == "negation"] == [((first, first + 3),)]
    assert strength(a, b, "negation") == strength("He will come.", "He will not come.", "negation")


def test_a_reworded_count_of_negations_stays_weak():
    # Both sides negated, the negations said in other words: a different count, no clause flipped.
    assert 0 < strength("It wasn't cheap and it wasn't quick.", "It was not cheap or quick.", "negation") < 0.5
    assert "negation" not in findings("He will not be able to come, and not today.",
                                      "He is unable to come, and not today.")


def test_hedge_lost_is_modality():
    found = findings("this group, which is apparently involved, carried out attempts",
                     "this group carried out attempts")
    assert found["modality"] == (["apparently"], [])


def test_speaker_swap_is_attribution():
    found = findings("The plot was foiled, Macron said.", "The plot was foiled, Attal said.")
    assert found["attribution"] == (["Macron"], ["Attal"]) and "entity" in found


def test_talks_with_a_named_party_is_attribution():
    found = findings("contacts would be made at ministerial level",
                     "meetings with Putin will take place at ministerial level")
    assert found["attribution"] == ([], ["Putin"])


def test_with_alone_names_no_party_to_talks():
    """"with" was a meeting cue on its own: "Support Youth with Great Muscles", "Sanfu is the period with the highest
    temperature" made attributions of names no one speaks or meets with (a fifth of the attributions in the news
    train split). A meeting word still makes one: "talks with Putin", "met with Putin"."""
    found = findings("Sanfu is the period with the highest temperature of the year.",
                     "The summer days are the hottest of the year.")
    assert "attribution" not in found and found["entity"] == (["Sanfu"], [])
    assert findings("Macron held talks with Putin on Monday.", "Macron held talks on Monday.")["attribution"] == (
        ["Putin"], [])
    assert findings("Macron met with Putin on Monday.", "Macron met with Scholz on Monday.")["attribution"] == (
        ["Putin"], ["Scholz"])


def test_misquote_is_a_quote_change():
    found = findings("He said “we will fight effectively against these groups”.",
                     "He said “we will fight ruthlessly against these groups”.")
    assert found["quote"] == (["effectively"], ["ruthlessly"])


def test_sentence_opening_names_pair_up():
    found = findings("Argentina is known for polo.", "Washington is known for polo.")
    assert found["entity"] == (["Argentina"], ["Washington"])
    assert "entity" not in findings("Currently the plant runs.", "At present the plant runs.")


@pytest.mark.parametrize("a,b,lost", [
    ("Madagascar is by far the largest island.", "Is by far the largest island.", "Madagascar"),
    ("Turkey would also take over custody of the fighters.", "Would also take over custody of the fighters.",
     "Turkey"),
    ("Brent crude fell 26 cents in London.", "Crude fell 26 cents in London.", "Brent"),
])
def test_a_name_dropped_from_the_start_of_a_sentence_is_a_lost_name(a, b, lost):
    assert findings(a, b)["entity"] == ([lost], [])
    assert findings(b, a)["entity"] == ([], [lost])


@pytest.mark.parametrize("a,b", [
    ("Increased restrictions were announced.", "Restrictions were announced."),  # inflected: a word
    ("Earlier, the minister said it was over.", "The minister said it was over."),  # a comma follows it
    ("Ever since Galileo aimed his telescope at the sky.", "Since Galileo aimed his telescope at the sky."),
    ("Comets may have been the source of water.", "Comets might have been the source of water."),
])
def test_a_common_word_dropped_from_the_start_is_no_name(a, b):
    assert "entity" not in findings(a, b)


@pytest.mark.parametrize("a,b", [
    ("The last project I'd like to show is called Biased Chains.",
     "The final project I'm going to show is called Biased Chains."),  # mqm TED dev: read as names on main
    ("We're going to build it.", "We'll build it."),
    ("Don't go there.", "Let's not go there."),
    ("So I’ve seen it happen.", "So I saw it happen."),
])
def test_a_pronoun_or_verb_with_its_clitic_is_no_name(a, b):
    assert "entity" not in findings(a, b)
    assert not [n for n in read(a).names + read(b).names if "'" in n[2]]


def test_a_thing_that_is_called_a_name_is_no_attribution():
    a, b = "The last project is called Biased Chains.", "The last project is called the eccentric chain."
    assert "attribution" not in findings(a, b) and findings(a, b)["entity"] == (["Biased Chains"], [])
    assert findings("Macron called Putin on Monday.", "Macron called Scholz on Monday.")["attribution"] == (
        ["Putin"], ["Scholz"])  # a call is a contact


def test_an_apostrophe_inside_a_name_keeps_it_a_name():
    assert findings("He met O'Brien on Monday.", "He met O'Neill on Monday.")["entity"] == (["O'Brien"], ["O'Neill"])


# -- issue 11: misfires of the typed checks, and the real changes they must keep ------------------

@pytest.mark.parametrize("a,b,kind", [
    ("Increased restrictions were announced on Monday.", "Tightening restrictions were announced on Monday.",
     "entity"),  # a capitalised first word is no name
    ("The Communist Party of China held a meeting.", "The CPC held a meeting.", "entity"),  # acronym vs expansion
    ("The Communist Party of China held a meeting.", "The CPC held a meeting.", "attribution"),
    ("They will not be able to travel.", "They are unable to travel.", "negation"),  # paraphrased negation
    ("He did not succeed.", "He failed to succeed.", "negation"),
    ("Between 4 to 6 million people were affected.", "Between 4 million to 6 million people were affected.",
     "number"),  # a reworded range
])
def test_faithful_rewording_raises_no_kind(a, b, kind):
    assert kind not in findings(a, b)


@pytest.mark.parametrize("a,b", [
    ("Four men were charged with the attack.", "Five men were charged with the attack."),
    ("Four Russians were charged with the attack.", "Five Russians were charged with the attack."),
    ("Twenty people died.", "Thirty people died."),
])
def test_a_number_word_opening_a_sentence_is_a_number_not_a_name(a, b):
    found = findings(a, b)
    assert "entity" not in found and "attribution" not in found
    assert found["number"] == ([a.split()[0]], [b.split()[0]])


def test_a_scale_word_opening_a_sentence_is_no_name():
    assert not findings("Thousands marched on Sunday.", "Hundreds marched on Sunday.")


def test_change_of_person_is_found_with_its_words():
    assert findings("I did not hear the explosion.", "We did not hear the explosion.")["person"] == (["I"], ["We"])
    assert findings("He said the plan would work.", "She said the plan would work.")["person"] == (["He"], ["She"])
    assert "person" not in findings("He said he would go.", "He said that he would go.")


def test_us_in_capitals_is_the_country_not_a_pronoun():
    found = findings("The war expenses of the US imperialists were borne by the people.",
                     "The war expenses of the France imperialists were borne by the people.")
    assert "person" not in found and found["entity"] == (["US"], ["France"])
    assert findings("They told us to leave.", "They told you to leave.")["person"] == (["us"], ["you"])


def test_digits_joined_to_a_name_are_no_figure():
    assert "number" not in findings("COVID-19 cases rose sharply in Spain.", "Coronavirus cases rose sharply in Spain.")
    assert "number" not in findings("Leaders met at the G-20 summit.", "Leaders met at the G-7 summit.")
    assert findings("He was tested for Covid-19.", "He was tested for Covid-22.")["entity"] == (["Covid-19"],
                                                                                             ["Covid-22"])
    assert findings("In mid-2020 the plan began.", "In mid-2021 the plan began.")["number"] == (["2020"], ["2021"])
    assert findings("Between 4-6 million people fled.", "Between 4-9 million people fled.")["number"] == (["6 million"],
                                                                                                        ["9 million"])


@pytest.mark.parametrize("a,b,kind", [
    ("Macron arrived in Guyana on Monday.", "Macron arrived in French Guiana on Monday.", "entity"),
    ("The minister will attend the summit.", "The minister will not attend the summit.", "negation"),
    ("He did not deny it.", "He denied it.", "negation"),
    ("Between 4 and 6 million people were affected.", "Between 4 and 9 million people were affected.", "number"),
    ("the Islamic State in Khorasan (IS-K) organization", "the Islamic State in Khorasan (ISIL-X)", "entity"),
    ("The Communist Party of China held a meeting.", "The Party of Regions held a meeting.", "entity"),
])
def test_real_changes_keep_their_kind(a, b, kind):
    assert kind in findings(a, b)


# -- a name dropped from names joined by "and" ----------------------------------------------------

@pytest.mark.parametrize("a,b,lost", [
    ("In 1989, he helped Brooks and Groening create The Simpsons.",
     "In 1989, he helped Groening create The Simpsons.", "Brooks"),
    ("In 1989, he helped Brooks and Groening create The Simpsons.",
     "In 1989, he helped and Groening create The Simpsons.", "Brooks"),
    ("The call between Vladimir Putin and Vladimir Zelensky took place on Monday.",
     "The call between and Vladimir Zelensky took place on Monday.", "Putin"),
    ("It differed in Denmark, Sweden, Norway and Iceland.", "It differed in Denmark, Sweden, and Iceland.", "Norway"),
    ("A true team (Larson and LaFasto, 1989) is rare.", "A true team (LaFasto, 1989) is rare.", "Larson"),
])
def test_a_name_dropped_from_names_joined_by_and_is_a_lost_name(a, b, lost):
    assert findings(a, b)["entity"] == ([lost], [])
    assert findings(b, a)["entity"] == ([], [lost])
    assert strength(a, b, "entity") == STRENGTH["entity_one_side"]  # as any name one side drops


@pytest.mark.parametrize("a,b", [
    ("The call between Putin and Zelensky took place on Monday.",
     "The call between Vladimir Putin and Vladimir Zelensky took place on Monday."),  # the same two, in full
    ("The call between Putin and Zelensky took place on Monday.",
     "The call between Zelensky and Vladimir Putin took place on Monday."),  # in the other order
    ("In 1989, he helped Brooks and Groening create The Simpsons.",
     "In 1989, he helped Groening and Brooks create The Simpsons."),
    ("In 1989, he helped Brooks and Groening create The Simpsons.",
     "In 1989, Groening created The Simpsons, helped by Brooks."),  # one moved to another clause
    ("The Securities and Exchange Commission fined the bank.", "The SEC fined the bank."),  # an acronym
    ("Negotiators from Ukraine and Russia agreed.", "Ukrainian and Russian negotiators agreed."),  # demonyms
    ("The Chongqing Municipal Commission of Development and Reform said so.",
     "The Chongqing Development and Reform Commission said so."),  # one body, reworded
])
def test_names_joined_by_and_kept_in_another_form_are_no_change(a, b):
    assert "entity" not in findings(a, b) and "entity" not in findings(b, a)


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


# ---------------------------------------------------------------- antonyms


@pytest.mark.parametrize("a,b,words", [
    ("The minister praised the agreement.", "The minister condemned the agreement.", (["praised"], ["condemned"])),
    ("Prices rose sharply in March.", "Prices fell sharply in March.", (["rose"], ["fell"])),
    ("The court accepted the appeal.", "The court rejected the appeal.", (["accepted"], ["rejected"])),
    ("Sanctions were lifted on Monday.", "Sanctions were imposed on Monday.", (["lifted"], ["imposed"])),
    ("Exports are rising.", "Exports are falling.", (["rising"], ["falling"])),
    ("The ban was lifted after a higher court ruled.", "The ban was lifted after a lower court ruled.",
     (["higher"], ["lower"])),
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
])
def test_no_antonym_where_the_meaning_holds(a, b):
    assert "antonym" not in findings(a, b)


def test_antonym_forms_are_inflected_without_a_stemmer():
    from drift.score.antonyms import verb_forms

    assert verb_forms("rise:rose:risen") == ("rise", "rises", "rose", "risen", "rising")
    assert verb_forms("ban+") == ("ban", "bans", "banned", "banning")
    assert verb_forms("deny") == ("deny", "denies", "denied", "denying")
    assert verb_forms("agree") == ("agree", "agrees", "agreed", "agreeing")


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
