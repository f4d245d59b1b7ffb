"""IPTC wire formats: NITF 3.x documents and NewsML-G2 items and messages.

Wire files come from outside, so XML is parsed with defusedxml: entities are never
expanded and nothing is fetched, which turns billion-laughs and external-entity files
into a one-line InputError. A DOCTYPE that only names a DTD is accepted (NITF files
often carry one) and the DTD is not loaded.

Story text is the headline and the body paragraphs; bylines, datelines, captions and
taglines go to ``Article.metadata`` and never into the text that is compared.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from drift.article import Article, article_from_parts
from drift.errors import InputError
from drift.read.markup import attribute, child, collapse, descendants, first, local, paragraphs, text_of

#: Inside a NITF body: furniture and media, never story text.
NITF_FURNITURE = frozenset(
    "byline dateline distributor media media-caption media-producer tagline bibliography note".split()
)
_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")


@dataclass
class _Story:
    """What a format gave: the parts of one article before it becomes an Article."""

    headline: str = ""
    paragraphs: list[str] = field(default_factory=list)
    language: str = ""
    metadata: dict[str, str] = field(default_factory=dict)

    def fill(self, other: "_Story") -> None:
        """Take what this story lacks from ``other`` (e.g. an envelope from its payload)."""
        self.headline = self.headline or other.headline
        self.paragraphs = self.paragraphs or other.paragraphs
        self.language = self.language or other.language
        for key, value in other.metadata.items():
            self.metadata.setdefault(key, value)


def parse_xml(text: str, label: str) -> Element:
    """The root element of untrusted XML, or an InputError naming the file and the problem."""
    from defusedxml import ElementTree as SafeElementTree
    from defusedxml.common import DefusedXmlException, EntitiesForbidden

    try:
        return SafeElementTree.fromstring(text, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as e:
        where = f" pointing to {e.sysid!r}" if e.sysid else ""
        raise InputError(
            f"{label}: XML declares entity {e.name!r}{where}, which drift never expands "
            "(billion-laughs or external-entity risk); remove the entity declarations from the DOCTYPE"
        ) from e
    except DefusedXmlException as e:
        raise InputError(f"{label}: XML refers to an external resource, which drift never loads; "
                         "give a self-contained file") from e
    except ParseError as e:
        line, column = e.position
        reason = str(e).split(": line ")[0]
        raise InputError(f"{label}: not well-formed XML (line {line}, column {column}: {reason}); "
                         "fix the XML or give the story as plain text") from e


def read_wire(text: str, label: str, stem: str) -> list[Article]:
    """Every article in a NITF document, a NewsML-G2 ``newsItem`` or a ``newsMessage``."""
    root = parse_xml(text, label)
    name = local(root.tag)
    if name == "nitf":
        stories = [(nitf_story(root), "nitf")]
    elif name == "newsItem":
        stories = [(news_item_story(root, label), "newsml-g2")]
    elif name == "newsMessage":
        stories = [(news_item_story(item, label), "newsml-g2") for item in descendants(root, "newsItem")
                   if _has_inline_content(item)]
        if not stories:
            raise InputError(f"{label}: newsMessage holds no newsItem with inline text; "
                             "give items whose contentSet has inlineXML or inlineData")
    else:
        raise InputError(f"{label}: XML root <{name}> is neither NITF <nitf> nor NewsML-G2 "
                         "<newsItem>/<newsMessage>; give a NITF or NewsML-G2 file")
    return _articles(stories, label, stem)


def _articles(stories: Sequence[tuple[_Story, str]], label: str, stem: str) -> list[Article]:
    """Stories to Articles; ids come from doc-id or guid, else from the file name."""
    many = len(stories) > 1
    out = []
    for n, (story, fmt) in enumerate(stories, 1):
        meta = {"path": label, "format": fmt, **{k: v for k, v in story.metadata.items() if v}}
        default = f"{stem}:{n}" if many else stem
        where = f"{label} (item {n})" if many else label
        if not story.paragraphs:
            raise InputError(f"{where}: no story paragraphs found; give the body text "
                             "(NITF body.content, or NewsML-G2 inlineXML/inlineData)")
        out.append(article_from_parts(
            story.headline, story.paragraphs, id=meta.get("doc_id") or meta.get("guid") or default,
            source=label, language=story.language, published=meta.get("published"), metadata=meta,
        ))
    return out


# ---------------------------------------------------------------- NITF


def nitf_story(nitf: Element) -> _Story:
    """Headline from ``hedline/hl1``, paragraphs from ``body.content``, the rest as metadata."""
    head, body = child(nitf, "head"), child(nitf, "body")
    body_head, content = child(body, "body.head"), child(body, "body.content")
    docdata = child(head, "docdata")
    meta = {
        "doc_id": attribute(child(docdata, "doc-id"), "id-string"),
        "agency": text_of(child(body_head, "distributor")) or attribute(child(docdata, "doc.copyright"), "holder"),
        "byline": text_of(child(body_head, "byline")),
        "dateline": text_of(child(body_head, "dateline")),
        "published": attribute(child(docdata, "date.issue"), "norm")
        or attribute(child(docdata, "date.release"), "norm"),
        "version": attribute(child(docdata, "du-key"), "version"),
        "subheadline": text_of(child(body_head, "hedline", "hl2")),
    }
    headline = text_of(child(body_head, "hedline", "hl1")) or text_of(child(head, "title"))
    meta["headline"] = headline
    if content is not None:
        # A byline or dateline inside the body is still furniture: keep it, but as metadata.
        for name in ("byline", "dateline"):
            meta[name] = meta[name] or text_of(first(content, name))
    languages = [attribute(el, "lang") for el in (nitf, head, body, content)]
    languages += [attribute(m, "content") for m in descendants(nitf, "meta")
                  if attribute(m, "name").lower() in ("language", "lang", "dc.language")]
    return _Story(
        headline=headline,
        paragraphs=paragraphs(content, lambda el: local(el.tag) in NITF_FURNITURE) if content is not None else [],
        language=next((lang for lang in languages if lang), ""),
        metadata=meta,
    )


# ---------------------------------------------------------------- NewsML-G2


def _has_inline_content(item: Element) -> bool:
    content_set = child(item, "contentSet")
    return content_set is not None and any(local(c.tag) in ("inlineXML", "inlineData") for c in content_set)


def news_item_story(item: Element, label: str) -> _Story:
    """One ``newsItem``: metadata from itemMeta and contentMeta, text from its first inline content."""
    item_meta, content_meta = child(item, "itemMeta"), child(item, "contentMeta")
    provider = child(item_meta, "provider")
    meta = {
        "guid": attribute(item, "guid"),
        "version": attribute(item, "version"),
        "agency": attribute(provider, "literal") or text_of(child(provider, "name"))
        or attribute(provider, "qcode").split(":")[-1],
        "byline": text_of(child(content_meta, "by")) or text_of(child(content_meta, "creator", "name")),
        "dateline": text_of(child(content_meta, "dateline")),
        "published": text_of(child(item_meta, "versionCreated")) or text_of(child(item_meta, "firstCreated"))
        or text_of(child(content_meta, "contentCreated")),
        "slugline": text_of(child(content_meta, "slugline")),
    }
    headline = _main_headline(content_meta)
    meta["headline"] = headline
    content_set = child(item, "contentSet")
    inline = None if content_set is None else next(
        (c for c in content_set if local(c.tag) in ("inlineXML", "inlineData")), None)
    if inline is None:
        item_name = f"newsItem {meta['guid']}" if meta["guid"] else "newsItem"
        raise InputError(f"{label}: {item_name} has no inlineXML or inlineData (remote content is never fetched); "
                         "give the story text inline")
    language = (attribute(child(content_meta, "language"), "tag") or attribute(inline, "lang")
                or attribute(content_set, "lang") or attribute(item, "lang"))
    story = _Story(headline=headline, language=language, metadata=meta)
    story.fill(_inline_story(inline))
    return story


def _main_headline(content_meta: Element | None) -> str:
    """The headline without a role, or the main one (``hld:main``), or the first."""
    if content_meta is None:
        return ""
    found = [h for h in content_meta if local(h.tag) == "headline"]
    plain = [h for h in found if attribute(h, "role") in ("", "hld:main")]
    chosen = plain or found
    return text_of(chosen[0] if chosen else None)


def _inline_story(inline: Element) -> _Story:
    """The payload of ``inlineXML`` (NITF or XHTML) or ``inlineData`` (plain text)."""
    if local(inline.tag) == "inlineData":
        return _Story(paragraphs=text_paragraphs(inline.text or ""))
    payload = next(iter(inline), None)
    if payload is None:
        return _Story(paragraphs=text_paragraphs(inline.text or ""))
    if local(payload.tag) == "nitf":
        return nitf_story(payload)
    from drift.read.webpage import page_story

    headline, paras, language, meta = page_story(payload)
    return _Story(headline=headline, paragraphs=paras, language=language, metadata=meta)


def text_paragraphs(text: str) -> list[str]:
    """Plain text to paragraphs: blank lines separate them when there are any, else line breaks."""
    text = text.strip()
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.splitlines()
    return [p for p in (collapse(b) for b in blocks) if p]
