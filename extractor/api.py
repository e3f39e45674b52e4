"""The Python API: text or file in, :class:`extractor.schema.Document` out.

>>> from extractor import extract
>>> doc = extract("Giao Bộ Tài chính chủ trì rà soát các quy định, báo cáo Thủ tướng Chính phủ.")
>>> [d.actor.text for d in doc.directives]
['Bộ Tài chính']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from typing import Iterable, Iterator, Optional, Union

from . import DEFAULT_MODE, MODES, __version__
from .assemble import DirectiveRecord, Origin, Ref
from .extensions import text_of
from .fields import fields
from .metadata import Found
from .normalize import normalize_text
from .schema import (
    Deadline,
    DeadlineKind,
    Directive,
    Document,
    DocumentInfo,
    Entity,
    EntityKind,
    Meeting,
    Options,
    SkippedRegion,
    Source,
    Span,
)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _origin(ref: Ref) -> Optional[str]:
    """The contract's origin of a role: null when read in the directive's own clause."""
    return None if ref.origin == Origin.own else ref.origin.value


def _span(text: str, ref: Optional[Ref], cls=Span, **extra):
    if ref is None:
        return None
    return cls(text=text[ref.start : ref.end], start=ref.start, end=ref.end, source=ref.rule,
               origin=_origin(ref), **extra)  # fmt: skip


class _Builder:
    """Turns the pipeline's records into the contract's models; every reading (metadata,
    gazetteer resolutions, deadline values) was made by the pipeline's components."""

    def __init__(self, doc):
        self.text = text_of(doc)
        self.resolutions = doc._.resolutions or {}
        self.deadline_values = doc._.deadline_values or {}

    def entity(self, ref: Optional[Ref]) -> Optional[Entity]:
        if ref is None:
            return None
        surface = self.text[ref.start : ref.end]
        res = self.resolutions[surface]
        return Entity(
            text=surface,
            start=ref.start,
            end=ref.end,
            source=ref.rule if res.canonical is None else f"{ref.rule}+{res.rule}",
            origin=_origin(ref),
            kind=res.kind,
            detector=ref.detector,
            canonical=res.canonical,
            person=res.person,
            members=list(res.members),
        )

    def found_entity(self, found: Optional[Found]) -> Optional[Entity]:
        return None if found is None else self.entity(Ref(found.start, found.end, found.rule))

    def deadline(self, ref: Optional[Ref]) -> Optional[Deadline]:
        if ref is None:
            return None
        surface = self.text[ref.start : ref.end]
        value = self.deadline_values[surface]
        return Deadline(
            text=surface,
            start=ref.start,
            end=ref.end,
            source=value.rule or ref.rule,  # the rule that computed the date
            origin=_origin(ref),
            date=value.date,
            granularity=value.granularity,
            kind=DeadlineKind(value.kind),
            recurrence=value.recurrence,
        )

    def value(self, kind: str, value):
        """A record's field as the contract's model, by the field's kind."""
        if kind == "entity":
            return self.entity(value)
        if kind == "entities":
            return [self.entity(r) for r in value]
        if kind == "deadline":
            return self.deadline(value)
        if kind == "span":
            return _span(self.text, value)
        return value  # a label

    def directive(self, rec: DirectiveRecord, text_hash: str) -> Directive:
        key = f"{text_hash}:{rec.action.start}:{rec.action.end}"
        return Directive(
            id="d-" + hashlib.sha1(key.encode()).hexdigest()[:16],
            **{f.name: self.value(f.kind, getattr(rec, f.name)) for f in fields()},
            confidence=rec.confidence,
            rule_confidence=rec.rule_confidence,
            model_confidence=rec.model_confidence,
            rules=list(dict.fromkeys(rec.rules)),
        )


def extract_text(
    raw_text: str,
    *,
    doc_date: Optional[dt.date] = None,
    mode: str = DEFAULT_MODE,
    source: Optional[Source] = None,
    warnings: tuple[str, ...] = (),
    with_text: bool = False,
) -> Document:
    """Extract the directives of one text (already decoded)."""
    return next(extract_texts([(raw_text, source, tuple(warnings))], doc_date=doc_date,
                              mode=mode, with_text=with_text))  # fmt: skip


