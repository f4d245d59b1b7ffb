"""The data every stage passes along: an Article (one version of a story) and its Sentences.

Readers build Articles, the text stage fills in their sentences and languages, and
everything after reads them. Offsets are Python string indices into ``Article.text``,
which is kept exactly as read, so a report can always point back at the input.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from drift.errors import InputError

#: The language sentinel for text too short or too mixed to tell (textacy's convention).
UND = "und"
#: ISO 639-1 language codes, and the withdrawn ones older feeds still send (in, iw, ji, mo, sh, bh).
_ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo
es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik in io is it iu iw ja ji
jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd
ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss
st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())
# A UTF-16 surrogate code point: half of a pair, never a character on its own.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped(text: str) -> str:
    """``text`` as a message can print it: a lone surrogate as its escape, as stderr cannot encode it."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _surrogate(value: Any) -> str | None:
    """The first lone surrogate in a string, or in the keys and values of nested dicts and lists, escaped."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            m = _SURROGATE.search(item)
            if m is not None:
                return _escaped(m.group())
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return None


def refuse_surrogates(fields: Mapping[str, Any], where: str, what: str, fix: str) -> None:
    """An InputError for the first field holding an unpaired surrogate (``"\\ud800"`` in JSON, say).

    Such a string is no Unicode text: the tokenizer, the report writers and stderr all fail
    on it far downstream, so it is refused where it comes in, naming the field: ``what``
    it is (a JSON escape, say) and the ``fix``.
    """
    for name, value in fields.items():
        bad = _surrogate(name) or _surrogate(value)
        if bad is not None:
            raise InputError(f"{where}: field \"{_escaped(name)}\" has {what} {bad}; {fix}")


def refuse_broken_words(text: str, title: str | None, label: str) -> None:
    """The words of an article a caller built, checked as a JSON record's are.

    Only text and title: an id or source made from a file name may hold a non-UTF-8 name's escapes.
    """
    refuse_surrogates({"text": text, "title": title or ""}, _escaped(label), "an unpaired surrogate",
                      "it is half a UTF-16 pair, no character: give whole characters (fix the producer or re-encode)")


def refuse_wrong_types(article: "Article") -> None:
    """An Article built by hand with a field of another type (``Article(id=5, ...)``): one line naming the field,
    not an AttributeError from a later stage."""
    fields: dict[str, tuple[Any, tuple[type, ...]]] = {
        "id": (article.id, (str,)), "text": (article.text, (str,)), "source": (article.source, (str,)),
        "title": (article.title, (str, type(None))), "language": (article.language, (str,)),
        "published": (article.published, (str, type(None))), "metadata": (article.metadata, (dict,))}
    for name, (value, types) in fields.items():
        if not isinstance(value, types):
            wanted = " or ".join("None" if t is type(None) else t.__name__ for t in types)
            raise InputError(f"Article {_escaped(str(article.id))!r}: field {name!r} is {type(value).__name__} "
                             f"({_escaped(repr(value)[:40])}), not {wanted}; give it as {wanted}")


def refuse_unstorable(article: Article) -> None:
    """An InputError for a field an index cannot store as it was given.

    Every field is stored as UTF-8 text: an id or source made from a file name that is
    not UTF-8 can be compared, not stored (SQLite's encoder failed with a
    UnicodeEncodeError, reported as a bug in drift). Metadata is stored as JSON, so
    that an index stays portable (any drift, any language reads it) and the CLI can
    print it as it is: a value JSON has no type for (a datetime, a tuple, NaN, a key
    that is no string) came back as another type (a datetime as its ``str``), so it is
    refused, naming the key and the value to store instead (``metadata_problem``).
    """
    label = _escaped(article.source or article.id)
    fields = {"id": article.id, "source": article.source, "language": article.language,
              "published": article.published or "", "metadata": article.metadata}
    refuse_surrogates(fields, label, "a character that is no UTF-8 text",
                      "an index stores UTF-8 only: rename a file whose name is not UTF-8, or fix the field")
    problem = metadata_problem(article.metadata)
    if problem is not None:
        raise InputError(f"{label}: {problem}")


#: What to store instead of a value JSON has no type for, by the value's type.
_JSON_INSTEAD = {"datetime": "an ISO string (value.isoformat())", "date": "an ISO string (value.isoformat())",
                 "time": "an ISO string (value.isoformat())", "tuple": "a list", "set": "a list",
                 "frozenset": "a list", "bytes": "a string", "Decimal": "a number or a string"}


def metadata_problem(value: Any, where: str = "") -> str | None:
    """What in a metadata dict would not come back from JSON as it went in, with the fix; None: nothing."""
    if value is None or isinstance(value, (str, bool, int)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else (
            f"metadata {where} is {value!r}, which JSON has no number for; store null or a string instead")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return (f"metadata {where + ' ' if where else ''}has the key {_escaped(repr(key))[:40]} "
                        f"({type(key).__name__}); give metadata keys as strings")
            problem = metadata_problem(item, f"{where}[{_escaped(repr(key))}]" if where else _escaped(repr(key)))
            if problem is not None:
                return problem
        return None
    if isinstance(value, list):
        return next((p for n, item in enumerate(value) if (p := metadata_problem(item, f"{where}[{n}]"))), None)
    kind = type(value).__name__
    instead = _JSON_INSTEAD.get(kind, "a string, number, true/false, null, list or dict")
    return (f"metadata {where} is {'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}, which the index's JSON "
            f"would give back as another type; store it as {instead}")


def normalize_language(code: str | None) -> str:
    """'EN', 'en_US', 'en-GB' -> 'en'; Chinese keeps its variant ('zh-cn'); empty -> 'und'.

    Only a code that starts with a language is cut to it: an ISO 639-1 code, or three
    letters (ISO 639-2/3, too many to list). Any other code ('xx-nope', 'english') is
    kept as given, so a message about it shows what the input said, not a part of it.
    """
    if not code or not str(code).strip():
        return UND
    given = str(code).strip()
    c = given.lower().replace("_", "-")
    if c.startswith("zh-"):
        return c
    primary = c.split("-")[0]
    return primary if primary in _ISO_639_1 or re.fullmatch("[a-z]{3}", primary) else given


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article; ``text == article.text[start:end]``."""

    index: int
    start: int
    end: int
    text: str
    boilerplate: bool = False
    title: bool = False
    language: str = UND

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "boilerplate": self.boilerplate,
        }


