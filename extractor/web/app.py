"""The HTTP API and the clerk's review page: a thin layer over :mod:`extractor.api`.

Every bad input is a 4xx with a one-line ``detail`` (the reader's message for files) and
the same in Vietnamese as ``message`` (what the page shows):
415 for a content type other than JSON or multipart, 422 for an empty body, bad JSON,
an empty/binary/undecodable file or a bad field, 413 for a body over the upload limit,
404 for an unknown document or directive, 409 for adding a directive twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Literal, Optional, Sequence, Union

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import DEFAULT_MODE, __version__
from ..fields import say
from ..reviewed import REVIEWED_SCHEMA_VERSION, ReviewedDocument
from ..schema import SCHEMA_VERSION, Document, Modality
from . import messages
from . import models as m
from . import review as rv
from .assets import fill, package_text
from .guard import HostGuard
from .store import Review, StaleReview, Store, StoredDocument, now_iso
from .workers import (
    DEFAULT_QUEUE_TIMEOUT,
    DEFAULT_TIMEOUT,
    Busy,
    ExtractionPool,
    Job,
    TimedOut,
    WorkerFailed,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file itself
_STATIC = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
# The page loads nothing from elsewhere; the policy makes the browser enforce it.
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


# -- request bodies ------------------------------------------------------------------


_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_FIELD_CHARS = 5000  # a corrected or typed value; a whole notice is uploaded, not typed


def _valid_text(value: str) -> str:
    """Refuse a lone surrogate (valid JSON escape, but no character: it cannot be stored)."""
    bad = _SURROGATE.search(value)
    if bad:
        raise ValueError(f"invalid character (a lone surrogate) at position {bad.start()}")
    return value


Text = Annotated[str, AfterValidator(_valid_text)]
FieldText = Annotated[str, Field(max_length=MAX_FIELD_CHARS), AfterValidator(_valid_text)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpanRef(_Body):
    """A stretch of the document text chosen by the clerk (offsets into ``text``)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


Value = Union[SpanRef, FieldText, None]


class Corrections(_Body):
    """New values: text (grounded in the evidence when it is there) or a {start, end}
    selection of the text; a field given as null clears it."""

    issuer: Value = None
    actor: Value = None
    coactors: Optional[Annotated[list[Union[SpanRef, FieldText]], Field(max_length=50)]] = None
    action: Value = None
    topic: Value = None
    purpose: Value = None
    report_to: Value = None
    deadline_date: Optional[dt.date] = None
    modality: Optional[Modality] = None
    sector: Optional[Annotated[str, Field(max_length=100)]] = Field(
        default=None, description="A sector id of extractor/data/sectors.json."
    )


class ReviewRequest(_Body):
    action: Literal["accept", "reject", "correct", "reset"]
    reviewer: Annotated[Text, Field(min_length=1, max_length=200)]
    fields: Optional[Corrections] = None
    version: Optional[int] = Field(
        default=None, ge=0,
        description="The review version the client last saw (the directive's "
        "review.version); a review that has moved on since answers 409.",
    )  # fmt: skip


class NewDirective(_Body):
    """A directive the extractor missed: the selected text is its action."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    reviewer: Annotated[Text, Field(min_length=1, max_length=200)]
    actor: Optional[FieldText] = None
    deadline_date: Optional[dt.date] = None
    modality: Modality = Modality.obligation


class DocDate(_Body):
    """The document date set by the clerk: deadlines without a year are read on it."""

    doc_date: dt.date
    reviewer: Annotated[Text, Field(min_length=1, max_length=200)]


class ClientError(HTTPException):
    """An HTTP error with the clerk's Vietnamese ``message`` beside the English ``detail``."""

    def __init__(self, status: int, detail: str, message: Optional[str] = None,
                 headers: Optional[dict] = None):  # fmt: skip
        super().__init__(status, detail, headers=headers)
        self.message = message or messages.for_status(status)


def _error(status: int, detail: str, message: Optional[str] = None, **extra) -> JSONResponse:
    body = {"detail": detail, "message": message or messages.for_status(status), **extra}
    return JSONResponse(body, status_code=status)


class BodyTooLarge(Exception):
    def __init__(self, size: int, limit: int):
        super().__init__(f"request body too large: over {limit / 1048576:.1f} MB "
                         f"(received {size / 1048576:.1f} MB so far)")  # fmt: skip


