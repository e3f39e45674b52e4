"""spaCy component: what each directive's deadline means (its date, granularity, kind),
read with the document date by the rule that found it, into ``doc._.vnx_deadline_values``
(by the deadline's offsets); what could not be read goes to ``doc._.vnx_warnings``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import text_of


class DeadlineReader:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from ..deadlines import parse_deadline, read_match

        text = text_of(doc)
        on = doc._.vnx_metadata.date if doc._.vnx_metadata is not None else None
        matches = doc._.vnx_deadline_matches or {}
        values, warnings = {}, list(doc._.vnx_warnings or [])
        for rec in doc._.vnx_directives or []:
            if rec.deadline is None:
                continue
            key = (rec.deadline.start, rec.deadline.end)
            if key not in values:
                match = matches.get(key)
                # A span no finder match covers exactly is read from its surface.
                values[key] = (read_match(match, on) if match
                               else parse_deadline(text[slice(*key)], on))  # fmt: skip
            value = values[key]
            if value.warning:
                warnings.append(f"deadline {text[slice(*key)]!r}: {value.warning}")
        doc._.vnx_deadline_values = values
        doc._.vnx_warnings = warnings
        return doc


@Language.factory("deadline_reader", assigns=["doc._.vnx_deadline_values", "doc._.vnx_warnings"],
                  requires=["doc._.vnx_directives", "doc._.vnx_metadata",
                            "doc._.vnx_deadline_matches"])  # fmt: skip
def create_deadline_reader(nlp: Language, name: str) -> DeadlineReader:
    return DeadlineReader(name)