@dataclass
class Article:
    """One version of a story. ``text`` is kept exactly as read: every offset indexes it."""

    id: str
    text: str
    source: str = ""
    title: str | None = None
    language: str = UND
    published: str | None = None
    # JSON values (str keys; str, number, bool, None, list, dict): what an index can store (``refuse_unstorable``).
    metadata: dict[str, Any] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    # Offset where the headline line ends in ``text``; None when the text has no headline.
    title_end: int | None = None

    def report_metadata(self) -> dict[str, Any]:
        """``metadata`` as reports show it: with ``published`` when the input gave one."""
        metadata = dict(self.metadata)
        if self.published:
            metadata.setdefault("published", self.published)
        return metadata

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "language": self.language,
            "title": self.title,
            "text": self.text,
            "sentences": [s.to_dict() for s in self.sentences],
            "metadata": self.report_metadata(),
        }


def article_from_parts(
    headline: str | None,
    paragraphs: Sequence[str],
    id: str,
    source: str = "",
    language: str | None = None,
    published: str | None = None,
    metadata: dict[str, Any] | None = None,
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


def free_id(wanted: str, taken: Callable[[str], bool]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``... : the first id ``taken`` says is free.

    One rule for a run's repeated file names and for an index's stored ids, so an
    article gets the same id whichever way it came in.
    """
    new, n = wanted, 1
    while taken(new):
        n += 1
        new = f"{wanted}-{n}"
    return new


def unique_ids(articles: Iterable[Article]) -> list[Article]:
    """Rename repeated ids ``x``, ``x`` -> ``x``, ``x-2`` so every version is addressable."""
    seen: set[str] = set()
    out: list[Article] = []
    for a in articles:
        new = free_id(a.id, seen.__contains__)
        seen.add(new)
        out.append(a if new == a.id else replace(a, id=new))
    return out
