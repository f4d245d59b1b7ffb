"""Triage: which version strayed furthest, which findings to read first, and what to call each version.

An editor's first question is "which version strayed, and where"; a findings list in
document order does not answer it. Everything here is a plain function of a Report,
shared by the text and HTML views, the JSON ``summary`` block and Python callers:

- ``summary(report)``: per version pair the drifted-pair counts (the matrix), per
  version one *stray* number and its rank, and the kinds;
- ``select(report, Triage(...))``: the findings at or above a severity, of some kinds,
  most severe first and then by drift, cut to a limit;
- ``version_labels(articles, scheme)``: ``v1``...``vN`` (or the agencies), ids or sources.

Stray of a version: the mean, over the versions it was compared with, of the pair's
drift per sentence: the mean ``drift`` of the pair's aligned sentence pairs, where
each sentence with no counterpart in the other version counts as drift 1 (a subheading with
none is left out: a section title is no claim). It is in
[0, 1]; 0 is a faithful copy of every version it was compared with. Compared with a
reference, a version's stray is its distance from the reference.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Union

from drift.article import free_id
from drift.errors import ArgumentError, ConfigError, Param, choices, given, type_name
from drift.report.findings import PairSummary, summarize
from drift.score.scorer import KINDS, SEVERITIES, Drift

if TYPE_CHECKING:  # pragma: no cover
    from drift.article import Article
    from drift.report.report import Report, Unmatched

#: How versions are named in the views: their ids, short labels (v1... or agencies), or their sources.
LABEL_SCHEMES = ("id", "short", "source")
#: The floors a findings list can start from.
MIN_SEVERITIES = ("minor", "major")
#: Agencies longer than this make worse labels than v1...vN.
MAX_AGENCY_LABEL = 12
#: The one-line definition the views print next to the ranking (README: "Reading the summary").
STRAY_DEFINITION = "mean drift per sentence of its pairs; no counterpart counts 1"

#: A finding: an aligned pair that drifted, or a sentence with no counterpart.
Finding = Union[Drift, "Unmatched"]


# ---------------------------------------------------------------- labels


def version_labels(articles: Sequence["Article"], scheme: str = "short") -> dict[str, str]:
    """Article id -> the label the views show.

    ``short``: the agencies when every version names one (``AFP``, ``AFP-2``,
    ``Reuters``), else ``v1``...``vN`` in input order; the ids when one of those is
    another version's id (files ``v2.txt v3.txt`` would be ``v1``, ``v2``: "v2" would
    name the wrong file). ``source``: the file name the version was read from (or its
    source). ``id``: the id itself.
    """
    _check_labels(scheme)
    ids = {a.id: a.id for a in articles}
    if scheme == "id":
        return ids
    if scheme == "short":
        agencies = [str(a.metadata.get("agency") or "").strip() for a in articles]
        numbered = not all(agencies) or max(map(len, agencies), default=0) > MAX_AGENCY_LABEL
        wanted = [f"v{n}" for n in range(1, len(articles) + 1)] if numbered else agencies
    else:
        wanted = [_source_name(a) for a in articles]
    seen: set[str] = set()
    out: dict[str, str] = {}
    for article, label in zip(articles, wanted, strict=True):
        out[article.id] = free_id(label, seen.__contains__)
        seen.add(out[article.id])
    if scheme == "short" and any(label in ids and label != i for i, label in out.items()):
        return ids
    return out


def _check_labels(scheme: str) -> None:
    if scheme not in LABEL_SCHEMES:
        raise ConfigError("unknown ", given("labels", scheme), f"; choose one of {choices(LABEL_SCHEMES)}")


def _source_name(article: "Article") -> str:
    source = article.source or article.id
    return source if source.startswith("<") else PurePath(source).name or source


def relabel(text: str, labels: Mapping[str, str]) -> str:
    """``text`` (an explanation) with the version ids it names replaced by their labels.

    An explanation names a version only at the end of an item (``drift.score.explain``): "'Guyana' here,
    'French Guiana' in ID", "'Elysée' here, nothing like it in ID", "'BFMTV' in ID, nothing like it here". Only
    ids there are swapped: an id with spaces (a file ``AFP story.txt``) is swapped whole, and the story's words
    (quoted, apostrophes and all) never.
    """
    swaps = {i: label for i, label in labels.items() if i != label}
    if not swaps:
        return text
    out, cursor = [], 0
    at = text.find(_IN)
    while at >= 0:
        start = at + len(_IN)
        named = None
        if text.endswith(_BEFORE_IN, 0, at):
            named = max((i for i in swaps if text.startswith(i, start) and _ends_item(text, start + len(i))),
                        key=len, default=None)
        if named is not None:
            out += [text[cursor:start], swaps[named]]
            cursor = start + len(named)
        at = text.find(_IN, start)
    return "".join(out) + text[cursor:]


#: In an explanation, a version id follows " in " after a quoted word or "nothing like it"; an item may end with
#: ", nothing like it here" after it, and items end at "; ".
_IN = " in "
_BEFORE_IN = ("'", "nothing like it")
_NOTHING_HERE = ", nothing like it here"


def _ends_item(text: str, end: int) -> bool:
    """Whether an explanation item ends at ``end``, or after ", nothing like it here" there."""
    if text.startswith(_NOTHING_HERE, end):
        end += len(_NOTHING_HERE)
    return end == len(text) or text.startswith("; ", end)


# ---------------------------------------------------------------- the summary


@dataclass(frozen=True)
class PairStanding:
    """One compared version pair: how many aligned pairs drifted, and its drift per sentence."""

    a: str
    b: str
    section: int  # 1-based, in the signature's order: the HTML page's ``#pair-N``
    aligned: int
    major: int
    minor: int
    only_a: int
    only_b: int
    stray: float

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "aligned": self.aligned, "major": self.major, "minor": self.minor,
                "only_a": self.only_a, "only_b": self.only_b, "stray": self.stray}


@dataclass(frozen=True)
class VersionStanding:
    """One version: its rank and stray (None when it was not compared), and its findings."""

    id: str
    label: str
    rank: int | None
    stray: float | None
    compared_with: int
    major: int
    minor: int
    unmatched: int
    reference: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "rank": self.rank, "stray": self.stray,
                "compared_with": self.compared_with, "major": self.major, "minor": self.minor,
                "unmatched": self.unmatched, "reference": self.reference}


@dataclass(frozen=True)
class Summary:
    """What a report says at a glance: the pair matrix, the versions ranked by stray, the kinds."""

    versions: list[VersionStanding]  # most strayed first; versions not compared last
    pairs: list[PairStanding]  # in the signature's order
    kinds: dict[str, int]  # drifted aligned pairs per kind, most frequent first (overlaps: omission, addition)
    major: int
    minor: int
    unmatched: int
    overlap: int = 0  # overlap pairs with something to show: counted as their omission/addition, not as drift

    def totals(self, versions: int) -> str:
        """``5 versions, 10 pairs compared: 3 major, 8 minor, 2 overlaps (not the same statement), 4 sentences
        with no counterpart``: the first line of the text and HTML summaries."""
        def count(n: int, noun: str) -> str:
            return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

        overlap = f"{count(self.overlap, 'overlap')} (not the same statement), " if self.overlap else ""
        return (f"{count(versions, 'version')}, {count(len(self.pairs), 'pair')} compared: {self.major} major, "
                f"{self.minor} minor, {overlap}{count(self.unmatched, 'sentence')} with no counterpart")

    def pair(self, a: str, b: str) -> PairStanding | None:
        """The standing of a version pair, in either order."""
        return next((p for p in self.pairs if {p.a, p.b} == {a, b}), None)

    def to_dict(self) -> dict[str, Any]:
        """The optional ``summary`` block of ``drift.report/1``."""
        return {"stray": STRAY_DEFINITION, "major": self.major, "minor": self.minor, "overlap": self.overlap,
                "unmatched": self.unmatched, "versions": [v.to_dict() for v in self.versions],
                "pairs": [p.to_dict() for p in self.pairs], "kinds": dict(self.kinds)}


def pair_stray(summary: PairSummary) -> float:
    """Drift per sentence of one version pair: a sentence with no counterpart counts 1, a subheading with none
    not at all (a section title one version added says nothing the story lacks)."""
    unmatched = sum(not u.heading for u in summary.only_a + summary.only_b)
    count = len(summary.pairs) + unmatched
    return round((sum(p.drift for p in summary.pairs) + unmatched) / count, 4) if count else 0.0


def summary(report: "Report", labels: str = "short") -> Summary:
    """The pair matrix, the versions ranked by stray (most first, ties in input order) and the kinds."""
    names = version_labels(report.articles, labels)
    pairs = []
    overlaps = 0
    for n, s in enumerate(summarize(report), 1):
        counts = s.counts()
        overlaps += counts["overlap"]
        pairs.append(PairStanding(s.a, s.b, n, len(s.pairs), counts["major"], counts["minor"], len(s.only_a),
                                  len(s.only_b), pair_stray(s)))
    unmatched = Counter(u.article for u in report.unmatched)
    order = {a.id: n for n, a in enumerate(report.articles)}
    of_version: dict[str, list[PairStanding]] = {}
    for p in pairs:
        of_version.setdefault(p.a, []).append(p)
        of_version.setdefault(p.b, []).append(p)
    standings = []
    for a in report.articles:
        own = of_version.get(a.id, [])
        stray = round(sum(p.stray for p in own) / len(own), 4) if own else None
        standings.append(VersionStanding(a.id, names[a.id], None, stray, len(own), sum(p.major for p in own),
                                         sum(p.minor for p in own), unmatched[a.id],
                                         reference=a.id == report.signature.reference))
    ranked = sorted((v for v in standings if v.stray is not None), key=lambda v: (-(v.stray or 0.0), order[v.id]))
    versions = [VersionStanding(v.id, v.label, n, v.stray, v.compared_with, v.major, v.minor, v.unmatched,
                                v.reference) for n, v in enumerate(ranked, 1)]
    versions += [v for v in standings if v.stray is None]
    kinds = Counter(k for p in report.pairs if p.severity != "none" for k in p.kinds)
    rank_kinds = sorted(kinds, key=lambda k: (-kinds[k], KINDS.index(k) if k in KINDS else len(KINDS), k))
    return Summary(versions, pairs, {k: kinds[k] for k in rank_kinds}, sum(p.major for p in pairs),
                   sum(p.minor for p in pairs), len(report.unmatched), overlaps)


# ---------------------------------------------------------------- findings


@dataclass(frozen=True)
class Triage:
    """What a view shows of the findings, and how it names versions.

    ``min_severity``: ``minor`` shows drifted pairs and sentences with no counterpart;
    ``major`` only major drift. ``kinds``: only findings of these kinds (a sentence
    with no counterpart is an ``addition`` or an ``omission``). ``limit``: at most
    that many findings. ``labels``: one of ``LABEL_SCHEMES``.
    """

    min_severity: str = "minor"
    kinds: tuple[str, ...] = ()
    limit: int | None = None
    labels: str = "short"

    def __post_init__(self) -> None:
        if isinstance(self.kinds, str) or not isinstance(self.kinds, Iterable):  # "number" is no list of kinds
            raise ArgumentError(f"Triage: kinds must be a tuple of kinds, not {type_name(self.kinds)}; "
                                f"pass e.g. kinds=('number',)")
        object.__setattr__(self, "kinds", tuple(self.kinds))  # a generator would be spent by the check below
        if self.limit is not None and (isinstance(self.limit, bool) or not isinstance(self.limit, int)):
            raise ArgumentError(f"Triage: limit must be an int (or None), not {type_name(self.limit)}; "
                                "pass e.g. limit=10")
        if self.min_severity not in MIN_SEVERITIES:
            raise ConfigError("unknown ", given("min_severity", self.min_severity),
                              f"; choose one of {choices(MIN_SEVERITIES)}")
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown:  # the command line takes one kind a flag: --kind number --kind entity
            bad = Param("kinds", f"kind {unknown[0]!r} in kinds={self.kinds!r}", repr(unknown[0]))
            raise ConfigError("unknown ", bad, f"; choose from {choices(KINDS)}")
        if self.limit is not None and self.limit < 0:
            raise ConfigError(given("limit", self.limit), ": must be 0 or more; give how many findings to show")
        _check_labels(self.labels)

    def wants(self, finding: Finding) -> bool:
        """Whether a finding passes the severity floor and the kinds."""
        if isinstance(finding, Drift):
            if SEVERITIES.index(finding.severity) < SEVERITIES.index(self.min_severity):
                return False
            kinds: Iterable[str] = finding.kinds
        else:
            if self.min_severity == "major":
                return False
            kinds = (finding.kind,)
        return not self.kinds or any(k in self.kinds for k in kinds)

    def describe(self) -> str:
        """The filters in force, as options: ``--min-severity major --kind number``."""
        words = [f"--min-severity {self.min_severity}"]
        words += [f"--kind {k}" for k in self.kinds]
        if self.limit is not None:
            words.append(f"--limit {self.limit}")
        return " ".join(words)


@dataclass(frozen=True)
class Selection:
    """The findings a view shows, most severe first, and how many passed the filters before the limit."""

    shown: list[Finding]
    matched: int
    total: int  # every finding: drifted pairs and sentences with no counterpart

    @property
    def hidden_by_limit(self) -> int:
        return self.matched - len(self.shown)


def ordered(report: "Report") -> list[Finding]:
    """Every finding: drifted counterparts, most severe first, then most drifted; then the overlaps (not the
    same statement, so no drift an editor must read first: the summary counts them apart); sentences with no
    counterpart last.

    Ties keep the report's order (version pair, then place in the text), so the order is stable.
    """
    drifted = [p for p in report.pairs if p.severity != "none"]
    position = {id(p): n for n, p in enumerate(drifted)}
    drifted.sort(key=lambda p: (p.relation == "overlap", -SEVERITIES.index(p.severity), -p.drift, position[id(p)]))
    return [*drifted, *report.unmatched]


def select(report: "Report", triage: Triage | None = None) -> Selection:
    """The findings to read first, filtered by ``triage`` and cut to its limit."""
    triage = triage or Triage()
    every = ordered(report)
    wanted = [f for f in every if triage.wants(f)]
    shown = wanted if triage.limit is None else wanted[:triage.limit]
    return Selection(shown, len(wanted), len(every))


def severity_label(drift: Drift) -> str:
    """A drifted pair's severity as the summary counts it: an overlap (not the same statement) is no minor drift."""
    return "overlap" if drift.relation == "overlap" else drift.severity


def explained(drift: Drift, labels: Mapping[str, str]) -> str:
    """A drifted pair's explanation naming its two versions by their labels."""
    al = drift.alignment
    return relabel(drift.explanation, {al.a: labels[al.a], al.b: labels[al.b]})
