"""The government field (lĩnh vực) of a directive: rules on its words, and a trained text
classifier where the rules are unsure.

The controlled list and each field's keywords are data (``data/sectors.json``). The rules
score each field by the keywords found in the directive's topic (weight 3), action (2),
actor (1) and sentence (0.5); the list's order breaks ties, as the annotation guideline
does (``corpus/GUIDELINE.md`` 12.1). The classifier (``models/sectors``, a spaCy
``textcat`` trained by ``extractor train``) reads the same fields as one text, with the
document's leading fields. :func:`combine` adds the two, and says which spoke.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Optional, Sequence

from .normalize import fold
from .resources import sectors_file
from .trie import phrase_regex

WEIGHTS = {"topic": 3.0, "action": 2.0, "actor": 1.0, "evidence": 0.5}
OWN_WORDS = ("topic", "action", "evidence")  # what the directive says, not who is told
NAMED_FIRST_FLOOR = 0.9  # its share at least: named first, it was right 102 times in 107 (field)
CONTEXT_WEIGHTS = (1.0, 0.5)  # the document's leading fields, first and second
RULE_WEIGHT = 0.7  # of the rules' score share against the model's probability (dev: 0.76)
# Confidence = floor + slope * the winner's share, fitted to how often each band was right
# (field-dev, field-train, dev): a keyword's reading with share 0.9 or more was right 92
# times in 100, one below 0.7 about 65 times; the document's fields alone about 60 times
# in 100 at their usual share (2/3); the rules and the model together (share of the sum)
# about 70 in 100 at the bottom and all but never wrong at the top.
KEYWORD_CONFIDENCE = (0.4, 0.5)
CONTEXT_CONFIDENCE = (0.0, 0.9)
MIXED_CONFIDENCE = (0.3, 0.7)


@dataclass(frozen=True)
class Sector:
    """One entry of the controlled list."""

    id: str
    label: str
    keywords: tuple[str, ...]
    first_when_named: bool = False


@dataclass(frozen=True)
class SectorReading:
    """A directive's field, how sure, and who said it (``sector.rules:<keyword>`` or model)."""

    id: str
    label: str
    confidence: float
    source: str


@cache
def sectors() -> tuple[Sector, ...]:
    """The controlled list, in priority order (validated by the rule-data layer)."""
    return tuple(Sector(s.id, s.label, s.keywords, s.first_when_named)
                 for s in sectors_file().sectors)  # fmt: skip


@cache
def _matcher() -> tuple[re.Pattern, dict[str, Optional[tuple[int, str]]]]:
    """One alternation over every keyword and mask, longest first, and what each folded
    phrase names: (sector index, keyword), or None for a mask."""
    names: dict[str, Optional[tuple[int, str]]] = {fold(m): None for m in sectors_file().masks}
    for i, sector in enumerate(sectors()):
        for keyword in sector.keywords:
            names.setdefault(fold(keyword), (i, keyword))
    # As a character trie: the same matches as the alternation of all 400 longest first
    # (the longest phrase that matches whole at a position), without trying each in turn.
    pattern = phrase_regex((k for k in names if k), ignore_case=False)  # both sides folded
    return pattern or re.compile("(?!)"), names


def keyword_hits(text: str) -> set[tuple[int, str]]:
    """The (sector index, keyword) pairs found in a text, reading left to right and
    longest first, so that a keyword inside a longer phrase does not count: "cầu" in
    "yêu cầu" (a mask), "trường" in "thị trường" (another field's keyword)."""
    pattern, names = _matcher()
    return {hit for m in pattern.finditer(fold(text)) if (hit := names[m.group(0)])}


def keyword_counts(text: str) -> Counter:
    """How often each field's keywords occur in a text (every occurrence counts: a notice
    about new rural areas says "NTM" ten times), by sector id."""
    pattern, names = _matcher()
    found = (names[m.group(0)] for m in pattern.finditer(fold(text)))
    return Counter(sectors()[hit[0]].id for hit in found if hit)


@cache
def sector_labels() -> dict[str, str]:
    """Sector id -> Vietnamese label, in the list's order."""
    return {s.id: s.label for s in sectors()}


def label_of(sector_id: str) -> str:
    """The Vietnamese label of a sector id."""
    return sector_labels()[sector_id]


