"""Response models of the HTTP API, so ``/openapi.json`` says what every endpoint returns."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, Field

from ..reviewed import ReviewedDirective, ReviewedDocument


class ReviewSummary(BaseModel):
    directives: int
    pending: int
    accepted: int
    rejected: int
    added: int


class ReviewView(BaseModel):
    """A document under review: every directive (pending too), corrections applied."""

    id: str = Field(description="The review record's id.")
    name: Optional[str] = None
    created_at: str
    doc_date: Optional[str] = Field(default=None, description="Document date set by the clerk.")
    summary: ReviewSummary
    document: ReviewedDocument


class DirectiveResult(ReviewView):
    """The document after one decision, and the directive decided on."""

    directive: ReviewedDirective


class DocumentListItem(BaseModel):
    id: str
    name: Optional[str] = None
    created_at: str
    extracted: int
    added: int
    reviewed: int


class Event(BaseModel):
    directive_id: Optional[str] = None
    kind: str
    reviewer: Optional[str] = None
    at: str
    payload: Any


class Health(BaseModel):
    status: str
    extractor_version: str
    schema_version: str
    reviewed_schema_version: str
    pipeline_loaded: bool
    documents: int
    max_upload_bytes: int


class ApiError(BaseModel):
    """Every 4xx/5xx body: ``detail`` for programs (English), ``message`` for the clerk."""

    detail: str
    message: str = Field(description="The same in Vietnamese, for the review page.")
    kind: Optional[str] = None
