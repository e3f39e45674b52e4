"""spaCy component: the government field of every directive (:mod:`extractor.sector`),
from the rules' keywords and the trained classifier (``models/sectors``) together, in
``DirectiveRecord.sector``. Without a shipped classifier (``--mode rules``), the rules
alone. A saved pipeline (``nlp.to_disk``) carries the classifier's weights."""

from __future__ import annotations

from pathlib import Path

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
        # The shipped classifier, read at first use, or the one a saved pipeline carries.
        self._model = None
        self._loaded = False

    @property
    def trained(self):
        """The trained textcat pipeline, or None (rules alone, or none shipped)."""
        if self.use_model and not self._loaded:
            from ..sector_model import load_sector_model

            self._model, self._loaded = load_sector_model(), True
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        records = doc._.vnx_directives or []
        if not records:
            return doc
        text = text_of(doc)
        fields = [directive_fields(text, rec) for rec in records]
        context = document_fields(text)
        probabilities = self._predict(fields, context)
        for rec, f, p in zip(records, fields, probabilities):
            rec.sector = combine(f, p, context)
        return doc

    def _predict(self, fields: list[dict], context: list[str]) -> list:
        model = self.trained
        if model is None:
            return [None] * len(fields)
        from ..sector_model import example_text, predict

        return predict([example_text(f, context) for f in fields], model)

    def to_disk(self, path, *, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.trained is not None:
            self.trained.to_disk(path / "model")

    def from_disk(self, path, *, exclude=()) -> SectorClassifier:
        import spacy

        saved = Path(path) / "model"
        self._model = spacy.load(saved) if (saved / "meta.json").exists() else None
        self._loaded = True
        return self


@Language.factory("sector_classifier", default_config={"use_model": True},
                  assigns=["doc._.vnx_directives"], requires=["doc._.vnx_directives"])  # fmt: skip
def create_sector_classifier(nlp: Language, name: str, use_model: bool) -> SectorClassifier:
    return SectorClassifier(name, use_model)