def extract_texts(
    items: Iterable[tuple[str, Optional[Source], tuple[str, ...]]],
    *,
    doc_date: Optional[dt.date] = None,
    mode: str = DEFAULT_MODE,
    with_text: bool = False,
    batch_size: int = 8,
) -> Iterator[Document]:
    """Extract the directives of many texts, each given as (text, source or None,
    reader warnings); one Document per text, in order, each the same as
    :func:`extract_text` gives. The pipeline reads them ``batch_size`` at a time, which
    is faster; an exception stops the stream (retry one by one to find the culprit)."""
    from .pipeline import build

    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
    pipeline = build(mode)

    def docs():
        for raw_text, source, warnings in items:
            text, source = _prepare(raw_text, source)
            doc = pipeline.make_doc(text)
            doc._.given_date = doc_date  # read by the metadata stage
            doc._.published = _iso_date(source._published)
            yield doc, (source, tuple(warnings))

    pairs = pipeline.pipe(docs(), as_tuples=True, batch_size=batch_size)
    for doc, (source, warnings) in pairs:
        yield _document(doc, source, warnings, doc_date=doc_date, mode=mode, with_text=with_text)


def _iso_date(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _prepare(raw_text: str, source: Optional[Source]) -> tuple[str, Source]:
    """The normalized text (what every offset refers to) and its source record."""
    text = normalize_text(raw_text)
    if source is None:
        source = Source(sha256=_sha256(raw_text.encode("utf-8")), format="text", chars=len(text))
    else:
        source = source.model_copy(update={"chars": len(text)})
    return text, source


def _document(doc, source: Source, warnings: tuple[str, ...], *, doc_date: Optional[dt.date],
              mode: str, with_text: bool) -> Document:  # fmt: skip
    """The contract's Document for a processed Doc."""
    text = text_of(doc)
    meta = doc._.metadata
    builder = _Builder(doc)
    text_hash = _sha256(text.encode("utf-8"))
    directives = [builder.directive(rec, text_hash) for rec in doc._.directives]
    meeting = None
    if meta.meeting_title or meta.chair:
        meeting = Meeting(
            title=_span(text, _ref(meta.meeting_title)),
            date=meta.meeting_date.isoformat() if meta.meeting_date else None,
            date_text=_span(text, _ref(meta.meeting_date_found)),
            chair=builder.found_entity(meta.chair),
        )
    info = DocumentInfo(
        number=meta.number.value if meta.number else None,
        date=meta.date.isoformat() if meta.date else None,
        issuing_body=builder.found_entity(meta.issuing_body),
        meeting=meeting,
    )
    skipped = [
        SkippedRegion(text=text[r.start : r.end], start=r.start, end=r.end, source=r.rule,
                      reason=r.reason)  # fmt: skip
        for r in doc._.skipped or []
    ]
    all_warnings = list(dict.fromkeys([*warnings, *meta.warnings, *(doc._.warnings or [])]))
    return Document(
        extractor_version=__version__,
        options=Options(mode=mode, doc_date=doc_date.isoformat() if doc_date else None,
                        with_text=with_text),  # fmt: skip
        source=source,
        document=info,
        directives=directives,
        skipped=skipped,
        warnings=all_warnings,
        text=text if with_text else None,
    )


def _ref(found: Optional[Found]) -> Optional[Ref]:
    return None if found is None else Ref(found.start, found.end, found.rule)


def extract_file(
    path: Union[str, os.PathLike],
    *,
    doc_date: Optional[dt.date] = None,
    mode: str = DEFAULT_MODE,
    with_text: bool = False,
) -> Document:
    """Read a file (any supported format) and extract its directives.

    Raises :class:`extractor.readers.ReadError` with a one-line message naming
    the file when it cannot be read.
    """
    text, source, warnings = read_file(path)
    return extract_text(text, source=source, warnings=warnings, doc_date=doc_date, mode=mode,
                        with_text=with_text)  # fmt: skip


def read_file(path: Union[str, os.PathLike]) -> tuple[str, Source, tuple[str, ...]]:
    """A file's text, its source record and the reader's warnings, as
    :func:`extract_texts` takes them. Raises :class:`extractor.readers.ReadError`."""
    from .readers import read_document

    raw = read_document(path)
    return raw.text, source_of(raw, os.fspath(path)), tuple(raw.warnings)


def source_of(raw, path: Optional[str]) -> Source:
    """The one Source builder for a read file (:class:`extractor.readers.RawDocument`):
    ``chars`` is filled once the text is normalized."""
    source = Source(path=path, sha256=raw.sha256, format=raw.format, chars=0,
                    encoding=raw.encoding)  # fmt: skip
    source._published = raw.published
    return source


def extract(
    text: Optional[str] = None,
    *,
    path: Union[str, os.PathLike, None] = None,
    doc_date: Optional[dt.date] = None,
    mode: str = DEFAULT_MODE,
    with_text: bool = False,
) -> Document:
    """Extract directives from ``text``, or from the file at ``path``."""
    if (text is None) == (path is None):
        raise TypeError("give exactly one of text or path")
    if path is not None:
        return extract_file(path, doc_date=doc_date, mode=mode, with_text=with_text)
    return extract_text(text, doc_date=doc_date, mode=mode, with_text=with_text)


__all__ = ["extract", "extract_file", "extract_text", "extract_texts", "EntityKind"]
