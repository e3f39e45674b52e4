"""Types shared by every reader: the result, the error, and small helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_MB = 1024 * 1024

# What an input may expand to, checked before the memory is spent (zip bombs, PDFs of
# thousands of pages). A real 300-page notice is far below each.
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_UNCOMPRESSED = 128 * _MB  # all entries of a .docx together
MAX_XML_PART = 32 * _MB  # one XML part (word/document.xml): ~16 s and ~400 MB to parse
MAX_PDF_PAGES = 2000
MAX_TEXT_CHARS = 20_000_000  # characters a reader may return

ERROR_KINDS = frozenset({
    "not_found", "permission", "empty", "binary", "encoding", "corrupt", "unsupported",
    "scanned_pdf", "too_large", "is_directory", "symlink_loop", "outside_root",
})  # fmt: skip


@dataclass(frozen=True)
class RawDocument:
    """A document read from disk or bytes, before normalization.

    ``text`` is decoded Unicode with paragraphs separated by ``"\\n"``; ``sha256`` is the
    digest of the raw bytes; ``encoding`` is set for text files (``"utf-8"``,
    ``"cp1258"``, ``"tcvn3"``, ...) and for legacy-font text found in other formats;
    ``published`` is an ISO date, for HTML pages that give one.
    """

    text: str
    format: str
    sha256: str
    encoding: str | None
    warnings: tuple[str, ...]
    published: str | None = None


class ReadError(Exception):
    """A file that cannot be read. ``str(error)`` is one line and names the file.

    ``kind`` is one of :data:`ERROR_KINDS`; ``path`` is the file name as given.
    """

    def __init__(self, kind: str, path: str, detail: str) -> None:
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown ReadError kind {kind!r}")
        self.kind = kind
        self.path = path
        self.detail = one_line(detail)
        super().__init__(f"{printable(path)}: {self.detail}")

    def __reduce__(self):  # pickling (worker processes) and copy need the three arguments
        return (type(self), (self.kind, self.path, self.detail))


def too_large(name: str, what: str, size: float, limit: float, unit: str = "MB") -> ReadError:
    """The ``too_large`` error for an input that would expand past a limit."""
    def show(value: float) -> str:
        return f"{value / _MB:.1f} MB" if unit == "MB" else f"{int(value):,} {unit}"

    return ReadError("too_large", name, f"{what}: {show(size)}, the limit is {show(limit)}")


def check_text_size(text: str, name: str) -> str:
    """``text`` if it is within :data:`MAX_TEXT_CHARS`, else ``too_large``."""
    if len(text) > MAX_TEXT_CHARS:
        raise too_large(name, "too much text", len(text), MAX_TEXT_CHARS, "characters")
    return text


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with control characters escaped, so that a file name holding a newline
    cannot split a one-line message."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def one_line(text: str, limit: int = 300) -> str:
    """Collapse a (library) message to one short line, for error texts."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
