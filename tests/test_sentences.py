"""Sentence splitting on news copy: one test per behaviour, plus the seed articles."""
from __future__ import annotations

from pathlib import Path

import pytest

from drift.text.sentences import SPLITTER, split_sentences

SEEDS = sorted((Path(__file__).parent.parent / "examples" / "seeds").glob("*.txt"))


def texts(text: str, title_end: int | None = None, datelines: bool = True) -> list[str]:
    return [s.text for s in split_sentences(text, title_end, datelines)]


def seed(prefix: str) -> str:
    [path] = [p for p in SEEDS if p.name.startswith(prefix)]
    return path.read_text(encoding="utf-8")


def test_splitter_version_is_named() -> None:
    assert SPLITTER == "drift-news/3"


def test_offsets_index_the_original_text() -> None:
    text = "  First one.  Second one!\n\n   Third?  "
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["First one.", "Second one!", "Third?"]
    assert [s.index for s in sents] == [0, 1, 2]
    for s in sents:
        assert text[s.start:s.end] == s.text


def test_empty_and_punctuation_only_lines_give_no_sentences() -> None:
    assert texts("") == []
    assert texts("\n \n***\n—\n") == []


def test_newline_ends_a_sentence_without_punctuation() -> None:
    assert texts("Increased cooperation\nThe executive met.") == [
        "Increased cooperation", "The executive met."]


def test_crlf_line_endings() -> None:
    assert texts("One here.\r\nTwo here.\r\n") == ["One here.", "Two here."]


def test_closing_curly_quote_stays_with_its_sentence() -> None:
    assert texts("He said “it was planned.” Then he left.") == [
        "He said “it was planned.”", "Then he left."]


def test_closing_straight_quote_stays_with_its_sentence() -> None:
    assert texts('He said "it was planned." Then he left.') == [
        'He said "it was planned."', "Then he left."]


def test_question_in_single_quotes() -> None:
    assert texts("She asked ‘why now?’ Nobody answered.") == [
        "She asked ‘why now?’", "Nobody answered."]


def test_opening_quote_starts_a_new_sentence() -> None:
    assert texts("He added. “We will see,” he said.") == ["He added.", "“We will see,” he said."]


def test_comma_quote_then_attribution_is_one_sentence() -> None:
    assert texts("“We will see how it evolves,” he added.") == ["“We will see how it evolves,” he added."]


def test_quote_spanning_two_sentences_splits_at_the_inner_full_stop() -> None:
    text = "“We must be effective. It is in this spirit that we move,” said the president."
    assert texts(text) == ["“We must be effective.", "It is in this spirit that we move,” said the president."]


