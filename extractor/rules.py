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
        for m in find_deadlines(doc.text):
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
