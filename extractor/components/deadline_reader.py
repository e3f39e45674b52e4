"""spaCy component: what each directive's deadline means (its date, granularity, kind),
read with the document date, into ``doc._.vnx_deadline_values`` (by surface); what could
not be read goes to ``doc._.vnx_warnings``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import text_of


class DeadlineReader:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from ..deadlines import parse_deadline

        text = text_of(doc)
        on = doc._.vnx_metadata.date if doc._.vnx_metadata is not None else None
        values, warnings = {}, list(doc._.vnx_warnings or [])
        for rec in doc._.vnx_directives or []:
            if rec.deadline is None:
                continue
            surface = text[rec.deadline.start : rec.deadline.end]
            value = values.get(surface) or parse_deadline(surface, on)
            values[surface] = value
            if value.warning:
                warnings.append(f"deadline {surface!r}: {value.warning}")
        doc._.vnx_deadline_values = values
        doc._.vnx_warnings = warnings
        return doc


@Language.factory("deadline_reader", assigns=["doc._.vnx_deadline_values", "doc._.vnx_warnings"],
                  requires=["doc._.vnx_directives", "doc._.vnx_metadata"])  # fmt: skip
def create_deadline_reader(nlp: Language, name: str) -> DeadlineReader:
    return DeadlineReader(name)
