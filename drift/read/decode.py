"""Bytes to text: UTF-8 (with or without BOM), UTF-16/32 with a BOM, or the caller's --encoding.

Text is kept exactly as decoded (only a BOM is dropped) because every sentence
offset in a report points into it. A problem is one InputError naming the file
and the encoding to try.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from drift.errors import ConfigError, InputError
from drift.read.formats import SNIFF_CHARS


def _is_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not something a person wrote as text."""
    head = data[:SNIFF_CHARS]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return name
    return None


def decode(data: bytes, label: str, encoding: str | None = None) -> str:
    """Bytes to text, or an InputError that says which --encoding to try.

    Without ``encoding``: UTF-8, or UTF-16/32 when the data starts with their BOM
    (Windows "Unicode" text), which would otherwise look binary.
    """
    enc = encoding or _bom_encoding(data) or "utf-8"
    try:
        name = codecs.lookup(enc).name
    except LookupError as e:
        raise ConfigError(
            f"--encoding {enc!r}: unknown encoding; give a Python codec name such as utf-8 or latin-1"
        ) from e
    wide = name.startswith(("utf-16", "utf-32"))
    if not wide and _is_binary(data):
        raise InputError(f"{label}: binary file, not text; give a .txt, .md, .json or .jsonl article")
    try:
        text = data.decode("utf-8-sig" if name == "utf-8" else enc)
    except UnicodeDecodeError as e:
        byte = data[e.start:e.start + 1].hex()
        if name == "utf-8":
            fix = "pass --encoding (e.g. --encoding latin-1)"
            what = "UTF-8"
        else:
            fix = "pass another --encoding"
            what = enc
        raise InputError(f"{label}: not valid {what} (byte 0x{byte} at offset {e.start}); {fix}") from e
    if wide and "\x00" in text[:SNIFF_CHARS]:
        raise InputError(f"{label}: binary file, not text; give a .txt, .md, .json or .jsonl article")
    return text.removeprefix("\ufeff")


def read_bytes(path: Path, label: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as e:
        raise InputError(f"{label}: no such file") from e
    except IsADirectoryError as e:
        raise InputError(f"{label}: is a directory; give an article file, or pass it to read_articles") from e
    except PermissionError as e:
        raise InputError(f"{label}: permission denied; make the file readable") from e
    except OSError as e:
        raise InputError(f"{label}: cannot read ({e.strerror}); check the file") from e

