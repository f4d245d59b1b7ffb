"""Reading articles: plain text, Markdown, JSON, JSONL, NITF, NewsML-G2, HTML, directories and stdin.

Text is kept exactly as decoded (only a UTF-8 BOM is dropped) because every sentence
offset in a report points into it. Problems are reported as one-line InputErrors that
name the file and say what to do, so the CLI can print them unchanged.
"""
from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from drift.boilerplate import is_boilerplate, mark_boilerplate
from drift.errors import ConfigError, InputError
from drift.language import UND, detect_article_language, detect_sentence_languages, normalize_language
from drift.sentences import Sentence, split_sentences

TEXT_SUFFIXES = (".txt", ".md")
JSON_SUFFIXES = (".json", ".jsonl")
MARKUP_SUFFIXES = (".xml", ".nitf", ".html", ".htm", ".xhtml")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + JSON_SUFFIXES + MARKUP_SUFFIXES
# A first line this short without closing punctuation reads as a headline.
TITLE_MAX_WORDS = 16
# ...and up to this long if a blank line separates it from the body.
TITLE_MAX_WORDS_BLANK = 30
_SNIFF = 8192
# Lines ending like this are body text (or continue onto the next line), not headlines.
_SENTENCE_END = re.compile(r"[.!?…:;,][\"”’'»)\]]*$")
_MD_HEADING = re.compile(r"#{1,6}\s+")


@dataclass
class Article:
    """One version of a story. ``text`` is kept exactly as read: every offset indexes it."""

    id: str
    text: str
    source: str = ""
    title: str | None = None
    language: str = "und"
    published: str | None = None
    metadata: dict = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    # Offset where the headline line ends in ``text``; None when the text has no headline.
    title_end: int | None = None

    def report_metadata(self) -> dict:
        """``metadata`` as reports show it: with ``published`` when the input gave one."""
        metadata = dict(self.metadata)
        if self.published:
            metadata.setdefault("published", self.published)
        return metadata

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "language": self.language,
            "title": self.title,
            "text": self.text,
            "sentences": [s.to_dict() for s in self.sentences],
            "metadata": self.report_metadata(),
        }


# ---------------------------------------------------------------- titles


def detect_title(text: str, markdown: bool = False) -> tuple[str | None, int | None]:
    """(headline, offset where its line ends) or (None, None).

    The first non-empty line is a headline if more text follows, it does not end like
    a sentence (``. ! ? … : ; ,`` optionally before a closing quote), is not furniture
    such as a byline, and is short (<= 16 words) or set off by a blank line (<= 30
    words). A Markdown ``# heading`` first line is always a headline. A headline ending
    in ``?`` is thus read as body text: a false title would hide a story sentence.
    """
    m = re.search(r"\S[^\n\r]*", text)
    if not m:
        return None, None
    line = m.group().rstrip()
    end = m.start() + len(line)
    if not text[end:].strip():
        return None, None
    heading = _MD_HEADING.match(line) if markdown else None
    if heading:
        return line[heading.end():].strip() or None, end
    if _SENTENCE_END.search(line) or is_boilerplate(line):
        return None, None
    words = len(line.split())
    blank_after = re.match(r"[ \t]*\r?\n[ \t]*\r?\n", text[end:]) is not None
    if words <= TITLE_MAX_WORDS or (blank_after and words <= TITLE_MAX_WORDS_BLANK):
        return line.strip(), end
    return None, None


def article_from_text(
    text: str,
    id: str,
    source: str = "",
    title: str | None = None,
    language: str | None = None,
    published: str | None = None,
    metadata: dict | None = None,
    detect_headline: bool = True,
    markdown: bool = False,
) -> Article:
    """Build an Article from text a caller already has.

    With ``title`` given it is stored as-is and the text is not searched for a
    headline; otherwise the first line may be taken as one (see ``detect_title``).
    """
    label = source or id
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError(f"{label}: no text; give a file with at least one sentence")
    title_end = None
    if title is None and detect_headline:
        title, title_end = detect_title(text, markdown)
    return Article(
        id=str(id), text=text, source=source, title=title,
        language=normalize_language(language), published=published,
        metadata=dict(metadata or {}), title_end=title_end,
    )


def article_from_parts(
    headline: str | None,
    paragraphs: Sequence[str],
    id: str,
    source: str = "",
    language: str | None = None,
    published: str | None = None,
    metadata: dict | None = None,
) -> Article:
    """An Article from a headline and story paragraphs that a structured format gave apart.

    The text is the headline, a blank line, then one paragraph per line, so offsets
    index it like any text file and the headline pairs only with headlines.
    """
    label = source or id
    if not paragraphs:
        raise InputError(f"{label}: no story paragraphs found; give the story text, not only metadata or a headline")
    head = f"{headline}\n\n" if headline else ""
    return Article(
        id=str(id), text=head + "\n".join(paragraphs), source=source, title=headline or None,
        language=normalize_language(language), published=published,
        metadata=dict(metadata or {}), title_end=len(headline) if headline else None,
    )


