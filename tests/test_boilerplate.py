"""Boilerplate marking: site furniture is flagged, story sentences never are."""
from __future__ import annotations

from pathlib import Path

import pytest

from drift.read.boilerplate import is_boilerplate, is_caption_paragraph, mark_boilerplate, paragraphs
from drift.read.titles import article_from_text
from drift.text.prepare import prepare_article
from drift.text.sentences import split_sentences

SEEDS = sorted((Path(__file__).parent.parent / "examples" / "seeds").glob("*.txt"))


def marked(text: str, title_end: int | None = None) -> list[tuple[str, bool]]:
    return [(s.text, s.boilerplate) for s in mark_boilerplate(text, split_sentences(text, title_end))]


def seed(prefix: str) -> str:
    [path] = [p for p in SEEDS if p.name.startswith(prefix)]
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("text", [
    "/BGNES", "(AFP)", "-- Reuters", "— AFP", "AFP",
    "No Comments", "3 Comments", "Leave a comment", "Share this", "Share this article", "Read more",
    "This article has been posted by a News Hour Correspondent.",
    "Posted by admin", "Published on March 25, 2024",
    "For queries, please contact through [email\u00a0protected]",
    "Contact: news@example.com", "Send tips to tips@example.com",
    "(Photo by Ludovic MARIN / AFP)", "Photo: Jane Doe/Reuters", "Credit: Getty Images",
    "Ludovic MARIN / AFP",
    "Copyright 2024 AFP. All rights reserved.", "© AFP 2024",
    "By Jane Doe", "By Jane Doe and John Roe, AFP",
    "(Reporting by Jane Doe; Editing by John Roe)",
    "(AFP) - Copyright 2024", "Copyright AFP 2024. All rights reserved.", "(With AFP)", "(with AFP and Reuters)",
    "Read more: Macron warns Russia against exploiting the attack", "READ ALSO: Paris on alert",
    "Follow us on Twitter @france24",
    "PARIS, March 25 (AFP) -", "SPRINGFIELD, Ill. (AP) —", "NEW YORK —", "26-3-2024 (PARIS)",
    "Updated", "Last updated: 25/03/2024 10:32", "Updated 12:30 GMT",
    "(This story has been refiled to fix a typo in paragraph 3)", "(Corrects spelling of U.S. official's name)",
    "(Updates with details from paragraph 4)", "(Adds quote from minister in paragraph 5)",
    "Our Standards: The Thomson Reuters Trust Principles.", "-- With assistance from Jane Doe.",
    "This material may not be published, broadcast, rewritten or redistributed.",
    "Associated Press writer Jane Doe in Paris contributed to this report.", "AP writer Jane Doe contributed.",
    "Reuters reporters Jane Doe and John Roe contributed reporting.",
    "Story continues below advertisement", "Listen to this article", "Most Read", "Recommended", "Watch: Macron speaks",
    "Join our WhatsApp channel", "Download our app", "Image source, Getty Images",
    "— Sputnik", "(IRNA)", "(With Interfax and RIA Novosti)",
])
def test_furniture_is_boilerplate(text: str) -> None:
    assert is_boilerplate(text), text


@pytest.mark.parametrize("text", [
    "The branch of the Islamic State (ISIS) jihadist group killed 137 people, reported AFP.",
    "PARIS (AFP) - President Emmanuel Macron said on Monday that IS was behind the attack.",
    "He told AFP that the photo was genuine.",
    "The photo showed Macron smiling at reporters in Cayenne.",
    "Picture this: a concert hall in flames.",
    "By Monday, the troops had left the capital.",
    "Copyright law changes were approved on Monday.",
    "The video was posted by a user on X.",
    "No comment, said the spokesman.",
    "Macron said he would share this information with Moscow.",
    "Copyright AFP photographers say they were barred from the court in 2023 and again this year by the judge.",
    "With AFP reporting from Paris, the story spread within minutes.",
    "Readers of the paper were told to follow us on the morning news, the editor wrote.",
    "Updated rules take effect on Monday.", "PARIS", "NEW YORK, March 25",  # a bare dateline: the first line only
    "(Updates are expected later, the ministry said.)",
    "Reuters reporters contributed to the inquiry, which took a year.",
    "The Associated Press writer who broke the story contributed to a book.", "Most read the statement as a warning.",
    "Recommended doses were cut by half on Monday.", "Our standards are high, the minister said.",
    "This material may not be enough, the judge said.",
    "According to RIA Novosti, the parade was held with a small crowd.", "Officials told Sputnik it was over.",
    "",
])
def test_story_sentences_are_not_boilerplate(text: str) -> None:
    assert not is_boilerplate(text), text


