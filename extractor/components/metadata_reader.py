"""spaCy component: ``doc._.vnx_metadata`` (số ký hiệu, date, issuing body, meeting), the
document date known before the stages that need it. The date the user gave comes in on
``doc._.vnx_given_date`` and wins over the text; an HTML page's publication date
(``doc._.vnx_published``) is the last resort."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..metadata import read_metadata


class MetadataReader:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.vnx_metadata = read_metadata(doc, doc._.vnx_given_date, published=doc._.vnx_published)
        return doc


@Language.factory("metadata_reader", assigns=["doc._.vnx_metadata"], requires=["doc.spans"])
def create_metadata_reader(nlp: Language, name: str) -> MetadataReader:
    return MetadataReader(name)
