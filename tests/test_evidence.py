"""Typed evidence without the model: each kind on small hand-made pairs, and what must not fire."""
from __future__ import annotations

import pytest
from evidence_helpers import findings

from drift.score.evidence import compare_readings, read, same_name
from drift.score.finding import STRENGTH
from drift.score.swaps import swap_parts


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
    ("ISIS claimed responsibility for the attack.", "ISIL claimed responsibility for the attack."),
    ("ISIS claimed responsibility for the attack.", "Daesh claimed responsibility for the attack."),
    ("the Islamic State in Khorasan (IS-K) is the suspect", "the Islamic State in Khorasan (ISIS-K) is the suspect"),
    ("ISIS-K is the main suspect.", "ISKP is the main suspect."),
    ("The army fought in Burma.", "The army fought in Myanmar."),
    ("Talks were held in Türkiye.", "Talks were held in Turkey."),
    ("Belgian spokesman Boudewijn Catry said", "Belgian spokesman Boudewijn Katri said"),  # one name transcribed twice
    ("The local prosecutor Cenas said", "The local prosecutor Senas said"),
    ("Tchaikovsky's music was played.", "The music of Chaikovsky was played."),
    ("Yousef Ahmed was arrested on Monday.", "Yusef Ahmed was arrested on Monday."),
    ("Gaddafi ruled Libya for decades.", "Qadhafi ruled Libya for decades."),  # an opening g / k, "dh" / "d"
    ("Muammar Gaddafi's son was arrested.", "Muammar Qaddafi's son was arrested."),
    ("Steve Marshall said the plan would work.", "Marshall said the plan would work."),  # named by surname
    ("Hong Kong SAR reported 2,505 cases.", "Hong Kong Special Administrative Region reported 2,505 cases."),
    ("This simulation is by the NASA Goddard group.",
     "This simulation is by the National Aeronautics and Space Administration Goddard group."),
    ("WHO collected the data.", "The data were collected by the World Health Organization."),
    ("Attorney General Steve Marshall called it a victory.", "Marshall, the attorney general, called it a victory."),
    ("The US Census decides the seats in the US House.", "The U.S. Census decides the seats in the U.S. House."),
    ("Garvey said, “The US Constitution requires a count.", "Garvey said, \"The U.S. Constitution requires a count."),
    ("The highest temperature was 37 degrees Celsius.", "The highest temperature was 37 ℃."),  # a scale as its symbol
    ("The highest temperature was 37 degrees Celsius.", "The highest temperature was 37 °C."),
    ("It will warm up to 155 degrees Fahrenheit.", "It will warm up to 155 ° F."),
    ("The company raised $5 million this year.", "The company raised 5 million US dollars this year."),
    ("More than 11 billion USD has flowed in since June.", "More than $11 billion has flowed in since June."),
    ("60% of them save less than RMB 20 each time.", "60% of them save less than 20 yuan each time."),  # the currency's
])
def test_same_entity_written_differently_is_no_change(a, b):
    assert "entity" not in findings(a, b)


def test_a_name_transcribed_two_ways_is_a_candidate_in_a_long_list_of_names():
    """Past ``ALL_PAIRS_UP_TO`` names only names filed alike are compared: the spelling key files them alike."""
    from drift.score.evidence import DEMONYMS
    from drift.score.lookup import ALL_PAIRS_UP_TO, NameIndex

    others = ", ".join(f"{first} {last}" for first in ("Anna", "Boris", "Clara", "David", "Elena", "Fyodor")
                       for last in ("Abel", "Bonner", "Dorn", "Egan", "Fiske", "Gould", "Hurt"))
    text = f"The festival played Tchaikovsky, {others} and Mahler."
    index = NameIndex.of(read(text), DEMONYMS)
    assert len(index.keys) > ALL_PAIRS_UP_TO
    assert "tchaikovsky" in index.candidates("chaikovsky")
    assert "entity" not in findings(text, text.replace("Tchaikovsky", "Chaikovsky"))


@pytest.mark.parametrize("a,b", [
    ("Ji said the plan would work.", "Jike said the plan would work."),  # romanised names: two people
    ("The IS claimed the attack.", "The IRGC claimed the attack."),  # not a prefix
    ("ISIS claimed the attack.", "IS-K claimed the attack."),  # the group and its Afghan branch
    ("He arrived in Guyana on Monday.", "He arrived in Guiana on Monday."),  # a country has one spelling
    ("Brian Cohen resigned on Monday.", "Brian Cowen resigned on Monday."),
    ("The Gold family sold the firm.", "The Kold family sold the firm."),  # short: g / k stays a change
    ("Steve Marshall said the plan would work.", "John Marshall said the plan would work."),  # another man
    ("Steve Marshall said the plan would work.", "Steve said the plan would work."),  # a first name is no surname
    ("European Union countries have agreed on it.", "Union countries have agreed on it."),  # no person's surname
    ("The FBI said it would look into the case.", "The Central Intelligence Agency said it would look into it."),
    ("Hong Kong SAR reported 2,505 cases.", "Hong Kong Special Economic Region reported 2,505 cases."),
    ("The highest temperature was 37 degrees Celsius.", "The highest temperature was 37 °F."),  # another scale
    ("The company raised $5 million.", "The company raised 5 million Canadian dollars."),  # no currency it knows
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


def test_a_possessive_dropped_before_its_noun_is_no_change_of_person():
    assert not findings("After saving their money, what are the plans of the young?",
                        "After saving money, what are the plans of the young?")
    assert not findings("Lewis preached on his family farm and earned his degree.",
                        "Lewis preached on his farm and earned a degree.")
    assert findings("They lost their money.", "We lost money.")["person"] == (["They"], ["We"])  # still a swap
    assert findings("She lost her money.", "She lost our money.")["person"] == ([], ["our"])  # another owner


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


def test_a_figure_with_its_unit_written_on_is_a_figure():
    """"200ml" is 200 (millilitres): read as "200 ml" is, so a unit written apart is no change and another figure is."""
    assert "number" not in findings("Each mouthful is between 150-200ml.", "Drink 150 ml to 200 ml at a time.")
    assert "number" not in findings("Traffic jams stretched for 10 km.", "Traffic jams stretched for 10km.")
    assert findings("It caused nearly 10km of traffic jams.", "It caused nearly 60km of traffic jams.")["number"] == (
        ["10"], ["60"])
    assert "number" not in findings("It cost $5m.", "It cost $5m, he said.")  # "5m": metres or millions, unread


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
