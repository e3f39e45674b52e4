"""The clerk's review applied to the extractor's output: reviewed view, corrections, export.

All values are contract JSON (``Document.model_dump(mode="json")``): the pydantic
:class:`~extractor.schema.Directive` forbids extra fields, and the review block is one.

Corrected spans follow the contract where they can: a typed actor or action found in the
text gets its real offsets (looked for in the directive's evidence first). A value the clerk
typed that is not in the text keeps its text with ``start == end`` (zero width, at the
evidence) and ``source: "review.typed"``, so a consumer can tell it is the clerk's wording.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Optional

from ..schema import Deadline, Directive, Entity, Modality, Span
from .store import Review, StoredDocument, now_iso

log = logging.getLogger(__name__)

CORRECTABLE = ("actor", "action", "deadline", "modality")


class ReviewError(ValueError):
    """A review request that cannot be applied (the message is for the client)."""


# -- reading back --------------------------------------------------------------------


def reviewed_directives(stored: StoredDocument) -> list[dict]:
    """Every directive (extracted and added), corrections applied, each with its ``review``."""
    out = []
    added_ids = {d["id"] for d in stored.added}
    for d in [*stored.document["directives"], *stored.added]:
        review = stored.reviews.get(d["id"], Review())
        merged = {**d, **review.corrected}
        merged["review"] = review_block(review, added=d["id"] in added_ids)
        out.append(merged)
    out.sort(key=lambda d: (d["action"]["start"], d["action"]["end"], d["id"]))
    return out


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


def view(stored: StoredDocument, *, reopened: Optional[bool] = None) -> dict:
    """The reviewed version of a document, as the API returns it."""
    directives = reviewed_directives(stored)
    counts = {s: 0 for s in ("pending", "accepted", "rejected")}
    for d in directives:
        counts[d["review"]["status"]] += 1
    body = {
        "id": stored.id,
        "name": stored.name,
        "created_at": stored.created_at,
        "summary": {"directives": len(directives), **counts,
                    "added": sum(d["review"]["added"] for d in directives)},
        "document": {**stored.document, "directives": directives},
    }  # fmt: skip
    if reopened is not None:
        body["reopened"] = reopened
    return body


def export(stored: StoredDocument, *, with_text: bool = False) -> dict:
    """The contract Document limited to accepted directives, each with its review block."""
    doc = dict(stored.document)
    doc["directives"] = [d for d in reviewed_directives(stored)
                         if d["review"]["status"] == "accepted"]  # fmt: skip
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

    ``fields`` (for ``correct``) maps ``actor``, ``action`` (text or {start, end}),
    ``deadline_date`` (ISO date or None) and ``modality`` to the clerk's values.
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
        raise ReviewError(f"unknown review action {action!r}")
    if not fields:
        raise ReviewError("'correct' needs at least one field: actor, action, deadline_date, "
                          "modality")  # fmt: skip
    text = stored.document.get("text") or ""
    current = {**directive, **old.corrected}
    on = _doc_date(stored)
    corrected = dict(old.corrected)
    original = dict(old.original)
    for name, value in fields.items():
        key, new = _corrected_value(name, value, current, text, on)
        if key not in original:
            original[key] = directive.get(key)
        corrected[key] = new
    merged = {**directive, **corrected}
    _validate(merged)
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
        raise ReviewError("this document was stored without its text; cannot add by offsets")
    if not 0 <= start < end <= len(text):
        raise ReviewError(f"selection {start}..{end} is outside the text (0..{len(text)})")
    # Trim the selection's surrounding spaces so the span is exactly the words chosen.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ReviewError("the selection is empty (only spaces)")
    ev_start, ev_end = sentence_bounds(text, start, end)
    text_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    # The same id scheme as the extractor, so the id is stable for the same text.
    key = f"{text_hash}:{start}:{end}"
    directive = {
        "id": "d-" + hashlib.sha1(key.encode()).hexdigest()[:16],
        "action": Span(text=text[start:end], start=start, end=end,
                       source="review.added").model_dump(mode="json"),
        "evidence": Span(text=text[ev_start:ev_end], start=ev_start, end=ev_end,
                         source="review.added").model_dump(mode="json"),
        "modality": _modality(modality),
        "confidence": 1.0,
        "rules": ["review.added"],
    }  # fmt: skip
    on = _doc_date(stored)
    if actor:
        directive["actor"] = _entity(actor, directive, text, on)
    if deadline_date:
        directive["deadline"] = _deadline(deadline_date, directive, text)
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


# -- helpers -------------------------------------------------------------------------


def _corrected_value(name: str, value, current: dict, text: str, on):
    if name == "actor":
        return "actor", (_entity(value, current, text, on) if value else None)
    if name == "action":
        if not value:
            raise ReviewError("the action cannot be empty")
        return "action", _span(value, current, text)
    if name in ("deadline_date", "deadline"):
        return "deadline", (_deadline(value, current, text, old=current.get("deadline"))
                            if value else None)  # fmt: skip
    if name == "modality":
        return "modality", _modality(value)
    raise ReviewError(f"field {name!r} cannot be corrected; use one of actor, action, "
                      "deadline_date, modality")  # fmt: skip


def _locate(value, directive: dict, text: str, source: str) -> tuple[str, int, int, str]:
    """(text, start, end, source) of a typed value or a {start, end} selection."""
    if isinstance(value, dict):
        start, end = value.get("start"), value.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ReviewError(f"selection {start}..{end} is outside the text (0..{len(text)})")
        return text[start:end], start, end, source
    surface = " ".join(str(value).split())
    if not surface:
        raise ReviewError("empty value")
    evidence = directive.get("evidence") or {"start": 0, "end": 0}
    at = text.find(surface, evidence["start"], evidence["end"])
    if at < 0:  # elsewhere in the text: the occurrence nearest the evidence
        hits, pos = [], text.find(surface)
        while pos >= 0:
            hits.append(pos)
            pos = text.find(surface, pos + 1)
        at = min(hits, key=lambda p: abs(p - evidence["start"])) if hits else -1
    if at >= 0:
        return surface, at, at + len(surface), source
    return surface, evidence["start"], evidence["start"], "review.typed"


def _span(value, directive: dict, text: str) -> dict:
    surface, start, end, source = _locate(value, directive, text, "review")
    return Span(text=surface, start=start, end=end, source=source).model_dump(mode="json")


def _entity(value, directive: dict, text: str, on) -> dict:
    surface, start, end, source = _locate(value, directive, text, "review")
    extra: dict = {}
    resolved = _resolve(surface, on, text)
    if resolved is not None:
        extra = {"kind": resolved.kind, "canonical": resolved.canonical,
                 "person": resolved.person, "members": list(resolved.members)}  # fmt: skip
        if resolved.canonical is not None and getattr(resolved, "rule", None):
            source = f"{source}+{resolved.rule}"
    return Entity(text=surface, start=start, end=end, source=source, **extra).model_dump(
        mode="json"
    )


def _resolve(surface: str, on, text: str):
    """The gazetteer's reading of a corrected actor, so its canonical name is filled."""
    try:
        from ..gazetteer import get_gazetteer

        return get_gazetteer().resolve(surface, on, context=text)
    except Exception:  # the canonical name is a nicety; the clerk's text is what counts
        log.warning("gazetteer could not resolve %r", surface, exc_info=True)
        return None


