"""Uploads and the stored documents: ``POST /api/extract`` (extraction in the worker
pool), the document list, one document's reviewed view, its date and its audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Optional

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ...fields import say
from ...schema import Document
from .. import messages
from .. import models as m
from .. import review as rv
from ..bodies import DocDate
from ..errors import ClientError, error_response
from ..state import AppState, AppStateDep
from ..store import StoredDocument
from ..uploads import Upload, check_size, read_upload
from ..workers import Busy, Job, TimedOut, WorkerFailed

router = APIRouter()

_EXTRACT_HEADERS = {
    "X-Document-Id": {"description": "Id of the review record (GET /api/documents/{id})",
                      "schema": {"type": "string"}},
    "X-Reopened": {"description": "true when these bytes were stored before",
                   "schema": {"type": "string", "enum": ["true", "false"]}},
}  # fmt: skip
_EXTRACT_RESPONSES: dict = {
    201: {"description": "The contract, as `extractor extract --with-text` writes it",
          "headers": _EXTRACT_HEADERS},
    200: {"description": "The same bytes were stored before: review reopened",
          "headers": _EXTRACT_HEADERS},
    413: {"model": m.ApiError, "description": "Over the upload limit"},
    415: {"model": m.ApiError, "description": "Not JSON nor multipart"},
    422: {"model": m.ApiError, "description": "Empty, binary or undecodable input"},
}  # fmt: skip
_EXTRACT_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {
        "type": "object", "required": ["text"],
        "properties": {"text": {"type": "string"},
                       "doc_date": {"type": "string", "format": "date"}}}},
    "multipart/form-data": {"schema": {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary"},
                       "text": {"type": "string"},
                       "doc_date": {"type": "string", "format": "date"}}}},
}}}  # fmt: skip


@router.post("/api/extract", tags=["documents"], status_code=201, response_model=Document,
             responses=_EXTRACT_RESPONSES, openapi_extra=_EXTRACT_BODY)  # fmt: skip
async def extract(request: Request, state: AppStateDep) -> JSONResponse:
    """Extract the directives of a text (JSON) or an uploaded file (multipart).

    Returns the contract itself (the JSON ``extractor extract --with-text`` writes); the
    review record's id is in the ``X-Document-Id`` header (and ``Location``). The
    document is stored, keyed by the sha256 of its bytes; sending the same bytes again
    reopens its review (status 200, ``X-Reopened: true``), and a ``doc_date`` other than
    the stored one re-reads its deadlines on that date, keeping the review.
    """
    from ...readers import ReadError

    upload = await read_upload(request)
    check_size(upload, state.max_upload_bytes)
    doc_id = state.store.find_sha256(hashlib.sha256(upload.data).hexdigest())
    if doc_id is not None:
        if upload.doc_date is not None:
            redate(state, doc_id, upload.doc_date, reviewer=None)
        return _contract(state.load(doc_id), created=False)
    if upload.text is not None and not upload.text.strip():
        raise ClientError(422, "the text is empty", say("text_empty"))
    try:
        document = await _run(state, upload)
    except ReadError as exc:
        status = {"too_large": 413, "unsupported": 415}.get(exc.kind, 422)
        return error_response(status, str(exc), messages.read_error(exc.kind, upload.name),
                              kind=exc.kind)  # fmt: skip
    doc_date = upload.doc_date.isoformat() if upload.doc_date else None
    doc_id, created = state.store.add_document(document, name=upload.name, doc_date=doc_date)
    return _contract(state.load(doc_id), created=created)


async def _run(state: AppState, upload: Upload):
    """Extract in the worker pool; a busy, slow or failed worker is a 503 or 504."""
    name = upload.name
    job = Job(upload.data, name, upload.text, upload.doc_date, state.max_upload_bytes)
    try:
        return await state.pool.run(job)
    except Busy:
        raise ClientError(503, "the server is busy with other documents: try again in "
                          "a minute", headers={"Retry-After": "60"}) from None
    except TimedOut:
        raise ClientError(504, f"{name or 'text'}: extraction took longer than "
                          f"{state.timeout:.0f} s and was stopped") from None
    except WorkerFailed as exc:
        raise ClientError(503, f"{name or 'text'}: {exc}") from None


def _contract(stored: StoredDocument, *, created: bool) -> JSONResponse:
    headers = {"X-Document-Id": stored.id, "Location": f"/api/documents/{stored.id}",
               "X-Reopened": "false" if created else "true"}  # fmt: skip
    return JSONResponse(stored.document, status_code=201 if created else 200,
                        headers=headers)  # fmt: skip


def redate(state: AppState, doc_id: str, doc_date: dt.date, reviewer: Optional[str]) -> None:
    """Read the deadlines of a stored document again on ``doc_date`` (when it changed)."""
    stored = state.load(doc_id)
    if stored.doc_date == doc_date.isoformat():
        return
    state.store.set_doc_date(doc_id, doc_date.isoformat(), lambda doc: rv.redate(doc, doc_date),
                             reviewer)  # fmt: skip


@router.get("/api/documents", tags=["documents"], response_model=list[m.DocumentListItem])
def list_documents(state: AppStateDep, limit: int = 50) -> list[dict]:
    """Recent documents, newest first, with their review progress."""
    return state.store.list_documents(max(1, min(limit, 500)))


@router.get("/api/documents/{doc_id}", tags=["documents"], response_model=m.ReviewView)
def get_document(doc_id: str, state: AppStateDep) -> dict:
    """The reviewed version: every directive (extracted and added), corrections applied,
    each with its ``review`` block (status, version, reviewer, reviewed_at, originals)."""
    return rv.view(state.load(doc_id))


@router.put("/api/documents/{doc_id}/doc-date", tags=["review"], response_model=m.ReviewView)
def set_doc_date(doc_id: str, body: DocDate, state: AppStateDep) -> dict:
    """Set or change the document date: the deadlines are read again on it (a date
    without a year gets its year); review decisions and corrected deadlines are kept."""
    redate(state, doc_id, body.doc_date, reviewer=body.reviewer.strip())
    return rv.view(state.load(doc_id))


@router.get("/api/documents/{doc_id}/events", tags=["documents"], response_model=list[m.Event])
def events(doc_id: str, state: AppStateDep) -> list[dict]:
    """The audit trail: every decision with who and when."""
    state.load(doc_id)
    return state.store.events(doc_id)
