"""Reading articles in every supported form, and the errors for unreadable input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from drift.article import Article
from drift.errors import ArgumentError, ConfigError, DriftError, InputError
from drift.read.files import read_article, read_articles, read_versions
from drift.read.titles import article_from_text, detect_title
from drift.text.prepare import prepare_article

SEED_DIR = Path(__file__).parent.parent / "examples" / "seeds"
SEEDS = sorted(SEED_DIR.glob("*.txt"))
BODY = "President Macron spoke on Monday. He said IS was behind the attack."


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def error(fn, *args, **kwargs) -> str:
    with pytest.raises(InputError) as e:
        fn(*args, **kwargs)
    assert isinstance(e.value, DriftError)
    msg = str(e.value)
    assert "\n" not in msg
    return msg


# ---------------------------------------------------------------- formats


def test_txt_text_kept_exactly(tmp_path: Path) -> None:
    raw = "Headline here\n\n  " + BODY + "  \r\n"
    a = read_article(write(tmp_path / "a.txt", raw))
    assert a.text == raw
    assert (a.id, a.source, a.language) == ("a", str(tmp_path / "a.txt"), "und")
    assert a.title == "Headline here" and a.title_end == len("Headline here")


def test_markdown_heading_title(tmp_path: Path) -> None:
    raw = "# Macron blames IS.\n\n" + BODY
    a = read_article(write(tmp_path / "story.md", raw))
    assert a.text == raw
    assert a.title == "Macron blames IS." and a.title_end == raw.index("\n")


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    a = read_article(write(tmp_path / "bom.txt", "\ufeff".encode() + BODY.encode()))
    assert a.text == BODY


def test_explicit_encoding(tmp_path: Path) -> None:
    a = read_article(write(tmp_path / "l1.txt", "Le président a parlé à l'Élysée.".encode("latin-1")),
                     encoding="latin-1")
    assert a.text == "Le président a parlé à l'Élysée."


def test_invalid_utf8_message(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", b"Hello world" + b"\xff" + b" more text")
    assert error(read_article, path) == (
        f"{path}: not valid UTF-8 (byte 0xff at offset 11); pass encoding= (e.g. encoding='latin-1')")


def test_invalid_bytes_for_a_given_encoding(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", b"abc \x81 def")
    assert error(read_article, path, encoding="cp1252") == (
        f"{path}: not valid cp1252 (byte 0x81 at offset 4); pass another encoding=")


def test_unknown_encoding_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown encoding"):
        read_article(write(tmp_path / "a.txt", BODY), encoding="no-such-codec")


@pytest.mark.parametrize("codec", ["rot13", "base64", "hex", "zlib", "undefined"])
def test_a_codec_that_is_no_text_encoding_is_a_config_error(tmp_path: Path, codec: str) -> None:
    path = write(tmp_path / "a.txt", BODY)
    for read in (read_article, read_articles, lambda p, encoding: read_versions([p, p], encoding=encoding)):
        with pytest.raises(ConfigError) as e:
            read(path, encoding=codec)
        assert str(e.value) == (f"encoding={codec!r}: not a text encoding (it does not turn bytes into text); "
                                "give a Python codec name such as utf-8 or latin-1")


def test_an_encoding_that_is_no_string_is_an_argument_error(tmp_path: Path) -> None:
    with pytest.raises(ArgumentError, match=r"read_articles: encoding must be a codec name .* not int"):
        read_articles(write(tmp_path / "a.txt", BODY), encoding=5)  # type: ignore[arg-type]


def test_an_xml_declaration_naming_a_non_text_codec_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xml", '<?xml version="1.0" encoding="rot13"?><nitf/>')
    assert error(read_article, path) == (f"{path}: the XML declaration names encoding 'rot13', which is no text "
                                         "encoding Python knows; pass encoding= with the file's real encoding")


def test_utf16_with_encoding_is_not_binary(tmp_path: Path) -> None:
    a = read_article(write(tmp_path / "w.txt", BODY.encode("utf-16")), encoding="utf-16")
    assert a.text == BODY


def test_utf16_bom_is_detected_without_encoding(tmp_path: Path) -> None:
    a = read_article(write(tmp_path / "w.txt", BODY.encode("utf-16")))
    assert a.text == BODY


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(1, 32)) * 20])
def test_binary_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "blob.bin", data)
    assert error(read_article, path) == (
        f"{path}: binary file, not text; give a .txt, .md, .json or .jsonl article")


@pytest.mark.parametrize("content", ["", "  \n\t\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "empty.txt", content)
    assert error(read_article, path) == f"{path}: no text; give a file with at least one sentence"


def test_missing_file() -> None:
    assert error(read_article, "nope/x.txt") == "nope/x.txt: no such file; check the path"
    assert error(read_articles, ["nope/x.txt"]) == "nope/x.txt: no such file; check the path"


def test_directory(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", BODY)
    write(tmp_path / "a.md", BODY)
    write(tmp_path / ".hidden.txt", BODY)
    write(tmp_path / "notes.csv", "x,y")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "c.txt", BODY)
    assert [a.id for a in read_articles([tmp_path])] == ["a", "b"]


def test_directory_with_no_articles(tmp_path: Path) -> None:
    d = tmp_path / "dir"
    d.mkdir()
    write(d / "data.csv", "x")
    assert error(read_articles, [f"{d}/"]) == (
        f"{d}/: no articles found (looked for .txt, .md, .json, .jsonl, .xml, .nitf, .html, .htm, .xhtml, .parquet); "
        "give a directory containing articles")
    assert error(read_articles, [d]).startswith(f"{d}/: no articles found")


def test_json_object(tmp_path: Path) -> None:
    rec = {"id": "afp-1", "headline": "Macron blames IS", "body": BODY, "source": "AFP",
           "language": "EN", "published": "2024-03-25", "url": "https://example.com"}
    a = read_article(write(tmp_path / "one.json", json.dumps(rec)))
    assert (a.id, a.title, a.text, a.source, a.language, a.published) == (
        "afp-1", "Macron blames IS", BODY, "AFP", "en", "2024-03-25")
    assert a.title_end is None
    assert a.metadata["url"] == "https://example.com"


def test_json_object_defaults(tmp_path: Path) -> None:
    a = read_article(write(tmp_path / "one.json", json.dumps({"text": BODY})))
    assert (a.id, a.title, a.language, a.source) == ("one", None, "und", str(tmp_path / "one.json"))


def test_json_array(tmp_path: Path) -> None:
    path = write(tmp_path / "many.json", json.dumps([{"text": BODY}, {"id": "x", "text": BODY, "title": "T"}]))
    arts = read_articles([path])
    assert [(a.id, a.title) for a in arts] == [("many:1", None), ("x", "T")]
    assert error(read_article, path) == f"{path}: holds 2 articles; use read_articles to read them all"


def test_invalid_json(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", '{"text": "x",}')
    assert error(read_article, path).startswith(f"{path}: not valid JSON (line 1, column 14")


def test_json_lines_in_a_json_file_is_told_to_be_named_jsonl(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.json", '{"text": "One."}\n{"text": "Two."}\n')
    assert error(read_article, path) == (f"{path}: not valid JSON (line 2, column 1: Extra data); a JSON value a line "
                                         "is JSON Lines: rename the file to .jsonl")
    assert error(read_article, write(tmp_path / "bad.json", '{"text": "x",}')).endswith(
        "; fix the JSON or rename the file to .txt")


def test_json_without_text(tmp_path: Path) -> None:
    path = write(tmp_path / "notext.json", '[{"text": "ok"}, {"title": "x"}]')
    assert error(read_articles, [path]) == (
        f'{path}: item 2 has no "text" or "body" string; add the article text')


def test_jsonl(tmp_path: Path) -> None:
    lines = json.dumps({"text": BODY}) + "\n\n" + json.dumps({"id": "b", "body": BODY}) + "\n"
    path = write(tmp_path / "feed.jsonl", lines)
    assert [a.id for a in read_articles([path])] == ["feed:1", "b"]


def test_jsonl_bad_line(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", json.dumps({"text": BODY}) + "\n\n{oops\n")
    msg = error(read_articles, [path])
    assert msg.startswith(f"{path}: line 3 is not valid JSON (")
    assert msg.endswith("); fix or remove that line")


def test_a_jsonl_line_without_an_id_is_named_by_its_place_among_the_non_blank_lines(tmp_path: Path) -> None:
    # a bad line keeps its number, so fixing it renames no other article (and Ray units number alike)
    lines = [json.dumps({"text": BODY}), "", "{oops", json.dumps({"id": "b", "text": BODY}), json.dumps({"text": BODY})]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    problems: list[str] = []
    assert [a.id for a in read_articles([path], on_error=lambda e: problems.append(str(e)))] == [
        "feed:1", "b", "feed:4"]
    assert len(problems) == 1 and problems[0].startswith(f"{path}: line 3 is not valid JSON")


def test_a_jsonl_text_holding_unicode_line_separators_is_one_record(tmp_path: Path) -> None:
    # U+2028, U+2029 and U+0085 may stand unescaped in a JSON string (json.dumps(ensure_ascii=False) writes them);
    # str.splitlines() cut such a record in two invalid lines. A line of other Unicode spaces is a (bad) record,
    # numbered as the Ray driver numbers lines: by their "\n" bytes, blank when ASCII whitespace only.
    texts = [f"{BODY}\u2028Second paragraph.", f"{BODY}\u2029Third.", f"{BODY}\x85Fourth."]
    lines = [json.dumps({"text": t}, ensure_ascii=False) for t in texts] + ["\u00a0", json.dumps({"text": BODY})]
    path = write(tmp_path / "feed.jsonl", "\r\n".join(lines) + "\r\n")
    problems: list[str] = []
    found = read_articles([path], on_error=lambda e: problems.append(str(e)))
    assert [(a.id, a.text) for a in found] == [("feed:1", texts[0]), ("feed:2", texts[1]), ("feed:3", texts[2]),
                                               ("feed:5", BODY)]
    assert len(problems) == 1 and problems[0].startswith(f"{path}: line 4 is not valid JSON")


def test_stdin_text() -> None:
    [a] = read_articles(["-"], stdin_text="Short headline\n\n" + BODY)
    assert (a.id, a.source, a.title) == ("stdin", "<stdin>", "Short headline")


def test_stdin_reads_sys_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(BODY))
    [a] = read_articles(["-"])
    assert a.text == BODY and a.id == "stdin"


def test_stdin_bytes_are_decoded_like_files(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    class FakeStdin:
        buffer = io.BytesIO(b"caf\xe9 ok")

    monkeypatch.setattr("sys.stdin", FakeStdin())
    assert error(read_articles, ["-"]) == (
        "<stdin>: not valid UTF-8 (byte 0xe9 at offset 3); pass encoding= (e.g. encoding='latin-1')")
    FakeStdin.buffer = io.BytesIO("Le café est ouvert.".encode("latin-1"))
    [a] = read_articles(["-"], encoding="latin-1")
    assert a.text == "Le café est ouvert."


def test_empty_stdin() -> None:
    assert error(read_articles, ["-"], stdin_text=" \n") == "<stdin>: no text; give a file with at least one sentence"


def test_stdin_given_twice_is_an_error_not_an_empty_second_version() -> None:
    # stdin is spent once read: the second "-" used to be "<stdin>: no text", a story that was there.
    problems: list[InputError] = []
    [a] = read_articles(["-", "-"], stdin_text=BODY, on_error=problems.append)
    assert a.text == BODY
    assert [str(p) for p in problems] == ["-: standard input given twice; it can be read only once: give - once"]
    assert error(read_articles, ["-", "-"], stdin_text=BODY) == str(problems[0])


def test_a_file_given_twice_is_one_version_to_compare(tmp_path: Path) -> None:
    # Compared with itself, a version adds pairs with no drift and a twin to every ranking: read once, said once.
    a = write(tmp_path / "a.txt", BODY)
    write(tmp_path / "b.txt", BODY.replace("Monday", "Sunday"))
    warned: list[InputError] = []
    found = read_versions([a, tmp_path, f"{tmp_path}/./b.txt", a], warn=warned.append)  # a directory and its files
    assert [v.id for v in found] == ["a", "b"]
    assert [str(w) for w in warned] == [f"{a}: given twice; give each version once",
                                        f"{tmp_path}/./b.txt: given twice (also as {tmp_path / 'b.txt'}); "
                                        "give each version once",
                                        f"{a}: given twice; give each version once"]
    assert error(read_versions, [a, a]) == f"{a}: given twice; give each version once"
    assert [v.id for v in read_articles([a, a])] == ["a", "a-2"]  # read_articles reads what it is given


def test_duplicate_ids_get_suffixes(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    a = write(tmp_path / "story.txt", BODY)
    b = write(tmp_path / "x" / "story.txt", BODY)
    c = write(tmp_path / "story.json", json.dumps({"text": BODY}))
    assert [a.id for a in read_articles([a, b, c])] == ["story", "story-2", "story-3"]


def test_article_from_text() -> None:
    a = article_from_text(BODY, id="mine", title="Given", language="fr")
    assert isinstance(a, Article)
    assert (a.title, a.title_end, a.language, a.text) == ("Given", None, "fr", BODY)
    b = article_from_text("Short headline\n" + BODY, id="b")
    assert b.title == "Short headline" and b.title_end == len("Short headline")
    assert error(article_from_text, "  ", id="e") == "e: no text; give a text with at least one sentence"


# ---------------------------------------------------------------- titles


@pytest.mark.parametrize(("text", "title"), [
    ("Macron blames IS\n" + BODY, "Macron blames IS"),
    ("Macron: ‘We will see’\n\n" + BODY, "Macron: ‘We will see’"),
    ("Macron blames IS.\n" + BODY, None),
    ("Macron blames IS.\n\n" + BODY, "Macron blames IS."),  # a full-stop headline set off by a blank line
    ("Macron blames IS. Russia denies it.\n\n" + BODY, None),  # two sentences: body text
    (" ".join(["word"] * 20) + ".\n\n" + BODY, None),  # too long for a full-stop headline
    ("He said: “We will see.”\n" + BODY, None),
    ("Macron blames IS", None),
    ("By Jane Doe\n\n" + BODY, None),
    ("He said:\n" + BODY, None),
    (" ".join(["word"] * 20) + "\n" + BODY, None),
    (" ".join(["word"] * 20) + "\n\n" + BODY, " ".join(["word"] * 20)),
    ("PARIS\n\n" + BODY, None),  # a dateline on a line of its own
    ("NEW YORK, March 25\n" + BODY, None),
    ("Updated\n\n" + BODY, None),
    ("NATO summit opens\n\n" + BODY, "NATO summit opens"),
])
def test_detect_title(text: str, title: str | None) -> None:
    assert detect_title(text)[0] == title


def test_seed_titles() -> None:
    titles = {p.name[:3]: read_article(p).title for p in SEEDS}
    assert titles == {
        "000": None,
        "001": "Macron: ISIS tried to carry out attacks in France",
        "002": "Macron says IS behind Russia attack, also targeted France",
        "003": None,
        "004": None,
    }


# ---------------------------------------------------------------- preparation


def test_prepare_seeds_offsets_titles_and_languages() -> None:
    arts = read_articles([SEED_DIR])
    assert [a.id[:3] for a in arts] == ["000", "001", "002", "003", "004"]
    for a in arts:
        assert prepare_article(a) is a
        assert a.language == "en"
        assert a.sentences and [s.index for s in a.sentences] == list(range(len(a.sentences)))
        for s in a.sentences:
            assert a.text[s.start:s.end] == s.text
            assert s.language == "en"
        assert [s.title for s in a.sentences].count(True) == (1 if a.title else 0)
        if a.title:
            assert a.sentences[0].title and a.sentences[0].text == a.title
    by_id = {a.id[:3]: a for a in arts}
    assert by_id["001"].sentences[-1].text == "/BGNES" and by_id["001"].sentences[-1].boilerplate
    assert sum(s.boilerplate for s in by_id["002"].sentences) == 5


def test_prepare_keeps_a_given_language() -> None:
    a = prepare_article(article_from_text(BODY, id="x", language="de"))
    assert a.language == "de"
    # The sentences do not look German, so they are detected on their own.
    assert [s.language for s in a.sentences] == ["en", "en"]


def test_prepare_detects_french() -> None:
    text = ("Le président Emmanuel Macron a affirmé lundi que la branche de l'État islamique "
            "avait mené plusieurs tentatives en France. Il a relevé le plan Vigipirate.")
    assert prepare_article(article_from_text(text, id="fr")).language == "fr"


def test_prepare_without_story_sentences() -> None:
    a = article_from_text("No Comments\n(AFP)\n", id="x", source="furniture.txt")
    msg = error(prepare_article, a)
    assert msg.startswith("furniture.txt: no sentences found; ")


# ---------------------------------------------------------------- Parquet


def write_parquet(path: Path, rows: list[dict]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def test_parquet_rows_read_like_json_records(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "archive.parquet", [
        {"id": "afp-1", "text": BODY, "headline": "Macron on IS", "language": "en", "desk": "paris"},
        {"id": None, "text": BODY + " More.", "headline": None, "language": None, "desk": "rome"},
    ])
    first, second = read_articles([tmp_path])  # a directory contributes its Parquet files too
    assert (first.id, first.title, first.language, first.text) == ("afp-1", "Macron on IS", "en", BODY)
    assert first.metadata == {"desk": "paris", "path": str(path)} and first.source == str(path)
    assert second.id == "archive:2" and second.title is None and second.metadata["desk"] == "rome"


def test_parquet_without_a_text_column_or_not_parquet_is_one_error(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "ids.parquet", [{"id": "a", "summary": "x"}])
    assert error(read_articles, [path]) == (f"{path}: no \"text\" or \"body\" column (columns: id, summary); "
                                            "give one article a row with its text in a \"text\" column")
    fake = write(tmp_path / "fake.parquet", "id,text\n1,hello\n")
    assert error(read_articles, [fake]).startswith(f"{fake}: cannot read as Parquet (")
    empty_text = write_parquet(tmp_path / "blank.parquet", [{"id": "a", "text": "  "}])
    assert error(read_articles, [empty_text]) == f"{empty_text}: row 1 has no text; give it at least one sentence"


def test_parquet_columns_of_no_json_type_become_json_or_go_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Metadata is written as JSON (reports, the index): timestamps, decimals, NaN and bytes are made fit for it."""
    import datetime
    import decimal

    path = write_parquet(tmp_path / "typed.parquet", [
        {"id": "a", "text": BODY, "published": datetime.datetime(2024, 3, 25, 9, 30), "day": datetime.date(2024, 3, 25),
         "amount": decimal.Decimal("1.5"), "score": float("nan"), "big": float("inf"), "blob": b"\x00\xff",
         "nested": {"at": datetime.datetime(2024, 1, 1), "raw": b"\x01"}},
        {"id": "b", "text": BODY, "published": None, "day": None, "amount": decimal.Decimal("2.0"), "score": 0.5,
         "big": float("-inf"), "blob": b"\x02", "nested": None},
    ])
    with caplog.at_level("WARNING", logger="drift"):
        first, second = read_articles([path])
    assert first.published == "2024-03-25T09:30:00"
    assert first.metadata == {"day": "2024-03-25", "amount": 1.5, "score": None, "big": None,
                              "nested": {"at": "2024-01-01T00:00:00"}, "path": str(path)}
    assert second.metadata == {"day": None, "amount": 2.0, "score": 0.5, "big": None, "nested": None,
                               "path": str(path)}
    json.dumps([first.to_dict(), second.to_dict()], allow_nan=False)  # what --format json writes
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: column {name!r} holds bytes, which metadata cannot show; dropped from metadata "
        "(store it as a string column to keep it)" for name in ("blob", "nested")]  # once a column, not a row


