"""The Python API: text or file in, :class:`extractor.schema.Document` out.

>>> from extractor import extract
>>> doc = extract("Giao Bộ Tài chính chủ trì rà soát các quy định, báo cáo Thủ tướng Chính phủ.")
>>> [d.actor.text for d in doc.directives]
['Bộ Tài chính']

``extract(Path("notice.docx"))`` or ``extract(path="notice.docx")`` reads a file;
:func:`extract_texts` is the batch API (many texts, one pipeline pass per batch).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import warnings as _warnings
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Union, overload

from . import DEFAULT_MODE, MODES, __version__
from .assemble import DirectiveRecord, Origin, Ref
from .extensions import text_of
from .fields import fields
from .metadata import Found
from .normalize import normalize_text
from .readers.base import RawDocument
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
    Sector,
    SkippedRegion,
    Source,
    Span,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# A document's date: a date, or an ISO string ("2021-03-20").
DateLike = Union[dt.date, str]
# One text for extract_texts: the text alone, or (text, its source or None, reader warnings).
TextItem = Union[str, tuple[str, Optional[Source], tuple[str, ...]]]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _origin(ref: Ref) -> Optional[str]:
    """The contract's origin of a role: null when read in the directive's own clause."""
    return None if ref.origin == Origin.own else ref.origin.value


@overload
def _span(text: str, ref: Ref) -> Span: ...
@overload
def _span(text: str, ref: Optional[Ref]) -> Optional[Span]: ...
def _span(text: str, ref: Optional[Ref]) -> Optional[Span]:
    if ref is None:
        return None
    return Span(text=text[ref.start : ref.end], start=ref.start, end=ref.end, source=ref.rule,
                origin=_origin(ref))  # fmt: skip


def _as_date(value: Optional[DateLike]) -> Optional[dt.date]:
    """``doc_date`` as given (a date, a datetime or an ISO string) as a date."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"doc_date must be a date or an ISO date string 'YYYY-MM-DD', not {value!r}")


class _Builder:
    """Turns the pipeline's records into the contract's models; every reading (metadata,
    gazetteer resolutions, deadline values) was made by the pipeline's components."""

    def __init__(self, doc: Any):
        self.text = text_of(doc)
        self.resolutions = doc._.vnx_resolutions or {}
        self.deadline_values = doc._.vnx_deadline_values or {}

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
        value = self.deadline_values[(ref.start, ref.end)]
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

    def value(self, kind: str, value: Any) -> Any:
        """A record's field as the contract's model, by the field's kind."""
        if kind == "entity":
            return self.entity(value)
        if kind == "entities":
            return [self.entity(r) for r in value]
        if kind == "deadline":
            return self.deadline(value)
        if kind == "span":
            return _span(self.text, value)
        if kind == "sector":
            return None if value is None else Sector(id=value.id, label=value.label,
                                                     confidence=value.confidence,
                                                     source=value.source)  # fmt: skip
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
    doc_date: Optional[DateLike] = None,
    mode: str = DEFAULT_MODE,
    source: Optional[Source] = None,
    warnings: tuple[str, ...] = (),
    with_text: bool = False,
    pipeline: Optional[Language] = None,
) -> Document:
    """Extract the directives of one text (already decoded)."""
    return next(extract_texts([(raw_text, source, tuple(warnings))], doc_date=doc_date,
                              mode=mode, with_text=with_text, pipeline=pipeline))  # fmt: skip


def extract_texts(
    items: Iterable[TextItem],
    *,
    doc_date: Optional[DateLike] = None,
    mode: str = DEFAULT_MODE,
    with_text: bool = False,
    batch_size: int = 8,
    pipeline: Optional[Language] = None,
) -> Iterator[Document]:
    """The batch API: extract the directives of many texts, lazily, in order.

    Each item is a text, or a tuple ``(text, source or None, reader warnings)`` as
    :func:`read_file` returns it. One Document per item, each the same as
    :func:`extract_text` gives; the pipeline reads ``batch_size`` texts at a time (the
    model reads their sentences together), which is faster than one call per text.
    An exception stops the stream (retry one by one to find the culprit).

    Over a pandas column (pandas is not a dependency; any iterable of strings works)::

        import pandas as pd
        from extractor.api import extract_texts

        df = pd.read_csv("notices.csv")                  # a "text" column
        docs = list(extract_texts(df["text"], doc_date="2021-03-20"))
        df["directives"] = [len(d.directives) for d in docs]
        df["actors"] = [[x.actor.text for x in d.directives if x.actor] for d in docs]

    Files: ``extract_texts(read_file(p) for p in paths)``.

    ``pipeline``: a pipeline to run instead of the package's own for ``mode``, e.g. one
    saved with ``nlp.to_disk`` and read back with ``spacy.load`` (its mode is its own).
    """
    from .pipeline import build, pipeline_mode

    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
    on = _as_date(doc_date)
    nlp = build(mode) if pipeline is None else pipeline
    mode = pipeline_mode(nlp)

    def docs() -> Iterator[tuple[Any, tuple[Source, tuple[str, ...]]]]:
        for raw_text, source, warnings in map(_item, items):
            text, source = _prepare(raw_text, source)
            doc = nlp.make_doc(text)
            doc._.vnx_given_date = on  # read by the metadata stage
            doc._.vnx_published = _iso_date(source._published)
            yield doc, (source, tuple(warnings))

    pairs = nlp.pipe(docs(), as_tuples=True, batch_size=batch_size)
    for doc, (source, warnings) in pairs:
        yield _document(doc, source, warnings, doc_date=on, mode=mode, with_text=with_text)


