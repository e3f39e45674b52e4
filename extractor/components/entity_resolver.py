"""spaCy component: every actor, coactor, issuer, report recipient, issuing body and chair
resolved against the gazetteer, with the document date and the document's context, into
``doc._.vnx_resolutions`` (by surface: the issuer recurs on every directive)."""

from __future__ import annotations

from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import text_of


def _mentions(doc: Doc) -> Iterator[tuple[int, int]]:
    for rec in doc._.vnx_directives or []:
        for ref in (rec.issuer, rec.actor, *rec.coactors, rec.report_to):
            if ref is not None:
                yield ref.start, ref.end
    meta = doc._.vnx_metadata
    for found in (meta.issuing_body, meta.chair) if meta is not None else ():
        if found is not None:
            yield found.start, found.end


class EntityResolver:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from ..gazetteer import get_gazetteer

        gazetteer, text = get_gazetteer(), text_of(doc)
        on = doc._.vnx_metadata.date if doc._.vnx_metadata is not None else None
        context = gazetteer.document_context(text, on, normalized=True)
        resolutions = {}
        for start, end in _mentions(doc):
            surface = text[start:end]
            if surface not in resolutions:
                resolutions[surface] = gazetteer.resolve(surface, on, context=context)
        doc._.vnx_resolutions = resolutions
        return doc


@Language.factory("entity_resolver", assigns=["doc._.vnx_resolutions"],
                  requires=["doc._.vnx_directives", "doc._.vnx_metadata"])  # fmt: skip
def create_entity_resolver(nlp: Language, name: str) -> EntityResolver:
    return EntityResolver(name)
