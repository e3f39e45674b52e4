"""Types shared by every reader: the result, the error, and small helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

ERROR_KINDS = frozenset({
    "not_found", "permission", "empty", "binary", "encoding", "corrupt", "unsupported",
    "scanned_pdf", "too_large", "is_directory", "symlink_loop",
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
        super().__init__(f"{path}: {self.detail}")

    def __reduce__(self):  # pickling (worker processes) and copy need the three arguments
        return (type(self), (self.kind, self.path, self.detail))


def one_line(text: str, limit: int = 300) -> str:
    """Collapse a (library) message to one short line, for error texts."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
