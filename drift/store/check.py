"""What ``Index.check`` answers an ingestion job: new story, identical re-send, or drift against what.

A gate needs "against what": comparing a re-send with every rewrite in its story
trips on drift that was already there. ``against`` names the stored versions a new
version is compared with:

- ``latest`` (the default): the version it replaces. That is the last stored version
  of the same item (same NewsML ``guid``, NITF ``doc-id`` or id) when there is one,
  else the last stored version of the story. An update is judged against what is
  published now.
- ``source``: the version it came from. A stored version whose metadata marks it
  (a JSON input's ``source_of``: true, or the ids it is the source of), else the
  lowest NewsML/NITF ``version`` (of the same item first), else the first stored.
- ``all``: every stored version of the story.

A version whose text and headline are already stored is an identical re-send, not
drift; one that matches no stored story is a new story. Neither is an error.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drift.errors import ArgumentError, ConfigError, LanguageError, Param, choices, given, suggested, type_name

if TYPE_CHECKING:  # pragma: no cover
    from drift.article import Article
    from drift.embed.encoder import Encoder
    from drift.limits import Limits
    from drift.report.report import Report
    from drift.score.scorer import Drift
    from drift.store.matching import StoryMatch
    from drift.store.payload import StoryPayload

AGAINST = ("source", "latest", "all")
#: What an ingestion job gating a re-send wants: the version it replaces.
DEFAULT_AGAINST = "latest"
#: What ``--fail-on`` can gate on: drift of a severity or worse, or a story not seen before.
GATES = ("minor", "major", "new")
#: Metadata keys that name the item a version belongs to (NewsML-G2, NITF).
ITEM_KEYS = (("guid", "guid"), ("doc_id", "doc id"))


def check_against(against: str) -> None:
    if against not in AGAINST:
        raise ConfigError("unknown ", given("against", against), f"; choose one of {choices(AGAINST)}")


def check_gates(fail_on: str | Iterable[str]) -> list[str]:
    """The gates of ``fail_on`` (one name alone, or several), each checked: ``unknown gate 'x' in
    fail_on=('major', 'x')`` / ``unknown --fail-on 'x'``."""
    if isinstance(fail_on, bytes) or not isinstance(fail_on, (str, Iterable)):  # None failed as "not iterable"
        raise ArgumentError(f"CheckResult.tripped: fail_on must be a gate or a list of gates ({choices(GATES)}), "
                            f"not {type_name(fail_on)}; pass e.g. fail_on=['major', 'new']")
    gates = [fail_on] if isinstance(fail_on, str) else list(fail_on)  # not the letters of "major"
    unknown = [g for g in gates if g not in GATES]
    if unknown:
        shown = fail_on if isinstance(fail_on, (list, tuple)) else tuple(gates)
        bad = given("fail_on", fail_on) if isinstance(fail_on, str) else Param(
            "fail_on", f"gate {unknown[0]!r} in fail_on={shown!r}", repr(unknown[0]))
        raise ConfigError("unknown ", bad, f"; choose one of {choices(GATES)}")
    return gates


def same_item(stored: "Article", new: "Article") -> str | None:
    """Why ``stored`` is an earlier version of the item ``new`` re-sends (same guid, doc id or id), or None.

    An id taken by other text is stored as ``ID-2``, ``ID-3``...: those count as ``ID``.
    """
    for key, name in ITEM_KEYS:
        value = new.metadata.get(key)
        if value and stored.metadata.get(key) == value:
            return f"same {name}"
    if stored.id == new.id or re.fullmatch(re.escape(new.id) + r"-\d+", stored.id):
        return "same id"
    return None


def _names(article: "Article") -> set[str]:
    return {str(v) for v in (article.id, article.metadata.get("guid"), article.metadata.get("doc_id")) if v}


def _source_mark(stored: "Article", new: "Article") -> tuple[int, str] | None:
    """Whether metadata marks ``stored`` as the source: of ``new`` by name (0, first choice), or of the story (1)."""
    value = stored.metadata.get("source_of")
    listed = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    if _names(new) & {str(v) for v in listed}:
        return 0, f"its metadata lists {new.id} in source_of"
    if value is True or (isinstance(value, str) and value.strip().lower() in ("true", "yes", "1")):
        return 1, "marked source_of in its metadata"
    return None


def _version(article: "Article") -> int | None:
    try:
        return int(str(article.metadata.get("version", "")).strip())
    except ValueError:
        return None


def choose_targets(new: "Article", stored: Sequence["Article"], against: str) -> tuple[list["Article"], str]:
    """The stored versions (in storage order) to compare ``new`` with, and why those."""
    check_against(against)
    if against == "all":
        return list(stored), "every stored version of the story"
    if against == "latest":
        for a in reversed(stored):
            why = same_item(a, new)
            if why:
                return [a], f"the version it replaces: the latest stored with the {why}"
        return [stored[-1]], "the latest stored version of the story"
    marked = [(mark, n, a) for n, a in enumerate(stored) if (mark := _source_mark(a, new))]
    if marked:
        (_, why), _, a = min(marked, key=lambda x: (x[0][0], x[1]))
        return [a], f"the source: {why}"
    numbered = [(v, n, a) for n, a in enumerate(stored) if (v := _version(a)) is not None]
    own = [x for x in numbered if same_item(x[2], new)]
    if own or numbered:
        version, _, a = min(own or numbered, key=lambda x: (x[0], x[1]))
        item = " of the same item" if own else ""
        return [a], f"the source: the lowest NewsML/NITF version{item} (version {version})"
    return [stored[0]], "the source: the first stored version (no metadata marks one)"


def compare_checked(payload: "StoryPayload", encoder: "Callable[[], Encoder]", label: str, against: str,
                    limits: "Limits") -> "Report":
    """The drift of a checked version (the payload's first article) against the stored ones chosen for it.

    A language the index's model does not cover is said here, with what a check can do
    about it: the comparison's own message is ``compare``'s (its ``--reference``).
    """
    from drift.embed.encoder import covers
    from drift.store.payload import compare_payload

    new, *targets = payload.articles
    fix = (f"re-embed the index with a multilingual model: `drift index rebuild --model NAME "
           f"--index {payload.ref.index}`")
    if not covers(payload.languages, new.language):
        raise LanguageError(f"{label}: language {new.language!r} is not covered by the index's model "
                            f"{payload.model!r}, so it cannot be compared with story {payload.story}; {fix}")
    if not any(covers(payload.languages, a.language) for a in targets):
        names = ", ".join(f"{a.id} ({a.language})" for a in targets)
        other: tuple[str | Param, ...] = () if against == "all" else (
            "pass ", suggested("against", "all"), " to compare it with every stored version, or ")
        raise LanguageError(f"{label}: the stored versions to compare it with ({names}) are in languages the "
                            f"index's model {payload.model!r} does not cover; ", *other, fix)
    return compare_payload(payload, encoder, new.id, limits=limits)


@dataclass(frozen=True)
class CheckResult:
    """One checked version: a new story, an identical re-send, or drift against the chosen stored versions."""

    article: str  # the checked version's id in ``report``
    label: str  # how messages name it: its source, else its id
    status: str  # "new", "identical" or "compared"
    against: str
    story: int | None  # None: no stored story matched (a new story)
    report: "Report"  # the comparison; for a new story or an identical re-send, the version alone
    compared_with: tuple[str, ...] = ()
    chosen_by: str | None = None
    identical_to: str | None = None
    match: "StoryMatch | None" = None
    ingested: tuple[str, int] | None = None  # (stored id, story) when --ingest stored it

    def drifted(self, at_least: str = "minor") -> list["Drift"]:
        """Drift at or above ``at_least`` against the chosen versions (none for a new story or a re-send)."""
        return self.report.drifted(at_least) if self.status == "compared" else []

    def tripped(self, fail_on: Iterable[str]) -> str | None:
        """The first of ``fail_on`` (``minor``, ``major``, ``new``, or one of them alone) this result trips, or None."""
        gates = check_gates(fail_on)
        if "new" in gates and self.status == "new":
            return "new"
        for severity in ("minor", "major"):
            if severity in gates and self.drifted(severity):
                return severity
        return None

    def line(self) -> str:
        """One line an ingestion log keeps."""
        if self.status == "identical":
            return f"{self.label}: identical to stored {self.identical_to} (story {self.story}); no drift"
        if self.status == "new":
            m = self.match
            near = (f"best: story {m.best} with {m.matched} of {m.sentences} sentences" if m and m.best is not None
                    else "no similar sentence stored")
            stored = (f"; stored as {self.ingested[0]} in new story {self.ingested[1]}" if self.ingested
                      else "; drift check --ingest stores it")
            return f"{self.label}: new story, no stored story matches ({near}){stored}"
        counts = f"{len(self.drifted('major'))} major, {len(self.drifted('minor')) - len(self.drifted('major'))} minor"
        return (f"{self.label}: story {self.story}, compared with {', '.join(self.compared_with)} "
                f"({self.chosen_by}): {counts}")

    def to_dict(self) -> dict[str, Any]:
        """``drift.report/1`` with ``story`` (null for a new story) and the ``check`` block."""
        ingested = {"article": self.ingested[0], "story": self.ingested[1]} if self.ingested else None
        return {**self.report.to_dict(), "story": self.story, "check": {
            "article": self.article, "status": self.status, "against": self.against,
            "compared_with": list(self.compared_with), "chosen_by": self.chosen_by,
            "identical_to": self.identical_to, "ingested": ingested}}

    def to_json(self, indent: int | None = 2) -> str:
        """``to_dict`` as JSON; metadata JSON has no type for (a datetime) is written as ``Report.to_json`` does."""
        from drift.report.report import json_text

        return json_text(self.to_dict(), indent)