def test_caption_paragraph_rule() -> None:
    assert is_caption_paragraph(["Macron speaks in Cayenne, on March 25.", "(Photo by Jane DOE / AFP)"])
    assert is_caption_paragraph(["Photo: Macron in Cayenne.", "He arrived on Monday."])
    assert not is_caption_paragraph(["Macron spoke in Cayenne.", "He left on Monday."])
    assert not is_caption_paragraph([])


def test_paragraphs_group_by_line_break() -> None:
    text = "One. Two.\nThree.\n\nFour."
    assert paragraphs(text, split_sentences(text)) == [[0, 1], [2], [3]]


def test_caption_paragraph_marks_all_its_sentences_only() -> None:
    text = ("Macron spoke on Monday.\n\nMacron (C) speaks to the press in Cayenne. "
            "He is next to a minister, on March 25, 2024. (Photo by Jane DOE / AFP)\n\nHe left.")
    assert marked(text) == [
        ("Macron spoke on Monday.", False),
        ("Macron (C) speaks to the press in Cayenne.", True),
        ("He is next to a minister, on March 25, 2024.", True),
        ("(Photo by Jane DOE / AFP)", True),
        ("He left.", False),
    ]


def test_title_is_never_boilerplate() -> None:
    text = "Photo: the day Paris stood still\n\nThe city stopped on Monday."
    sents = mark_boilerplate(text, split_sentences(text, title_end=text.index("\n")))
    assert sents[0].title and not sents[0].boilerplate


def test_seed_001_bgnes_tail_is_its_own_boilerplate_sentence() -> None:
    m = marked(seed("001"), title_end=49)
    assert m[-1] == ("/BGNES", True)
    assert m[-2][0].endswith('he added.') and m[-2][1] is False
    assert m[1][0].endswith("reported AFP.") and m[1][1] is False
    assert sum(flag for _, flag in m) == 1


def test_seed_002_caption_posted_by_and_no_comments() -> None:
    m = marked(seed("002"), title_end=57)
    flagged = [t for t, flag in m if flag]
    assert len(flagged) == 5
    assert flagged[0].startswith("French President Emmanuel Macron (C), next to France’s Deputy Minister")
    assert flagged[1:] == [
        "(Photo by Ludovic MARIN / AFP)",
        "This article has been posted by a News Hour Correspondent.",
        "For queries, please contact through [email\u00a0protected]",
        "No Comments",
    ]
    assert m[9][0].startswith("Speaking of “increased cooperation”") and m[9][1] is False


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_clean_seeds_have_no_boilerplate(prefix: str) -> None:
    assert not any(flag for _, flag in marked(seed(prefix)))


def test_seed_003_only_its_dateline_is_boilerplate() -> None:
    assert [text for text, flag in marked(seed("003")) if flag] == ["26-3-2024 (PARIS)"]


@pytest.mark.parametrize("opening", ["PARIS", "NEW YORK, March 25", "ST. LOUIS"])
def test_a_bare_dateline_opening_the_story_is_boilerplate(opening: str) -> None:
    text = f"Macron warns Russia\n\n{opening}\n\nThe president spoke.\nHe left.\n\nTHE VERDICT\n\nIt was over."
    flagged = [t for t, flag in marked(text, title_end=len("Macron warns Russia")) if flag]
    assert flagged == [opening]  # the capitals later in the story are a subheading, not furniture
    assert not any(flag for _, flag in marked(f"{opening}\n"))  # a text of nothing else keeps it


def test_a_pair_text_keeps_its_dateline() -> None:
    """score_pairs compares texts as given: a dateline cut off would only be embedded apart, never dropped."""
    def sentences(story: bool) -> list[tuple[str, bool]]:
        article = article_from_text("PARIS (AFP) - The president spoke on Monday.", id="a", detect_headline=False)
        return [(s.text, s.boilerplate) for s in prepare_article(article, story=story).sentences]

    assert sentences(story=False) == [("PARIS (AFP) - The president spoke on Monday.", False)]
    assert sentences(story=True) == [("PARIS (AFP) -", True), ("The president spoke on Monday.", False)]
