"""Which format an input is in, found from its content first and its file name second.

Wire desks rename files freely (``.txt`` holding NITF, ``.xml`` holding a web page),
so the first element decides; the suffix only breaks ties for markup fragments.
"""
from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from drift.article import Article

#: The one suffix table. A directory contributes the files with these suffixes; the
#: suffix only decides between JSON, JSONL and text, or breaks ties for markup fragments.
TEXT_SUFFIXES = (".txt", ".md")
JSON_SUFFIXES = (".json", ".jsonl")
XML_SUFFIXES = (".xml", ".nitf")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
#: One article a row (drift.read.parquet_input): archives, and distributed ingestion jobs.
PARQUET_SUFFIXES = (".parquet",)
ARTICLE_SUFFIXES = TEXT_SUFFIXES + JSON_SUFFIXES + XML_SUFFIXES + HTML_SUFFIXES + PARQUET_SUFFIXES
WIRE_ROOTS = ("nitf", "newsItem", "newsMessage")
#: How much of an input is looked at to tell its format (and whether it is binary).
SNIFF_CHARS = 8192
# Prolog parts that may come before the root element.
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")


def is_article_name(name: str) -> bool:
    """Whether a directory's file of this name is read as an article: not hidden, with an article suffix."""
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES


def root_name(text: str) -> str | None:
    """Local name of the first element after the XML prolog, or None if the text opens otherwise."""
    head, pos = text[:SNIFF_CHARS].lstrip("\ufeff"), 0
    while (m := _PROLOG.match(head, pos)) is not None and m.end() > pos:
        pos = m.end()
    m = _ROOT.match(head, pos)
    return m.group(1).rsplit(":", 1)[-1] if m else None


def sniff(text: str, suffix: str = "") -> str | None:
    """``"xml"`` (NITF, NewsML-G2 or other XML), ``"html"``, or None for text and JSON."""
    head = text[:SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    if not head.startswith("<"):
        return None
    root = root_name(head)
    if head[:14].lower() == "<!doctype html" or (root or "").lower() == "html":
        return "html"
    if root in WIRE_ROOTS or head.startswith("<?xml") or head[:9].upper() == "<!DOCTYPE":
        return "xml"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in XML_SUFFIXES:
        return "xml"
    return None


# Where JSON opens: an object with a key, or an array of objects (or empty). ``[Update] ...`` stays prose.
_JSON_START = re.compile(r"\s*(?:\{\s*\"|\[\s*[\[{\]])")


def sniff_json(text: str) -> str | None:
    """``"json"`` or ``"jsonl"`` when an input with no telling name (stdin) holds JSON, else None."""
    if not _JSON_START.match(text[:SNIFF_CHARS]):
        return None
    lines = [line for line in text[:SNIFF_CHARS].splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].strip().startswith("{") and lines[0].rstrip().endswith("}") \
            and lines[1].lstrip().startswith("{"):
        return "jsonl"
    return "json"


def read_markup(text: str, label: str, stem: str, suffix: str = "") -> list["Article"] | None:
    """The articles in a NITF, NewsML-G2 or HTML input, or None when it is none of these."""
    kind = sniff(text, suffix.lower())
    if kind == "xml":
        from drift.read.wire import read_wire

        return read_wire(text, label, stem)
    if kind == "html":
        from drift.read.webpage import read_webpage

        return [read_webpage(text, label, stem)]
    return None
