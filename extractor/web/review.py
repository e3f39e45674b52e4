"""The clerk's review applied to the extractor's output: reviewed view, corrections, export.

All values are contract JSON; the reviewed document is its own schema
(:class:`~extractor.reviewed.ReviewedDocument`), the review block part of it.

Corrected spans follow the contract where they can: a selection ``{start, end}`` is a span
of the text, and a typed value found inside the directive's evidence is grounded there. A
typed value that is not in the evidence is stored as typed: no offsets (``start`` and
``end`` null) and ``source: "review"``, so ``text == normalized_text[start:end]`` holds for
every span that has offsets, and a consumer can tell the clerk's wording.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Optional

from ..fields import say
from ..reviewed import (
    REVIEWED_SCHEMA_VERSION,
    ReviewedDirective,
    ReviewedEntity,
)
from ..schema import Modality
from ..sector import sector_labels
from .store import Review, StoredDocument, now_iso

log = logging.getLogger(__name__)

SOURCE = "review"
ENTITY_FIELDS = ("issuer", "actor", "report_to")
SPAN_FIELDS = ("action", "topic", "purpose")
CORRECTABLE = (*ENTITY_FIELDS, "coactors", *SPAN_FIELDS, "deadline_date", "modality", "sector")
_PENDING = {"status": "pending", "version": 0}


class ReviewError(ValueError):
    """A review request that cannot be applied: ``str()`` for programs, ``message`` for
    the clerk (Vietnamese)."""

    def __init__(self, detail: str, message: Optional[str] = None):
        super().__init__(detail)
        self.message = say("not_saved") if message is None else message


# -- reading back --------------------------------------------------------------------


def reviewed_directives(stored: StoredDocument) -> list[dict]:
    """Every directive (extracted and added), corrections applied, each with its ``review``."""
    out = []
    added_ids = {d["id"] for d in stored.added}
    for d in sorted([*stored.document["directives"], *stored.added], key=_text_order):
        review = stored.reviews.get(d["id"], Review())
        merged = {**d, **review.corrected}
        merged["review"] = review_block(review, added=d["id"] in added_ids)
        out.append(merged)
    return out


def _text_order(directive: dict) -> tuple:
    # The extracted action: a corrected one may be typed, without offsets.
    return directive["action"]["start"], directive["action"]["end"], directive["id"]


def review_block(review: Review, *, added: bool = False) -> dict:
    """The ``review`` object attached to a directive in views and exports."""
    return {
        "status": review.status,
        "version": review.version,
        "reviewer": review.reviewer,
        "reviewed_at": review.reviewed_at,
        "corrected": sorted(review.corrected),
        "original": review.original,
        "added": added,
    }


def reviewed_document(stored: StoredDocument, directives: list[dict]) -> dict:
    """The reviewed document (schema ``1.0-reviewed``) holding ``directives``."""
    return {**stored.document, "schema_version": REVIEWED_SCHEMA_VERSION,
            "directives": directives,
            "review": {"id": stored.id, "name": stored.name, "doc_date": stored.doc_date}}


def view(stored: StoredDocument) -> dict:
    """The reviewed version of a document, as the API returns it."""
    directives = reviewed_directives(stored)
    counts = {s: 0 for s in ("pending", "accepted", "rejected")}
    for d in directives:
        counts[d["review"]["status"]] += 1
    return {
        "id": stored.id,
        "name": stored.name,
        "created_at": stored.created_at,
        "doc_date": stored.doc_date,
        "summary": {"directives": len(directives), **counts,
                    "added": sum(d["review"]["added"] for d in directives)},
        "document": reviewed_document(stored, directives),
    }  # fmt: skip


def export(stored: StoredDocument, *, with_text: bool = False) -> dict:
    """The reviewed document limited to accepted directives."""
    accepted = [d for d in reviewed_directives(stored) if d["review"]["status"] == "accepted"]
    doc = reviewed_document(stored, accepted)
    if not with_text:
        doc["text"] = None
    return doc


# -- decisions -----------------------------------------------------------------------


def find_directive(stored: StoredDocument, directive_id: str) -> Optional[dict]:
    """The directive as extracted or added (before corrections)."""
    for d in [*stored.document["directives"], *stored.added]:
        if d["id"] == directive_id:
            return d
    return None


def decide(
    stored: StoredDocument,
    directive: dict,
    *,
    action: str,
    reviewer: str,
    fields: Optional[dict] = None,
) -> Review:
    """The new review of ``directive`` after accept / reject / correct / reset.

    ``fields`` (for ``correct``) maps the names of :data:`CORRECTABLE` to the clerk's
    values: text or {start, end} for a span or entity, a list of them for ``coactors``,
    an ISO date for ``deadline_date``, a modality, a sector id; null clears a field.
    A correction accepts the directive; the first original value of a field is kept.
    """
    old = stored.reviews.get(directive["id"], Review())
    when = now_iso()
    if action == "reset":
        return Review(status="pending", reviewer=reviewer, reviewed_at=when)
    if action in ("accept", "reject"):
        status = "accepted" if action == "accept" else "rejected"
        return Review(status=status, corrected=old.corrected, original=old.original,
                      reviewer=reviewer, reviewed_at=when)  # fmt: skip
    if action != "correct":
        raise ReviewError(f"unknown review action {action!r}", say("bad_review_action"))
    if not fields:
        raise ReviewError("'correct' needs at least one field: " + ", ".join(CORRECTABLE),
                          say("nothing_to_save"))  # fmt: skip
    text = stored.document.get("text") or ""
    current = {**directive, **old.corrected}
    corrected, original = dict(old.corrected), dict(old.original)
    for name, value in fields.items():
        key, new = _corrected_value(name, value, current, text, _doc_date(stored))
        if key not in original:
            original[key] = directive.get(key)
        corrected[key] = new
    _validate({**directive, **corrected})
    return Review(status="accepted", corrected=corrected, original=original, reviewer=reviewer,
                  reviewed_at=when)  # fmt: skip


def new_directive(
    stored: StoredDocument,
    *,
    start: int,
    end: int,
    actor: Optional[str] = None,
    deadline_date: Optional[str] = None,
    modality: str = "obligation",
) -> dict:
    """A directive the extractor missed: the clerk's selection ``[start, end)`` is its action."""
    text = stored.document.get("text")
    if not text:
        raise ReviewError("this document was stored without its text; cannot add by offsets",
                          say("stored_without_text"))  # fmt: skip
    if not 0 <= start < end <= len(text):
        raise ReviewError(f"selection {start}..{end} is outside the text (0..{len(text)})",
                          say("selection_outside"))  # fmt: skip
    # Trim the selection's surrounding spaces so the span is exactly the words chosen.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ReviewError("the selection is empty (only spaces)", say("selection_empty"))
    ev_start, ev_end = sentence_bounds(text, start, end)
    text_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    # The same id scheme as the extractor, so the id is stable for the same text.
    key = f"{text_hash}:{start}:{end}"
    directive = {
        "id": "d-" + hashlib.sha1(key.encode()).hexdigest()[:16],
        "action": _span_dict(text[start:end], start, end, "review.added"),
        "evidence": _span_dict(text[ev_start:ev_end], ev_start, ev_end, "review.added"),
        "modality": _modality(modality),
        "confidence": 1.0,
        "rules": ["review.added"],
    }  # fmt: skip
    if actor:
        directive["actor"] = _entity(actor, directive, text, _doc_date(stored))
    if deadline_date:
        directive["deadline"] = _deadline(deadline_date, None)
    return _validate(directive)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or list item, or line) around ``[start, end)``, as evidence."""
    stops = ".;!?\n"
    left = start
    while left > 0 and text[left - 1] not in stops:
        left -= 1
    right = end
    if text[end - 1] not in stops:
        while right < len(text) and text[right] not in stops:
            right += 1
        if right < len(text) and text[right] in ".;!?":
            right += 1
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return min(left, start), max(right, end)


# -- the document date -----------------------------------------------------------------


def redate(document: dict, on: dt.date) -> dict:
    """``document`` with its deadlines read again relative to ``on`` (the clerk's date).

    As in extraction, a date given by the user wins over the text's: ``document.date`` and
    ``options.doc_date`` become ``on``; the deadline warnings are those of the new reading.
    """
    from ..deadlines import parse_deadline

    warnings = [w for w in document.get("warnings", []) if not w.startswith("deadline ")]
    directives = []
    for d in document["directives"]:
        deadline = d.get("deadline")
        if deadline and deadline.get("text"):
            value = parse_deadline(deadline["text"], on)
            if value.warning:  # the wording of extractor.api's builder
                warnings.append(f"deadline {deadline['text']!r}: {value.warning}")
            deadline = {**deadline, "date": value.date, "kind": value.kind.value,
                        "granularity": value.granularity.value if value.granularity else None,
                        "recurrence": value.recurrence}  # fmt: skip
            d = {**d, "deadline": deadline}
        directives.append(d)
    info = {**document.get("document", {}), "date": on.isoformat()}
    options = {**(document.get("options") or {"mode": "hybrid"}), "doc_date": on.isoformat()}
    return {**document, "document": info, "options": options, "directives": directives,
            "warnings": list(dict.fromkeys(warnings))}  # fmt: skip


# -- helpers -------------------------------------------------------------------------


def _corrected_value(name: str, value, current: dict, text: str, on):
    if name in ENTITY_FIELDS:
        return name, (_entity(value, current, text, on) if value else None)
    if name == "coactors":
        return name, [_entity(v, current, text, on) for v in (value or []) if v]
    if name in SPAN_FIELDS:
        if not value and name == "action":
            raise ReviewError("the action cannot be empty", say("action_empty"))
        return name, (_span(value, current, text) if value else None)
    if name in ("deadline_date", "deadline"):
        return "deadline", (_deadline(value, current.get("deadline")) if value else None)
    if name == "modality":
        return "modality", _modality(value)
    if name == "sector":
        return "sector", (_sector(value) if value else None)
    raise ReviewError(f"field {name!r} cannot be corrected; use one of " + ", ".join(CORRECTABLE),
                      say("field_not_correctable"))  # fmt: skip


def _locate(value, directive: dict, text: str) -> tuple[str, Optional[int], Optional[int]]:
    """(text, start, end) of a {start, end} selection or a typed value.

    A typed value is grounded only inside the directive's evidence: the same words
    elsewhere in the text are another mention, not this one. Otherwise no offsets.
    """
    if isinstance(value, dict):
        start, end = value.get("start"), value.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ReviewError(f"selection {start}..{end} is outside the text (0..{len(text)})",
                              say("selection_outside"))  # fmt: skip
        return text[start:end], start, end
    surface = " ".join(str(value).split())
    if not surface:
        raise ReviewError("empty value", say("value_empty"))
    evidence = directive.get("evidence") or {}
    if evidence.get("start") is not None:
        at = text.find(surface, evidence["start"], evidence["end"])
        if at >= 0:
            return surface, at, at + len(surface)
    return surface, None, None


def _span_dict(surface: str, start: Optional[int], end: Optional[int], source: str) -> dict:
    return {"text": surface, "start": start, "end": end, "source": source}


def _span(value, directive: dict, text: str) -> dict:
    return _span_dict(*_locate(value, directive, text), SOURCE)


def _entity(value, directive: dict, text: str, on) -> dict:
    surface, start, end = _locate(value, directive, text)
    entity = _span_dict(surface, start, end, SOURCE)
    resolved = _resolve(surface, on, text)
    if resolved is not None:
        entity.update(kind=resolved.kind, canonical=resolved.canonical, person=resolved.person,
                      members=list(resolved.members))  # fmt: skip
    return ReviewedEntity.model_validate(entity).model_dump(mode="json")


def _resolve(surface: str, on, text: str):
    """The gazetteer's reading of a corrected actor, so its canonical name is filled."""
    try:
        from ..gazetteer import get_gazetteer

        return get_gazetteer().resolve(surface, on, context=text)
    except Exception:  # the canonical name is a nicety; the clerk's text is what counts
        log.warning("gazetteer could not resolve %r", surface, exc_info=True)
        return None


def _deadline(value, old: Optional[dict]) -> dict:
    try:
        date = dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ReviewError(f"{value!r} is not a date in the form YYYY-MM-DD",
                          say("deadline_not_date")) from None  # fmt: skip
    if old and old.get("start") is not None:  # keep the words of the text, change the date
        span = {k: old[k] for k in ("text", "start", "end")}
        kind = old.get("kind") or "before"
    else:  # no deadline words in the text: the clerk's date alone, no offsets
        span, kind = {"text": "", "start": None, "end": None}, "before"
    return {**span, "source": SOURCE, "date": date, "granularity": "day", "kind": kind,
            "recurrence": None}  # fmt: skip


def _modality(value) -> str:
    try:
        return Modality(value).value
    except ValueError:
        choices = ", ".join(m.value for m in Modality)
        raise ReviewError(f"modality {value!r} is not one of {choices}",
                          say("modality_invalid")) from None  # fmt: skip


def _sector(value) -> dict:
    """The clerk's sector (an id of the list) as the contract's sector object."""
    labels = sector_labels()
    if value not in labels:
        raise ReviewError(f"sector {value!r} is not one of " + ", ".join(labels),
                          say("sector_unknown"))  # fmt: skip
    return {"id": value, "label": labels[value], "confidence": 1.0, "source": "review"}


def _doc_date(stored: StoredDocument) -> Optional[dt.date]:
    for value in (stored.doc_date, stored.document.get("document", {}).get("date")):
        if value:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
    return None


def _validate(directive: dict) -> dict:
    """Check a corrected or added directive against the reviewed schema."""
    from pydantic import ValidationError

    plain = {k: v for k, v in directive.items() if k != "review"}
    try:
        checked = ReviewedDirective.model_validate({**plain, "review": _PENDING})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ReviewError(f"invalid directive: {where}: {first['msg']}",
                          say("directive_invalid")) from None  # fmt: skip
    return checked.model_dump(mode="json", exclude={"review"}, exclude_unset=False)