# ---------------------------------------------------------------- decoding


def _is_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not something a person wrote as text."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return name
    return None


def decode(data: bytes, label: str, encoding: str | None = None) -> str:
    """Bytes to text, or an InputError that says which --encoding to try.

    Without ``encoding``: UTF-8, or UTF-16/32 when the data starts with their BOM
    (Windows "Unicode" text), which would otherwise look binary.
    """
    enc = encoding or _bom_encoding(data) or "utf-8"
    try:
        name = codecs.lookup(enc).name
    except LookupError as e:
        raise ConfigError(
            f"--encoding {enc!r}: unknown encoding; give a Python codec name such as utf-8 or latin-1"
        ) from e
    wide = name.startswith(("utf-16", "utf-32"))
    if not wide and _is_binary(data):
        raise InputError(f"{label}: binary file, not text; give a .txt, .md, .json or .jsonl article")
    try:
        text = data.decode("utf-8-sig" if name == "utf-8" else enc)
    except UnicodeDecodeError as e:
        byte = data[e.start:e.start + 1].hex()
        if name == "utf-8":
            fix = "pass --encoding (e.g. --encoding latin-1)"
            what = "UTF-8"
        else:
            fix = "pass another --encoding"
            what = enc
        raise InputError(f"{label}: not valid {what} (byte 0x{byte} at offset {e.start}); {fix}") from e
    if wide and "\x00" in text[:_SNIFF]:
        raise InputError(f"{label}: binary file, not text; give a .txt, .md, .json or .jsonl article")
    return text.removeprefix("\ufeff")


def _read_bytes(path: Path, label: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as e:
        raise InputError(f"{label}: no such file") from e
    except IsADirectoryError as e:
        raise InputError(f"{label}: is a directory; give an article file, or pass it to read_articles") from e
    except PermissionError as e:
        raise InputError(f"{label}: permission denied; make the file readable") from e
    except OSError as e:
        raise InputError(f"{label}: cannot read ({e.strerror}); check the file") from e


# ---------------------------------------------------------------- JSON


def _from_record(rec: Any, label: str, where: str, default_id: str, path_label: str) -> Article:
    """One JSON object to an Article; ``where`` names its place for error messages."""
    if not isinstance(rec, dict):
        raise InputError(f"{label}: {where} is not a JSON object; give objects with a \"text\" field")
    body = rec.get("text", rec.get("body"))
    if not isinstance(body, str):
        raise InputError(f"{label}: {where} has no \"text\" or \"body\" string; add the article text")
    if not body.strip():
        raise InputError(f"{label}: {where} has no text; give it at least one sentence")
    title = rec.get("title", rec.get("headline"))
    known = {"id", "text", "body", "title", "headline", "source", "language", "published"}
    meta = {k: v for k, v in rec.items() if k not in known}
    meta["path"] = path_label
    published = rec.get("published")
    return article_from_text(
        body,
        id=str(rec["id"]) if rec.get("id") not in (None, "") else default_id,
        source=str(rec.get("source") or path_label),
        title=str(title) if title not in (None, "") else None,
        language=rec.get("language") if isinstance(rec.get("language"), str) else None,
        published=str(published) if published is not None else None,
        metadata=meta,
        detect_headline=False,
    )


def _parse_json(text: str, label: str, stem: str) -> list[Article]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{label}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}); "
            "fix the JSON or rename the file to .txt"
        ) from e
    if isinstance(data, list):
        if not data:
            raise InputError(f"{label}: empty JSON array; give at least one article object")
        return [_from_record(r, label, f"item {i}", f"{stem}:{i}", label) for i, r in enumerate(data, 1)]
    return [_from_record(data, label, "the object", stem, label)]


def _parse_jsonl(text: str, label: str, stem: str) -> list[Article]:
    out: list[Article] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{label}: line {lineno} is not valid JSON ({e.msg}); fix or remove that line") from e
        out.append(_from_record(rec, label, f"line {lineno}", f"{stem}:{len(out) + 1}", label))
    if not out:
        raise InputError(f"{label}: no text; give a file with at least one sentence")
    return out


# ---------------------------------------------------------------- files


def _read_file(path: Path, label: str, encoding: str | None) -> list[Article]:
    """Every article in one file (JSON arrays, JSONL and NewsML-G2 messages may hold several)."""
    text = decode(_read_bytes(path, label), label, encoding)
    if not text.strip():
        raise InputError(f"{label}: no text; give a file with at least one sentence")
    suffix = path.suffix.lower()
    from drift.formats import read_markup  # XML and HTML readers load only for such input

    marked = read_markup(text, label, path.stem, suffix)
    if marked is not None:
        return marked
    if suffix == ".json":
        return _parse_json(text, label, path.stem)
    if suffix == ".jsonl":
        return _parse_jsonl(text, label, path.stem)
    return [article_from_text(text, id=path.stem, source=label, markdown=suffix == ".md",
                              metadata={"path": label})]


