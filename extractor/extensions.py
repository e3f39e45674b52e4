"""Every custom ``._`` attribute the pipeline sets, registered in one place.

All names carry the ``vnx_`` prefix (Vietnamese directive extractor), so they cannot clash
with another library's extensions on the same ``Doc`` (a bare ``doc._.vnx_text`` would).
The directives are also a span group, ``doc.spans["directives"]``: one span per directive
(its evidence sentence, labelled with its modality), whose ``Span._.vnx_*`` getters read
the directive's fields, so displaCy and other span tools show them.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from spacy.tokens import Doc, Span

PREFIX = "vnx_"
DIRECTIVES_SPANS_KEY = "directives"
# A directive span's ``span.id_``: this prefix and the record's index in vnx_directives.
SPAN_ID_PREFIX = "directive:"

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
    text = doc._.vnx_text
    return doc.text if text is None else text


def directive_record(span: Span) -> Any:
    """The ``assemble.DirectiveRecord`` a span of ``doc.spans["directives"]`` stands for,
    or None for any other span."""
    number = span.id_.removeprefix(SPAN_ID_PREFIX)
    if number == span.id_ or not number.isdigit():
        return None
    records = span.doc._.vnx_directives or []
    index = int(number)
    return records[index] if index < len(records) else None


def _span_of(doc: Doc, ref: Any) -> Optional[Span]:
    """A record's character span as a Span of the Doc (grown to whole tokens)."""
    if ref is None:
        return None
    return doc.char_span(ref.start, ref.end, alignment_mode="expand")


def _role(name: str) -> Callable[[Span], Optional[Span]]:
    def get(span: Span) -> Optional[Span]:
        rec = directive_record(span)
        return None if rec is None else _span_of(span.doc, getattr(rec, name))

    return get


def _value(name: str) -> Callable[[Span], Any]:
    def get(span: Span) -> Any:
        rec = directive_record(span)
        return None if rec is None else getattr(rec, name)

    return get


def _rules(span: Span) -> Optional[list[str]]:
    rec = directive_record(span)
    return None if rec is None else list(dict.fromkeys(rec.rules))


# Span._.vnx_<name>: the directive's fields as Spans (roles) or values; None off the group.
SPAN_GETTERS: dict[str, Callable[[Span], Any]] = {
    "directive": directive_record,
    "actor": _role("actor"),
    "action": _role("action"),
    "deadline": _role("deadline"),
    "topic": _role("topic"),
    "modality": _value("modality"),
    "confidence": _value("confidence"),
    "rules": _rules,
}


def register() -> None:
    for name, default in DOC_ATTRS.items():
        if not Doc.has_extension(PREFIX + name):
            Doc.set_extension(PREFIX + name, default=default)
    for name, getter in SPAN_GETTERS.items():
        if not Span.has_extension(PREFIX + name):
            Span.set_extension(PREFIX + name, getter=getter)


register()
