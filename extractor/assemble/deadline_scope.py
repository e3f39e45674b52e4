"""How far a deadline reaches beyond the clause that states it.

- Guideline D5: a deadline at the end of a ";"-segment reaches the earlier actions of
  the same actor in that segment ("rà soát A, bổ sung B, báo cáo Bộ X trước ngày Y");
  it never crosses ";" or ".".
- Guideline 6.9: a bare completion tail ("..., hoàn thành trước ngày Y") reaches every
  task before it in its segment.
- Guideline 12.8: a sentence that only states a deadline ("Thời hạn hoàn thành: trước
  ngày 30/9.") closes the directives of the sentence before it.

A reached record keeps the span where it stands and says how it got it in ``rules``.
"""

from __future__ import annotations

from typing import Iterable, Optional

from spacy.tokens import Span

from ..deadlines import get_rules
from ..normalize import fold
from .records import Clause, DirectiveRecord, Ref

_TAIL_PUNCT = " .,:;)\n"


def _open(rec: DirectiveRecord) -> bool:
    """A record a deadline may still reach: none yet, or a bare urgency."""
    return rec.deadline is None or rec.deadline.urgent


def _reach(rec: DirectiveRecord, deadline: Ref, rule: str) -> None:
    rec.deadline = deadline
    rec.rules.append(rule)


def _same_segment(text: str, rec: DirectiveRecord, deadline: Ref) -> bool:
    """``rec`` comes before ``deadline`` with no ";" between them."""
    return rec.action.end <= deadline.start and ";" not in text[rec.action.end : deadline.start]


def _ends_segment(text: str, deadline: Ref, sentence_end: int) -> bool:
    """Nothing but punctuation between the deadline and the next ";" or the sentence end."""
    rest = text[deadline.end : sentence_end].split(";", 1)[0]
    return not rest.strip(_TAIL_PUNCT)


def _actor_key(rec: DirectiveRecord) -> Optional[tuple[int, int]]:
    return None if rec.actor is None else (rec.actor.start, rec.actor.end)


def completion_tail(text: str, readings: list[Clause], records: list[DirectiveRecord]) -> None:
    """A bare completion tail ("..., hoàn thành trước X"): its deadline reaches every task
    before it in its ";"-segment."""
    tail = next((c for c in reversed(readings) if c.completion_only), None)
    if tail is None or tail.deadline is None:
        return
    for rec in records:
        if _open(rec) and _same_segment(text, rec, tail.deadline):
            _reach(rec, tail.deadline, "deadline.completion_tail")


def trailing_deadline(text: str, sentence_end: int, records: list[DirectiveRecord]) -> None:
    """D5: a dated deadline ending a ";"-segment reaches the earlier actions of the same
    actor in that segment."""
    for last in records:
        dl = last.deadline
        if dl is None or dl.urgent or not _ends_segment(text, dl, sentence_end):
            continue
        for rec in records:
            if rec is not last and _open(rec) and _actor_key(rec) == _actor_key(last) \
                    and _same_segment(text, rec, dl):  # fmt: skip
                _reach(rec, dl, "deadline.trailing")


def deadline_line(text: str, start: int, end: int, spans: Iterable[Span]) -> Optional[Ref]:
    """The deadline of a sentence that begins with a deadline label, else None."""
    words = fold(text[start:end])
    if not any(words == label or words.startswith(label + " ")
               for label in get_rules().data.deadline_labels):  # fmt: skip
        return None
    inside = sorted((s for s in spans if start <= s.start_char < end), key=lambda s: s.start)
    return Ref.of(inside[0], inside[0].id_ or "deadline") if inside else None


def close_previous(previous: list[DirectiveRecord], deadline: Ref) -> None:
    """12.8: the deadline line's deadline reaches the directives of the sentence before."""
    for rec in previous:
        if _open(rec):
            _reach(rec, deadline, "deadline.next_sentence")
