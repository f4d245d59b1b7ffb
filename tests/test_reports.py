"""The report: the drift.report/1 JSON contract, its schema, offsets and the text view."""
from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from drift.errors import ConfigError, DriftError
from drift.report.report import SCHEMA, Report

TOP_KEYS = {"schema", "signature", "summary", "articles", "pairs", "unmatched"}
ARTICLE_KEYS = {"id", "source", "language", "title", "text", "sentences", "metadata"}
SENTENCE_KEYS = {"index", "start", "end", "text", "boilerplate"}
PAIR_KEYS = {"a", "b", "similarity", "drift", "severity", "relation", "kinds", "spans", "explanation"}
SPAN_KEYS = {"article", "start", "end", "text", "kind", "score"}
UNMATCHED_KEYS = {"article", "sentence", "missing_in", "kind"}


@pytest.fixture(scope="module")
def validator(report_schema) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(report_schema)


@pytest.fixture(scope="module")
def seed_dict(seed_report) -> dict:
    return seed_report.to_dict()


def errors(validator, doc) -> list[str]:
    return [e.message for e in validator.iter_errors(doc)]


# ---------------------------------------------------------------- the schema itself


def test_schema_is_valid_draft_2020_12(report_schema):
    schema = report_schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"] == {"const": SCHEMA}


def test_seed_report_validates(validator, seed_dict):
    assert errors(validator, seed_dict) == []
    # the seed story really exercises the contract
    assert len(seed_dict["articles"]) == 5
    assert seed_dict["pairs"] and seed_dict["unmatched"]
    assert any(p["spans"] for p in seed_dict["pairs"])


def test_to_dict_has_exactly_the_contract_keys(seed_dict):
    assert set(seed_dict) == TOP_KEYS
    assert seed_dict["schema"] == "drift.report/1"
    for a in seed_dict["articles"]:
        assert set(a) == ARTICLE_KEYS
        assert all(set(s) == SENTENCE_KEYS for s in a["sentences"])
    for p in seed_dict["pairs"]:
        assert set(p) == PAIR_KEYS
        assert set(p["a"]) == set(p["b"]) == {"article", "sentences"}
        assert all(set(s) == SPAN_KEYS for s in p["spans"])
    assert all(set(u) in (UNMATCHED_KEYS, UNMATCHED_KEYS | {"heading"}) for u in seed_dict["unmatched"])


def test_only_a_subheading_is_marked_as_one(seed_dict):
    """000's mid-story line "“Increased cooperation”" is a section title; no story sentence or headline is."""
    texts = {a["id"]: a["sentences"] for a in seed_dict["articles"]}
    marked = [texts[u["article"]][u["sentence"]]["text"] for u in seed_dict["unmatched"] if u.get("heading")]
    assert marked == ["“Increased cooperation”"]
    assert all(u["heading"] is True for u in seed_dict["unmatched"] if "heading" in u)


def test_signature_says_how_to_reproduce(seed_report):
    import drift

    sig = seed_report.signature.to_dict()
    assert sig["drift"] == drift.__version__
    assert sig["model"] == "all-MiniLM-L6-v2"
    for key in ("splitter", "index", "thresholds"):
        assert sig[key]
    assert set(sig["thresholds"]) == {"alignment", "scoring"}


def test_summary_is_optional_and_agrees_with_the_pairs(validator, seed_dict):
    old = {k: v for k, v in seed_dict.items() if k != "summary"}  # a report written before the summary
    assert errors(validator, old) == []
    summary = seed_dict["summary"]
    assert summary["major"] == sum(p["severity"] == "major" for p in seed_dict["pairs"])
    assert len(summary["pairs"]) == len(seed_dict["signature"]["version_pairs"])
    strays = [v["stray"] for v in summary["versions"]]
    assert [v["rank"] for v in summary["versions"]] == [1, 2, 3, 4, 5] and strays == sorted(strays, reverse=True)
    assert sorted(v["id"] for v in summary["versions"]) == sorted(a["id"] for a in seed_dict["articles"])


