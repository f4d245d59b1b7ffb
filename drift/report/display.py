"""Input text made safe to show: control characters, bidi overrides and terminal escapes neutralised.

Wire copy is untrusted. Printed raw, an ESC sequence retitles the terminal or
hides text, a U+202E shows a sentence reversed next to a pair that says "same
meaning", and a newline in an id forges report lines. Every view that shows
input text (text, HTML, the CLI's lines) passes it through ``shown``; the JSON
formats keep the exact text, since offsets index it.
"""
from __future__ import annotations

import re

# C0 controls (a tab is made a space apart), DEL and C1 controls (ESC, CSI, NEL...), the line and
# paragraph separators, the bidi embeddings, overrides and isolates that reorder what follows, and the
# tag characters (U+E0000-U+E007F), invisible copies of ASCII that can carry a hidden sentence.
# Bidi *marks* (LRM, RLM, ALM) and joiners stay: Arabic, Hebrew and Persian text needs them.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]")


_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                                else f"\\U{code:08x}")


def shown(text: str) -> str:
    """``text`` with every unsafe character written as a visible escape, on one line.

    ``"a\\nb"`` shows as ``a\\nb``; ``"\\x1b]0;pwned\\x07"`` as ``\\x1b]0;pwned\\x07``; U+202E as
    ``\\u202e``; a tag character as ``\\U000e0041``; a tab as a space. Everything else, every script and
    accent, comes out unchanged.
    """
    return _UNSAFE.sub(_escape, text.replace("\t", " "))
