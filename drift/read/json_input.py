"""JSON and JSON Lines inputs: one article object, an array of them, or one object a line.

Feeds come from outside, so every field is checked for its type: an id of ``[1]``
or a ``published`` object is refused with a message naming the field, never
turned into a Python repr. A bad record spoils only itself: it comes back as an
InputError in place of its Article, and the caller decides whether to go on.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from drift.article import Article, refuse_surrogates
from drift.errors import InputError
from drift.read.titles import article_from_text

#: Digits in one JSON integer: more is no article field, and Python refuses past 4,300.
MAX_INT_DIGITS = 100
#: Nesting of a record's extra fields: deeper is no news metadata, and would strain every later dump.
MAX_DEPTH = 32
KNOWN_FIELDS = ("id", "text", "body", "title", "headline", "source", "language", "published")


class _Refused(ValueError):
    """A JSON value drift does not take (NaN, a 5,000-digit number), raised from inside the parser."""


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _Refused(f"an integer of {digits} digits (at most {MAX_INT_DIGITS} are read); quote it as a string")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"a number out of range ({text[:20]}); quote it as a string")
    return value


def _constant(name: str) -> Any:
    raise _Refused(f"{name}, which is not valid JSON; use null or a string")


def loads(text: str, label: str, where: str = "") -> Any:
    """``json.loads`` for untrusted input: one InputError for bad syntax, NaN, huge numbers or deep nesting."""
    at = f"{where} " if where else ""
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as e:
        if where:
            raise InputError(f"{label}: {where} is not valid JSON ({e.msg}); fix or remove that line") from e
        fix = ("a JSON value a line is JSON Lines: rename the file to .jsonl" if e.msg == "Extra data"
               else "fix the JSON or rename the file to .txt")
        raise InputError(f"{label}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}); {fix}") from e
    except _Refused as e:
        raise InputError(f"{label}: {at}holds {e}") from e
    except RecursionError as e:
        raise InputError(f"{label}: {at}JSON nested too deeply to read; give one object per article, "
                         "with the text as a string") from e


def _depth(value: Any) -> int:
    """How deeply lists and objects nest inside ``value`` (0 for a plain value), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((c, depth + 1) for c in children)
    return deepest


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "a boolean", float: "a number", int: "a number",
            str: "a blank string"}.get(type(value), type(value).__name__)


def _field(rec: dict[str, Any], names: tuple[str, ...], label: str, where: str, numbers: bool = False) -> str | None:
    """A string field (the first of ``names`` present), None when absent or null; wrong types are an InputError."""
    for name in names:
        if name not in rec or rec[name] is None:
            continue
        value = rec[name]
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, str) and name != "id":
            return None  # a blank title or source says nothing: as if absent
        if numbers and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        wanted = "a non-blank string" + (" or an integer" if numbers else "")
        raise InputError(f"{label}: {where}: field \"{name}\" is {_kind(value)}, not {wanted}; fix that field")
    return None


def _from_record(rec: Any, label: str, where: str, default_id: str, path_label: str) -> Article:
    """One JSON object to an Article; ``where`` names its place for error messages."""
    if not isinstance(rec, dict):
        raise InputError(f"{label}: {where} is not a JSON object; give objects with a \"text\" field")
    refuse_surrogates(rec, f"{label}: {where}", "an unpaired surrogate escape",
                      "it is half a UTF-16 pair, no character: fix the producer or re-encode")
    body = rec.get("text", rec.get("body"))
    if not isinstance(body, str):
        raise InputError(f"{label}: {where} has no \"text\" or \"body\" string; add the article text")
    if not body.strip():
        raise InputError(f"{label}: {where} has no text; give it at least one sentence")
    article_id = _field(rec, ("id",), label, where, numbers=True)
    title = _field(rec, ("title", "headline"), label, where)
    source = _field(rec, ("source",), label, where)
    language = _field(rec, ("language",), label, where)
    published = _field(rec, ("published",), label, where, numbers=True)
    meta = {k: v for k, v in rec.items() if k not in KNOWN_FIELDS}
    deep = next((k for k, v in meta.items() if _depth(v) > MAX_DEPTH), None)
    if deep is not None:
        raise InputError(f"{label}: {where}: field \"{deep}\" nests more than {MAX_DEPTH} levels deep; "
                         "flatten or drop that field")
    meta["path"] = path_label
    return article_from_text(
        body, id=article_id if article_id is not None else default_id, source=source or path_label,
        title=title, language=language, published=published, metadata=meta, detect_headline=False,
    )


def _record(rec: Any, label: str, where: str, default_id: str) -> Article | InputError:
    try:
        return _from_record(rec, label, where, default_id, label)
    except InputError as error:
        return error


def parse_json(text: str, label: str, stem: str) -> list[Article | InputError]:
    """The articles of a JSON object or array; a bad item is an InputError in its place."""
    data = loads(text, label)
    if isinstance(data, list):
        if not data:
            raise InputError(f"{label}: empty JSON array; give at least one article object")
        return [_record(r, label, f"item {i}", f"{stem}:{i}") for i, r in enumerate(data, 1)]
    return [_from_record(data, label, "the object", stem, label)]


def parse_jsonl(text: str, label: str, stem: str) -> list[Article | InputError]:
    """One article per line; a bad line is an InputError in its place."""
    out = list(jsonl_records(text, label, stem))
    if not out:
        raise InputError(f"{label}: no text; give a file with at least one sentence")
    return out


#: What makes a JSONL line blank: ASCII whitespace, as ``bytes.strip`` (the Ray driver's count) sees it.
_BLANK = " \t\n\r\x0b\x0c"


def jsonl_records(text: str, label: str, stem: str, line: int = 1, record: int = 1) -> Iterator[Article | InputError]:
    """The articles of JSONL ``text`` whose first line is ``line`` of the file and ``record`` of its non-blank ones.

    A line without an id is ``STEM:N``, N counting every non-blank line, bad ones too: fixing or
    adding a bad line then renames no other article, and a reader that starts mid-file (a Ray
    unit) numbers its lines without parsing the ones before.

    Lines end at "\\n" only (``\\r\\n`` too: ``\\r`` is JSON whitespace), as JSON Lines says and as a Ray
    driver counts them: ``str.splitlines`` also breaks at U+2028, U+2029 and U+0085, which a JSON string
    may hold unescaped (``json.dumps(ensure_ascii=False)`` writes them), and would cut such a record in two.
    """
    number = record - 1
    for lineno, raw in enumerate(text.split("\n"), line):
        if not raw.strip(_BLANK):
            continue
        number += 1
        where = f"line {lineno}"
        try:
            rec = loads(raw, label, where)
        except InputError as error:
            yield error
            continue
        yield _record(rec, label, where, f"{stem}:{number}")
