"""Inputs and index snapshots shared by the distributed tests (test_distributed*.py)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def snapshot(index: Path) -> dict:
    """Everything an index stores, without timestamps and row ids."""
    db = sqlite3.connect(index / "drift.sqlite")
    try:
        return {
            "stories": db.execute("SELECT id, title FROM stories ORDER BY id").fetchall(),
            "articles": db.execute("SELECT article_id, story, content_sha256, source, title, title_end, language, "
                                   "published, metadata, text FROM articles ORDER BY id").fetchall(),
            "sentences": db.execute("SELECT a.article_id, s.idx, s.start, s.end, s.boilerplate, s.title, s.language, "
                                    "s.vector, s.word_spans, s.word_vectors FROM sentences s "
                                    "JOIN articles a ON a.id = s.article ORDER BY s.id").fetchall(),
        }
    finally:
        db.close()