def named_first(fields: dict[str, Optional[str]]) -> Optional[str]:
    """The first field flagged ``first_when_named`` whose keyword the directive's own words
    name ("khắc phục điểm sạt lở trên quốc lộ": the disaster, not the road), else None."""
    named = {i for name in OWN_WORDS for i, _ in keyword_hits(fields.get(name) or "")}
    return next((s.id for i, s in enumerate(sectors()) if s.first_when_named and i in named),
                None)  # fmt: skip


def rule_scores(fields: dict[str, Optional[str]], context: Sequence[str] = ()
                ) -> list[tuple[float, int, Sector, str]]:  # fmt: skip
    """(score, -priority, sector, strongest keyword) for every field with a keyword hit or
    among the document's leading fields ``context`` (keyword "" when only that), best
    first: a field :func:`named_first` names comes first whatever its score."""
    hits = {name: keyword_hits(fields.get(name) or "") for name in WEIGHTS}
    prior = dict(zip(context, CONTEXT_WEIGHTS))
    listed = sectors()
    # Only the fields with a hit or in the context can score (the rest score 0).
    found = {i for field_hits in hits.values() for i, _ in field_hits}
    found |= {i for i, sector in enumerate(listed) if sector.id in prior}
    out = []
    for priority in sorted(found):
        sector = listed[priority]
        score, best, best_weight = prior.get(sector.id, 0.0), "", 0.0
        for name, weight in WEIGHTS.items():
            for keyword in sorted((h[1] for h in hits[name] if h[0] == priority),
                                  key=sector.keywords.index):
                score += weight
                if weight > best_weight:
                    best, best_weight = keyword, weight
        if score:
            out.append((score, -priority, sector, best))
    first = named_first(fields)
    out.sort(key=lambda t: (t[2].id == first, t[0], t[1]), reverse=True)
    return out


def by_rules(fields: dict[str, Optional[str]],
             context: Sequence[str] = ()) -> Optional[SectorReading]:  # fmt: skip
    """The rules' reading alone (no model shipped), or None when no keyword is found and
    no document context is given. Source ``sector.document`` when only the context
    spoke."""
    scores = rule_scores(fields, context)
    if not scores:
        return None
    score, _, sector, keyword = scores[0]
    share = score / sum(s[0] for s in scores)
    if sector.id == named_first(fields):
        share = max(share, NAMED_FIRST_FLOOR)
    confidence = _calibrated(share, KEYWORD_CONFIDENCE if keyword else CONTEXT_CONFIDENCE)
    source = f"sector.rules:{keyword}" if keyword else "sector.document"
    return SectorReading(sector.id, sector.label, round(confidence, 3), source)


def model_text(fields: dict[str, Optional[str]]) -> str:
    """The one text the classifier reads: topic, action, actor and sentence."""
    return " | ".join(fields.get(name) or "" for name in ("topic", "action", "actor", "evidence"))


def combine(fields: dict[str, Optional[str]], model: Optional[dict[str, float]],
            context: Sequence[str] = ()) -> SectorReading:  # fmt: skip
    """The field of a directive: the model's probabilities plus ``RULE_WEIGHT`` times the
    rules' share of keyword score per field (chosen on dev); the rules alone without a
    model; 'khac' when neither has anything. The source names the keyword when the rules
    agree with the answer. ``context``, the document's leading fields, weighs in for the
    rules alone (the model reads it already)."""
    scores = rule_scores(fields)
    if not model:
        return by_rules(fields, context) or SectorReading("khac", label_of("khac"), 0.3,
                                                 "sector.default")  # fmt: skip
    total = sum(s[0] for s in scores) or 1.0
    share = {s.id: score / total for score, _, s, _ in scores}
    keyword = {s.id: kw for _, _, s, kw in scores}
    order = {s.id: i for i, s in enumerate(sectors())}
    mixed = {sid: p + RULE_WEIGHT * share.get(sid, 0.0) for sid, p in model.items()}
    first = named_first(fields)
    best = max(mixed, key=lambda k: (k == first, mixed[k], -order.get(k, 99)))
    source = f"sector.rules:{keyword[best]}+model" if keyword.get(best) else "model"
    confidence = _calibrated(mixed[best] / (1 + RULE_WEIGHT), MIXED_CONFIDENCE)
    return SectorReading(best, label_of(best), round(confidence, 3), source)


def _calibrated(share: float, band: tuple[float, float]) -> float:
    floor, slope = band
    return min(1.0, floor + slope * share)
