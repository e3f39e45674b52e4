"""DOCX: body paragraphs and tables in document order, list numbers restored as text.

- The body XML is walked directly, so paragraphs and tables keep their order; content
  controls (``w:sdt``) are entered, headers, footers, footnotes and comments are never
  visited. Deleted revisions and field codes are skipped.
- Automatic numbering is written out as text ("1.", "a)", "-" for bullets) from
  ``numbering.xml``: per-level counters, deeper levels restart when a higher one moves,
  a ``w:num`` with a ``startOverride`` starts its own list. Numbering may come from the
  paragraph or from its style.
- Tables: one line per row, cells joined with " | " so a row (task, owner, deadline)
  stays together for the extractor; paragraphs inside a cell are joined with a space,
  vertically merged continuation cells are left out.
- Runs in a legacy font (``.VnTime`` = TCVN3, ``VNI-Times`` = VNI) are converted run by
  run; ``.VnTimeH``-style fonts draw capitals, so those runs are uppercased.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from . import legacy
from .base import ReadError, one_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {W + "del", W + "instrText", W + "delText", W + "rPr", W + "pPr", MC_FALLBACK}
_TCVN3_FONT = re.compile(r"^\.vn", re.I)
_VNI_FONT = re.compile(r"^vni[-_ ]", re.I)
_CAPS_FONT = re.compile(r"^\.vn\w*h$", re.I)


def read_docx(data: bytes, name: str) -> tuple[str, str | None, list[str]]:
    """Return (text, legacy encoding found or None, warnings)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
        reader = _Reader(document)
        lines = reader.blocks(document.element.body)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, EOFError,
            zlib.error, etree.XMLSyntaxError) as exc:  # fmt: skip
        raise ReadError("corrupt", name, f"corrupt DOCX file: {one_line(exc)}") from exc
    text = "\n".join(lines)
    warnings: list[str] = []
    encoding = None
    if reader.legacy_found:
        encoding = sorted(reader.legacy_found)[0] if len(reader.legacy_found) == 1 else "mixed"
        for found in sorted(reader.legacy_found):
            warnings.append(legacy.warning(found) + " (by font)")
    else:
        text, found = legacy.fix(text)
        if found:
            encoding = found
            warnings.append(legacy.warning(found))
    return text, encoding, warnings


@dataclass
class _Level:
    fmt: str
    text: str
    start: int


