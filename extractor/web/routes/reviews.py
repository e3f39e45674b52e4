"""The clerk's decisions: review (accept, reject, correct, reset) a directive, or add one
the extractor missed."""

from __future__ import annotations

from fastapi import APIRouter

from ...fields import say
from .. import models as m
from .. import review as rv
from ..bodies import NewDirective, ReviewRequest
from ..errors import ClientError
from ..state import AppState, AppStateDep
from ..store import Review, StaleReview, StoredDocument, now_iso

router = APIRouter()


@router.post("/api/documents/{doc_id}/directives/{directive_id}/review", tags=["review"],
             response_model=m.DirectiveResult,
             responses={409: {"model": m.ApiError, "description": "Stale version"}})
def review_directive(doc_id: str, directive_id: str, body: ReviewRequest,
                     state: AppStateDep) -> dict:  # fmt: skip
    """Accept, reject, reset or correct a directive (a correction also accepts it).

    Correctable fields: ``issuer``, ``actor``, ``coactors``, ``action``, ``topic``,
    ``purpose``, ``report_to`` (text, or {start, end} in the text), ``deadline_date``
    (YYYY-MM-DD), ``modality`` and ``sector``; null clears a field.
    """
    state.directive(doc_id, directive_id)
    fields = body.fields.model_dump(exclude_unset=True, mode="json") if body.fields else {}

    def decide(stored: StoredDocument) -> Review:  # on the state as it is now
        return rv.decide(stored, rv.find_directive(stored, directive_id),
                         action=body.action, reviewer=body.reviewer.strip(),
                         fields=fields)  # fmt: skip

    try:
        state.store.review(doc_id, directive_id, decide, kind=body.action,
                           expected_version=body.version)  # fmt: skip
    except rv.ReviewError as exc:
        raise ClientError(422, str(exc), exc.message) from None
    except StaleReview as exc:
        who = f" ({exc.current.reviewer})" if exc.current.reviewer else ""
        raise ClientError(409, str(exc), say("reviewed_meanwhile", who=who)) from None
    return _with_directive(state, doc_id, directive_id)


@router.post("/api/documents/{doc_id}/directives", tags=["review"], status_code=201,
             response_model=m.DirectiveResult)
def add_directive(doc_id: str, body: NewDirective, state: AppStateDep) -> dict:
    """Add a directive the extractor missed; the span [start, end) of the text is its
    action, its sentence the evidence. It is stored as accepted."""
    stored = state.load(doc_id)
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
    state.store.add_directive(doc_id, directive, Review(status="accepted",
                              reviewer=body.reviewer.strip(), reviewed_at=now_iso()))  # fmt: skip
    return _with_directive(state, doc_id, directive["id"])


def _with_directive(state: AppState, doc_id: str, directive_id: str) -> dict:
    result = rv.view(state.load(doc_id))
    result["directive"] = next(d for d in result["document"]["directives"]
                               if d["id"] == directive_id)  # fmt: skip
    return result
