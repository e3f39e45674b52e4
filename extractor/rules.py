"""Stage 5: rule components. Cues and actors are spaCy SpanRulers fed from data
files; deadlines come from the regex rules of :mod:`extractor.deadlines`.

Span groups written: ``doc.spans["cues"]`` (label = cue function, id = cue id),
``doc.spans["actors"]`` (label ``ACTOR``, id = gazetteer entry or pattern id),
``doc.spans["deadlines"]`` (label ``DEADLINE``, id = deadline rule id).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from .extensions import text_of
from .normalize import normalize_text
from .resources import cue_lexicon, discourse_actors


@registry.misc("extractor.cue_patterns.v1")
def cue_patterns() -> list[dict]:
    """SpanRuler phrase patterns for every cue of ``data/cues.json``."""
    return [
        {"label": c.function, "pattern": c.phrase, "id": c.id} for c in cue_lexicon().cues
    ]


@registry.misc("extractor.actor_patterns.v1")
def actor_patterns() -> list[dict]:
    """SpanRuler patterns for actors: gazetteer names and generic agency forms."""
    from .gazetteer import get_gazetteer

    gaz = get_gazetteer()
    patterns = [
        {"label": "ACTOR", "pattern": form, "id": "gazetteer"} for form in gaz.surface_forms()
    ]
    for group in discourse_actors().groups:
        patterns += [
            {"label": "ACTOR", "pattern": normalize_text(phrase), "id": group.id}
            for phrase in group.phrases
        ]
        patterns += [
            {"label": "ACTOR", "pattern": [dict(t) for t in tokens], "id": group.id}
            for tokens in group.token_patterns
        ]
    return patterns + gaz.span_patterns()


class DeadlineFinder:
    """Marks deadline expressions found by the rules in ``data/deadline_patterns.json``."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from .deadlines import find_deadlines

        spans = []
        for m in find_deadlines(text_of(doc)):
            span = doc.char_span(m.start, m.end, label="DEADLINE", alignment_mode="expand")
            if span is not None:
                span.id_ = m.rule
                spans.append(span)
        doc.spans["deadlines"] = spans
        return doc


@Language.factory("deadline_finder", assigns=["doc.spans"])
def create_deadline_finder(nlp: Language, name: str) -> DeadlineFinder:
    return DeadlineFinder(nlp, name)


def longest_spans(spans) -> list[Span]:
    """Non-overlapping spans, longest first, then leftmost (spaCy's filter_spans)."""
    from spacy.util import filter_spans

    return filter_spans(list(spans))


class OrganizationFinder:
    """Actors no gazetteer lists: a capitalised head noun and the name after it.

    Runs after POS: "Tập đoàn Điện lực Việt Nam", "Trung tâm Phát triển quỹ đất
    tỉnh", "Công ty TNHH MTV ... (ACV)", and "các hiệp hội ngành hàng". A span
    the gazetteer already found wins (the longest span is kept downstream).
    """

    MAX_TOKENS = 12

    def __init__(self, nlp: Language, name: str):
        from .resources import read_json

        data = read_json("organizations.json")
        self.name = name
        self.heads = {normalize_text(h).lower() for h in data["heads"]}
        self.collective = {normalize_text(h).lower() for h in data["collective_heads"]}
        self.stop = {normalize_text(w).lower() for w in data["stop_words"]}

    def _name_part(self, tok) -> bool:
        if tok.is_space or tok.lower_ in self.stop:
            return False
        if _capitalised(tok):
            return True
        return tok.pos_ in ("NOUN", "PROPN", "NUM") and tok.text.replace(" ", "").isalnum()

    def _extend(self, doc: Doc, j: int) -> int:
        end = j
        while end < len(doc) and end - j < self.MAX_TOKENS:
            tok = doc[end]
            if tok.text == "(" and end + 2 < len(doc) and doc[end + 2].text == ")" \
                    and doc[end + 1].is_upper:  # fmt: skip
                end += 3  # "(ACV)"
                break
            if tok.text == "-" and end + 1 < len(doc) and _capitalised(doc[end + 1]):
                end += 1
                continue
            if tok.lower_ == "các" and end + 1 < len(doc) and _capitalised(doc[end + 1]):
                end += 1  # "Ban Quản lý các Khu công nghiệp ..."
                continue
            if not self._name_part(tok):
                break
            end += 1
        return end

    def __call__(self, doc: Doc) -> Doc:
        found = list(doc.spans.get("actors", []))
        for tok in doc:
            low = tok.lower_
            if low in self.heads and _capitalised(tok) and tok.i + 1 < len(doc):
                nxt = doc[tok.i + 1]
                if _capitalised(nxt) or nxt.lower_ == "các":
                    end = self._extend(doc, tok.i + 1)
                    if end > tok.i + 1:
                        span = Span(doc, tok.i, end, label="ACTOR")
                        span.id_ = "actor.organization_head"
                        found.append(span)
            elif low == "các" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in self.collective:
                end = self._extend(doc, tok.i + 2)
                span = Span(doc, tok.i, end, label="ACTOR")
                span.id_ = "actor.collective_head"
                found.append(span)
        doc.spans["actors"] = found
        return doc


def _capitalised(tok) -> bool:
    """'Tập đoàn', 'Điện lực', 'TNHH': a name starts with a capital (istitle wants all)."""
    return tok.text[:1].isupper()


@Language.factory("organization_finder", assigns=["doc.spans"], requires=["token.pos"])
def create_organization_finder(nlp: Language, name: str) -> OrganizationFinder:
    return OrganizationFinder(nlp, name)
