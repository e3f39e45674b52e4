"""The HTTP API and the clerk's review page: a thin layer over :mod:`extractor.api`.

Every bad input is a 4xx with a one-line ``detail`` (the reader's message for files):
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
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Literal, Optional, Union

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from .. import DEFAULT_MODE, __version__
from ..schema import SCHEMA_VERSION, Modality
from . import review as rv
from .assets import fill, package_text
from .store import Review, Store, StoredDocument, now_iso

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


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpanRef(_Body):
    """A stretch of the document text chosen by the clerk (offsets into ``text``)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Corrections(_Body):
    """New values; a field given as null clears it (actor, deadline)."""

    actor: Union[SpanRef, str, None] = None
    action: Union[SpanRef, str, None] = None
    deadline_date: Optional[dt.date] = None
    modality: Optional[Modality] = None


class ReviewRequest(_Body):
    action: Literal["accept", "reject", "correct", "reset"]
    reviewer: str = Field(min_length=1, max_length=200)
    fields: Optional[Corrections] = None


class NewDirective(_Body):
    """A directive the extractor missed: the selected text is its action."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    reviewer: str = Field(min_length=1, max_length=200)
    actor: Optional[str] = None
    deadline_date: Optional[dt.date] = None
    modality: Modality = Modality.obligation


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
            return await JSONResponse({"detail": message}, status_code=413)(scope, receive, send)
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
) -> FastAPI:
    """The FastAPI app over the SQLite review store at ``db_path``.

    ``warm_up`` builds the pipeline at start-up (lifespan) so the first request is fast.
    """
    store = Store(db_path)
    extract_lock = threading.Lock()  # the NLP models are not documented as thread-safe

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_up:
            from ..pipeline import build

            await run_in_threadpool(build, mode)
        app.state.ready = True
        yield

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

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, exc: BodyTooLarge):
        return JSONResponse({"detail": str(exc)}, status_code=413)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type")}
                  for e in exc.errors()]  # fmt: skip
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"] if p != "body") or "body"
        return JSONResponse({"detail": f"{where}: {first['msg']}", "errors": errors},
                            status_code=422)  # fmt: skip

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        log.exception("internal error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": f"internal error: {type(exc).__name__}"}, status_code=500)

    def _load(doc_id: str) -> StoredDocument:
        stored = store.get(doc_id)
        if stored is None:
            raise HTTPException(404, f"no document with id {doc_id!r}")
        return stored

    def _extract(text: str, *, source, warnings, doc_date) -> dict:
        from ..api import extract_text

        with extract_lock:
            doc = extract_text(text, doc_date=doc_date, mode=mode, source=source,
                               warnings=tuple(warnings), with_text=True)  # fmt: skip
        return doc.model_dump(mode="json")

    # -- pages ----------------------------------------------------------------------

    def _page() -> HTMLResponse:
        html = fill(package_text("templates", "review.html"),
                    {"version": __version__, "max_upload_bytes": str(max_upload_bytes)})
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

    @app.get("/api/health", tags=["service"])
    def health() -> dict:
        """Liveness, versions and whether the pipeline is loaded."""
        return {"status": "ok", "extractor_version": __version__,
                "schema_version": SCHEMA_VERSION, "pipeline_loaded": app.state.ready,
                "documents": store.count(), "max_upload_bytes": max_upload_bytes}  # fmt: skip

    @app.post(
        "/api/extract",
        tags=["documents"],
        status_code=201,
        responses={200: {"description": "The same bytes were stored before: review reopened"},
                   413: {"description": "Over the upload limit"},
                   415: {"description": "Not JSON nor multipart"},
                   422: {"description": "Empty, binary or undecodable input"}},
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

        The document is stored, keyed by the sha256 of its bytes; sending the same bytes
        again returns the stored document and its review (``reopened: true``, status 200).
        """
        from ..api import source_of
        from ..readers import ReadError, read_bytes
        from ..schema import Source

        media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if media == "application/json":
            text, doc_date = await _json_text(request)
            data, name = text.encode("utf-8"), None
        elif media == "multipart/form-data":
            data, name, text, doc_date = await _form_input(request)
        else:
            raise HTTPException(415, f"unsupported content type {media or '(none)'!r}: send "
                                "JSON {\"text\": ...} or multipart/form-data with a 'file'")
        if len(data) > max_upload_bytes:
            size = len(data) / 1048576
            raise HTTPException(413, f"{name or 'text'}: too large: {size:.1f} MB, the limit "
                                f"is {max_upload_bytes / 1048576:.1f} MB")  # fmt: skip
        sha = hashlib.sha256(data).hexdigest()
        doc_id = store.find_sha256(sha)
        if doc_id is not None:
            return JSONResponse(rv.view(_load(doc_id), reopened=True), status_code=200)
        if text is None:
            try:
                raw = read_bytes(data, name=name or "upload", max_bytes=max_upload_bytes)
            except ReadError as exc:
                status = {"too_large": 413, "unsupported": 415}.get(exc.kind, 422)
                return JSONResponse({"detail": str(exc), "kind": exc.kind}, status_code=status)
            source = source_of(raw, name)
            text, warnings = raw.text, raw.warnings
        else:
            if not text.strip():
                raise HTTPException(422, "the text is empty")
            source = Source(path=None, sha256=sha, format="text", chars=0, encoding="utf-8")
            warnings = ()
        document = await run_in_threadpool(_extract, text, source=source, warnings=warnings,
                                           doc_date=doc_date)  # fmt: skip
        doc_id, created = store.add_document(
            document, name=name, doc_date=doc_date.isoformat() if doc_date else None
        )
        return JSONResponse(rv.view(_load(doc_id), reopened=not created),
                            status_code=201 if created else 200)  # fmt: skip

    @app.get("/api/documents", tags=["documents"])
    def list_documents(limit: int = 50) -> list[dict]:
        """Recent documents, newest first, with their review progress."""
        return store.list_documents(max(1, min(limit, 500)))

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def get_document(doc_id: str) -> dict:
        """The reviewed version: every directive (extracted and added), corrections applied,
        each with its ``review`` block (status, reviewer, reviewed_at, original values)."""
        return rv.view(_load(doc_id))

    @app.get("/api/documents/{doc_id}/events", tags=["documents"])
    def events(doc_id: str) -> list[dict]:
        """The audit trail: every decision with who and when."""
        _load(doc_id)
        return store.events(doc_id)

    @app.post("/api/documents/{doc_id}/directives/{directive_id}/review", tags=["review"])
    def review_directive(doc_id: str, directive_id: str, body: ReviewRequest) -> dict:
        """Accept, reject, reset or correct a directive (a correction also accepts it).

        Correctable fields: ``actor`` and ``action`` (text, or {start, end} in the text),
        ``deadline_date`` (YYYY-MM-DD) and ``modality``; null clears actor or deadline.
        """
        stored = _load(doc_id)
        directive = rv.find_directive(stored, directive_id)
        if directive is None:
            raise HTTPException(404, f"no directive {directive_id!r} in document {doc_id!r}")
        fields = body.fields.model_dump(exclude_unset=True, mode="json") if body.fields else {}
        try:
            decision = rv.decide(stored, directive, action=body.action,
                                 reviewer=body.reviewer.strip(), fields=fields)  # fmt: skip
        except rv.ReviewError as exc:
            raise HTTPException(422, str(exc)) from None
        store.save_review(doc_id, directive_id, decision, kind=body.action)
        result = rv.view(_load(doc_id))
        result["directive"] = next(d for d in result["document"]["directives"]
                                   if d["id"] == directive_id)  # fmt: skip
        return result

    @app.post("/api/documents/{doc_id}/directives", tags=["review"], status_code=201)
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
            raise HTTPException(422, str(exc)) from None
        if rv.find_directive(stored, directive["id"]) is not None:
            raise HTTPException(409, f"a directive with this action span already exists "
                                f"({directive['id']})")  # fmt: skip
        store.add_directive(doc_id, directive, Review(status="accepted",
                            reviewer=body.reviewer.strip(), reviewed_at=now_iso()))  # fmt: skip
        result = rv.view(_load(doc_id))
        result["directive"] = next(d for d in result["document"]["directives"]
                                   if d["id"] == directive["id"])  # fmt: skip
        return result

    @app.get("/api/documents/{doc_id}/export.json", tags=["export"])
    def export_json(doc_id: str, text: bool = False) -> Response:
        """The contract Document with the accepted directives only, each with its review
        block; ``?text=true`` includes the normalized text."""
        doc = rv.export(_load(doc_id), with_text=text)
        body = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        return Response(body, media_type="application/json; charset=utf-8",
                        headers=_attachment(f"chi-dao-{doc_id}.json"))  # fmt: skip

    @app.get("/api/documents/{doc_id}/export.csv", tags=["export"])
    def export_csv(doc_id: str) -> Response:
        """The accepted directives as the clerk's CSV (UTF-8 with BOM, Vietnamese headers)."""
        from ..batch import to_csv

        doc = rv.export(_load(doc_id))
        return Response(to_csv([doc]).encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers=_attachment(f"chi-dao-{doc_id}.csv"))  # fmt: skip

    # -- input parsing --------------------------------------------------------------

    async def _json_text(request: Request) -> tuple[str, Optional[dt.date]]:
        body = await request.body()
        if not body.strip():
            raise HTTPException(422, 'empty request body: send {"text": "..."}')
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise HTTPException(422, f"the body is not valid JSON: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise HTTPException(422, 'the JSON body needs a "text" string')
        unknown = set(data) - {"text", "doc_date"}
        if unknown:
            raise HTTPException(422, f"unknown field(s): {', '.join(sorted(unknown))}")
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
        raise HTTPException(422, "no file in the upload: send it in the form field 'file'")

    return app


def _parse_date(value) -> Optional[dt.date]:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        message = f"doc_date {value!r} is not a date in the form YYYY-MM-DD"
        raise HTTPException(422, message) from None


def _attachment(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}