def test_relation_is_optional_and_one_of_two(validator, seed_dict):
    """``pairs[].relation`` joined drift.report/1 as an optional key (issue 12): old reports still validate."""
    assert {p["relation"] for p in seed_dict["pairs"]} == {"counterpart", "overlap"}
    old = copy.deepcopy(seed_dict)
    for p in old["pairs"]:
        del p["relation"]
    assert errors(validator, old) == []
    old["pairs"][0]["relation"] = "neighbour"
    assert len(errors(validator, old)) == 1


@pytest.mark.parametrize(
    "where",
    ["top", "signature-ok", "article", "sentence", "pair", "side", "span", "unmatched", "summary", "standing"],
)
def test_schema_is_strict_outside_signature(validator, seed_dict, where):
    doc = copy.deepcopy(seed_dict)
    pair_with_span = next(p for p in doc["pairs"] if p["spans"])
    target = {
        "top": doc,
        "signature-ok": doc["signature"],
        "article": doc["articles"][0],
        "sentence": doc["articles"][0]["sentences"][0],
        "pair": doc["pairs"][0],
        "side": doc["pairs"][0]["a"],
        "span": pair_with_span["spans"][0],
        "unmatched": doc["unmatched"][0],
        "summary": doc["summary"],
        "standing": doc["summary"]["versions"][0],
    }[where]
    target["surprise"] = 1
    found = errors(validator, doc)
    if where == "signature-ok":
        assert found == []  # signature may grow new keys
    else:
        assert len(found) == 1 and "surprise" in found[0]


@pytest.mark.parametrize("key", ["drift", "model", "splitter", "thresholds", "index"])
def test_schema_requires_signature_keys(validator, seed_dict, key):
    doc = copy.deepcopy(seed_dict)
    del doc["signature"][key]
    assert errors(validator, doc) == [f"{key!r} is a required property"]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.__setitem__("schema", "drift.report/2"),
        lambda d: d["pairs"][0].__setitem__("severity", "critical"),
        lambda d: d["unmatched"][0].__setitem__("kind", "moved"),
        lambda d: d["articles"][0].__setitem__("title", 3),
        lambda d: d["articles"][0]["sentences"][0].__setitem__("start", "0"),
        lambda d: d["pairs"][0]["a"].__setitem__("sentences", []),
        lambda d: d["pairs"][0].pop("explanation"),
    ],
    ids=["schema-version", "severity", "unmatched-kind", "title-type", "offset-type", "empty-side", "missing-key"],
)
def test_schema_rejects_off_contract_values(validator, seed_dict, mutate):
    doc = copy.deepcopy(seed_dict)
    mutate(doc)
    assert errors(validator, doc)


def test_schema_accepts_null_title(validator, seed_dict):
    doc = copy.deepcopy(seed_dict)
    doc["articles"][0]["title"] = None
    assert errors(validator, doc) == []


# ---------------------------------------------------------------- offsets and references


def test_sentence_offsets_index_the_article_text(seed_dict):
    checked = 0
    for a in seed_dict["articles"]:
        assert [s["index"] for s in a["sentences"]] == list(range(len(a["sentences"])))
        for s in a["sentences"]:
            assert 0 <= s["start"] < s["end"] <= len(a["text"])
            assert a["text"][s["start"]:s["end"]] == s["text"]
            checked += 1
    assert checked > 50


def test_span_offsets_index_the_article_text(seed_dict):
    texts = {a["id"]: a["text"] for a in seed_dict["articles"]}
    spans = [sp for p in seed_dict["pairs"] for sp in p["spans"]]
    assert spans
    for sp in spans:
        assert 0 <= sp["start"] < sp["end"] <= len(texts[sp["article"]])
        assert texts[sp["article"]][sp["start"]:sp["end"]] == sp["text"]


def test_spans_lie_in_sentences_of_their_pair(seed_dict):
    arts = {a["id"]: a for a in seed_dict["articles"]}
    for p in seed_dict["pairs"]:
        sides = {p["a"]["article"]: p["a"]["sentences"], p["b"]["article"]: p["b"]["sentences"]}
        assert p["a"]["article"] != p["b"]["article"]
        for sp in p["spans"]:
            assert sp["article"] in sides
            sentences = [arts[sp["article"]]["sentences"][i] for i in sides[sp["article"]]]
            assert any(s["start"] <= sp["start"] and sp["end"] <= s["end"] for s in sentences), sp


