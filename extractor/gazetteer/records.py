"""What the gazetteer knows and what it answers: frozen records, safe to share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from ..schema import Canonical, EntityKind

PROPOSED_NAME = "proposed_name_never_used"
ENDED = "ended"  # the body no longer exists on the document date
NOT_YET = "not_yet_in_force"  # the name is used before the body existed


@dataclass(frozen=True)
class Resolution:
    """What a mention names. ``rule`` is the entry or pattern id that decided; ``step``
    the resolver step that found it (see :mod:`.resolver`). Frozen, and its members a
    tuple: the memo hands the same object to every caller."""

    canonical: Optional[Canonical]
    kind: EntityKind
    rule: str
    person: Optional[str] = None
    members: tuple[Canonical, ...] = ()
    flags: tuple[str, ...] = ()
    step: str = ""


@dataclass(frozen=True)
class Entry:
    """One body the gazetteer knows, with its validity period."""

    id: Optional[str]
    name: str
    kind: EntityKind
    valid_from: Optional[dt.date] = None
    valid_to: Optional[dt.date] = None
    successor: Optional[str] = None  # id of the successor entry
    successor_name: Optional[str] = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def canonical(self) -> Canonical:
        return Canonical(
            id=self.id,
            name=self.name,
            kind=self.kind,
            valid_from=self.valid_from.isoformat() if self.valid_from else None,
            valid_to=self.valid_to.isoformat() if self.valid_to else None,
            successor=self.successor_name,
        )


@dataclass(frozen=True)
class Hit:
    """An index entry: the body, the rule id and how the mention names it."""

    entry: Entry
    rule: str
    mention: Optional[EntityKind] = None  # e.g. person_role for "Bộ trưởng Bộ X"
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentContext:
    """What a whole document says that bare mentions need (see :mod:`.context`)."""

    on: Optional[dt.date]
    province: Optional[Entry] = None  # the only provincial unit the text names
    working_group: Optional[Entry] = None  # the PM's working group, if named in full


@dataclass(frozen=True)
class Query:
    """One resolution's dates and context. ``day`` (required) chooses between bodies that
    share a name; ``on``, the document date when there is one, flags bodies that had ended
    or not yet begun. ``allow_list``: a whole mention may be a list; a piece of one not."""

    day: dt.date
    on: Optional[dt.date] = None
    ctx: Optional[DocumentContext] = None
    allow_list: bool = True
