"""Time: which of the bodies sharing a name a date means. Pure functions, date required."""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional, Sequence

from .records import ENDED, NOT_YET, Entry, Hit


def pick(hits: Sequence[Hit], day: dt.date) -> Optional[Hit]:
    """The hit valid on ``day``; None when two different bodies remain."""
    if not hits:
        return None
    if len({h.entry.id for h in hits}) == 1:
        return hits[0]
    valid = [h for h in hits if h.entry.valid_on(day)]
    if not valid:  # all ended or not begun: the one nearest in time
        valid = sorted(hits, key=lambda h: abs(
            ((h.entry.valid_to or h.entry.valid_from or day) - day).days))[:1]  # fmt: skip
    return valid[0] if len({h.entry.id for h in valid}) == 1 else None


def validity_flags(entry: Entry, on: Optional[dt.date]) -> tuple[str, ...]:
    """``ended`` or ``not_yet_in_force`` when the document date falls outside the body's
    period; nothing without a document date."""
    if on is None or entry.valid_on(on):
        return ()
    return (ENDED if entry.valid_to and on > entry.valid_to else NOT_YET,)


def era_bounds(entries: Iterable[Entry]) -> tuple[int, ...]:
    """The days (ordinals) on which a date's resolution can change: a body begins, a
    body has ended, or the nearer of two ended bodies changes (around their midpoint).
    Two dates with no bound between them resolve every name alike."""
    bounds, refs = set(), set()
    for e in entries:
        if e.valid_from is not None:
            bounds.add(e.valid_from.toordinal())
        if e.valid_to is not None:
            bounds.add(e.valid_to.toordinal() + 1)
        ref = e.valid_to or e.valid_from  # what pick measures the distance to
        if ref is not None:
            refs.add(ref.toordinal())
    for a in refs:
        for b in refs:
            if a < b:  # distances equal at (a + b) / 2; the nearer one changes after it
                bounds |= {(a + b + 1) // 2, (a + b) // 2 + 1}
    return tuple(sorted(bounds))
