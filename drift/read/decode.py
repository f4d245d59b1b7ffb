"""Bytes to text: UTF-8 (with or without BOM), UTF-16/32 with a BOM, an XML declaration's encoding,
or the caller's ``encoding``; and bytes from files, devices and pipes, never more than the limit.

Text is kept exactly as decoded (only a BOM is dropped) because every sentence
offset in a report points into it. A problem is one InputError naming the file
and the encoding to try.
"""
from __future__ import annotations

import codecs
import os
import re
import select
import stat
import unicodedata
from pathlib import Path
from typing import BinaryIO

from drift.errors import ArgumentError, ConfigError, InputError, Param, given, param, suggested, type_name
from drift.limits import MAX_BYTES, amount, raise_hint
from drift.read.formats import SNIFF_CHARS

#: How long a named pipe (FIFO) may go without a writer before reading it is given up.
FIFO_TIMEOUT = 10.0
_CHUNK = 1 << 20
# ``<?xml version="1.0" encoding="ISO-8859-1"?>``: the encoding an XML file says it is in.
_XML_DECLARATION = re.compile(rb"\s*<\?xml\s[^>]{0,200}?\bencoding\s*=\s*[\"']([A-Za-z][\w.:-]{0,39})[\"']")
# Share of odd (or even) bytes that are NUL in UTF-16 text of a Latin-script language.
_WIDE_NULS = 0.3


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


def _wide_without_bom(data: bytes) -> str | None:
    """'utf-16-le', 'utf-32-be'... when NUL bytes fall where that encoding puts them, else None."""
    for width, codec in ((4, "utf-32"), (2, "utf-16")):
        head = data[:SNIFF_CHARS - SNIFF_CHARS % width]
        head = head[:len(head) - len(head) % width]
        if len(head) < 2 * width:
            continue
        units = len(head) // width
        zero = [head[i::width].count(0) / units for i in range(width)]
        if width == 4:
            order = "le" if min(zero[1:]) > _WIDE_NULS and zero[0] < 0.05 else \
                "be" if min(zero[:3]) > _WIDE_NULS and zero[3] < 0.05 else None
        else:
            order = "le" if zero[1] > _WIDE_NULS and zero[0] < 0.05 else \
                "be" if zero[0] > _WIDE_NULS and zero[1] < 0.05 else None
        if order is not None:
            name = f"{codec}-{order}"
            try:
                head.decode(name)
            except UnicodeDecodeError:
                continue
            return name
    return None


def _declared_encoding(data: bytes, label: str) -> str | None:
    """The encoding an XML declaration names, checked; None when there is no declaration."""
    m = _XML_DECLARATION.match(data[:300])
    if m is None:
        return None
    declared = m.group(1).decode("ascii")
    try:
        _text_codec(declared)
    except (LookupError, UnicodeError) as e:
        raise InputError(f"{label}: the XML declaration names encoding {declared!r}, which is no text encoding "
                         "Python knows; pass ", param("encoding"), " with the file's real encoding") from e
    return declared


def _text_codec(encoding: str) -> str:
    """The codec's canonical name; LookupError (or UnicodeError) when it is unknown or no bytes-to-text codec.

    rot13, base64, hex, zlib... are codecs too, but turn bytes into bytes or text into text:
    ``b"".decode`` refuses them, so no check of a private CodecInfo flag is needed.
    """
    name = codecs.lookup(encoding).name
    b"".decode(name)
    "".encode(name)
    return name


def check_encoding(encoding: object, caller: str = "decode") -> str | None:
    """A caller's encoding, checked once where it is taken: None, or a text codec Python knows.

    Without this a rot13 or a number would fail deep inside the first read as a raw
    LookupError or TypeError instead of one line that names it.
    """
    if encoding is None:
        return None
    if not isinstance(encoding, str):
        raise ArgumentError(f"{caller}: encoding must be a codec name such as 'utf-8' or None, "
                            f"not {type_name(encoding)}")
    fix = "give a Python codec name such as utf-8 or latin-1"
    try:
        codecs.lookup(encoding)
    except LookupError as e:
        raise ConfigError(given("encoding", encoding), f": unknown encoding; {fix}") from e
    try:
        _text_codec(encoding)
    except (LookupError, UnicodeError) as e:
        raise ConfigError(given("encoding", encoding),
                          f": not a text encoding (it does not turn bytes into text); {fix}") from e
    return encoding


def _implausible(data: bytes, text: str, name: str) -> str | None:
    """Why text decoded with a caller's encoding is mojibake rather than what was meant, or None."""
    if name in ("utf-8", "utf-8-sig", "ascii"):
        return None
    if data.isascii() and not name.startswith(("utf-16", "utf-32")):
        return None  # most 8-bit encodings read ASCII as ASCII: nothing to tell
    try:
        data[:SNIFF_CHARS * 4].decode("utf-8")
    except UnicodeDecodeError as e:
        if e.reason != "unexpected end of data" or len(data) <= SNIFF_CHARS * 4:
            return _odd_characters(text)
    if b"\x00" not in data[:SNIFF_CHARS]:
        return "the bytes are valid UTF-8"
    return _odd_characters(text)