@pytest.mark.parametrize("text,expected", [
    ("Er sagte: „Wir sind bereit.“ Dann ging er.", ["Er sagte: „Wir sind bereit.“", "Dann ging er."]),
    ("Er sagte: »Wir sind bereit.« Dann ging er.", ["Er sagte: »Wir sind bereit.«", "Dann ging er."]),
    ("Sie fragte: ‚Warum?‘ Niemand antwortete.", ["Sie fragte: ‚Warum?‘", "Niemand antwortete."]),
    ("Er ging. „Wir sind bereit“, sagte er.", ["Er ging.", "„Wir sind bereit“, sagte er."]),
    ("Er ging. »Wir sind bereit«, sagte er.", ["Er ging.", "»Wir sind bereit«, sagte er."]),
    ("Él dijo que sí. ¿Por qué ahora? ¡Basta ya! Se fue.",
     ["Él dijo que sí.", "¿Por qué ahora?", "¡Basta ya!", "Se fue."]),
])
def test_german_and_spanish_quotes_close_and_open_sentences(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_french_closing_guillemet_after_a_space_stays_with_its_sentence(space: str) -> None:
    text = f"«{space}Nous sommes prêts.{space}» Il est parti. «{space}Pourquoi{space}?{space}» a-t-il demandé."
    assert texts(text) == [f"«{space}Nous sommes prêts.{space}»", "Il est parti.",
                           f"«{space}Pourquoi{space}?{space}» a-t-il demandé."]


def test_question_mark_followed_by_lowercase_attribution_does_not_split() -> None:
    assert texts("“Why now?” he asked.") == ["“Why now?” he asked."]


def test_lowercase_after_full_stop_does_not_split() -> None:
    assert texts("He arrived in Guiana. while Putin blamed Kyiv.") == [
        "He arrived in Guiana. while Putin blamed Kyiv."]


@pytest.mark.parametrize("abbr", ["Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Gen.", "Sen.", "Rep.", "Gov.", "St."])
def test_titles_do_not_split(abbr: str) -> None:
    assert texts(f"It was {abbr} Smith who spoke. Others agreed.") == [
        f"It was {abbr} Smith who spoke.", "Others agreed."]


@pytest.mark.parametrize("text", [
    "El Sr. García y la Sra. López llegaron.", "La Dra. Pérez habló con el Ing. Ruiz.",
    "Il Sig. Rossi e il Dott. Bianchi sono arrivati.", "Hr. Müller kam.",
])
def test_spanish_italian_and_german_titles_do_not_split(text: str) -> None:
    assert texts(text) == [text]


def test_british_titles_without_full_stop() -> None:
    assert texts("Mr Macron spoke. He left.") == ["Mr Macron spoke.", "He left."]


def test_month_abbreviation_before_a_day_does_not_split() -> None:
    assert texts("It happened on Jan. 5 in Paris. Police came.") == [
        "It happened on Jan. 5 in Paris.", "Police came."]


def test_numero_abbreviation_does_not_split() -> None:
    assert texts("He is ranked No. 5 in the world. She is first.") == [
        "He is ranked No. 5 in the world.", "She is first."]


@pytest.mark.parametrize("text", [
    "Er kam am 3. März an.", "Sie wurde am 1. Januar 2024 gewählt.", "3. Oktober 1990: Die Einheit.",
    "Die Stadt wurde im 19. Jahrhundert gegründet.", "Der 1. FC Köln gewann zum 3. Mal.",
])
def test_german_dates_and_ordinals_do_not_split(text: str) -> None:
    assert texts(text) == [text]


def test_a_number_ending_an_english_sentence_still_splits() -> None:
    assert texts("The toll rose to 12. The police said so. He was born on Jan. 1. The family moved.") == [
        "The toll rose to 12.", "The police said so.", "He was born on Jan. 1.", "The family moved."]


def test_dotted_acronym_before_a_name_does_not_split() -> None:
    assert texts("The U.S. Army and the U.N. Security Council met.") == [
        "The U.S. Army and the U.N. Security Council met."]


def test_dotted_acronym_before_a_sentence_opener_splits() -> None:
    assert texts("He flew to the U.S. The trip was short.") == ["He flew to the U.S.", "The trip was short."]


def test_eg_ie_etc_followed_by_lowercase_do_not_split() -> None:
    text = "Some sites, e.g. schools, i.e. public places, etc. are guarded."
    assert texts(text) == [text]


def test_etc_at_sentence_end_splits_before_opener() -> None:
    assert texts("They sell bread, milk, etc. The shop closes at six.") == [
        "They sell bread, milk, etc.", "The shop closes at six."]


def test_vs_does_not_split() -> None:
    assert texts("It was France vs. Germany in the final.") == ["It was France vs. Germany in the final."]


def test_initials_do_not_split() -> None:
    assert texts("J. K. Rowling met George W. Bush. They talked.") == [
        "J. K. Rowling met George W. Bush.", "They talked."]


def test_decimal_numbers_do_not_split() -> None:
    assert texts("Growth was 3.5 percent. Prices rose 0.2 points.") == [
        "Growth was 3.5 percent.", "Prices rose 0.2 points."]


def test_pm_followed_by_lowercase_or_digit_does_not_split() -> None:
    assert texts("It starts at 5 p.m. on Monday.") == ["It starts at 5 p.m. on Monday."]
    assert texts("Doors open at 7 a.m. 300 people waited.") == ["Doors open at 7 a.m. 300 people waited."]


def test_pm_followed_by_weekday_does_not_split() -> None:
    assert texts("It starts at 5 p.m. Monday in Paris.") == ["It starts at 5 p.m. Monday in Paris."]


def test_unicode_ellipsis_before_bracket_does_not_split() -> None:
    text = "If they are to blame… [they] must be tracked down."
    assert texts(text) == [text]


def test_ellipsis_before_capital_splits() -> None:
    assert texts("He paused... Then he went on.") == ["He paused...", "Then he went on."]
    assert texts("He paused… Then he went on.") == ["He paused…", "Then he went on."]


def test_number_after_plain_full_stop_splits() -> None:
    assert texts("Many were killed. 250 were taken hostage.") == ["Many were killed.", "250 were taken hostage."]


def test_exclamation_splits() -> None:
    assert texts("Stop! Police came.") == ["Stop!", "Police came."]


@pytest.mark.parametrize(("dateline", "body"), [
    ("26-3-2024 (PARIS)", "President Emmanuel Macron declared on Monday that IS was behind it."),
    ("PARIS (AFP) -", "President Emmanuel Macron said on Monday that IS was behind it."),
    ("Paris (AFP) -", "French President Emmanuel Macron said on Monday that IS was behind it."),
    ("PARIS, March 25 (AFP) -", "The president spoke."),
    ("MOSCOW, March 25, 2024 (Reuters) —", "Russia said so."),
    ("SPRINGFIELD, Ill. (AP) —", "Illinois lawmakers approved the budget on Monday."),
    ("ATLANTA, Ga. (Reuters) -", "The storm hit the city on Monday."),
    ("ST. LOUIS (AP) —", "The Cardinals won on Monday."),
    ("FT. WORTH, Texas (AP) —", "The heat broke records."),
    ("NEW YORK —", "The markets fell."),
    ("KYIV, Ukraine --", "Sirens sounded."),
    ("MOSCOW, March 25 (Interfax) -", "Russia said so."),
    ("MADRID, 25 Mar. (EUROPA PRESS) -", "El Gobierno lo dijo."),
])
def test_an_opening_dateline_is_a_sentence_of_its_own(dateline: str, body: str) -> None:
    text = f"{dateline} {body} It went on."
    assert texts(text) == [dateline, body, "It went on."]
    assert texts(f"Headline here\n\n{text}", title_end=13) == ["Headline here", dateline, body, "It went on."]
    assert texts(f"By Jane Doe\n{text}") == ["By Jane Doe", dateline, body, "It went on."]
    assert texts(text, datelines=False) == [f"{dateline} {body}", "It went on."]


def test_a_dateline_after_furniture_and_an_unfound_headline_is_cut() -> None:
    text = "Updated\nMacron warns Russia over the attack\n\nPARIS (AFP) - The president spoke. He left.\n"
    assert texts(text) == ["Updated", "Macron warns Russia over the attack", "PARIS (AFP) -", "The president spoke.",
                           "He left."]
    text = "Macron warns Russia\nThe story starts here.\nNEW YORK — The markets fell.\n"
    assert texts(text)[-1] == "NEW YORK — The markets fell."


@pytest.mark.parametrize("text", [
    "PARIS (AFP) - President Emmanuel Macron said on Monday that IS was behind it.",  # not the story's first line
    "NEW YORK — The markets fell.",
])
def test_a_dateline_after_the_story_started_stays_in_its_sentence(text: str) -> None:
    assert texts(f"The story starts here.\n{text}") == ["The story starts here.", text]


@pytest.mark.parametrize("text", [
    "Macron — the president — spoke on Monday.",  # a capitalised name and a dash
    "Islamic State (IS) - the group - claimed it.",  # a bracket that is no agency
    "Police told AFP - in Paris - that it was over.",
    "EU - China talks open on Monday.",  # a place of two capitals
    "NASA — the US space agency — said it would launch on Monday.",  # no sentence starts after the dash
    "PARIS (AFP) - and then it went on.",
])
def test_openings_that_are_no_dateline_stay_whole(text: str) -> None:
    assert texts(text) == [text]


def test_all_caps_titles_do_not_split() -> None:
    assert texts("LT. COL. JOHN SMITH SPOKE. HE LEFT.") == ["LT. COL. JOHN SMITH SPOKE.", "HE LEFT."]


def test_slash_agency_tail_is_its_own_sentence() -> None:
    text = "“We will see,” he added. /BGNES"
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["“We will see,” he added.", "/BGNES"]
    assert text[sents[1].start:sents[1].end] == "/BGNES"


@pytest.mark.parametrize("tag", ["(AFP)", "-- Reuters", "— AFP"])
def test_bracket_and_dash_agency_tails_are_their_own_sentence(tag: str) -> None:
    assert texts(f"The talks ended on Monday. {tag}") == ["The talks ended on Monday.", tag]


def test_parenthesised_acronym_ending_a_headline_is_not_a_tag() -> None:
    assert texts("Macron blames Islamic State (IS)\nBody here.") == [
        "Macron blames Islamic State (IS)", "Body here."]


def test_photo_credit_after_caption_is_its_own_sentence() -> None:
    assert texts("Macron speaks in Cayenne, on March 25, 2024. (Photo by Jane DOE / AFP)") == [
        "Macron speaks in Cayenne, on March 25, 2024.", "(Photo by Jane DOE / AFP)"]


def test_title_end_makes_the_headline_one_title_sentence() -> None:
    text = "U.S. acts. China reacts\n\nThe body starts here. It goes on."
    sents = split_sentences(text, title_end=text.index("\n"))
    assert [s.text for s in sents] == ["U.S. acts. China reacts", "The body starts here.", "It goes on."]
    assert [s.title for s in sents] == [True, False, False]


def test_markdown_heading_marker_is_not_sentence_text() -> None:
    text = "# Big news\n\n- First point here.\n> Quoted line."
    sents = split_sentences(text, title_end=len("# Big news"))
    assert [s.text for s in sents] == ["Big news", "First point here.", "Quoted line."]
    assert sents[0].title and sents[0].start == 2


@pytest.mark.parametrize("text,expected", [
    ("他说，袭击是有预谋的。警方正在调查。", ["他说，袭击是有预谋的。", "警方正在调查。"]),
    ("苹果发布了iPhone 15。iPhone售价上涨！", ["苹果发布了iPhone 15。", "iPhone售价上涨！"]),
    ("「準備はできた。」と彼は言った。首相が出席した。", ["「準備はできた。」と彼は言った。", "首相が出席した。"]),
    ("राष्ट्रपति ने कहा। पुलिस जांच कर रही है।", ["राष्ट्रपति ने कहा।", "पुलिस जांच कर रही है।"]),
    ("هل انتهى؟ قال الوزير لا.", ["هل انتهى؟", "قال الوزير لا."]),
])
def test_sentence_ends_of_other_scripts(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_numbered_and_lettered_list_markers_are_not_sentences() -> None:
    text = "1. The first point.\n10) The tenth.\n(3) The third.\na) Option one.\n(b) Option two.\n– A dash item."
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "The first point.", "The tenth.", "The third.", "Option one.", "Option two.", "A dash item."]
    assert all(text[s.start:s.end] == s.text for s in sents)


def test_a_number_alone_on_its_line_is_kept() -> None:
    assert texts("Votes:\n12.  \nThe end.") == ["Votes:", "12.", "The end."]


def test_a_german_date_opening_a_line_is_not_a_list_marker() -> None:
    assert texts("3. Oktober 1990: Die Einheit.\n1.5 million people came.") == [
        "3. Oktober 1990: Die Einheit.", "1.5 million people came."]


# ---------------------------------------------------------------- seeds


def test_every_seed_sentence_indexes_its_text() -> None:
    assert len(SEEDS) == 5
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        for s in split_sentences(text):
            assert text[s.start:s.end] == s.text
            assert s.text == s.text.strip() and s.text


def test_seed_sentence_counts() -> None:
    counts = {p.name[:3]: len(split_sentences(p.read_text(encoding="utf-8"))) for p in SEEDS}
    assert counts == {"000": 13, "001": 14, "002": 15, "003": 15, "004": 15}


def test_seed_000_quote_spanning_two_sentences() -> None:
    sents = texts(seed("000"))
    assert sents[1] == ("“We must guard against any instrumentalization or distortion, "
                        "but be demanding and effective.")
    assert sents[2].startswith("It is in this spirit")
    assert sents[2].endswith("refusing to comment on the IS claim.")
    assert sents[7] == "“Increased cooperation”"


def test_seed_001_lowercase_after_full_stop_and_bgnes_tail() -> None:
    sents = texts(seed("001"))
    assert sents[3].startswith("This is the spirit") and sents[3].endswith("blame at Ukraine.")
    assert "Guiana. while his Russian counterpart" in sents[3]
    assert sents[-2].endswith('justify it," he added.')
    assert sents[-1] == "/BGNES"


def test_seed_002_quote_closes_sentence_and_caption_credit_splits_off() -> None:
    sents = texts(seed("002"))
    assert sents[2].endswith("planned the attack and carried it out.”")
    assert sents[7].endswith("on March 25, 2024.")
    assert sents[8] == "(Photo by Ludovic MARIN / AFP)"
    assert sents[12:] == ["This article has been posted by a News Hour Correspondent.",
                          "For queries, please contact through [email\u00a0protected]", "No Comments"]


def test_seed_003_dateline_is_cut_off_its_first_sentence() -> None:
    dateline, first = texts(seed("003"))[:2]
    assert dateline == "26-3-2024 (PARIS)"
    assert first.startswith("President Emmanuel Macron declared")
    assert first.endswith("recent foiled plots against France itself.")


def test_seed_004_mr_and_ellipsis() -> None:
    sents = texts(seed("004"))
    assert sents[1].startswith("Mr Macron, who has become")
    assert sents[5].startswith("Russia’s former President Dmitry Medvedev")
    assert sents[5].endswith("ruthlessly eliminated as terrorists.”")
    assert sents[12].endswith("attending a rock concert.") and sents[13].startswith("On Monday, former")


@pytest.mark.parametrize("text,line,expected", [
    ("Macron spoke on Monday.\n\n“Increased cooperation”\n\nHe said more.", "“Increased cooperation”", True),
    ("Macron spoke on Monday.\nNew measures\nHe said more.", "New measures", True),
    ("Macron spoke on Monday.\nHe said more.\n", "He said more.", False),  # a sentence: it ends in a full stop
    ("A headline without a stop\n\nThe story starts here.", "A headline without a stop", False),  # the first line
    ("Macron spoke.\nOne two three four five six seven eight nine ten\nEnd.",
     "One two three four five six seven eight nine ten", False),  # too long for a title
    ("Macron spoke. He said more without a stop\nEnd.", "He said more without a stop", False),  # not a line of its own
    ("Macron spoke.\nWhat next?\nEnd.", "What next?", False),
])
def test_a_subheading_is_a_short_line_of_its_own_without_a_full_stop(text, line, expected):
    from drift.text.sentences import is_subheading

    start = text.index(line)
    assert is_subheading(text, start, start + len(line)) is expected