def _deadline(value, directive: dict, text: str, old: Optional[dict] = None) -> dict:
    try:
        date = dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ReviewError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
    if old:  # keep the words of the text, change only the date they mean
        span = {k: old[k] for k in ("text", "start", "end")}
        kind = old.get("kind") or "before"
    else:  # no deadline in the text: a zero-width span at the end of the evidence
        at = (directive.get("evidence") or directive["action"])["end"]
        span = {"text": "", "start": at, "end": at}
        kind = "before"
    return Deadline(**span, source="review", date=date, granularity="day",
                    kind=kind).model_dump(mode="json")  # fmt: skip


def _modality(value) -> str:
    try:
        return Modality(value).value
    except ValueError:
        choices = ", ".join(m.value for m in Modality)
        raise ReviewError(f"modality {value!r} is not one of {choices}") from None


def _doc_date(stored: StoredDocument) -> Optional[dt.date]:
    for value in (stored.document.get("document", {}).get("date"), stored.doc_date):
        if value:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
    return None


def _validate(directive: dict) -> dict:
    """Check a corrected or added directive against the contract (the review block aside)."""
    from pydantic import ValidationError

    plain = {k: v for k, v in directive.items() if k != "review"}
    try:
        return Directive.model_validate(plain).model_dump(mode="json")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ReviewError(f"invalid directive: {where}: {first['msg']}") from None