def test_pairs_and_unmatched_reference_real_sentences(seed_dict):
    arts = {a["id"]: a for a in seed_dict["articles"]}
    version_pairs = {tuple(vp) for vp in seed_dict["signature"]["version_pairs"]}
    for p in seed_dict["pairs"]:
        assert (p["a"]["article"], p["b"]["article"]) in version_pairs
        for side in (p["a"], p["b"]):
            n = len(arts[side["article"]]["sentences"])
            assert all(0 <= i < n for i in side["sentences"])
            assert not any(arts[side["article"]]["sentences"][i]["boilerplate"] for i in side["sentences"])
        if p["severity"] == "none":
            assert p["spans"] == [] and p["kinds"] == []
        else:
            from drift.score.scorer import KINDS

            assert len(p["kinds"]) == len(set(p["kinds"])) and set(p["kinds"]) <= set(KINDS)
            assert set(p["kinds"]) >= {sp["kind"] for sp in p["spans"]}
    for u in seed_dict["unmatched"]:
        assert 0 <= u["sentence"] < len(arts[u["article"]]["sentences"])
        assert u["article"] not in u["missing_in"]
        assert set(u["missing_in"]) <= set(arts)


def test_aligned_sentence_is_never_unmatched_against_the_same_version(seed_dict):
    aligned = set()
    for p in seed_dict["pairs"]:
        for own, other in ((p["a"], p["b"]), (p["b"], p["a"])):
            aligned |= {(own["article"], i, other["article"]) for i in own["sentences"]}
    for u in seed_dict["unmatched"]:
        for other in u["missing_in"]:
            assert (u["article"], u["sentence"], other) not in aligned


# ---------------------------------------------------------------- formats


def test_json_round_trip(seed_report, seed_dict):
    rendered = seed_report.render("json")
    assert rendered == seed_report.to_json()
    assert json.loads(rendered) == seed_dict
    assert json.loads(seed_report.to_json(indent=None)) == seed_dict
    assert "\n" not in seed_report.to_json(indent=None)
    # non-ASCII text (curly quotes of the seeds) is kept as is, not escaped
    assert "“" in rendered and "\\u201c" not in rendered


def test_json_writes_a_library_callers_metadata_json_has_no_type_for(validator, seed_report):
    """An ingestion job's Article may carry a datetime or a set: the report writes them (ISO, a sorted list),
    it does not fail with a TypeError after the whole comparison ran."""
    import dataclasses
    import datetime

    first, second = seed_report.articles[:2]
    articles = [dataclasses.replace(first, metadata={"received": datetime.datetime(2026, 11, 30, 12, 5)}),
                dataclasses.replace(second, metadata={"day": datetime.date(2026, 11, 30), "desks": {"world", "fr"}})]
    doc = json.loads(Report(seed_report.signature, articles).to_json())
    assert doc["articles"][0]["metadata"]["received"] == "2026-11-30T12:05:00"
    assert doc["articles"][1]["metadata"] == {"day": "2026-11-30", "desks": ["fr", "world"]}
    assert errors(validator, doc) == []