@dataclass
class _Numbering:
    """numbering.xml: levels per abstract list, and which list each ``w:num`` uses."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    counters: dict[object, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, document) -> _Numbering:
        result = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return result
        for abstract in root.findall(W + "abstractNum"):
            levels = {}
            for lvl in abstract.findall(W + "lvl"):
                levels[int(lvl.get(W + "ilvl", "0"))] = _Level(
                    fmt=_val(lvl.find(W + "numFmt"), "decimal"),
                    text=_val(lvl.find(W + "lvlText"), ""),
                    start=int(_val(lvl.find(W + "start"), "1") or 1),
                )
            result.levels[abstract.get(W + "abstractNumId")] = levels
        for num in root.findall(W + "num"):
            overrides = {}
            for override in num.findall(W + "lvlOverride"):
                start = override.find(W + "startOverride")
                if start is not None:
                    overrides[int(override.get(W + "ilvl", "0"))] = int(_val(start, "1"))
            result.nums[num.get(W + "numId")] = (_val(num.find(W + "abstractNumId"), ""),
                                                  overrides)  # fmt: skip
        return result

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counters for one list paragraph and return its label."""
        if num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        # Lists sharing an abstract definition continue each other, unless restarted.
        key = ("num", num_id) if overrides else ("abstract", abstract_id)
        counters = self.counters.setdefault(key, {})
        if ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = overrides.get(ilvl, levels[ilvl].start)
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level.fmt == "bullet":
            return "-"
        if level.fmt == "none":
            return ""

        def number(match: re.Match) -> str:
            n = int(match.group(1)) - 1
            lvl = levels.get(n, level)
            value = counters.get(n, overrides.get(n, lvl.start))
            return _format_number(value, lvl.fmt)

        return re.sub(r"%(\d)", number, level.text).strip()


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                            (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                            (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while value >= number:
            out += letters
            value -= number
    return out


def _val(element, default: str) -> str:
    if element is None:
        return default
    return element.get(W + "val", default)


class _Reader:
    def __init__(self, document) -> None:
        self.numbering = _Numbering.load(document)
        self.styles: dict[str, object] = {}
        self.default_font = ""
        self.legacy_found: set[str] = set()
        try:
            styles = document.styles.element
        except (KeyError, NotImplementedError):
            styles = None
        if styles is not None:
            for style in styles.findall(W + "style"):
                self.styles[style.get(W + "styleId")] = style
            fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
            self.default_font = _font_name(fonts)

    # -- block level -------------------------------------------------------------
    def blocks(self, container) -> list[str]:
        lines: list[str] = []
        for child in container:
            tag = child.tag
            if tag == W + "p":
                lines.extend(self.paragraph(child))
            elif tag == W + "tbl":
                lines.extend(self.table(child))
            elif tag in (W + "sdt", W + "customXml", W + "sdtContent"):
                inner = child.find(W + "sdtContent") if tag == W + "sdt" else child
                if inner is not None:
                    lines.extend(self.blocks(inner))
        return lines

    def table(self, tbl) -> list[str]:
        rows = []
        for tr in tbl.iter(W + "tr"):
            if _parent_table(tr) is not tbl:
                continue  # rows of nested tables are read as part of their cell
            cells = []
            for tc in tr.findall(W + "tc"):
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                if merge is not None and merge.get(W + "val", "continue") == "continue":
                    continue
                cells.append(" ".join(t for t in self.blocks(tc) if t.strip()).strip())
            if any(cells):
                rows.append(" | ".join(cells))
        return rows

    def paragraph(self, p) -> list[str]:
        style = _val(p.find(f"{W}pPr/{W}pStyle"), "")
        pieces: list[str] = []
        boxes: list[str] = []
        self._inline(p, style, pieces, boxes)
        label = self._label(p, style)
        text = "".join(pieces)
        lines = [f"{label} {text}".strip() if label else text]
        return lines + boxes

    def _label(self, p, style: str) -> str:
        num_pr = p.find(f"{W}pPr/{W}numPr")
        num_id = _val(num_pr.find(W + "numId"), "") if num_pr is not None else ""
        ilvl = _val(num_pr.find(W + "ilvl"), "") if num_pr is not None else ""
        if not num_id:
            style_num = self._style_num(style)
            if style_num is None:
                return ""
            num_id, style_ilvl = style_num
            ilvl = ilvl or style_ilvl
        if num_id == "0":
            return ""
        return self.numbering.label(num_id, int(ilvl or 0))

    def _style_num(self, style_id: str, depth: int = 0):
        style = self.styles.get(style_id)
        if style is None or depth > 10:
            return None
        num_pr = style.find(f"{W}pPr/{W}numPr")
        if num_pr is not None and num_pr.find(W + "numId") is not None:
            return _val(num_pr.find(W + "numId"), ""), _val(num_pr.find(W + "ilvl"), "0")
        based = _val(style.find(W + "basedOn"), "")
        return self._style_num(based, depth + 1) if based else None

    # -- inline level ------------------------------------------------------------
    def _inline(self, element, style: str, pieces: list[str], boxes: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == W + "r":
                pieces.append(self._run(child, style, boxes))
            elif tag == W + "txbxContent":
                boxes.extend(line for line in self.blocks(child) if line.strip())
            else:
                self._inline(child, style, pieces, boxes)

    def _run(self, run, style: str, boxes: list[str]) -> str:
        out = []
        for child in run:
            tag = child.tag
            if tag == W + "t":
                out.append(child.text or "")
            elif tag == W + "tab":
                out.append("\t")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            elif tag == W + "softHyphen":
                out.append("\u00ad")  # a letter (ư) in TCVN3; the normalizer drops it otherwise
            elif tag not in _SKIP:  # drawings: only their text boxes carry text
                self._inline(child, style, [], boxes)
        text = "".join(out)
        if not text.strip() or legacy.has_unicode_vietnamese(text):
            return text
        font = self._run_font(run, style)
        if _TCVN3_FONT.match(font):
            converted = legacy.convert(text, legacy.TCVN3)
            converted = converted.upper() if _CAPS_FONT.match(font) else converted
        elif _VNI_FONT.match(font):
            converted = legacy.convert(text, legacy.VNI)
        else:
            return text
        if converted.lower() != text.lower():
            self.legacy_found.add(legacy.TCVN3 if _TCVN3_FONT.match(font) else legacy.VNI)
        return converted

    def _run_font(self, run, style: str) -> str:
        font = _font_name(run.find(f"{W}rPr/{W}rFonts"))
        if font:
            return font
        char_style = _val(run.find(f"{W}rPr/{W}rStyle"), "")
        for style_id in (char_style, style, "Normal"):
            font = self._style_font(style_id)
            if font:
                return font
        return self.default_font

    def _style_font(self, style_id: str, depth: int = 0) -> str:
        style = self.styles.get(style_id)
        if style is None or depth > 10:
            return ""
        font = _font_name(style.find(f"{W}rPr/{W}rFonts"))
        if font:
            return font
        based = _val(style.find(W + "basedOn"), "")
        return self._style_font(based, depth + 1) if based else ""


def _font_name(fonts) -> str:
    if fonts is None:
        return ""
    return fonts.get(W + "ascii") or fonts.get(W + "hAnsi") or ""


def _parent_table(tr):
    parent = tr.getparent()
    while parent is not None and parent.tag != W + "tbl":
        parent = parent.getparent()
    return parent
