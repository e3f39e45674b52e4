"""HTML pages: the main article text (trafilatura, offline) and its publication date.

Extraction favours recall (a conclusion notice may be long and list-like) and leaves out
comments; navigation, sidebars and footers are dropped by trafilatura. Paragraph breaks
come out as ``\\n``; list items as "- item". When trafilatura finds no article, its
baseline extractor (all body text) is used with a warning. The date is taken only from
the page's own metadata (``article:published_time``, ``<time>``, JSON-LD ...), never
guessed from URLs or free text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from . import legacy
from .base import ReadError
from .txt import decode_bytes

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def read_html(data: bytes, name: str) -> tuple[str, str | None, list[str], str | None]:
    """Return (text, encoding, warnings, ISO publication date or None)."""
    import trafilatura

    markup, encoding, warnings = _decode_html(data, name)
    result = trafilatura.bare_extraction(
        markup,
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    published = getattr(result, "date", None) if result is not None else None
    if not text:
        text = (trafilatura.baseline(markup)[1] or "").strip()
        if text:
            warnings.append("no main article found; using all text of the page")
    if not text:
        raise ReadError("empty", name, "no text could be extracted from the HTML page")
    if encoding not in legacy.LEGACY_NAMES:
        text, found = legacy.fix(text)
        if found:
            encoding = found
            warnings.append(legacy.warning(found))
    return text, encoding, warnings, published or None


def _decode_html(data: bytes, name: str) -> tuple[str, str, list[str]]:
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                         codecs.BOM_UTF16_BE)):  # fmt: skip
        charset = declared.group(1).decode("ascii", "replace").lower()
        try:
            codecs.lookup(charset)
            markup = data.decode(charset)
            return unicodedata.normalize("NFC", markup), charset, []
        except (LookupError, UnicodeDecodeError):
            pass  # wrong or unknown declaration: detect instead
    markup, encoding, warnings = decode_bytes(data, name)
    return markup, encoding, list(warnings)
