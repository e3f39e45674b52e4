"""The JSON contract: one :class:`Document` per input file.

Every span carries offsets into the *normalized* text of the document
(see :mod:`extractor.normalize`), with ``text == normalized[start:end]``.
Every extracted field says where it came from (``source``: a rule id or
``model``), as Presidio's recognizer results do.
"""

from __future__ import annotations

from enum import Enum
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Modality(str, Enum):
    obligation = "obligation"
    prohibition = "prohibition"
    recommendation = "recommendation"
    permission = "permission"


class EntityKind(str, Enum):
    government = "government"
    ministry = "ministry"
    agency = "agency"
    province = "province"
    department = "department"
    district = "district"
    commune = "commune"
    collective = "collective"
    working_group = "working_group"
    person_role = "person_role"
    other = "other"


class Granularity(str, Enum):
    day = "day"
    month = "month"
    quarter = "quarter"
    half_year = "half_year"
    year = "year"


class DeadlineKind(str, Enum):
    before = "before"
    within = "within"
    on = "on"
    recurring = "recurring"
    immediate = "immediate"
    urgent = "urgent"
    event = "event"


class Origin(str, Enum):
    previous_clause = "previous_clause"
    heading = "heading"
    lead_in = "lead_in"
    model = "model"


class Span(_Model):
    """A stretch of the normalized text."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    source: Optional[str] = Field(
        default=None, description="Rule id or 'model' that produced this span."
    )
    origin: Optional[Origin] = Field(
        default=None,
        description="Where a field handed down to this directive came from: the clause "
        "before, a heading, a lead-in sentence, or the trained model's span; null when it "
        "was read in the directive's own clause.",
    )


class Canonical(_Model):
    """The gazetteer entry an actor resolves to."""

    # Frozen: the gazetteer's memo hands the same record to every entity naming the body.
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Optional[str] = None
    name: str
    kind: EntityKind
    valid_from: Optional[str] = None
    valid_to: Optional[str] = None
    successor: Optional[str] = Field(
        default=None, description="Name of the body holding the role today, if this one ended."
    )


class Entity(Span):
    """An actor, coactor, issuer or report recipient named in the text."""

    kind: EntityKind = EntityKind.other
    detector: Optional[str] = Field(
        default=None,
        description="The rule or pattern that found the span in the text (an actor pattern, "
        "'gazetteer:<entry id>' for a name the gazetteer lists, the organization finder); "
        "null when no span rule found it.",
    )
    canonical: Optional[Canonical] = None
    person: Optional[str] = Field(default=None, description="Person named beside a title.")
    members: list[Canonical] = Field(
        default_factory=list, description="Each body of a span naming several bodies."
    )


class Deadline(Span):
    date: Optional[str] = Field(default=None, description="ISO date: the last day allowed.")
    granularity: Optional[Granularity] = None
    kind: DeadlineKind = DeadlineKind.before
    recurrence: Optional[str] = Field(
        default=None, description="daily, weekly, monthly, quarterly, half_yearly or yearly."
    )


class Directive(_Model):
    """One instructed action: who must do what, on which topic, by when."""

    id: str
    issuer: Optional[Entity] = None
    actor: Optional[Entity] = None
    coactors: list[Entity] = Field(default_factory=list)
    action: Span
    topic: Optional[Span] = None
    purpose: Optional[Span] = None
    report_to: Optional[Entity] = None
    deadline: Optional[Deadline] = None
    modality: Modality
    evidence: Span
    confidence: float = Field(ge=0.0, le=1.0)
    rule_confidence: Optional[float] = Field(
        default=None, ge=0.0, le=1.0,
        description="The rules' confidence before the vote (null where the model proposed).",
    )
    model_confidence: Optional[float] = Field(
        default=None, ge=0.0, le=1.0,
        description="The model's clause score (null in --mode rules, or where it read no "
        "clause); confidence combines the two.",
    )
    rules: list[str] = Field(
        default_factory=list, description="Ids of the rules (or 'model') that fired."
    )


class Meeting(_Model):
    title: Optional[Span] = None
    date: Optional[str] = None
    date_text: Optional[Span] = None
    chair: Optional[Entity] = None


class DocumentInfo(_Model):
    number: Optional[str] = Field(default=None, description="Số ký hiệu, e.g. 123/TB-VPCP.")
    date: Optional[str] = None
    issuing_body: Optional[Entity] = None
    meeting: Optional[Meeting] = None


class Source(_Model):
    path: Optional[str] = None
    sha256: str
    format: str
    chars: int = Field(ge=0, description="Length of the normalized text.")
    encoding: Optional[str] = None
    # The page's own publication date (HTML), ISO; not in the output: the document date
    # falls back on it when the text gives none.
    _published: Optional[str] = PrivateAttr(default=None)


class SkippedRegion(Span):
    """Text read but set aside: boilerplate, a repeated copy, a recipients block."""

    reason: str


class Options(_Model):
    """The options a document was extracted with: they change the output."""

    mode: str = Field(description="rules, model or hybrid.")
    doc_date: Optional[str] = Field(default=None, description="ISO date given by --doc-date.")
    with_text: bool = False


class Document(_Model):
    """The extractor's output for one input document."""

    schema_version: str = SCHEMA_VERSION
    extractor_version: str
    options: Optional[Options] = Field(
        default=None,
        description="What the document was extracted with; a batch rerun redoes a file "
        "whose options differ. Null in outputs written before options were recorded.",
    )
    source: Source
    document: DocumentInfo
    directives: list[Directive] = Field(default_factory=list)
    skipped: list[SkippedRegion] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    text: Optional[str] = Field(
        default=None, description="The normalized text, when asked for (--with-text)."
    )

    def to_json(self) -> str:
        """Deterministic JSON (stable key order, no NaN, UTF-8 text)."""
        return self.model_dump_json(indent=2) + "\n"


def json_schema() -> dict:
    """JSON Schema of :class:`Document`."""
    return Document.model_json_schema()
