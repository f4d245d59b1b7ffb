"""The library API end to end: compare() on built articles, its errors, limits and the seed gold."""
from __future__ import annotations

import logging

from pipeline_helpers import ROOT, STORY, TITLE, art

from drift import Report, compare, read_articles
from drift.read.titles import article_from_text


def aligned_sentences(report: Report) -> set[tuple[str, int]]:
    out = set()
    for p in report.pairs:
        al = p.alignment
        out |= {(al.a, i) for i in al.a_sentences} | {(al.b, j) for j in al.b_sentences}
    return out


def texts(report: Report, article: str, sentences) -> str:
    a = next(x for x in report.articles if x.id == article)
    return " ".join(a.sentences[i].text for i in sentences)


# ---------------------------------------------------------------- alignment behaviour


def test_identical_versions_align_fully_without_drift(encoder):
    report = compare([art("one", STORY, TITLE), art("two", STORY, TITLE)], model=encoder)
    assert isinstance(report, Report)
    assert [a.id for a in report.articles] == ["one", "two"]
    assert report.pairs
    assert {p.severity for p in report.pairs} == {"none"}
    assert report.drifted("minor") == []
    assert all(p.spans == () and p.kinds == () for p in report.pairs)
    story = {(a.id, s.index) for a in report.articles for s in a.sentences if not s.boilerplate}
    assert len(story) == 2 * (len(STORY) + 1)  # every line is a sentence, the headline too
    assert aligned_sentences(report) == story
    for p in report.pairs:  # each sentence with its twin
        al = p.alignment
        assert al.a_sentences == al.b_sentences
        assert texts(report, "one", al.a_sentences) == texts(report, "two", al.b_sentences)
    assert report.unmatched == []
    assert report.signature.to_dict()["version_pairs"] == [["one", "two"]]
    assert report.signature.to_dict()["skipped"] == []


def test_datelines_one_version_keeps_are_no_drift(encoder):
    """Where and when a dispatch was filed is furniture: kept by one version, dropped by another, it is no
    finding, and the story sentence after it is compared alone."""
    first, rest = STORY[0], STORY[1:]
    plain = art("plain", [first, *rest], TITLE)
    tagged = art("tagged", [f"MILLBROOK, March 25 (AFP) - {first}", *rest], TITLE)
    set_apart = article_from_text("\n".join([TITLE, "", "MILLBROOK", "", first, *rest]) + "\n", id="apart")
    report = compare([plain, tagged, set_apart], model=encoder)
    assert {p.severity for p in report.pairs} == {"none"}
    assert report.unmatched == []
    for article in report.articles[1:]:
        [dateline] = [s.text for s in article.sentences if s.boilerplate]
        assert dateline in ("MILLBROOK, March 25 (AFP) -", "MILLBROOK")
        assert any(s.text == first for s in article.sentences)


def test_wire_furniture_one_version_adds_is_no_drift(encoder):
    """A wire service's version note, dateline and footers, and a page's update stamp, say nothing of the story:
    the versions that carry them agree with the one that does not, headline included."""
    first, rest = STORY[0], STORY[1:]
    reuters = ["(Corrects spelling of name in paragraph 2)", "", TITLE, "", f"MILLBROOK, March 25 (Reuters) - {first}",
               *rest, "", "Reporting by Jane Doe; Editing by John Roe", "",
               "Our Standards: The Thomson Reuters Trust Principles."]
    ap = ["Updated", TITLE, "", f"MILLBROOK (AP) — {first}", *rest, "",
          "Associated Press writer Jane Doe contributed to this report.", "Story continues below advertisement"]
    versions = [art("plain", STORY, TITLE), *(article_from_text("\n".join(lines) + "\n", id=name)
                                             for name, lines in (("reuters", reuters), ("ap", ap)))]
    report = compare(versions, model=encoder)
    assert {p.severity for p in report.pairs} == {"none"}
    assert report.unmatched == []


def test_subset_version_aligns_and_the_rest_is_unmatched(encoder):
    keep = [0, 2, 3]
    full, short = art("full", STORY), art("short", [STORY[i] for i in keep])
    report = compare([full, short], model=encoder)
    aligned = aligned_sentences(report)
    assert {("short", i) for i in range(len(keep))} <= aligned
    for p in report.pairs:
        al = p.alignment
        assert texts(report, "full", al.a_sentences) == texts(report, "short", al.b_sentences)
    extra = [i for i in range(len(STORY)) if i not in keep]
    assert [(u.article, u.sentence) for u in report.unmatched] == [("full", i) for i in extra]
    for u in report.unmatched:
        assert u.missing_in == ("short",)
        assert u.kind == "addition"  # said by no other version
    assert not any(u.article == "short" for u in report.unmatched)


def test_reordered_paragraphs_still_align(encoder):
    paragraphs = [STORY[0:2], STORY[2:4], STORY[4:6]]
    a = article_from_text("\n\n".join(" ".join(p) for p in paragraphs) + "\n", id="a")
    b = article_from_text("\n\n".join(" ".join(p) for p in reversed(paragraphs)) + "\n", id="b")
    report = compare([a, b], model=encoder)
    assert len(report.pairs) == len(STORY)
    assert report.unmatched == []
    assert {p.severity for p in report.pairs} == {"none"}
    order = []
    for p in report.pairs:
        al = p.alignment
        assert texts(report, "a", al.a_sentences) == texts(report, "b", al.b_sentences)
        order.append((al.a_sentences[0], al.b_sentences[0]))
    order.sort()
    b_order = [j for _, j in order]
    assert b_order != sorted(b_order)  # not monotone: the aligner does not assume order
    assert b_order == [4, 5, 2, 3, 0, 1]


