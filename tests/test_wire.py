"""Wire formats in: NITF, NewsML-G2 items and messages, HTML pages, hostile XML, mixed inputs."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drift.article import Article
from drift.errors import DriftError, InputError
from drift.read.files import read_article, read_articles, read_versions
from drift.read.formats import root_name, sniff
from drift.text.prepare import prepare_article

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parent.parent / "examples" / "seeds"
SEED_000 = SEEDS / "000_de8d6267f4fe40fd.txt"
SEED_001 = SEEDS / "001_cc69070031ebe6ef.txt"
HEADLINE = "Macron: ISIS tried to carry out attacks in France"


def sentences(article: Article) -> list[tuple[str, bool, bool]]:
    prepare_article(article)
    return [(s.text, s.title, s.boilerplate) for s in article.sentences]


def error(fn, *args, **kwargs) -> str:
    with pytest.raises(InputError) as e:
        fn(*args, **kwargs)
    assert isinstance(e.value, DriftError)
    assert "\n" not in str(e.value)
    return str(e.value)


# ---------------------------------------------------------------- same sentences as the plain text


@pytest.mark.parametrize("fixture, n, seed", [
    ("001_afp.nitf.xml", 0, SEED_001),
    ("000_afp.newsml.xml", 0, SEED_000),
    ("message.newsml.xml", 0, SEED_000),
    ("message.newsml.xml", 1, SEED_001),
    ("001_example.html", 0, SEED_001),
], ids=["nitf", "newsml-item-xhtml", "newsml-message-inlinedata", "newsml-message-nitf", "html-page"])
def test_reads_to_the_same_sentences_as_the_plain_text(fixture, n, seed):
    article = read_articles([FIXTURES / fixture])[n]
    expected = sentences(read_article(seed))
    assert sentences(article) == expected
    assert len(expected) > 8
    # offsets index the article text, as for any text file
    assert all(article.text[s.start:s.end] == s.text for s in article.sentences)


def test_nitf_metadata_and_furniture():
    a = read_article(FIXTURES / "001_afp.nitf.xml")
    assert (a.id, a.language, a.title, a.published) == ("afp-001", "en", HEADLINE, "20240325T180000+0100")
    assert a.metadata == {
        "path": str(FIXTURES / "001_afp.nitf.xml"), "format": "nitf", "doc_id": "afp-001",
        "agency": "Agence France-Presse", "byline": "By Jeanne Durand, AFP correspondent",
        "dateline": "CAYENNE, March 25", "published": "20240325T180000+0100", "version": "2",
        "subheadline": "Macron says the group behind the Moscow attack tried to strike France",
        "headline": HEADLINE,
    }
    for furniture in ("Jeanne Durand", "CAYENNE", "Photo", "jd/gm/ib", "web title", "subheadline"):
        assert furniture not in a.text
    assert a.text.startswith(HEADLINE + "\n\nThe branch of the Islamic State")


def test_newsml_item_metadata_with_namespaces():
    a = read_article(FIXTURES / "000_afp.newsml.xml")
    assert a.id == "urn:newsml:afp.com:20240325:000"
    assert a.language == "en"  # contentMeta/language tag="en-GB"
    assert a.title is None
    assert a.metadata["version"] == "3" and a.metadata["agency"] == "AFP"
    assert a.metadata["byline"] == "Jeanne Durand" and a.metadata["dateline"] == "CAYENNE, March 25"
    assert a.published == "2024-03-25T18:05:00+01:00"
    assert "not story text" not in a.text and "Jeanne" not in a.text


def test_newsml_message_reads_as_several_articles_and_skips_pictures():
    items = read_articles([FIXTURES / "message.newsml.xml"])
    assert [a.id for a in items] == ["urn:newsml:example.com:000", "urn:newsml:example.com:001"]
    assert items[1].title == HEADLINE  # the main headline, not the role="hld:sub" one
    assert "subheadline" not in items[1].text
    assert items[0].metadata["byline"] == "Desk Writer" and items[1].metadata["dateline"] == "CAYENNE"
    assert {a.metadata["format"] for a in items} == {"newsml-g2"}


def test_newsml_item_without_namespace_and_nitf_with_one(tmp_path):
    item = tmp_path / "item.xml"
    item.write_text(
        '<newsItem guid="g-1" version="4"><contentMeta><headline>Floods hit valley</headline>'
        '<language tag="fr"/></contentMeta><contentSet><inlineData>Heavy rain fell.\nRivers rose.'
        '</inlineData></contentSet></newsItem>', encoding="utf-8")
    a = read_article(item)
    assert (a.id, a.title, a.language, a.text) == ("g-1", "Floods hit valley", "fr",
                                                    "Floods hit valley\n\nHeavy rain fell.\nRivers rose.")
    nitf = tmp_path / "n.xml"
    nitf.write_text('<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content>'
                    '<p><dateline>PARIS</dateline> - Heavy rain fell.</p><p>Rivers<br/>rose.</p>'
                    '</body.content></body></nitf>', encoding="utf-8")
    b = read_article(nitf)
    assert (b.id, b.title, b.text) == ("n", None, "Heavy rain fell.\nRivers\nrose.")
    assert b.metadata["dateline"] == "PARIS"


def test_html_page_drops_furniture():
    a = read_article(FIXTURES / "001_example.html")
    assert (a.id, a.title, a.language) == ("001_example", HEADLINE, "en")
    assert a.metadata["agency"] == "Example News" and a.metadata["byline"] == "By Jeanne Durand"
    for furniture in ("Share on Facebook", "Tweet", "Reader:", "Advertisement", "dataLayer", "font-family",
                      "comment is not", "©", "Politics", "Home", "Related", "Photo", "25 March 2024"):
        assert furniture not in a.text, furniture


def test_html_headline_falls_back_to_og_title(tmp_path):
    page = tmp_path / "p.htm"
    page.write_text('<meta property="og:title" content="Floods hit valley"><p>Heavy rain fell on Tuesday.</p>'
                    '<p>Rivers rose.', encoding="utf-8")
    a = read_article(page)
    assert (a.title, a.text) == ("Floods hit valley", "Floods hit valley\n\nHeavy rain fell on Tuesday.\nRivers rose.")


# ---------------------------------------------------------------- format from content


def test_format_is_found_from_content_not_the_name(tmp_path):
    for fixture, name in (("001_afp.nitf.xml", "wire.txt"), ("001_example.html", "page.json")):
        shutil.copy(FIXTURES / fixture, tmp_path / name)
        assert read_article(tmp_path / name).title == HEADLINE
    assert sniff("<b>bold</b> claims", ".txt") is None  # text that opens with a tag stays text
    assert sniff("<div>x</div>", ".html") == "html"
    assert root_name('<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE x [<!ENTITY a "b">]>\n<g2:newsItem/>') == "newsItem"


# ---------------------------------------------------------------- hostile and broken XML

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE nitf [\n <!ENTITY lol "lol">\n'
          + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                    for i in range(1, 10))
          + ']>\n<nitf><body><body.content><p>&lol9;</p></body.content></body></nitf>\n')
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE nitf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<nitf><body><body.content><p>&xxe;</p></body.content></body></nitf>\n')
PARAMETER = ('<?xml version="1.0"?>\n<!DOCTYPE newsItem [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> '
             '%remote;]>\n<newsItem/>\n')


@pytest.mark.parametrize("content, message", [
    (LAUGHS, "bomb.xml: XML declares entity 'lol', which drift never expands (billion-laughs or external-entity "
             "risk); remove the entity declarations from the DOCTYPE"),
    (XXE, "bomb.xml: XML declares entity 'xxe' pointing to 'file:///etc/passwd', which drift never expands "
          "(billion-laughs or external-entity risk); remove the entity declarations from the DOCTYPE"),
    (PARAMETER, "bomb.xml: XML declares entity 'remote' pointing to 'http://127.0.0.1:9/x.dtd', which drift never "
                "expands (billion-laughs or external-entity risk); remove the entity declarations from the DOCTYPE"),
    ("<nitf><body><p>Text</body></nitf>", "bomb.xml: not well-formed XML (line 1, column 21: mismatched tag); "
                                          "fix the XML or give the story as plain text"),
    ("<?xml version='1.0'?><rss><item/></rss>", "bomb.xml: XML root <rss> is neither NITF <nitf> nor NewsML-G2 "
                                                "<newsItem>/<newsMessage>; give a NITF or NewsML-G2 file"),
    ('<newsItem guid="p-1"><contentSet><remoteContent href="x.jpg"/></contentSet></newsItem>',
     "bomb.xml: newsItem p-1 has no inlineXML or inlineData (remote content is never fetched); "
     "give the story text inline"),
    ("<nitf><head><title>Only a title</title></head></nitf>",
     "bomb.xml: no story paragraphs found; give the body text (NITF body.content, or NewsML-G2 inlineXML/inlineData)"),
], ids=["billion-laughs", "external-entity", "parameter-entity", "malformed", "unknown-root", "remote-only",
        "no-body"])
def test_hostile_and_broken_xml_give_one_line(tmp_path, monkeypatch, content, message):
    monkeypatch.chdir(tmp_path)
    Path("bomb.xml").write_text(content, encoding="utf-8")
    assert error(read_article, "bomb.xml") == message


def test_doctype_naming_a_dtd_is_read_without_loading_it(tmp_path):
    # the fixture names nitf-3-6.dtd, which does not exist: it must not be looked for
    assert 'SYSTEM "nitf-3-6.dtd"' in (FIXTURES / "001_afp.nitf.xml").read_text(encoding="utf-8")
    assert read_article(FIXTURES / "001_afp.nitf.xml").title == HEADLINE


# ---------------------------------------------------------------- mixed inputs, one bad file


def test_mixed_inputs_skip_the_bad_file(tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_text("<nitf><body>", encoding="utf-8")
    problems: list[InputError] = []
    paths = [SEED_000, FIXTURES / "001_afp.nitf.xml", bad, FIXTURES / "message.newsml.xml",
             FIXTURES / "001_example.html"]
    articles = read_versions(paths, warn=problems.append)
    assert [a.id for a in articles] == [SEED_000.stem, "afp-001", "urn:newsml:example.com:000",
                                        "urn:newsml:example.com:001", "001_example"]
    assert [str(p) for p in problems] == [
        f"{bad}: not well-formed XML (line 1, column 12: no element found); "
        "fix the XML or give the story as plain text"]
    with pytest.raises(InputError):  # without on_error the first bad file stops the read
        read_articles(paths)


def test_fewer_than_two_readable_versions_raise_the_first_problem(tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_text("<nitf><body>", encoding="utf-8")
    warned: list[InputError] = []
    message = error(read_versions, [bad, SEED_000, tmp_path / "missing.txt"], warn=warned.append)
    assert message.startswith(f"{bad}: not well-formed XML")
    assert warned == []


def test_report_articles_carry_metadata():
    a = read_article(FIXTURES / "001_afp.nitf.xml")
    prepare_article(a)
    d = a.to_dict()
    assert d["metadata"]["byline"] == "By Jeanne Durand, AFP correspondent"
    assert d["metadata"]["published"] == "20240325T180000+0100"