def _odd_characters(text: str) -> str | None:
    head = text[:SNIFF_CHARS]
    odd = sum(1 for c in head if unicodedata.category(c) in ("Cn", "Co", "Cs", "Cc") and c not in "\t\n\r\f")
    if head and odd / len(head) > 0.1:
        return f"{odd} of its first {len(head)} characters are unassigned, private or control characters"
    return None


def decode(data: bytes, label: str, encoding: str | None = None) -> str:
    """Bytes to text, or an InputError that says which ``encoding`` to try.

    Without ``encoding``: UTF-8, or UTF-16/32 when the data starts with their BOM
    (Windows "Unicode" text), which would otherwise look binary, or the encoding an
    XML declaration names. A given ``encoding`` that turns the bytes into mojibake
    (UTF-8 read as UTF-16, say) is an error rather than silently wrong text.
    """
    check_encoding(encoding)
    enc = encoding or _bom_encoding(data) or _declared_encoding(data, label) or "utf-8"
    name = codecs.lookup(enc).name
    wide = name.startswith(("utf-16", "utf-32"))
    if not wide and _is_binary(data):
        guess = _wide_without_bom(data)
        if guess is not None:
            raise InputError(f"{label}: looks like {guess.upper()} text without a byte-order mark; pass ",
                             suggested("encoding", guess))
        raise InputError(f"{label}: binary file, not text; give a .txt, .md, .json or .jsonl article")
    try:
        text = data.decode("utf-8-sig" if name == "utf-8" else enc)
    except UnicodeDecodeError as e:
        why = _implausible(data, "", name) if encoding is not None else None
        if why is not None:
            raise _wrong_encoding(label, encoding or "", why) from e
        byte = data[e.start:e.start + 1].hex()
        if name == "utf-8":
            fix: tuple[str | Param, ...] = ("pass ", param("encoding"), " (e.g. ", suggested("encoding", "latin-1"),
                                            ")")
            what = "UTF-8"
        else:
            fix = ("pass another ", param("encoding"))
            what = enc
        raise InputError(f"{label}: not valid {what} (byte 0x{byte} at offset {e.start}); ", *fix) from e
    if wide and "\x00" in text[:SNIFF_CHARS]:
        raise InputError(f"{label}: binary file, not text; give a .txt, .md, .json or .jsonl article")
    if encoding is not None:
        why = _implausible(data, text, name)
        if why is not None:
            raise _wrong_encoding(label, encoding, why)
    return text.removeprefix("\ufeff")


def _wrong_encoding(label: str, encoding: str, why: str) -> InputError:
    return InputError(f"{label}: ", suggested("encoding", encoding), f" gives implausible text ({why}); drop ",
                      param("encoding"), " or pass the file's real encoding (e.g. ", suggested("encoding", "utf-8"),
                      ")")


def read_bytes(path: Path, label: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a file, device or named pipe; never more than ``max_bytes`` (``/dev/zero`` fails fast)."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise _too_large(label, max_bytes)
        fifo = stat.S_ISFIFO(info.st_mode)
        fd = os.open(path, os.O_RDONLY | (os.O_NONBLOCK if fifo else 0))
        with open(fd, "rb", buffering=0) as f:
            first = _wait_for_writer(fd, label) if fifo else b""
            return first + read_limited(f, label, max_bytes - len(first))
    except FileNotFoundError as e:
        raise InputError(f"{label}: no such file; check the path") from e
    except IsADirectoryError as e:
        raise InputError(f"{label}: is a directory; give an article file, or pass it to read_articles") from e
    except PermissionError as e:
        raise InputError(f"{label}: permission denied; make the file readable") from e
    except OSError as e:
        raise InputError(f"{label}: cannot read ({e.strerror}); check the file") from e


def read_limited(stream: BinaryIO, label: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Read to the end in chunks, or raise as soon as more than ``max_bytes`` came (stdin, devices)."""
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = stream.read(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise _too_large(label, max_bytes)
    return b"".join(chunks)


def _too_large(label: str, max_bytes: int) -> InputError:
    return InputError(f"{label}: larger than the limit of {amount(max_bytes)} bytes per input; "
                      f"give a smaller file, or {raise_hint('max_bytes')}")


def _wait_for_writer(fd: int, label: str) -> bytes:
    """Wait up to FIFO_TIMEOUT s for a named pipe's writer, then read it blocking; returns a byte read early.

    Opening a FIFO that nobody writes blocks forever, so it is opened non-blocking:
    with no writer, ``read`` says end of file; with a silent writer, "try again".
    """
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    first = b""
    if not poller.poll(int(FIFO_TIMEOUT * 1000)):
        try:
            first = os.read(fd, 1)
        except BlockingIOError:
            first = b""  # a writer is connected, only slow: wait for it as for any pipe
        else:
            if not first:
                raise InputError(f"{label}: named pipe (FIFO) with no writer after {FIFO_TIMEOUT:g} s; start the "
                                 "program that writes to it first, or pipe the text to stdin (-)")
    os.set_blocking(fd, True)
    return first
