"""The reviewed document: the contract after a clerk's review, as its own versioned schema.

A reviewed export is the extractor's :class:`~extractor.schema.Document` with each
directive carrying a ``review`` block, and with the clerk's values where they corrected
one. A value the clerk typed that is not a stretch of the text has no offsets
(``start``/``end`` null, ``source: "review"``); every span that has offsets still obeys
``text == normalized_text[start:end]``. ``extractor schema --reviewed`` prints it.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .schema import (
    JSON_SCHEMA_DIALECT,
    Deadline,
    Directive,
    Document,
    Entity,
    Sector,
    Span,
    json_schema,
)

REVIEWED_SCHEMA_VERSION = "1.0-reviewed"
REVIEWED_SCHEMA_ID = f"urn:vn-directive-extractor:reviewed-document:{REVIEWED_SCHEMA_VERSION}"
STATUSES = ("pending", "accepted", "rejected")


class _Unanchored(BaseModel):
    """Offsets a typed value may lack: null when the clerk's words are not in the text."""

    start: Optional[int] = Field(default=None, ge=0, description="Null for a typed value.")
    end: Optional[int] = Field(default=None, ge=0, description="Null for a typed value.")


class ReviewedSpan(_Unanchored, Span):
    """A span, or a value the clerk typed (no offsets, ``source: "review"``)."""


class ReviewedEntity(_Unanchored, Entity):
    """An entity, or one the clerk typed."""


class ReviewedDeadline(_Unanchored, Deadline):
    """A deadline, or one the clerk set (no words in the text: no offsets)."""


class ReviewBlock(BaseModel):
    """The clerk's decision on one directive."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["pending", "accepted", "rejected"]
    version: int = Field(ge=0, description="Decisions so far; send it back to detect a "
                         "concurrent review (409).")  # fmt: skip
    reviewer: Optional[str] = None
    reviewed_at: Optional[str] = Field(default=None, description="ISO 8601, UTC.")
    corrected: list[str] = Field(default_factory=list, description="Fields the clerk changed.")
    original: dict[str, Any] = Field(
        default_factory=dict, description="Each corrected field's value before the first change."
    )
    added: bool = Field(default=False, description="Added by the clerk (the extractor missed it).")


class ReviewedDirective(Directive):
    """A directive with the clerk's corrections applied and its review block."""

    issuer: Optional[ReviewedEntity] = None
    actor: Optional[ReviewedEntity] = None
    coactors: list[ReviewedEntity] = Field(default_factory=list)
    action: ReviewedSpan
    topic: Optional[ReviewedSpan] = None
    purpose: Optional[ReviewedSpan] = None
    report_to: Optional[ReviewedEntity] = None
    deadline: Optional[ReviewedDeadline] = None
    sector: Optional[Sector] = Field(
        default=None, description="The directive's field (extractor/data/sectors.json): read "
        "by the extractor, or set by the clerk (source 'review', confidence 1).",
    )
    review: ReviewBlock


class DocumentReview(BaseModel):
    """Where the review lives and what the clerk set for the whole document."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="The review record's id (GET /api/documents/{id}).")
    name: Optional[str] = None
    doc_date: Optional[str] = Field(default=None, description="Document date set by the clerk.")


class ReviewedDocument(Document):
    """A document after review: every span as in the contract, or typed by the clerk."""

    schema_version: Literal["1.0-reviewed"] = REVIEWED_SCHEMA_VERSION
    directives: list[ReviewedDirective] = Field(default_factory=list)
    review: Optional[DocumentReview] = None


def document_json_schema() -> dict:
    """JSON Schema of the extractor's output, with ``$schema`` and ``$id``."""
    return json_schema()


def reviewed_json_schema() -> dict:
    """JSON Schema of a reviewed export (``extractor schema --reviewed``)."""
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": REVIEWED_SCHEMA_ID,
            **ReviewedDocument.model_json_schema()}  # fmt: skip