def _item(item: TextItem) -> tuple[str, Optional[Source], tuple[str, ...]]:
    if isinstance(item, str):
        return item, None, ()
    if isinstance(item, tuple) and len(item) == 3 and isinstance(item[0], str):
        return item
    raise TypeError(f"extract_texts takes texts or (text, source, warnings) tuples, not "
                    f"{type(item).__name__}")  # fmt: skip


def _iso_date(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _prepare(raw_text: str, source: Optional[Source]) -> tuple[str, Source]:
    """The normalized text (what every offset refers to) and its source record; a text
    over the readers' character limit is refused (``ReadError`` too_large)."""
    from .readers.base import check_text_size

    name = (source.path if source is not None else None) or "<text>"
    text = check_text_size(normalize_text(check_text_size(raw_text, name)), name)
    if source is None:
        source = Source(sha256=_sha256(raw_text.encode("utf-8")), format="text", chars=len(text))
    else:
        source = source.model_copy(update={"chars": len(text)})
    return text, source


def _document(doc: Doc, source: Source, warnings: tuple[str, ...], *, doc_date: Optional[dt.date],
              mode: str, with_text: bool) -> Document:  # fmt: skip
    """The contract's Document for a processed Doc."""
    text = text_of(doc)
    meta = doc._.vnx_metadata
    builder = _Builder(doc)
    text_hash = _sha256(text.encode("utf-8"))
    directives = [builder.directive(rec, text_hash) for rec in doc._.vnx_directives]
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
        for r in doc._.vnx_skipped or []
    ]
    all_warnings = list(dict.fromkeys([*warnings, *meta.warnings, *(doc._.vnx_warnings or [])]))
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


def document_of(doc: Doc, *, mode: str = DEFAULT_MODE, with_text: bool = True) -> Document:
    """The contract's Document for a Doc a pipeline has processed (``nlp(text)``), its
    source the text itself; ``mode`` is recorded in its options."""
    text = text_of(doc)
    source = Source(sha256=_sha256(text.encode("utf-8")), format="text", chars=len(text))
    return _document(doc, source, (), doc_date=doc._.vnx_given_date, mode=mode,
                     with_text=with_text)  # fmt: skip


def _ref(found: Optional[Found]) -> Optional[Ref]:
    return None if found is None else Ref(found.start, found.end, found.rule)


def extract_file(
    path: Union[str, os.PathLike[str]],
    *,
    doc_date: Optional[DateLike] = None,
    mode: str = DEFAULT_MODE,
    with_text: bool = False,
    pipeline: Optional[Language] = None,
) -> Document:
    """Read a file (any supported format) and extract its directives.

    Raises :class:`extractor.readers.ReadError` with a one-line message naming
    the file when it cannot be read.
    """
    text, source, warnings = read_file(path)
    return extract_text(text, source=source, warnings=warnings, doc_date=doc_date, mode=mode,
                        with_text=with_text, pipeline=pipeline)  # fmt: skip


def read_file(path: Union[str, os.PathLike[str]]) -> tuple[str, Source, tuple[str, ...]]:
    """A file's text, its source record and the reader's warnings, as
    :func:`extract_texts` takes them. Raises :class:`extractor.readers.ReadError`."""
    from .readers import read_document

    raw = read_document(path)
    return raw.text, source_of(raw, os.fspath(path)), tuple(raw.warnings)


def source_of(raw: RawDocument, path: Optional[str]) -> Source:
    """The one Source builder for a read file (:class:`extractor.readers.RawDocument`):
    ``chars`` is filled once the text is normalized."""
    source = Source(path=path, sha256=raw.sha256, format=raw.format, chars=0,
                    encoding=raw.encoding)  # fmt: skip
    source._published = raw.published
    return source


def extract(
    text: Union[str, os.PathLike[str], None] = None,
    *,
    path: Union[str, os.PathLike[str], None] = None,
    doc_date: Optional[DateLike] = None,
    mode: str = DEFAULT_MODE,
    with_text: bool = False,
    pipeline: Optional[Language] = None,
) -> Document:
    """Extract directives from ``text``, or from the file at ``path``.

    ``extract(Path("notice.docx"))`` (any :class:`os.PathLike`) reads the file, as
    ``extract(path="notice.docx")`` does. A ``str`` is always the text itself: one that
    names an existing file is still read as text, with a warning. ``doc_date`` (a
    :class:`datetime.date` or an ISO string, "2021-03-20") is the document's date: it
    resolves deadlines without a year and wins over a date read from the text. ``mode``:
    "rules", "model" or "hybrid" (the default). For many texts use :func:`extract_texts`.
    ``pipeline``: a saved pipeline read back with ``spacy.load`` runs instead of ``mode``'s.
    """
    if (text is None) == (path is None):
        raise TypeError("give exactly one of text or path")
    if isinstance(text, os.PathLike):
        text, path = None, text
    if path is not None:
        return extract_file(path, doc_date=doc_date, mode=mode, with_text=with_text,
                            pipeline=pipeline)  # fmt: skip
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (or a path-like object), not {type(text).__name__}")
    if _names_a_file(text):
        _warnings.warn(f"extract({_short(text)}) read the string as text, but it names an "
                       "existing path: pass path=... or a pathlib.Path to read the file",
                       UserWarning, stacklevel=2)  # fmt: skip
    return extract_text(text, doc_date=doc_date, mode=mode, with_text=with_text,
                        pipeline=pipeline)  # fmt: skip


def _names_a_file(text: str) -> bool:
    """Whether a text looks like, and is, the path of an existing file or folder."""
    if not text.strip() or "\n" in text or len(text) > 4096:
        return False
    return os.path.exists(text)  # False for what cannot be a path (NUL bytes, too long)


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


__all__ = ["DateLike", "EntityKind", "document_of", "extract", "extract_file", "extract_text",
           "extract_texts", "read_file"]  # fmt: skip
