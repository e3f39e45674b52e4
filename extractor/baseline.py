"""The naive baseline the extractor must beat (reported beside it by ``extractor eval``).

Every sentence holding a directive cue word of the lexicon is one directive;
its actor is the first noun phrase of the sentence (underthesea POS), its
action the whole sentence, its modality the first cue's. No cleaning, no
sections, no clause splitting.
"""

from __future__ import annotations

import re

from underthesea import pos_tag, sent_tokenize

from .normalize import normalize_text
from .resources import cue_lexicon
from .schema import Directive, Entity, Modality, Span

_DIRECTIVE_FUNCTIONS = {"assign", "require", "request", "modal", "urgency", "intensify", "lead",
                        "prohibit", "permit"}  # fmt: skip
_NOUN_TAGS = {"N", "Np", "Nc", "Nu", "Ny", "Nb"}


def _cues():
    cues = [c for c in cue_lexicon().cues if c.function in _DIRECTIVE_FUNCTIONS]
    return [(re.compile(r"(?<!\w)" + re.escape(c.phrase) + r"(?!\w)", re.IGNORECASE), c)
            for c in cues]  # fmt: skip


def _first_noun_phrase(sentence: str) -> tuple[int, int] | None:
    tagged = pos_tag(sentence)
    pos, start, end = 0, None, None
    for word, tag in tagged:
        found = sentence.find(word, pos)
        if found < 0:
            break
        pos = found + len(word)
        if tag in _NOUN_TAGS or (start is not None and tag in ("L", "M")):
            if start is None:
                start = found
            end = pos
        elif start is not None:
            break
    return (start, end) if start is not None else None


def baseline_directives(raw_text: str) -> list[Directive]:
    """Directives by the naive rule, offsets into the normalized text."""
    text = normalize_text(raw_text)
    cues = _cues()
    out: list[Directive] = []
    offset = 0
    for line in text.split("\n"):
        cursor = 0
        for sent in sent_tokenize(line):
            pos = line.find(sent, cursor)
            if pos < 0:
                continue
            cursor = pos + len(sent)
            hits = sorted(((m.start(), c) for rx, c in cues if (m := rx.search(sent))),
                          key=lambda h: h[0])
            if not hits:
                continue
            start = offset + pos
            body = sent.rstrip(" .;:")
            actor = None
            if (np := _first_noun_phrase(sent)) is not None:
                actor = Entity(text=sent[np[0] : np[1]], start=start + np[0], end=start + np[1],
                               source="baseline.first_noun_phrase")  # fmt: skip
            span = Span(text=body, start=start, end=start + len(body), source="baseline.sentence")
            modality = hits[0][1].modality or Modality.obligation
            out.append(Directive(
                id=f"b-{start}", actor=actor, action=span, evidence=span,
                modality=modality, confidence=0.5, rules=["baseline"],
            ))  # fmt: skip
        offset += len(line) + 1
    return out