SURROGATE_FIX = "it is half a UTF-16 pair, no character: fix the producer or re-encode"


@pytest.mark.parametrize("field, value", [
    ("id", "s\ud800"), ("text", BODY + " \ud83d"), ("title", "T\udc00"), ("source", "\udc00AFP"),
    ("extra", {"nested": ["ok", "\udfff"]}), ("k\udc00", 1),
])
def test_a_record_with_an_unpaired_surrogate_escape_is_a_bad_record(tmp_path: Path, field: str, value: object) -> None:
    """json.loads turns "\\ud800" into a lone surrogate, no character: the record is refused, naming the field."""
    record = {"id": "bad", "text": BODY, field: value}
    good = json.dumps({"id": "good", "text": BODY})
    path = write(tmp_path / "feed.jsonl", good + "\n" + json.dumps(record) + "\n")
    problems: list[str] = []
    assert [a.id for a in read_articles([path], on_error=lambda e: problems.append(str(e)))] == ["good"]
    shown_field = field.encode("utf-8", "backslashreplace").decode()
    bad = _escape_of(json.dumps(field if field.startswith("k") else value))
    assert problems == [f"{path}: line 2: field \"{shown_field}\" has an unpaired surrogate escape {bad}; "
                        f"{SURROGATE_FIX}"]
    single = write(tmp_path / "one.json", json.dumps(record))
    assert error(read_article, single).startswith(f"{single}: the object: field ")


