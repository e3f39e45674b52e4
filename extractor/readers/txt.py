"""Plain text: byte-order marks, UTF-8, UTF-16, Windows-1258 and legacy TCVN3 / VNI text.

Order of decisions:
1. a byte-order mark names the encoding (UTF-8, UTF-16, UTF-32);
2. NUL bytes mean UTF-16 without a mark, or else binary content;
3. valid UTF-8 is UTF-8, but it may still carry TCVN3/VNI look-alikes (text pasted from
   a ``.VnTime`` document), which are converted;
4. anything else is read as Windows-1258, TCVN3 and VNI, and the reading with the most
   valid Vietnamese syllables wins; if none reads as Vietnamese, charset-normalizer
   gets the last word (a Western or Asian code page), and failing that it is an error.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from . import legacy
from .base import ReadError

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls that never occur in text (tab, line feed, vertical tab, form feed,
# carriage return and the DOS end-of-file mark 0x1A are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 26))
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.02


def read_txt(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode a text file. Returns (text with ``\\n`` line ends, encoding, warnings)."""
    text, encoding, warnings = decode_bytes(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary_text(text):
        raise ReadError("binary", name, "binary content (control characters), not text")
    if not text.strip():
        raise ReadError("empty", name, "the file has no text (only whitespace)")
    return text, encoding, warnings


def decode_bytes(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode text bytes: (text, encoding, warnings); raises ReadError binary/encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, []
            except UnicodeDecodeError as exc:
                raise ReadError(
                    "encoding", name, f"starts with a {encoding} mark but is not valid "
                    f"{encoding} (byte {exc.start})"
                ) from exc
    if b"\x00" in data:
        guess = _utf16_without_bom(data)
        if guess is None:
            raise ReadError("binary", name, "binary content (NUL bytes), not text")
        return guess, "utf-16", ["UTF-16 text without a byte-order mark"]
    if _control_ratio(data) > _MAX_CONTROL_RATIO:
        raise ReadError("binary", name, "binary content (control characters), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        damaged = _utf8_with_few_bad_bytes(data)
        if damaged is None:
            return _decode_8bit(data, name)
        text, bad = damaged
        return text, "utf-8", [_replaced_warning(bad)]
    fixed, found = legacy.fix(text)
    if found:
        return fixed, found, [legacy.warning(found)]
    return text, "utf-8", []


_MAX_BAD_SEQUENCES = 16  # more than this, or over 1% of the bytes, is another encoding


def _utf8_with_few_bad_bytes(data: bytes) -> tuple[str, list[int]] | None:
    """UTF-8 with a few invalid byte sequences (a stray byte, a cut character): the text
    with U+FFFD in their place and their byte offsets; None when the damage is not small."""
    limit = min(_MAX_BAD_SEQUENCES, max(4, len(data) // 100))
    parts: list[str] = []
    bad: list[int] = []
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            return "\ufffd".join(parts), bad
        except UnicodeDecodeError as exc:
            parts.append(data[pos : pos + exc.start].decode("utf-8"))
            bad.append(pos + exc.start)
            pos += exc.end
            if len(bad) > limit:
                return None


def _replaced_warning(bad: list[int]) -> str:
    where = ", ".join(str(b) for b in bad[:5]) + (" …" if len(bad) > 5 else "")
    return (f"{len(bad)} invalid UTF-8 byte sequence(s) replaced by U+FFFD "
            f"(at byte {where})")  # fmt: skip


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text has NUL in every other byte for ASCII; try the likelier byte order."""
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    half = max(1, len(data) // 2)
    if max(even, odd) < 0.3 * half or min(even, odd) > 0.1 * half:
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if _looks_binary_text(text) else text


def _decode_8bit(data: bytes, name: str) -> tuple[str, str, list[str]]:
    candidates: list[tuple[str, str]] = []
    try:  # cp1258 stores tones as combining marks; compose them
        candidates.append(("cp1258", unicodedata.normalize("NFC", data.decode("cp1258"))))
    except UnicodeDecodeError:
        pass
    western = legacy.cp1252_text(data)
    for encoding in (legacy.TCVN3, legacy.VNI):
        candidates.append((encoding, unicodedata.normalize("NFC", legacy.convert(western,
                                                                                 encoding))))
    scored = [(legacy.score(text), encoding, text) for encoding, text in candidates]
    best_score, encoding, text = max(scored, key=lambda item: item[0].value)
    if best_score.valid > best_score.invalid:
        if encoding in legacy.LEGACY_NAMES:
            return text, encoding, [legacy.warning(encoding)]
        return text, encoding, ["not UTF-8: decoded as Windows-1258 (Vietnamese)"]
    return _fallback(data, name)


def _fallback(data: bytes, name: str) -> tuple[str, str, list[str]]:
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        raise ReadError(
            "encoding", name, "cannot decode the text: not UTF-8, UTF-16, Windows-1258, "
            "TCVN3 or VNI"
        )
    encoding = match.encoding
    return str(match), encoding, [f"not UTF-8 and not Vietnamese-looking; decoded as {encoding}"]


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample)


def _looks_binary_text(text: str) -> bool:
    sample = text[:65536]
    return bool(sample) and len(_CONTROL_CHARS.findall(sample)) / len(sample) > _MAX_CONTROL_RATIO
