"""JSON and JSON Lines inputs: one article object, an array of them, or one object a line."""
from __future__ import annotations

import json
from typing import Any

from drift.article import Article
from drift.errors import InputError
from drift.read.titles import article_from_text


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


def parse_json(text: str, label: str, stem: str) -> list[Article]:
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


def parse_jsonl(text: str, label: str, stem: str) -> list[Article]:
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