def read_article(path: str | Path, encoding: str | None = None) -> Article:
    """Read one article from a .txt, .md, .json or .jsonl file (any other name: as text)."""
    label = str(path)
    articles = _read_file(Path(path), label, encoding)
    if len(articles) != 1:
        raise InputError(f"{label}: holds {len(articles)} articles; use read_articles to read them all")
    return articles[0]


def _dir_files(directory: Path, label: str) -> list[Path]:
    """Article files directly inside ``directory`` (not recursive), hidden ones skipped, sorted."""
    try:
        entries = sorted(directory.iterdir())
    except OSError as e:
        raise InputError(f"{label}: cannot list directory ({e.strerror}); check the path") from e
    files = [p for p in entries if not p.name.startswith(".") and p.is_file()
             and p.suffix.lower() in ARTICLE_SUFFIXES]
    if not files:
        shown = label if label.endswith("/") else label + "/"
        raise InputError(
            f"{shown}: no articles found (looked for {', '.join(ARTICLE_SUFFIXES)}); "
            "give a directory containing articles"
        )
    return files


def unique_ids(articles: Iterable[Article]) -> list[Article]:
    """Rename repeated ids ``x``, ``x`` -> ``x``, ``x-2`` so every version is addressable."""
    seen: set[str] = set()
    out: list[Article] = []
    for a in articles:
        new, n = a.id, 1
        while new in seen:
            n += 1
            new = f"{a.id}-{n}"
        seen.add(new)
        out.append(a if new == a.id else replace(a, id=new))
    return out


def _read_stdin(encoding: str | None) -> str:
    """stdin through the same decoding (and error messages) as files."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream, e.g. in tests
        return sys.stdin.read()
    return decode(buffer.read(), "<stdin>", encoding)


def _read_stdin_articles(encoding: str | None, stdin_text: str | None) -> list[Article]:
    from drift.formats import read_markup

    text = stdin_text if stdin_text is not None else _read_stdin(encoding)
    marked = read_markup(text, "<stdin>", "stdin", "") if text.strip() else None
    return marked if marked is not None else [article_from_text(text, id="stdin", source="<stdin>")]


def read_articles(
    paths: Sequence[str | Path],
    encoding: str | None = None,
    stdin_text: str | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> list[Article]:
    """Read files, directories (their article files, one level deep) and ``-`` (stdin).

    Order follows ``paths``; a directory contributes its files in sorted order.
    Repeated ids get ``-2``, ``-3``... suffixes. With ``on_error``, a file that cannot
    be read is handed to it as an InputError and skipped, so one bad feed file does
    not stop the others; without it, the first such error is raised.
    """
    out: list[Article] = []

    def attempt(read: Callable[[], list[Article]]) -> None:
        try:
            out.extend(read())
        except InputError as error:
            if on_error is None:
                raise
            on_error(error)

    for p in paths:
        label = str(p)
        if label == "-":
            attempt(lambda: _read_stdin_articles(encoding, stdin_text))
            continue
        path = Path(p)
        if path.is_dir():
            for f in _dir_files(path, label):
                attempt(lambda f=f: _read_file(f, str(f), encoding))
        else:
            attempt(lambda: _read_file(path, label, encoding))
    return unique_ids(out)


def read_versions(
    paths: Sequence[str | Path],
    encoding: str | None = None,
    warn: Callable[[InputError], None] = lambda error: None,
) -> list[Article]:
    """Read the versions to compare, skipping unreadable files while two or more remain.

    Each skipped file goes to ``warn``. When fewer than two versions can be read, the
    first problem is raised instead: there is nothing to compare, so it is an error.
    """
    problems: list[InputError] = []
    articles = read_articles(paths, encoding=encoding, on_error=problems.append)
    if problems and len(articles) < 2:
        raise problems[0]
    for problem in problems:
        warn(problem)
    return articles


# ---------------------------------------------------------------- preparation


def prepare_article(article: Article) -> Article:
    """Split, mark boilerplate and detect languages; fills the article in place and returns it.

    A language already set (e.g. from JSON) is kept; otherwise it is detected from the
    story sentences, which keeps captions and contact lines from skewing it.
    """
    sentences = mark_boilerplate(article.text, split_sentences(article.text, article.title_end))
    story = [s for s in sentences if not s.boilerplate]
    if not any(not s.title for s in story):
        raise InputError(
            f"{article.source or article.id}: no sentences found; give story text, not only "
            "a headline, captions or site furniture"
        )
    if article.language in ("", UND):
        article.language = detect_article_language(" ".join(s.text for s in story if not s.title))
    langs = detect_sentence_languages([s.text for s in sentences], article.language)
    article.sentences = [replace(s, language=lang) for s, lang in zip(sentences, langs)]
    return article