def test_reference_mode_compares_each_version_with_the_reference(encoder):
    versions = [
        art("a", STORY[:4]),
        art("b", STORY[:5]),
        art("c", STORY[1:5] + ["Officials said the bridge over the river had been closed to traffic since Monday."]),
    ]
    report = compare(versions, reference="b", model=encoder)
    assert report.signature.reference == "b"
    assert report.signature.to_dict()["version_pairs"] == [["b", "a"], ["b", "c"]]
    assert report.pairs
    assert all(p.alignment.a == "b" and p.alignment.b != "b" for p in report.pairs)
    assert {p.alignment.b for p in report.pairs} == {"a", "c"}
    # every unmatched sentence is measured against the reference only
    for u in report.unmatched:
        if u.article == "b":
            assert u.kind == "omission" and "b" not in u.missing_in
        else:
            assert u.missing_in == ("b",) and u.kind == "addition"
    found = {(u.article, u.sentence): u for u in report.unmatched}
    assert found[("c", 4)].missing_in == ("b",)  # the bridge sentence
    assert found[("b", 4)].missing_in == ("a",)  # "Schools..." missing in a only
    assert found[("b", 0)].missing_in == ("c",)


def test_all_pairs_without_reference(encoder):
    versions = [art(x, STORY[:3]) for x in "xyz"]
    report = compare(versions, model=encoder)
    assert report.signature.reference is None
    assert report.signature.pairs == "all" and report.signature.reference_chosen is None
    assert report.signature.to_dict()["version_pairs"] == [["x", "y"], ["x", "z"], ["y", "z"]]
    assert {(p.alignment.a, p.alignment.b) for p in report.pairs} == {("x", "y"), ("x", "z"), ("y", "z")}


# ---------------------------------------------------------------- which version pairs


def story_versions(n: int) -> list:
    """n versions, each the story with one sentence left out in turn."""
    return [art(f"v{i:02d}", STORY[: i % len(STORY)] + STORY[i % len(STORY) + 1 :]) for i in range(n)]


def test_auto_compares_all_pairs_up_to_the_limit_then_each_with_the_central_version(encoder, caplog):
    from drift.align.pairing import AUTO_ALL_PAIRS

    small = compare(story_versions(AUTO_ALL_PAIRS), model=encoder)
    assert small.signature.pairs == "all"
    assert len(small.signature.to_dict()["version_pairs"]) == AUTO_ALL_PAIRS * (AUTO_ALL_PAIRS - 1) // 2

    with caplog.at_level(logging.INFO, logger="drift"):
        large = compare(story_versions(AUTO_ALL_PAIRS + 1), model=encoder)
    centre = large.signature.reference
    assert large.signature.pairs == "reference" and large.signature.reference_chosen == "central"
    assert large.signature.to_dict()["version_pairs"] == [[centre, a.id] for a in large.articles if a.id != centre]
    assert {p.alignment.a for p in large.pairs} == {centre}
    assert f"each is compared with the central version {centre}" in caplog.text
    assert f"each version compared with {centre}, the central version" in large.render("text")


def test_pairs_all_forces_every_pair_and_reference_picks_the_central_version(encoder):
    from drift.align.pairing import AUTO_ALL_PAIRS

    versions = story_versions(AUTO_ALL_PAIRS + 1)
    every = compare(versions, model=encoder, pairs="all")
    assert len(every.signature.to_dict()["version_pairs"]) == (AUTO_ALL_PAIRS + 1) * AUTO_ALL_PAIRS // 2
    few = compare(story_versions(3), model=encoder, pairs="reference")
    assert few.signature.reference_chosen == "central" and len(few.signature.to_dict()["version_pairs"]) == 2
    given = compare(versions, model=encoder, reference="v03")
    assert given.signature.reference == "v03" and given.signature.reference_chosen == "given"
    assert "central version" not in given.render("text")


def test_central_version_is_a_full_copy_not_a_trimmed_or_padded_one(encoder):
    """The pivot should hold the story: not the wire's three-paragraph trim, not an outlet's
    copy padded with its own material."""
    from drift.text.prepare import prepare_article

    seeds = [prepare_article(a) for a in read_articles(sorted((ROOT / "examples" / "seeds").glob("*.txt")))]
    body = [s.text for s in seeds[0].sentences if not s.title and not s.boilerplate]
    trimmed = article_from_text(" ".join(body[:3]), id="trimmed")
    padded = article_from_text(seeds[1].text + "\n\n" + "\n\n".join(STORY), id="padded")
    report = compare([trimmed, padded, *seeds], model=encoder, pairs="reference")
    assert report.signature.reference in {a.id for a in seeds}


def test_central_version_without_a_model():
    import numpy as np

    from drift.align.neighbours import SentenceIndex
    from drift.align.pairing import central_version

    rng = np.random.default_rng(0)
    topic = rng.normal(size=8)
    # "off" (first, so order cannot explain the choice) strays far from the topic; "near" keeps to it
    vectors = np.stack([topic + rng.normal(scale=s, size=8) for s in (3.0, 3.0, 0.1, 0.1, 0.1, 0.1)])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = SentenceIndex(vectors, {"off": (0, 2), "near": (2, 4), "also-near": (4, 6), "empty": (6, 6)})
    assert central_version(index) in {"near", "also-near"}
    assert central_version(SentenceIndex(vectors[:0], {"empty": (0, 0)})) is None
    twins = SentenceIndex(np.concatenate([vectors[2:4], vectors[2:4]]), {"first": (0, 2), "second": (2, 4)})
    assert central_version(twins) == "first"  # ties go to the earlier version