def _escape_of(dumped: str) -> str:
    """The first \\udXXX escape json.dumps wrote."""
    at = dumped.index("\\ud")
    return dumped[at:at + 6]


def test_text_given_with_an_unpaired_surrogate_is_an_input_error() -> None:
    with pytest.raises(InputError) as e:
        article_from_text("Rain \ud800 fell.", id="a")
    assert str(e.value) == ("a: field \"text\" has an unpaired surrogate \\ud800; it is half a UTF-16 pair, "
                            "no character: give whole characters (fix the producer or re-encode)")
    with pytest.raises(InputError, match="field \"text\" has an unpaired surrogate"):
        prepare_article(Article(id="b", text="Rain \udc00 fell. It was cold."))  # built by hand, past the readers


def test_a_file_name_that_is_not_utf8_still_reads(tmp_path: Path) -> None:
    """A non-UTF-8 file name decodes with surrogate escapes: it names the article, its words are whole."""
    path = tmp_path / "b\udcff.txt"
    try:
        write(path, BODY)
    except (OSError, UnicodeEncodeError):  # pragma: no cover - a file system that refuses the name
        pytest.skip("file system refuses a non-UTF-8 name")
    [a] = read_articles([path])
    assert a.id == "b\udcff" and prepare_article(a).sentences


def test_an_article_built_with_a_field_of_another_type_is_one_input_error():
    """A hand-built ``Article(id=5, ...)`` ended in an AttributeError from the text stage."""
    with pytest.raises(InputError, match=r"Article '5': field 'id' is int \(5\), not str; give it as str"):
        prepare_article(Article(id=5, text="The minister resigned on Monday."))  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"field 'title' is bytes \(b'Head'\), not str or None"):
        prepare_article(Article(id="a", text="The minister resigned.", title=b"Head"))  # type: ignore[arg-type]
    assert prepare_article(Article(id="a", text="The minister resigned on Monday.")).sentences
