"""spaCy component between the actor refiner and the assembler: every sentence of the Doc
cut into clauses, one instructed action each (:func:`extractor.assemble.clauses.split_document`),
written on ``doc._.vnx_sentences``. The assembler and the model read the clauses from there."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..assemble.clauses import split_document
from ..assemble.index import doc_index


class ClauseSplitter:
    """Writes ``doc._.vnx_sentences``: (start, end) -> the sentence's tokens and clauses."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.vnx_sentences = split_document(doc_index(doc))
        return doc


@Language.factory("clause_splitter", assigns=["doc._.vnx_sentences"],
                  requires=["doc.spans", "token.pos"])  # fmt: skip
def create_clause_splitter(nlp: Language, name: str) -> ClauseSplitter:
    return ClauseSplitter(name)
