"""Stage 2: cleaning without losing offsets.

Nothing is deleted: boilerplate (portal prefixes, bylines, view counters,
photo captions, recipients blocks) and a second copy of a pasted article are
returned as skipped regions over the normalized text. Later stages ignore
what lies in them. The patterns live in ``data/boilerplate.json``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from spacy.language import Language

from .extensions import text_of
from .resources import regex_rules

_CONTEXT_ONLY = {"boilerplate.byline_name", "boilerplate.source_line"}
_PIECE = re.compile(r"[^.!?;\n]+[.!?;]*")
_KEY_WORD = re.compile(r"\w+")
# A piece shorter than this (in key characters) is too common to call a copy.
MIN_DUPLICATE_KEY = 24


@dataclass(frozen=True, order=True)
class Region:
    start: int
    end: int
    reason: str
    rule: str


class RegionIndex:
    """Regions (anything with ``start`` and ``end``) found by position. Asking every region
    about every line, sentence or span made several stages quadratic in a long text."""

    def __init__(self, regions):
        self.given = list(regions)
        self._order = sorted(range(len(self.given)), key=lambda i: self.given[i].start)
        self._starts = [self.given[i].start for i in self._order]
        self._reach = list(itertools.accumulate((self.given[i].end for i in self._order), max))

    def _back(self, k: int, past: int) -> Iterator[int]:
        """Indices (in the given list) of the sorted regions before ``k`` that end after
        ``past``; the running maximum of the ends stops the walk."""
        while k > 0 and self._reach[k - 1] > past:
            k -= 1
            if self.given[self._order[k]].end > past:
                yield self._order[k]

    def overlapping(self, start: int, end: int) -> list:
        """The regions with ``region.start < end`` and ``region.end > start``, in the
        given order."""
        k = bisect.bisect_left(self._starts, end)
        return [self.given[i] for i in sorted(self._back(k, start))]

    def holds(self, pos: int) -> bool:
        """Whether a region has ``start <= pos < end``."""
        return next(self._back(bisect.bisect_right(self._starts, pos), pos), None) is not None

    def within_one(self, start: int, end: int) -> bool:
        """Whether one region has ``region.start <= start`` and ``end <= region.end``."""
        k = bisect.bisect_right(self._starts, start)
        return next(self._back(k, end - 1), None) is not None


@cache
def _rules():
    return regex_rules("boilerplate.json").compiled()


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _neighbour_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    if start > 0:
        prev_end = start - 1
        while prev_end > 0 and text[prev_end - 1] == "\n":
            prev_end -= 1
        if prev_end > 0:
            out.append(_line_bounds(text, prev_end - 1))
    nxt = end
    while nxt < len(text) and text[nxt] == "\n":
        nxt += 1
    if nxt < len(text):
        out.append(_line_bounds(text, nxt))
    return out


def boilerplate_regions(text: str) -> list[Region]:
    """Regions matched by the boilerplate rules, bylines only beside other boilerplate."""
    found: list[Region] = []
    candidates: list[Region] = []
    for rule, pattern in _rules():
        for m in pattern.finditer(text):
            if m.end() <= m.start():
                continue
            region = Region(m.start(), m.end(), rule.label, rule.id)
            (candidates if rule.id in _CONTEXT_ONLY else found).append(region)
    # A lone short name is a byline only next to boilerplate or at the very end.
    changed = True
    while changed and candidates:
        changed = False
        for cand in list(candidates):
            at_end = not text[cand.end :].strip()
            near = any(
                any(r.start <= s and e <= r.end + 1 for r in found)
                or any(r.start <= s < r.end for r in found)
                for s, e in _neighbour_lines(text, cand.start, cand.end)
            )
            if at_end or near:
                found.append(cand)
                candidates.remove(cand)
                changed = True
    return _first_per_span(found)


def _first_per_span(regions: list[Region]) -> list[Region]:
    """One region per span, the first rule's: two caption rules may match the same line."""
    seen: dict[tuple[int, int], Region] = {}
    for region in regions:
        seen.setdefault((region.start, region.end), region)
    # A region inside a longer one ("Xem thêm:" inside the header-and-headlines block).
    spans = sorted(seen.values(), key=lambda r: (r.start, -r.end))
    kept: list[Region] = []
    for region in spans:
        if kept and kept[-1].start <= region.start and region.end <= kept[-1].end:
            continue
        kept.append(region)
    return sorted(kept)


def _key(piece: str) -> str:
    """The words of a piece; a heading ("Sở Y tế:") keeps its colon, so that it is no copy
    of the same name in the addressee list above ("- Sở Y tế;")."""
    words = " ".join(_KEY_WORD.findall(piece.lower()))
    return words + ":" if piece.rstrip().endswith(":") else words


def duplicate_regions(text: str, skipped: list[Region]) -> list[Region]:
    """Pieces (sentences, list items) that repeat an earlier piece of the same text."""
    masked = list(text)
    for r in skipped:
        masked[r.start : r.end] = "\n" * (r.end - r.start)
    masked_text = "".join(masked)
    seen: set[str] = set()
    dups: list[Region] = []
    for m in _PIECE.finditer(masked_text):
        key = _key(m.group(0))
        if len(key) < MIN_DUPLICATE_KEY:
            continue
        if key in seen:
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            dups.append(Region(start, m.end(), "duplicate", "clean.duplicate_piece"))
        else:
            seen.add(key)
    return _merge_copies(masked_text, dups)


def _merge_copies(masked_text: str, dups: list[Region]) -> list[Region]:
    """Join neighbouring duplicate pieces into one region of a repeated copy."""
    merged: list[Region] = []
    for r in dups:
        if merged:
            gap = masked_text[merged[-1].end : r.start]
            if len(_key(gap)) < MIN_DUPLICATE_KEY:
                last = merged.pop()
                merged.append(Region(last.start, r.end, "duplicate", last.rule))
                continue
        merged.append(r)
    return merged


def find_skipped(text: str) -> list[Region]:
    """All skipped regions of a normalized text, sorted, boilerplate first then copies."""
    regions = boilerplate_regions(text)
    regions += duplicate_regions(text, regions)
    return sorted(regions)




class BoilerplateCleaner:
    """spaCy component: ``doc._.vnx_skipped`` and ``doc.spans["skipped"]`` from the text."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc):
        regions = find_skipped(text_of(doc))
        doc._.vnx_skipped = regions
        spans = []
        for r in regions:
            span = doc.char_span(r.start, r.end, label=r.reason, alignment_mode="contract")
            if span is not None:
                span.id_ = r.rule
                spans.append(span)
        doc.spans["skipped"] = spans
        return doc


@Language.factory("boilerplate_cleaner", assigns=["doc._.vnx_skipped", "doc.spans"])
def create_cleaner(nlp: Language, name: str) -> BoilerplateCleaner:
    return BoilerplateCleaner(name)
