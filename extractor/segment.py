"""Stage 3: segmentation into blocks (lines), list items, headings and sentences.

A sentence never crosses a line break. Each line is a :class:`Block` with its
list marker ("I.", "1.", "a)", "(1)", "-", "+") and level, and whether it is a
heading (a Roman-numbered or capitalised line) of an assessment or a task
section. Sentences inside a line come from underthesea's ``sent_tokenize``,
aligned back to offsets. Clauses are cut later, by the assembler, once actors
and cues are known (a comma inside "các bộ, ngành, địa phương" is no boundary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Optional

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from underthesea.pipeline.sent_tokenize import sent_tokenize

from .clean import Region, RegionIndex
from .extensions import text_of
from .resources import RuleError, regex_rules, sections

MARKER_KINDS = {
    "marker.roman": "roman",
    "marker.number": "number",
    "marker.letter": "letter",
    "marker.paren": "paren",
    "marker.dash": "dash",
    "marker.plus": "plus",
}
_LETTERS = re.compile(r"[^\W\d_]")
_CLOSERS = "\"'”’»)"


@dataclass
class Block:
    """One line of the text with its list marker and heading status."""

    start: int
    end: int
    body_start: int
    marker: Optional[str] = None
    marker_kind: Optional[str] = None
    level: int = 0
    is_heading: bool = False
    section_kind: Optional[str] = None
    section_rule: Optional[str] = None
    speaker: Optional[tuple[int, int]] = None
    sentences: list[tuple[int, int]] = field(default_factory=list)

    def body(self, text: str) -> str:
        return text[self.body_start : self.end]


@cache
def _markers():
    return [
        (MARKER_KINDS[r.id], int(r.label), p)
        for r, p in regex_rules("structure.json").compiled()
        if r.id in MARKER_KINDS
    ]


@cache
def _structure_rule(rule_id: str):
    for r, p in regex_rules("structure.json").compiled():
        if r.id == rule_id:
            return p
    raise RuleError(f"structure.json: rule {rule_id} missing")


@cache
def section_keywords() -> list[tuple[str, str, str]]:
    """(folded keyword, section kind, rule id), longest keyword first."""
    rows = []
    for sec in sections().sections:
        for kw in sec.keywords:
            rows.append((kw.lower(), sec.kind, sec.id))
    return sorted(rows, key=lambda r: -len(r[0]))


def classify_heading(heading: str) -> tuple[Optional[str], Optional[str]]:
    """Section kind ('assessment' or 'tasks') of a heading, with the rule that decided."""
    low = heading.lower()
    best = None
    for kw, kind, rule in section_keywords():
        pos = low.find(kw)
        if pos >= 0 and (best is None or pos < best[0]):
            best = (pos, kind, rule)
    return (best[1], best[2]) if best else (None, None)


def _is_caps(body: str) -> bool:
    letters = _LETTERS.findall(body)
    if len(letters) < 6:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.85


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + s, start + e) for s, e in _line_sentences(text[start:end])]


@lru_cache(maxsize=50_000)
def _line_sentences(line: str) -> tuple[tuple[int, int], ...]:
    """Sentence offsets within one line (a repeated line is split once)."""
    out: list[tuple[int, int]] = []
    cursor = 0
    for sent in sent_tokenize(line):
        sent = sent.strip()
        if not sent:
            continue
        pos = line.find(sent, cursor)
        if pos < 0:  # the tokenizer changed the text: fall back to the whole rest
            out.append((cursor, len(line)))
            return tuple(out)
        # A closing quote cut off by the tokenizer belongs to the sentence before.
        while out and sent[:1] in _CLOSERS and pos == out[-1][1]:
            out[-1] = (out[-1][0], out[-1][1] + 1)
            sent = sent[1:].lstrip()
            pos = line.find(sent, pos)
        if sent:
            out.append((pos, pos + len(sent)))
            cursor = pos + len(sent)
    return tuple(out)


def _clip(span: tuple[int, int], skipped: list[Region]) -> Optional[tuple[int, int]]:
    """The part of a span outside skipped regions that touch its edges."""
    s, e = span
    for r in skipped:
        if r.start <= s < r.end:
            s = r.end
        if r.start < e <= r.end:
            e = r.start
    return (s, e) if s < e else None


def _clip_near(span: tuple[int, int], regions: RegionIndex) -> Optional[tuple[int, int]]:
    """:func:`_clip` over the regions that overlap the span only: the others cannot move
    its edges while it is not empty, and once empty it stays so."""
    return _clip(span, regions.overlapping(*span))


def segment(text: str, skipped: list[Region]) -> list[Block]:
    """Blocks of the text, skipped lines left out, each with its sentences."""
    blocks: list[Block] = []
    regions = RegionIndex(skipped)  # a scan of every region per line was quadratic
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        span = _clip_near((start, end), regions)
        if span is None or not text[span[0] : span[1]].strip():
            continue
        start, end = span
        block = Block(start, end, start)
        body = text[start:end]
        for kind, level, pattern in _markers():
            m = pattern.match(body)
            if m:
                block.marker, block.marker_kind = m.group("marker"), kind
                block.level, block.body_start = level, start + m.end()
                break
        if block.marker is None and (m := _structure_rule("speaker.turn").match(body)):
            block.speaker = (start + m.start("speaker"), start + m.end("speaker"))
            block.body_start = start + m.end()
        body = text[block.body_start : end]
        if block.marker_kind == "roman" or _is_caps(body):
            block.is_heading = True
            block.section_kind, block.section_rule = classify_heading(body)
        block.sentences = [
            clipped
            for sent in _split_sentences(text, block.body_start, end)
            for piece in _split_inline(text, sent)
            if (clipped := _clip_near(piece, regions)) is not None
        ]
        blocks.append(block)
    return blocks


def _split_inline(text: str, sent: tuple[int, int]) -> list[tuple[int, int]]:
    """Cut '(1) ...; (2) ...' enumerations inside a sentence into their own sentences."""
    s, e = sent
    pattern = _structure_rule("inline.enumeration")
    cuts = [s + m.end() - len(m.group(0).lstrip()) for m in pattern.finditer(text[s:e])]
    cuts = [c for c in cuts if c > s]
    if not cuts:
        return [sent]
    bounds = [s, *cuts, e]
    return [
        (a, a + len(text[a:b].rstrip())) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()
    ]


class StructureSegmenter:
    """spaCy component: ``doc._.vnx_blocks`` and sentence starts from :func:`segment`."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc):
        blocks = segment(text_of(doc), doc._.vnx_skipped or [])
        doc._.vnx_blocks = blocks
        starts = set()
        for block in blocks:
            for s, e in block.sentences:
                starts.add(s)
                starts.add(e)
        # One array write: setting token.is_sent_start re-checks the whole Doc each time.
        if len(doc):
            at_start = numpy.isin(doc.to_array(IDX), numpy.fromiter(starts, dtype="uint64"))
            flags = numpy.where(at_start, 1, -1).astype("int64").view("uint64")
            flags[0] = 1
            doc.from_array([SENT_START], flags.reshape(-1, 1))
        return doc


@Language.factory("structure_segmenter", assigns=["doc._.vnx_blocks", "token.is_sent_start"])
def create_segmenter(nlp: Language, name: str) -> StructureSegmenter:
    return StructureSegmenter(name)