def test_text_format_opens_with_a_summary_of_twenty_lines_or_fewer(seed_report):
    text = seed_report.render("text")
    lines = text.splitlines()
    assert text.endswith("\n")
    assert lines[0] == f"drift report  {seed_report.signature.line()}"
    assert "model:all-MiniLM-L6-v2" in lines[0] and "splitter:drift-news/3" in lines[0]
    assert len(seed_report.signature.version_pairs) == 10  # five versions, all pairs
    findings = next(n for n, line in enumerate(lines) if line.startswith("== findings"))
    head = lines[:findings]
    assert len(head) <= 20, "\n".join(head)
    assert head[2].startswith("== summary: 5 versions, 10 pairs compared: ")
    matrix = head[head.index("drifted pairs (major/minor):") + 2:][:5]
    assert [row.split()[0] for row in matrix] == ["v1", "v2", "v3", "v4", "v5"]
    ranking = [line for line in head if line.split()[:1] in (["1"], ["2"], ["3"], ["4"], ["5"])]
    assert sorted(line.split()[-1] for line in ranking) == sorted(a.id for a in seed_report.articles)
    assert head[-2].startswith("kinds: ")
    drifted = sum(p.severity != "none" for p in seed_report.pairs)  # flagged pairs: counterparts and overlaps
    assert lines[findings] == (f"== findings, most severe first: {drifted + len(seed_report.unmatched)} of "
                               f"{drifted + len(seed_report.unmatched)}")
    severities = [line.split()[0] for line in lines[findings + 1:] if not line.startswith("    ")]
    assert len(severities) == drifted + len(seed_report.unmatched)
    # majors first, then minors, then the overlaps (labelled as the summary counts them)
    assert severities[:drifted] == sorted(severities[:drifted], key=["major", "minor", "overlap"].index)
    overlaps = [p for p in seed_report.pairs if p.relation == "overlap" and p.severity != "none"]
    assert overlaps and severities.count("overlap") == len(overlaps)
    assert f"{len(overlaps)} overlaps (not the same statement)" in head[2]
    assert set(severities[drifted:]) <= {"omission", "addition"}  # sentences with no counterpart last
    assert seed_report.render() == text  # text is the default


def test_text_format_marks_spans(seed_report):
    drifted = seed_report.drifted("minor")
    assert drifted
    top = drifted[0]
    assert all(a.drift >= b.drift for a, b in zip(drifted, drifted[1:], strict=False))
    span = max(top.spans, key=lambda sp: sp.score)  # a long sentence is cut, never around its strongest change
    assert f"[[{span.text}]]" in seed_report.render("text")


def test_unknown_format_is_a_config_error(seed_report):
    with pytest.raises(ConfigError) as e:
        seed_report.render("xml")
    assert isinstance(e.value, DriftError)
    msg = str(e.value)
    assert "'xml'" in msg
    assert "'text'" in msg and "'json'" in msg
    assert msg == "unknown format 'xml'; choose one of 'text', 'json', 'jsonl', 'html'"


def test_drifted_filters_by_severity(seed_report):
    major = seed_report.drifted("major")
    minor_up = seed_report.drifted("minor")
    assert {p.severity for p in major} == {"major"}
    assert {p.severity for p in minor_up} == {"minor", "major"}
    assert len(seed_report.drifted("none")) == sum(p.relation != "overlap" for p in seed_report.pairs)
    assert all(p.relation == "counterpart" for p in minor_up)  # an overlap is not a drifted pair
    assert set(map(id, major)) < set(map(id, minor_up))


def test_drifted_unknown_severity_is_a_config_error(seed_report):
    with pytest.raises(ConfigError) as e:
        seed_report.drifted("critical")
    assert "'critical'" in str(e.value) and "'none', 'minor', 'major'" in str(e.value)


def test_report_of_no_pairs_validates(validator, seed_report):
    empty = Report(seed_report.signature, seed_report.articles[:2])
    doc = empty.to_dict()
    assert doc["pairs"] == [] and doc["unmatched"] == []
    assert errors(validator, doc) == []


def test_text_and_jsonl_views_say_which_line_is_a_subheading(seed_report):
    assert "; a subheading): “Increased cooperation”" in seed_report.render("text")
    records = [json.loads(line) for line in seed_report.render("jsonl").splitlines()]
    assert [r["text"] for r in records if r.get("heading")] == ["“Increased cooperation”"]


def test_html_names_an_overlap_as_the_summary_counts_it(seed_report):
    """An overlap is not a drifted pair: its badge says "overlap", never "minor" beside the real minors."""
    import re

    page = seed_report.render("html")
    overlaps = sum(p.relation == "overlap" and p.severity != "none" for p in seed_report.pairs)
    minors = sum(p.relation != "overlap" and p.severity == "minor" for p in seed_report.pairs)
    assert overlaps and minors
    assert len(re.findall(r'class="badge minor">overlap \d\.\d\d<', page)) == overlaps
    assert len(re.findall(r'class="badge minor">minor \d\.\d\d<', page)) == minors
