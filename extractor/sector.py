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
from dataclasses import dataclass
from functools import cache
from typing import Optional

from .normalize import fold
from .resources import sectors_file

WEIGHTS = {"topic": 3.0, "action": 2.0, "actor": 1.0, "evidence": 0.5}
RULE_WEIGHT = 0.7  # of the rules' score share against the model's probability (dev: 0.76)


@dataclass(frozen=True)
class Sector:
    """One entry of the controlled list."""

    id: str
    label: str
    keywords: tuple[str, ...]


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
    return tuple(Sector(s.id, s.label, s.keywords) for s in sectors_file().sectors)


_WORD = re.compile(r"\w+")


@cache
def _patterns() -> tuple[tuple[Sector, tuple[tuple[str, re.Pattern, frozenset], ...]], ...]:
    """Per sector: (keyword, its pattern, its words). A keyword can match only a text
    holding each of its words whole, so the words are a cheap test before the search."""
    return tuple(
        (s, tuple((k, re.compile(rf"(?<!\w){re.escape(fold(k))}(?!\w)"),
                   frozenset(_WORD.findall(fold(k)))) for k in s.keywords))
        for s in sectors()
    )  # fmt: skip


@cache
def sector_labels() -> dict[str, str]:
    """Sector id -> Vietnamese label, in the list's order."""
    return {s.id: s.label for s in sectors()}


def label_of(sector_id: str) -> str:
    """The Vietnamese label of a sector id."""
    return sector_labels()[sector_id]


def rule_scores(fields: dict[str, Optional[str]]) -> list[tuple[float, int, Sector, str]]:
    """(score, -priority, sector, strongest keyword) for every field with a keyword hit,
    best first."""
    texts = {name: fold(fields.get(name) or "") for name in WEIGHTS}
    words = {name: set(_WORD.findall(text)) for name, text in texts.items()}
    out = []
    for priority, (sector, patterns) in enumerate(_patterns()):
        score, best, best_weight = 0.0, "", 0.0
        for keyword, pattern, needed in patterns:
            for name, weight in WEIGHTS.items():
                if needed <= words[name] and pattern.search(texts[name]):
                    score += weight
                    if weight > best_weight:
                        best, best_weight = keyword, weight
        if score:
            out.append((score, -priority, sector, best))
    out.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return out


def by_rules(fields: dict[str, Optional[str]]) -> Optional[SectorReading]:
    """The rules' reading alone (no model shipped), or None when no keyword is found."""
    return _by_scores(rule_scores(fields))


def _by_scores(scores: list[tuple[float, int, Sector, str]]) -> Optional[SectorReading]:
    if not scores:
        return None
    score, _, sector, keyword = scores[0]
    total = sum(s[0] for s in scores)
    return SectorReading(sector.id, sector.label, round(score / total * 0.6, 3),
                         f"sector.rules:{keyword}")  # fmt: skip


def model_text(fields: dict[str, Optional[str]]) -> str:
    """The one text the classifier reads: topic, action, actor and sentence."""
    return " | ".join(fields.get(name) or "" for name in ("topic", "action", "actor", "evidence"))


def combine(fields: dict[str, Optional[str]],
            model: Optional[dict[str, float]]) -> SectorReading:  # fmt: skip
    """The field of a directive: the model's probabilities plus ``RULE_WEIGHT`` times the
    rules' share of keyword score per field (chosen on dev); the rules alone without a
    model; 'khac' when neither has anything. The source names the keyword when the rules
    agree with the answer."""
    scores = rule_scores(fields)
    if not model:
        return _by_scores(scores) or SectorReading("khac", label_of("khac"), 0.3,
                                                 "sector.default")  # fmt: skip
    total = sum(s[0] for s in scores) or 1.0
    share = {s.id: score / total for score, _, s, _ in scores}
    keyword = {s.id: kw for _, _, s, kw in scores}
    order = {s.id: i for i, s in enumerate(sectors())}
    mixed = {sid: p + RULE_WEIGHT * share.get(sid, 0.0) for sid, p in model.items()}
    best = max(mixed, key=lambda k: (mixed[k], -order.get(k, 99)))
    source = f"sector.rules:{keyword[best]}+model" if best in keyword else "model"
    return SectorReading(best, label_of(best), round(mixed[best] / (1 + RULE_WEIGHT), 3),
                         source)  # fmt: skip
