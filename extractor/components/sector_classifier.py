"""spaCy component: the government field of every directive (:mod:`extractor.sector`),
from the rules' keywords and the trained classifier (``models/sectors``) together, in
``DirectiveRecord.sector``. Without a shipped classifier (``--mode rules``), the rules
alone."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import text_of
from ..sector import combine
from ..sector_model import document_fields


def directive_fields(text: str, rec) -> dict:
    """The texts the sector is read from: topic, action, actor and sentence."""
    def part(ref):
        return None if ref is None else text[ref.start : ref.end]

    return {"topic": part(rec.topic), "action": part(rec.action), "actor": part(rec.actor),
            "evidence": part(rec.evidence)}  # fmt: skip


class SectorClassifier:
    def __init__(self, name: str, use_model: bool):
        self.name = name
        self.use_model = use_model

    def __call__(self, doc: Doc) -> Doc:
        records = doc._.directives or []
        if not records:
            return doc
        text = text_of(doc)
        fields = [directive_fields(text, rec) for rec in records]
        context = document_fields(text)
        probabilities = (self._model(fields, context) if self.use_model
                         else [None] * len(fields))  # fmt: skip
        for rec, f, p in zip(records, fields, probabilities):
            rec.sector = combine(f, p, context)
        return doc

    @staticmethod
    def _model(fields: list[dict], context: list[str]) -> list:
        from ..sector_model import example_text, predict

        return predict([example_text(f, context) for f in fields])


@Language.factory("sector_classifier", default_config={"use_model": True},
                  assigns=["doc._.directives"], requires=["doc._.directives"])  # fmt: skip
def create_sector_classifier(nlp: Language, name: str, use_model: bool) -> SectorClassifier:
    return SectorClassifier(name, use_model)
