"""PDF text layer (pdfplumber): lines in reading order, page furniture removed, paragraphs joined.

- Page furniture: among the first and last three lines of each page, a line that repeats
  (digits ignored) on at least 60% of the pages is a running header or footer; a line
  that is only a page number ("3", "- 3 -", "Trang 2/5", "Page 2 of 5") at the top or
  bottom of a page is dropped.
- Paragraphs: a line is joined to the next only when it is a soft wrap, i.e. the next
  line's first word would not have fitted on it, it does not end a sentence or clause
  (. ; : ! ?), neither line is an all-capitals heading and the next line does not start
  a list item ("1.", "a)", "-", "II."). A trailing hyphen is kept (Vietnamese does not
  hyphenate, so it is a real hyphen) and the lines are joined without a space.
- No text on any page: ``scanned_pdf``. Fonts named ``.Vn*`` or ``VNI*`` mean a legacy
  encoding; such text is converted.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass

from . import legacy
from .base import MAX_PDF_PAGES, MAX_TEXT_CHARS, ReadError, one_line, too_large

_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|của|trên|of)\s*\d{1,4})?[-–—\s]*$", re.I
)
_LIST_START = re.compile(
    r"^(?:\d+(?:\.\d+)*[.)]|[a-zđ][.)]|[IVXLC]+[.)]|[-–•+*·▪●○])(?:\s|$)"
)
_ENDS_CLAUSE = re.compile(r"[.;:!?…]$|\./\.$")
_FURNITURE_SPAN = 3


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def read_pdf(data: bytes, name: str) -> tuple[str, str | None, list[str]]:
    """Return (text, legacy encoding found or None, warnings)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    pages: list[list[_Line]] = []
    fonts: Counter[str] = Counter()
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise too_large(name, "too many pages", len(pdf.pages), MAX_PDF_PAGES, "pages")
            chars = 0
            for page in pdf.pages:
                lines = [
                    _Line(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"])
                    for ln in page.extract_text_lines(strip=True, return_chars=False)
                    if ln["text"].strip()
                ]
                pages.append(lines)
                chars += sum(len(ln.text) + 1 for ln in lines)
                if chars > MAX_TEXT_CHARS:
                    raise too_large(name, "too much text", chars, MAX_TEXT_CHARS, "characters")
                fonts.update(c.get("fontname", "") for c in page.chars)
                page.flush_cache()
    except (PdfminerException, MalformedPDFException) as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
            raise ReadError("unsupported", name, "encrypted PDF (needs a password)") from exc
        raise ReadError("corrupt", name, f"corrupt PDF file: {_describe(cause)}") from exc
    if not any(pages):
        raise ReadError(
            "scanned_pdf", name, "the PDF has no text layer (scanned); OCR it first"
        )
    warnings = []
    blank = [str(i + 1) for i, lines in enumerate(pages) if not lines]
    if blank:
        warnings.append(f"pages without a text layer (scanned?): {', '.join(blank)}")
    removed = _strip_furniture(pages)
    if removed:
        warnings.append(f"removed {removed} page header/footer/number lines")
    text = "\n".join(_paragraphs(pages))
    text, encoding = _legacy(text, fonts)
    if encoding:
        warnings.append(legacy.warning(encoding))
    return text, encoding, warnings


def _describe(exc: object) -> str:
    return one_line(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _strip_furniture(pages: list[list[_Line]]) -> int:
    """Drop running headers/footers and page numbers in place; return how many lines."""
    def edges(lines: list[_Line]) -> list[int]:
        n = len(lines)
        return sorted({*range(min(_FURNITURE_SPAN, n)), *range(max(0, n - _FURNITURE_SPAN), n)})

    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_key(lines[i].text) for i in edges(lines)})
    texty = [lines for lines in pages if lines]
    needed = max(2, math.ceil(0.6 * len(texty)))
    repeated = {k for k, c in counts.items() if c >= needed} if len(texty) >= 2 else set()
    removed = 0
    for lines in pages:
        drop = set()
        n = len(lines)
        for i in edges(lines):
            outer = i < 2 or i >= n - 2
            if _key(lines[i].text) in repeated or (outer and _PAGE_NUMBER.match(lines[i].text)):
                drop.add(i)
        if drop:
            lines[:] = [ln for i, ln in enumerate(lines) if i not in drop]
            removed += len(drop)
    return removed


def _paragraphs(pages: list[list[_Line]]) -> list[str]:
    out: list[str] = []
    current = ""
    previous: _Line | None = None
    previous_bounds = (0.0, 0.0)
    for lines in pages:
        if not lines:
            continue
        left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
        line_height = _median([ln.bottom - ln.top for ln in lines]) or 1.0
        gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])]
        # A gap clearly wider than the usual line spacing separates paragraphs.
        max_gap = (_median(gaps) if gaps else 0.0) + 0.4 * line_height
        for index, line in enumerate(lines):
            gap_ok = index == 0 or gaps[index - 1] <= max_gap
            if (previous is not None and gap_ok
                    and _soft_wrap(previous, line, previous_bounds)):  # fmt: skip
                joiner = "" if previous.text.endswith("-") else " "
                current += joiner + line.text
            else:
                if current:
                    out.append(current)
                current = line.text
            previous, previous_bounds = line, (left, right)
    if current:
        out.append(current)
    return out


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _soft_wrap(line: _Line, following: _Line, bounds: tuple[float, float]) -> bool:
    text, nxt = line.text, following.text
    if _ENDS_CLAUSE.search(text) or _LIST_START.match(nxt):
        return False
    if _heading(text) or _heading(nxt):
        return False
    left, right = bounds
    char_width = (line.x1 - line.x0) / max(1, len(text))
    left_gap, right_gap = line.x0 - left, right - line.x1
    if left_gap > 2 * char_width and abs(left_gap - right_gap) < 2 * char_width:
        return False  # a centred line (title, subtitle) stands alone
    first_word = nxt.split()[0] if nxt.split() else ""
    # The next line's first word (and a space) would not have fitted on this line.
    return line.x1 + (len(first_word) + 1) * char_width >= right - char_width


def _heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _legacy(text: str, fonts: Counter[str]) -> tuple[str, str | None]:
    names = {re.sub(r"^[A-Z]{6}\+", "", f).lower() for f in fonts if f}
    by_font = None
    if any(n.startswith(".vn") for n in names):
        by_font = legacy.TCVN3
    elif any(n.startswith("vni") for n in names):
        by_font = legacy.VNI
    if by_font is None:
        return legacy.fix(text)
    # Mixed documents: lines already in Unicode are left as they are.
    lines = [
        ln if legacy.has_unicode_vietnamese(ln) else legacy.convert(ln, by_font)
        for ln in text.split("\n")
    ]
    return "\n".join(lines), by_font
