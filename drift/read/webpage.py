"""Story text out of HTML article pages (and XHTML inside NewsML-G2).

A page is built into an element tree with the standard library's lenient HTML parser,
then site furniture is cut away: scripts, navigation, comments, share and "related"
widgets, captions. The story is the ``<article>`` (or ``itemprop=articleBody``,
``<main>``, ``<body>``) holding the most paragraph text; its headline is the ``<h1>``,
else ``og:title``. Bylines and datelines become metadata, never story text.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from xml.etree.ElementTree import Element

from drift.article import Article, article_from_parts
from drift.read.markup import attribute, descendants, first, local, paragraphs, text_of

#: Elements that never hold story text.
FURNITURE_TAGS = frozenset(
    """script style noscript template svg nav aside footer form iframe button select option textarea
    figure figcaption canvas object embed video audio dialog menu head title address""".split()
)
FURNITURE_ROLES = frozenset("navigation banner complementary contentinfo search dialog menu menubar".split())
# class/id words of widgets around a story; matched as whole words of the attribute.
_FURNITURE_NAMES = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|comments?|related|promo|advert|advertisement|ads?|newsletter|"
    r"subscribe|cookies?|breadcrumbs?|sidebar|menu|nav|navbar|footer|widget|recirc|most-read|popular|"
    r"tags|caption|credits?|byline|author|dateline|timestamp)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"(?:^|[\s_-])(?:byline|author)(?:$|[\s_-])", re.IGNORECASE)
_DATELINE = re.compile(r"(?:^|[\s_-])dateline(?:$|[\s_-])", re.IGNORECASE)
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: Elements nest at most this deep; deeper ones become children of the last element at this depth.
MAX_DEPTH = 512
# Opening one of these closes an open element of the same kind (``<p>a<p>b``).
_SELF_CLOSING_SIBLINGS = frozenset("p li dt dd tr td th option".split())


class _TreeBuilder(HTMLParser):
    """Real-world HTML to an element tree: void elements, unclosed ``<p>`` and stray end tags.

    Linear in the page whatever its nesting: open tags are counted, not searched, and
    like a browser (Chromium stops at 512) elements deeper than ``MAX_DEPTH`` are
    attached at that depth rather than nested further.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document")
        self.stack = [self.root]
        self.open: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SELF_CLOSING_SIBLINGS and self.open[tag]:
            self._close(tag)
        el = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].append(el)
        if tag not in VOID_TAGS and len(self.stack) <= MAX_DEPTH:
            self.stack.append(el)
            self.open[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if self.open[tag]:
            self._close(tag)

    def _close(self, tag: str) -> None:
        while len(self.stack) > 1:
            closed = self.stack.pop().tag
            self.open[closed] -= 1
            if closed == tag:
                return

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data

def parse_html(text: str) -> Element:
    """A lenient element tree of an HTML page; never fails on bad markup."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def is_furniture(el: Element) -> bool:
    """Scripts, navigation, widgets, captions, bylines: page parts that are not the story."""
    if local(el.tag) in FURNITURE_TAGS or attribute(el, "role").lower() in FURNITURE_ROLES:
        return True
    if attribute(el, "hidden") or attribute(el, "aria-hidden") == "true":
        return True
    names = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(_FURNITURE_NAMES.search(names))


def _story_root(page: Element) -> Element:
    """The container with the most story text among article bodies, articles and mains."""
    def score(el: Element) -> int:
        return sum(map(len, paragraphs(el, is_furniture)))

    for wanted in (lambda el: attribute(el, "itemprop") == "articleBody",
                   lambda el: local(el.tag) == "article",
                   lambda el: local(el.tag) == "main" or attribute(el, "role") == "main"):
        scored = [(score(el), el) for el in _outermost(page, wanted)]
        best = max(scored, key=lambda pair: pair[0], default=(0, page))
        if best[0] > 0:
            return best[1]
    body = first(page, "body")
    return page if body is None else body


def _outermost(page: Element, wanted: Callable[[Element], bool]) -> list[Element]:
    """The elements ``wanted`` picks, less those inside another one's story text.

    Such an element's paragraphs are part of the outer one's, so it never scores more,
    and scoring each of a thousand nested ``<article>``s would take quadratic time. One
    behind furniture (an ``<aside>`` of related articles) is not inside the story text.
    """
    found: list[Element] = []
    stack: list[tuple[Element, bool]] = [(page, False)]  # (element, inside a wanted one's story text)
    while stack:
        el, inside = stack.pop()
        picked = wanted(el)
        if picked and not inside:
            found.append(el)
        for c in reversed(el):
            stack.append((c, (picked or inside) and not is_furniture(c)))
    return found


def _meta(page: Element) -> dict[str, str]:
    """``<meta property|name=... content=...>`` by lower-cased key."""
    out: dict[str, str] = {}
    for m in descendants(page, "meta"):
        key = (attribute(m, "property") or attribute(m, "name") or attribute(m, "itemprop")).lower()
        if key and attribute(m, "content"):
            out.setdefault(key, attribute(m, "content"))
    return out


def page_story(page: Element) -> tuple[str, list[str], str, dict[str, str]]:
    """(headline, paragraphs, language, metadata) of an HTML or XHTML page tree."""
    root = _story_root(page)
    meta = _meta(page)
    h1 = first(root, "h1")
    if h1 is None:
        h1 = first(page, "h1")
    headline = text_of(h1) or meta.get("og:title", "") or meta.get("twitter:title", "")
    marked = [el for el in root.iter() if el is not root and is_furniture(el)]
    byline = next((text_of(el) for el in marked if _BYLINE.search(f"{el.get('class', '')} {el.get('id', '')}")), "")
    dateline = next((text_of(el) for el in marked
                     if _DATELINE.search(f"{el.get('class', '')} {el.get('id', '')}")), "")
    html = first(page, "html")
    metadata = {
        "headline": headline,
        "agency": meta.get("og:site_name", "") or meta.get("publisher", ""),
        "byline": byline or meta.get("author", "") or meta.get("article:author", ""),
        "dateline": dateline,
        "published": meta.get("article:published_time", "") or meta.get("datepublished", "")
        or meta.get("date", ""),
        "version": meta.get("article:modified_time", ""),
        "url": meta.get("og:url", ""),
    }
    language = (attribute(html, "lang") or attribute(page, "lang") or meta.get("og:locale", "")
                or meta.get("content-language", "") or meta.get("language", ""))
    paras = paragraphs(root, lambda el: is_furniture(el) or el is h1)
    return headline, paras, language, {k: v for k, v in metadata.items() if v}


def read_webpage(text: str, label: str, stem: str) -> Article:
    """The story on an HTML article page, as an Article."""
    headline, paras, language, metadata = page_story(parse_html(text))
    if not paras:
        from drift.errors import InputError

        raise InputError(f"{label}: no story paragraphs found in the HTML page; "
                         "give the article page itself, not an index or an empty template")
    return article_from_parts(headline, paras, id=stem, source=label, language=language,
                              published=metadata.get("published"),
                              metadata={"path": label, "format": "html", **metadata})
