"""spaCy component: ``doc.spans["directives"]``, one span per directive (its evidence
sentence, labelled with the modality), so displaCy's span renderer, spacy-streamlit and
other span tools show the directives. The fields are read through the ``Span._.vnx_*``
getters of :mod:`extractor.extensions`; the span's id points at the record. Runs last,
once every stage has written the records."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..extensions import DIRECTIVES_SPANS_KEY, SPAN_ID_PREFIX


def directive_spans(doc: Doc) -> list[Span]:
    """The evidence span of every directive, in the order of ``doc._.vnx_directives``."""
    spans = []
    for i, rec in enumerate(doc._.vnx_directives or []):
        found = doc.char_span(rec.evidence.start, rec.evidence.end, alignment_mode="expand")
        if found is not None:
            spans.append(Span(doc, found.start, found.end, label=rec.modality,
                              span_id=f"{SPAN_ID_PREFIX}{i}"))  # fmt: skip
    return spans


class DirectiveSpans:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[DIRECTIVES_SPANS_KEY] = directive_spans(doc)
        return doc


@Language.factory("directive_spans", assigns=["doc.spans"],
                  requires=["doc._.vnx_directives"])  # fmt: skip
def create_directive_spans(nlp: Language, name: str) -> DirectiveSpans:
    return DirectiveSpans(name)