class _BodyLimit:
    """ASGI middleware: refuse a body over the limit before it is read into memory."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            message = str(BodyTooLarge(int(length), self.limit))
            return await _error(413, message)(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(seen, self.limit)
            return message

        return await self.app(scope, counted, send)


# -- the app -------------------------------------------------------------------------


def create_app(
    db_path: Union[str, os.PathLike],
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    *,
    mode: str = DEFAULT_MODE,
    warm_up: bool = True,
    workers: int = 0,
    timeout: float = DEFAULT_TIMEOUT,
    queue_timeout: float = DEFAULT_QUEUE_TIMEOUT,
    allowed_hosts: Sequence[str] = (),
) -> FastAPI:
    """The FastAPI app over the SQLite review store at ``db_path``.

    ``workers`` processes read and extract uploads (see :mod:`.workers`; 0: a server
    thread, one at a time), each within ``timeout`` seconds; a request waits at most
    ``queue_timeout`` seconds for a free one. ``warm_up`` loads the pipeline at start-up
    (lifespan) so the first request is fast. Requests must name this server in ``Host``:
    a loopback name, or one of ``allowed_hosts`` (see :class:`.guard.HostGuard`).
    """
    store = Store(db_path)
    pool = ExtractionPool(mode, workers, timeout=timeout, queue_timeout=queue_timeout)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_up or workers:
            await pool.start()
        app.state.ready = True
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="Vietnamese directive extractor — review",
        version=__version__,
        description="Extract directives from Vietnamese meeting conclusions and review them.",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc load from a CDN; the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.store = store
    app.state.ready = False
    app.add_middleware(_BodyLimit, limit=max_upload_bytes + _MULTIPART_SLACK)
    app.add_middleware(HostGuard, allowed_hosts=allowed_hosts)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, exc: BodyTooLarge):
        return _error(413, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        reply = _error(exc.status_code, str(exc.detail), getattr(exc, "message", None))
        reply.headers.update(exc.headers or {})
        return reply

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type")}
                  for e in exc.errors()]  # fmt: skip
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"] if p != "body") or "body"
        return _error(422, f"{where}: {first['msg']}", messages.validation(errors),
                      errors=errors)  # fmt: skip

    @app.exception_handler(RecursionError)
    async def _too_deep(request: Request, exc: RecursionError):
        return _error(422, "the request is nested too deeply")

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        log.exception("internal error on %s %s", request.method, request.url.path)
        return _error(500, f"internal error: {type(exc).__name__}")

    def _load(doc_id: str) -> StoredDocument:
        stored = store.get(doc_id)
        if stored is None:
            raise ClientError(404, f"no document with id {doc_id!r}",
                              say("no_document", doc_id=doc_id))  # fmt: skip
        return stored

    def _directive(doc_id: str, directive_id: str) -> dict:
        found = rv.find_directive(_load(doc_id), directive_id)
        if found is None:
            raise ClientError(404, f"no directive {directive_id!r} in document {doc_id!r}",
                              say("no_directive", directive_id=directive_id))  # fmt: skip
        return found

    # -- pages ----------------------------------------------------------------------

    def _page() -> HTMLResponse:
        from html import escape

        from ..sector import sector_labels

        sectors = escape(json.dumps(sector_labels(), ensure_ascii=False), quote=True)
        html = fill(package_text("templates", "review.html"),
                    {"version": __version__, "max_upload_bytes": str(max_upload_bytes),
                     "sectors": sectors})  # fmt: skip
        return HTMLResponse(html, headers={"Content-Security-Policy": _CSP})

    @app.get("/", include_in_schema=False)
    def index() -> HTMLResponse:
        return _page()

    @app.get("/documents/{doc_id}", include_in_schema=False)
    def document_page(doc_id: str) -> HTMLResponse:
        return _page()

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in _STATIC:
            raise HTTPException(404, f"no static file {name!r}")
        return Response(package_text("static", name), media_type=_STATIC[name],
                        headers={"Cache-Control": "no-cache"})  # fmt: skip

    # -- API ------------------------------------------------------------------------

    @app.get("/api/health", tags=["service"], response_model=m.Health)
    async def health() -> dict:
        """Liveness, versions and whether the pipeline is loaded. On the event loop itself
        (one indexed SQLite count), so that it never queues behind the clerks' requests in
        the thread pool."""
        return {"status": "ok", "extractor_version": __version__,
                "schema_version": SCHEMA_VERSION,
                "reviewed_schema_version": REVIEWED_SCHEMA_VERSION,
                "pipeline_loaded": app.state.ready,
                "documents": store.count(), "max_upload_bytes": max_upload_bytes}  # fmt: skip

    @app.post(
        "/api/extract",
        tags=["documents"],
        status_code=201,
        response_model=Document,
        responses={
            201: {"description": "The contract, as `extractor extract --with-text` writes it",
                  "headers": _EXTRACT_HEADERS},
            200: {"description": "The same bytes were stored before: review reopened",
                  "headers": _EXTRACT_HEADERS},
            413: {"model": m.ApiError, "description": "Over the upload limit"},
            415: {"model": m.ApiError, "description": "Not JSON nor multipart"},
            422: {"model": m.ApiError, "description": "Empty, binary or undecodable input"}},
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": {
                "type": "object", "required": ["text"],
                "properties": {"text": {"type": "string"},
                               "doc_date": {"type": "string", "format": "date"}}}},
            "multipart/form-data": {"schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"},
                               "text": {"type": "string"},
                               "doc_date": {"type": "string", "format": "date"}}}},
        }}},
    )  # fmt: skip
    async def extract(request: Request) -> JSONResponse:
        """Extract the directives of a text (JSON) or an uploaded file (multipart).

        Returns the contract itself (the JSON ``extractor extract --with-text`` writes); the
        review record's id is in the ``X-Document-Id`` header (and ``Location``). The
        document is stored, keyed by the sha256 of its bytes; sending the same bytes again
        reopens its review (status 200, ``X-Reopened: true``), and a ``doc_date`` other than
        the stored one re-reads its deadlines on that date, keeping the review.
        """
        from ..readers import ReadError

        media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if media == "application/json":
            text, doc_date = await _json_text(request)
            data, name = text.encode("utf-8"), None
        elif media == "multipart/form-data":
            data, name, text, doc_date = await _form_input(request)
        else:
            raise ClientError(415, f"unsupported content type {media or '(none)'!r}: send "
                              "JSON {\"text\": ...} or multipart/form-data with a 'file'")
        if len(data) > max_upload_bytes:
            size = len(data) / 1048576
            raise ClientError(413, f"{name or 'text'}: too large: {size:.1f} MB, the limit "
                              f"is {max_upload_bytes / 1048576:.1f} MB",
                              say("too_large", name=name or say("unnamed_text"), size=size,
                                  limit=max_upload_bytes / 1048576))  # fmt: skip
        sha = hashlib.sha256(data).hexdigest()
        doc_id = store.find_sha256(sha)
        if doc_id is not None:
            if doc_date is not None:
                _set_doc_date(doc_id, doc_date, reviewer=None)
            return _contract(_load(doc_id), created=False)
        if text is not None and not text.strip():
            raise ClientError(422, "the text is empty", say("text_empty"))
        job = Job(data, name, text, doc_date, max_upload_bytes)
        try:
            document = await pool.run(job)
        except ReadError as exc:
            status = {"too_large": 413, "unsupported": 415}.get(exc.kind, 422)
            return _error(status, str(exc), messages.read_error(exc.kind, name), kind=exc.kind)
        except Busy:
            raise ClientError(503, "the server is busy with other documents: try again in "
                              "a minute", headers={"Retry-After": "60"}) from None
        except TimedOut:
            raise ClientError(504, f"{name or 'text'}: extraction took longer than "
                              f"{timeout:.0f} s and was stopped") from None
        except WorkerFailed as exc:
            raise ClientError(503, f"{name or 'text'}: {exc}") from None
        doc_id, created = store.add_document(
            document, name=name, doc_date=doc_date.isoformat() if doc_date else None
        )
        return _contract(_load(doc_id), created=created)

    def _contract(stored: StoredDocument, *, created: bool) -> JSONResponse:
        headers = {"X-Document-Id": stored.id, "Location": f"/api/documents/{stored.id}",
                   "X-Reopened": "false" if created else "true"}  # fmt: skip
        return JSONResponse(stored.document, status_code=201 if created else 200,
                            headers=headers)  # fmt: skip

    def _set_doc_date(doc_id: str, doc_date: dt.date, reviewer: Optional[str]) -> None:
        stored = _load(doc_id)
        if stored.doc_date == doc_date.isoformat():
            return
        store.set_doc_date(doc_id, doc_date.isoformat(), lambda doc: rv.redate(doc, doc_date),
                           reviewer)  # fmt: skip

    @app.get("/api/documents", tags=["documents"], response_model=list[m.DocumentListItem])
    def list_documents(limit: int = 50) -> list[dict]:
        """Recent documents, newest first, with their review progress."""
        return store.list_documents(max(1, min(limit, 500)))

    @app.get("/api/documents/{doc_id}", tags=["documents"], response_model=m.ReviewView)
    def get_document(doc_id: str) -> dict:
        """The reviewed version: every directive (extracted and added), corrections applied,
        each with its ``review`` block (status, version, reviewer, reviewed_at, originals)."""
        return rv.view(_load(doc_id))

    @app.put("/api/documents/{doc_id}/doc-date", tags=["review"], response_model=m.ReviewView)
    def set_doc_date(doc_id: str, body: DocDate) -> dict:
        """Set or change the document date: the deadlines are read again on it (a date
        without a year gets its year); review decisions and corrected deadlines are kept."""
        _set_doc_date(doc_id, body.doc_date, reviewer=body.reviewer.strip())
        return rv.view(_load(doc_id))

    @app.get("/api/documents/{doc_id}/events", tags=["documents"], response_model=list[m.Event])
    def events(doc_id: str) -> list[dict]:
        """The audit trail: every decision with who and when."""
        _load(doc_id)
        return store.events(doc_id)

    @app.post("/api/documents/{doc_id}/directives/{directive_id}/review", tags=["review"],
              response_model=m.DirectiveResult,
              responses={409: {"model": m.ApiError, "description": "Stale version"}})
    def review_directive(doc_id: str, directive_id: str, body: ReviewRequest) -> dict:
        """Accept, reject, reset or correct a directive (a correction also accepts it).

        Correctable fields: ``issuer``, ``actor``, ``coactors``, ``action``, ``topic``,
        ``purpose``, ``report_to`` (text, or {start, end} in the text), ``deadline_date``
        (YYYY-MM-DD), ``modality`` and ``sector``; null clears a field.
        """
        _directive(doc_id, directive_id)
        fields = body.fields.model_dump(exclude_unset=True, mode="json") if body.fields else {}

        def decide(stored: StoredDocument) -> Review:  # on the state as it is now
            return rv.decide(stored, rv.find_directive(stored, directive_id),
                             action=body.action, reviewer=body.reviewer.strip(),
                             fields=fields)  # fmt: skip

        try:
            store.review(doc_id, directive_id, decide, kind=body.action,
                         expected_version=body.version)  # fmt: skip
        except rv.ReviewError as exc:
            raise ClientError(422, str(exc), exc.message) from None
        except StaleReview as exc:
            who = f" ({exc.current.reviewer})" if exc.current.reviewer else ""
            raise ClientError(409, str(exc), say("reviewed_meanwhile", who=who)) from None
        return _with_directive(doc_id, directive_id)

    def _with_directive(doc_id: str, directive_id: str) -> dict:
        result = rv.view(_load(doc_id))
        result["directive"] = next(d for d in result["document"]["directives"]
                                   if d["id"] == directive_id)  # fmt: skip
        return result

    @app.post("/api/documents/{doc_id}/directives", tags=["review"], status_code=201,
              response_model=m.DirectiveResult)
    def add_directive(doc_id: str, body: NewDirective) -> dict:
        """Add a directive the extractor missed; the span [start, end) of the text is its
        action, its sentence the evidence. It is stored as accepted."""
        stored = _load(doc_id)
        try:
            directive = rv.new_directive(
                stored, start=body.start, end=body.end, actor=body.actor,
                deadline_date=body.deadline_date.isoformat() if body.deadline_date else None,
                modality=body.modality.value,
            )  # fmt: skip
        except rv.ReviewError as exc:
            raise ClientError(422, str(exc), exc.message) from None
        if rv.find_directive(stored, directive["id"]) is not None:
            raise ClientError(409, f"a directive with this action span already exists "
                              f"({directive['id']})", say("already_directive"))  # fmt: skip
        store.add_directive(doc_id, directive, Review(status="accepted",
                            reviewer=body.reviewer.strip(), reviewed_at=now_iso()))  # fmt: skip
        return _with_directive(doc_id, directive["id"])

    # -- exports --------------------------------------------------------------------

    @app.get("/api/documents/{doc_id}/export.json", tags=["export"],
             response_model=ReviewedDocument)
    def export_json(doc_id: str, text: bool = False) -> Response:
        """The reviewed document (schema ``1.0-reviewed``: ``extractor schema --reviewed``)
        with the accepted directives only; ``?text=true`` includes the normalized text."""
        doc = rv.export(_load(doc_id), with_text=text)
        return _download(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "json",
                         f"chi-dao-{doc_id}")  # fmt: skip

    def export_table(fmt: str):
        def export(doc_id: str) -> Response:
            return _table([rv.export(_load(doc_id))], fmt, f"chi-dao-{doc_id}")

        export.__doc__ = _EXPORT_DOCS[fmt] + " Accepted directives only."
        return export

    def export_many(fmt: str):
        def export(id: Annotated[Optional[list[str]], Query()] = None) -> Response:  # noqa: A002
            ids = id or [d["id"] for d in store.list_documents(500)]
            docs = [rv.export(_load(doc_id)) for doc_id in ids]
            if fmt == "json":
                return _download(json.dumps(docs, ensure_ascii=False, indent=2) + "\n",
                                 "json", "chi-dao")  # fmt: skip
            return _table(docs, fmt, "chi-dao")

        export.__doc__ = (_EXPORT_DOCS[fmt] + " The accepted directives of several documents "
                          "(?id=...&id=...; every stored document without it).")  # fmt: skip
        return export

    for fmt in ("csv", "xlsx", "ics"):
        app.get(f"/api/documents/{{doc_id}}/export.{fmt}", tags=["export"],
                responses=_export_responses(fmt), name=f"export_{fmt}")(export_table(fmt))
    for fmt in ("json", "csv", "xlsx", "ics"):
        app.get(f"/api/export.{fmt}", tags=["export"], responses=_export_responses(fmt),
                name=f"export_many_{fmt}")(export_many(fmt))  # fmt: skip

    # -- input parsing --------------------------------------------------------------

    async def _json_text(request: Request) -> tuple[str, Optional[dt.date]]:
        body = await request.body()
        if not body.strip():
            raise ClientError(422, 'empty request body: send {"text": "..."}',
                              say("text_empty"))  # fmt: skip
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ClientError(422, f"the body is not valid JSON: {exc}",
                              messages.STATUS[422]) from None  # fmt: skip
        except RecursionError:
            raise ClientError(422, "the JSON body is nested too deeply") from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ClientError(422, 'the JSON body needs a "text" string',
                              say("text_empty"))  # fmt: skip
        try:
            _valid_text(data["text"])
        except ValueError as exc:
            raise ClientError(422, f"text: {exc}", say("bad_characters")) from None
        unknown = set(data) - {"text", "doc_date"}
        if unknown:
            raise ClientError(422, f"unknown field(s): {', '.join(sorted(unknown))}")
        return data["text"], _parse_date(data.get("doc_date"))

    async def _form_input(request: Request):
        form = await request.form(max_files=1, max_fields=10)
        doc_date = _parse_date(form.get("doc_date") or None)
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str):
            data = await upload.read()
            name = Path(upload.filename or "upload").name  # never a client's folder path
            return data, name, None, doc_date
        text = form.get("text")
        if isinstance(text, str):
            return text.encode("utf-8"), None, text, doc_date
        raise ClientError(422, "no file in the upload: send it in the form field 'file'",
                          say("no_file"))  # fmt: skip

    return app


def _parse_date(value) -> Optional[dt.date]:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        message = f"doc_date {value!r} is not a date in the form YYYY-MM-DD"
        raise ClientError(422, message, say("bad_date")) from None


_MEDIA = {"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "ics": "text/calendar; charset=utf-8"}  # fmt: skip
_EXPORT_DOCS = {
    "json": "Reviewed documents (schema 1.0-reviewed), as a JSON array.",
    "csv": "The clerk's table as CSV (UTF-8 with BOM, Vietnamese headers).",
    "xlsx": "The clerk's table as an Excel workbook (directives and documents sheets).",
    "ics": "An iCalendar file: one all-day event per dated deadline.",
}


def _export_responses(fmt: str) -> dict:
    return {200: {"description": "The file", "content": {
        _MEDIA[fmt]: {"schema": {"type": "string", "format": "binary"}}}}}  # fmt: skip
_EXTRACT_HEADERS = {
    "X-Document-Id": {"description": "Id of the review record (GET /api/documents/{id})",
                      "schema": {"type": "string"}},
    "X-Reopened": {"description": "true when these bytes were stored before",
                   "schema": {"type": "string", "enum": ["true", "false"]}},
}  # fmt: skip


def _table(docs: list[dict], fmt: str, stem: str) -> Response:
    from ..exports import to_csv, to_ics, to_xlsx

    body = {"csv": lambda: to_csv(docs).encode("utf-8"), "xlsx": lambda: to_xlsx(docs),
            "ics": lambda: to_ics(docs)}[fmt]()  # fmt: skip
    return _download(body, fmt, stem)


def _download(body, fmt: str, stem: str) -> Response:
    return Response(body, media_type=_MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})
