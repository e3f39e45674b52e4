"""Readers: turn a .txt, .docx, .pdf or .html file (or its bytes) into Unicode text.

The readers return raw decoded text; normalization (NFC, tone placement, spaces) is the
next stage (:mod:`extractor.normalize`). The format is chosen by content as well as by
extension (:mod:`.detect`). Every failure is a :class:`ReadError` with a ``kind`` and a
one-line message that names the file.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat

from .base import DEFAULT_MAX_BYTES, ERROR_KINDS, RawDocument, ReadError, check_text_size
from .detect import sniff

_MB = 1024 * 1024

__all__ = [
    "DEFAULT_MAX_BYTES", "ERROR_KINDS", "RawDocument", "ReadError", "read_bytes",
    "read_document",
]  # fmt: skip


def read_document(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read the file at ``path``.

    Raises :class:`ReadError` (kinds ``not_found``, ``permission``, ``is_directory``,
    ``symlink_loop``, ``too_large`` before reading; then the content kinds of
    :func:`read_bytes`).
    """
    name = os.fspath(path)
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError("is_directory", name, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device could block or never end
            raise ReadError("unsupported", name, "not a regular file (device, pipe or socket)")
        _check_size(info.st_size, max_bytes, name)
        with open(name, "rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may grow after stat
    except ReadError:
        raise
    except FileNotFoundError as exc:
        raise ReadError("not_found", name, "no such file") from exc
    except IsADirectoryError as exc:
        raise ReadError("is_directory", name, "is a directory, not a file") from exc
    except PermissionError as exc:
        raise ReadError("permission", name, "permission denied (cannot read the file)") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError("symlink_loop", name, "symbolic link loop") from exc
        if exc.errno == errno.ENAMETOOLONG:
            raise ReadError("not_found", name, "file name too long") from exc
        raise ReadError("permission", name, f"cannot open the file: {exc.strerror}") from exc
    _check_size(len(data), max_bytes, name)
    return read_bytes(data, name=name, max_bytes=max_bytes)


def read_bytes(
    data: bytes, *, name: str = "<stdin>", max_bytes: int = DEFAULT_MAX_BYTES
) -> RawDocument:
    """Read a document given as bytes (standard input, an HTTP upload).

    ``name`` is used in messages and, through its extension, as a hint to the format.
    Raises :class:`ReadError` with kind ``too_large``, ``empty``, ``binary``,
    ``encoding``, ``corrupt``, ``unsupported`` or ``scanned_pdf``.
    """
    _check_size(len(data), max_bytes, name)
    if not data:
        raise ReadError("empty", name, "the file is empty (0 bytes)")
    digest = hashlib.sha256(data).hexdigest()
    fmt, warnings = sniff(data, name)
    published = None
    if fmt == "docx":
        from .docx import read_docx

        text, encoding, more = read_docx(data, name)
    elif fmt == "pdf":
        from .pdf import read_pdf

        text, encoding, more = read_pdf(data, name)
    elif fmt == "html":
        from .html import read_html

        text, encoding, more, published = read_html(data, name)
    else:
        from .txt import read_txt

        text, encoding, more = read_txt(data, name)
    text = check_text_size(text.replace("\r\n", "\n").replace("\r", "\n"), name)
    if not text.strip():
        raise ReadError("empty", name, f"no text in the {fmt.upper()} file")
    return RawDocument(
        text=text,
        format=fmt,
        sha256=digest,
        encoding=encoding,
        warnings=tuple(warnings + list(more)),
        published=published,
    )


def _check_size(size: int, max_bytes: int, name: str) -> None:
    if size > max_bytes:
        raise ReadError(
            "too_large", name,
            f"file too large: {size / _MB:.1f} MB, the limit is {max_bytes / _MB:.1f} MB",
        )  # fmt: skip
