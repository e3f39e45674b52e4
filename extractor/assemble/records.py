"""What the assembler reads and writes: character spans with their provenance, clauses,
frames and directive records."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Optional

from spacy.tokens import Span, Token

from ..resources import Cue
from ..sector import SectorReading


class Origin(str, Enum):
    """Where a role's span came from."""

    own = "own"  # read in the clause itself
    previous_clause = "previous_clause"  # handed on from the clause before
    heading = "heading"  # an actor or topic heading over the list item
    lead_in = "lead_in"  # a lead-in sentence ("..., đề nghị Tỉnh: ...")
    model = "model"  # the trained model's span


@dataclass
class Ref:
    """A character span with the rule that produced it. ``origin`` says where the role
    came from, ``detector`` the rule or pattern that found the span (an actor pattern id,
    a cue or deadline rule id), ``urgent`` marks a bare urgency ("khẩn trương", no date);
    none of them takes part in comparisons."""

    start: int
    end: int
    rule: str
    origin: Origin = field(default=Origin.own, compare=False)
    urgent: bool = field(default=False, compare=False)
    detector: Optional[str] = field(default=None, compare=False)

    def handed(self, origin: Origin) -> Ref:
        """The span handed down to another clause: it says where it came from (a span
        handed on already keeps where it first came from)."""
        return self if self.origin != Origin.own else replace(self, origin=origin)

    @classmethod
    def of(cls, span: Span, rule: str, urgent: bool = False) -> Ref:
        return cls(span.start_char, span.end_char, rule, urgent=urgent,
                   detector=span.id_ or None)  # fmt: skip


@dataclass
class DirectiveRecord:
    evidence: Ref
    action: Ref
    modality: str
    actor: Optional[Ref] = None
    issuer: Optional[Ref] = None
    coactors: list[Ref] = field(default_factory=list)
    topic: Optional[Ref] = None
    purpose: Optional[Ref] = None
    report_to: Optional[Ref] = None
    deadline: Optional[Ref] = None
    urgent: Optional[Ref] = None
    confidence: float = 0.5
    rules: list[str] = field(default_factory=list)
    sector: Optional[SectorReading] = None  # set by the sector classifier
    # What each side said before the vote (hybrid) combined them into ``confidence``.
    rule_confidence: Optional[float] = None
    model_confidence: Optional[float] = None


@dataclass
class Frame:
    """What a heading or lead-in hands down to the list items under it."""

    level: int
    actor: Optional[Ref] = None
    topic: Optional[Ref] = None
    directive: bool = False
    modality: Optional[str] = None
    deadline: Optional[Ref] = None
    rule: str = ""
    origin: Origin = Origin.heading  # what the roles it hands down say they came from


@dataclass
class Clause:
    tokens: list[Token]
    actor: Optional[Ref] = None
    issuer: Optional[Ref] = None
    coactors: list[Ref] = field(default_factory=list)
    topic: Optional[Ref] = None
    action: Optional[tuple[int, int]] = None  # indices into tokens, end exclusive
    purpose: Optional[tuple[int, int]] = None
    report_to: Optional[Ref] = None
    deadline: Optional[Ref] = None
    urgent: Optional[Ref] = None
    cues: list[Cue] = field(default_factory=list)
    past: bool = False
    non_directive: bool = False
    completion_only: bool = False
    # The actor was read as the clause's subject (not after a cue, not inherited).
    own_subject: bool = False


@dataclass(frozen=True)
class ClauseContext:
    """What a clause would inherit, directive or not (the model's proposals use it)."""

    actor: Optional[Ref]
    issuer: Optional[Ref]
    may_direct: bool
