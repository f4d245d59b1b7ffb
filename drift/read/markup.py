"""Story text out of element trees: shared by the NITF, NewsML-G2 and HTML readers.

Every reader turns its input into an ``xml.etree`` tree (HTML pages through a lenient
builder), so one walker decides what a paragraph is. Tags are compared by local
name, so namespaced and plain documents read the same.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from xml.etree.ElementTree import Element

#: Elements that start a new paragraph. NITF's ``hl2`` (a subhead) and ``block`` count.
BLOCK_TAGS = frozenset(
    """p div section article main header body blockquote li ul ol dl dt dd h1 h2 h3 h4 h5 h6
    hl1 hl2 pre table tr td th block body.content figure address center nitf html""".split()
)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
# What is left in front of a paragraph when its dateline or byline was taken out.
_LEAD = re.compile(r"^[\s\-\u2013\u2014:,|]+")
_OPEN, _TAIL, _CLOSE, _DROPPED = range(4)
# Stands in for a ``<br>`` in a text walk: one space, no children, no tail.
_BR = Element("br")
_BR.text = " "


def local(tag: object) -> str:
    """``{namespace}name`` -> ``name``; comments and processing instructions -> ''."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def collapse(text: str) -> str:
    """Runs of ASCII whitespace to one space: markup wraps lines freely, no-break spaces are kept."""
    return _SPACES.sub(" ", text).strip()


def child(el: Element | None, *path: str) -> Element | None:
    """The first element down ``path`` (local names), or None."""
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if local(c.tag) == name), None)
    return el


def descendants(el: Element, name: str) -> Iterator[Element]:
    """Every element below (and including) ``el`` with that local name, in document order."""
    return (d for d in el.iter() if local(d.tag) == name)


def first(el: Element, name: str) -> Element | None:
    return next(descendants(el, name), None)


def text_of(el: Element | None) -> str:
    """All text inside ``el``, whitespace collapsed; ``<br>`` counts as a space."""
    if el is None:
        return ""
    return collapse(_inner_text(el))


def _inner_text(el: Element) -> str:
    """Text and tails in document order, without recursion: hostile files nest thousands deep."""
    parts: list[str] = []
    stack: list[tuple[Element, bool]] = [(el, False)]  # (element, whether its tail is wanted)
    while stack:
        node, tail = stack.pop()
        if tail:
            parts.append(node.tail or "")
            continue
        parts.append(node.text or "")
        for c in reversed(node):
            stack.append((c, True))
            if local(c.tag) == "br":
                stack.append((_BR, False))
            else:
                stack.append((c, False))
    return "".join(parts)


def attribute(el: Element | None, name: str) -> str:
    """An attribute by local name (``xml:lang`` matches ``lang`` too), collapsed, or ''."""
    if el is None:
        return ""
    for key, value in el.attrib.items():
        if local(key) == name or key.split(":")[-1] == name:
            return collapse(value)
    return ""


def paragraphs(root: Element, drop: Callable[[Element], bool] = lambda el: False) -> list[str]:
    """The paragraphs under ``root``: block elements and ``<br>`` end one.

    ``drop(el)`` leaves an element (and everything inside it) out; the text after it
    still counts. A paragraph that lost its opening dateline or byline also loses the
    dash or colon that followed it. The walk keeps its own stack (no recursion), so
    a page nested thousands deep reads like any other, in time linear in its size.
    """
    out: list[str] = []
    buffer: list[str] = []
    written = False  # whether the buffer holds more than whitespace
    trim = False

    def add(text: str) -> None:
        nonlocal written
        if text:
            buffer.append(text)
            written = written or bool(text.strip())

    def flush() -> None:
        nonlocal trim, written
        text = collapse("".join(buffer))
        buffer.clear()
        if trim:
            text = _LEAD.sub("", text)
        trim = written = False
        if text:
            out.append(text)

    # (element, step): OPEN reads its start and text, TAIL the text after it, CLOSE ends a block.
    stack: list[tuple[Element, int]] = [(root, _OPEN)]
    while stack:
        el, step = stack.pop()
        if step == _TAIL:
            add(el.tail or "")
        elif step == _CLOSE:
            flush()
        elif step == _DROPPED:
            trim = trim or not written
        else:
            name = local(el.tag)
            block = name in BLOCK_TAGS
            if block or name == "br":
                flush()
            add(el.text or "")
            if block:
                stack.append((el, _CLOSE))
            for c in reversed(el):
                stack.append((c, _TAIL))
                stack.append((c, _DROPPED if drop(c) else _OPEN))
    flush()
    return out
