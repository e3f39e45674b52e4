"""Every custom ``._`` attribute the pipeline sets, registered in one place."""

from __future__ import annotations

from spacy.tokens import Doc

DOC_ATTRS = {
    "skipped": None,  # list[clean.Region]
    "blocks": None,  # list[segment.Block]
    "directives": None,  # list[assemble.DirectiveRecord]
    "clause_context": None,  # {clause start char: assemble.ClauseContext}
    "sentences": None,  # {(start, end): assemble.SentenceClauses}: the clause_splitter's
    "text": None,  # the text the tokenizer was given (== Doc.text)
    "given_date": None,  # the document date the user gave (datetime.date), before the pipeline
    "published": None,  # the page's publication date (HTML, datetime.date), before the pipeline
    "metadata": None,  # metadata.Metadata, its date the document date
    "resolutions": None,  # {actor surface: gazetteer.Resolution}
    "deadline_matches": None,  # {(start, end) of a deadline span: deadlines.DeadlineMatch}
    "deadline_values": None,  # {(start, end) of a record's deadline: deadlines.DeadlineValue}
    "warnings": None,  # list[str]: what the stages found wrong, in text order
}


def text_of(doc: Doc) -> str:
    """The Doc's text: kept by the tokenizer, as Doc.text rebuilds it from every token."""
    text = doc._.text
    return doc.text if text is None else text


def register() -> None:
    for name, default in DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register()
