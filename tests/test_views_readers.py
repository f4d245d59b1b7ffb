"""The views as their readers take them: a log pipeline splitting JSON Lines, an editor matching labels to files."""
from __future__ import annotations

import json
from dataclasses import replace

from test_views import A_TEXT, B_TEXT, SIGNATURE, _articles

from drift.report.report import Report, Unmatched


def test_jsonl_is_one_record_a_line_for_any_line_splitter():
    # ids (and so "article", "missing_in") may hold U+2028, U+2029 or NEL: JSON lets a string hold them raw,
    # and str.splitlines (and JavaScript before ES2019) cut a record there
    a, b = _articles(("a\u2028x", A_TEXT), ("b\x85y\u2029", B_TEXT))
    report = Report(replace(SIGNATURE, version_pairs=((a.id, b.id),)), [a, b], [],
                    [Unmatched(a.id, 3, (b.id,), "omission"), Unmatched(b.id, 3, (a.id,), "addition")])
    out = report.render("jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["article"], r["missing_in"]) for r in records] == [(a.id, [b.id]), (b.id, [a.id])]
    assert out.count("\n") == 2 and "\\u2028" in out and "\\u0085" in out
