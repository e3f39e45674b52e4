"""Choose the reader by content first and by file extension second.

The magic bytes win over the name: a ``.txt`` that is a zip with ``word/document.xml``
is read as DOCX, a PDF named ``.doc`` as PDF, HTML saved as ``.txt`` as HTML; each such
mismatch is reported as a warning. Formats we cannot read raise ``unsupported``.
"""

from __future__ import annotations

import io
import os
import re
import zipfile

from .base import MAX_XML_PART, MAX_ZIP_ENTRIES, MAX_ZIP_UNCOMPRESSED, ReadError, too_large

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_OLE_NAMES = {
    ".xls": "old Excel .xls", ".ppt": "old PowerPoint .ppt", ".msg": "Outlook .msg",
}  # fmt: skip
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
)
_ARCHIVES = (
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x1f\x8b", "gzip archive"),
)
_EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "txt", ".csv": "txt", ".log": "txt", "": "txt",
    ".docx": "docx", ".docm": "docx", ".dotx": "docx",
    ".pdf": "pdf",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
}  # fmt: skip
_UNSUPPORTED_EXT = {
    ".doc": "old Word .doc", ".dot": "old Word .dot", ".rtf": "RTF", ".odt": "OpenDocument .odt",
    ".xls": "Excel .xls", ".xlsx": "Excel .xlsx", ".ppt": "PowerPoint .ppt",
    ".pptx": "PowerPoint .pptx", ".zip": "zip archive", ".rar": "RAR archive",
    ".png": "PNG image", ".jpg": "JPEG image", ".jpeg": "JPEG image", ".tif": "TIFF image",
    ".tiff": "TIFF image",
}  # fmt: skip
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S
)
_HTML_INSIDE = re.compile(rb"<(html|body|head)[\s>]|<meta\s+[^>]*charset", re.I)


def sniff(data: bytes, name: str) -> tuple[str, list[str]]:
    """Return (format, warnings) for ``data``; raise :class:`ReadError` if unsupported."""
    ext = os.path.splitext(name)[1].lower()
    fmt = _by_content(data, name, ext)
    if fmt is None:
        fmt = _by_extension(name, ext)
    warnings = []
    named = _EXTENSIONS.get(ext)
    if named is not None and named != fmt and ext:
        warnings.append(f"content is {fmt.upper()} although the name ends in {ext}")
    return fmt, warnings


def _by_content(data: bytes, name: str, ext: str) -> str | None:
    head = data[:1024]
    if data.startswith(OLE_MAGIC):
        what = _OLE_NAMES.get(ext, "old Word .doc")
        target = ".docx" if "Word" in what else "a current format"
        raise ReadError("unsupported", name, f"unsupported format ({what}): convert to {target}")
    if data.startswith(b"%PDF-") or (ext == ".pdf" and b"%PDF-" in head):
        return "pdf"  # the spec lets the header sit anywhere in the first 1024 bytes
    if data.startswith(ZIP_MAGICS):
        return _zip_kind(data, name, ext)
    if data.lstrip().startswith(b"{\\rtf"):
        raise ReadError("unsupported", name, "unsupported format (RTF): convert to .docx")
    for magic, what in _IMAGES:
        if data.startswith(magic):
            raise ReadError(
                "unsupported", name, f"unsupported format ({what}): OCR it to text first"
            )
    for magic, what in _ARCHIVES:
        if data.startswith(magic):
            raise ReadError("unsupported", name, f"unsupported format ({what}): unpack it first")
    text_head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(text_head):
        return "html"
    if ext in (".txt", ".text", "") and _HTML_INSIDE.search(text_head):
        return "html"
    return None


def _zip_kind(data: bytes, name: str, ext: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        what = "DOCX" if ext in (".docx", ".docm", ".dotx", ".txt", "") else "zip"
        raise ReadError(
            "corrupt", name, f"corrupt {what} file (zip archive truncated or damaged: {exc})"
        ) from exc
    _check_expansion(entries, name)
    names = {e.filename for e in entries}
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        what = "Excel .xlsx"
    elif any(n.startswith("ppt/") for n in names):
        what = "PowerPoint .pptx"
    elif "content.xml" in names:
        what = "OpenDocument"
    elif ext in (".docx", ".docm", ".dotx"):
        raise ReadError("corrupt", name, "corrupt DOCX file (no word/document.xml in the zip)")
    else:
        what = "zip archive"
    raise ReadError("unsupported", name, f"unsupported format ({what}): save it as .docx")


def _check_expansion(entries: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a zip whose declared sizes exceed the limits (zipfile reads no more than it
    declares, so the header is a bound on what parsing can inflate)."""
    if len(entries) > MAX_ZIP_ENTRIES:
        raise too_large(name, "too many parts in the zip archive", len(entries),
                        MAX_ZIP_ENTRIES, "entries")  # fmt: skip
    total = sum(e.file_size for e in entries)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise too_large(name, "the archive expands too far", total, MAX_ZIP_UNCOMPRESSED)
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")) and entry.file_size > MAX_XML_PART:
            raise too_large(name, f"{entry.filename} expands too far", entry.file_size,
                            MAX_XML_PART)  # fmt: skip


def _by_extension(name: str, ext: str) -> str:
    if ext in _UNSUPPORTED_EXT:
        what = _UNSUPPORTED_EXT[ext]
        hint = ": convert to .docx" if "Word" in what or what == "RTF" else ""
        raise ReadError("unsupported", name, f"unsupported format ({what}){hint}")
    fmt = _EXTENSIONS.get(ext, "txt")
    if fmt == "docx":
        raise ReadError("corrupt", name, "corrupt DOCX file (not a zip archive)")
    if fmt == "pdf":
        raise ReadError("corrupt", name, "corrupt PDF file (no %PDF header)")
    return fmt
