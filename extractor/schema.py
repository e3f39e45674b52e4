"""The JSON contract: one :class:`Document` per input file.

Every span carries offsets into the *normalized* text of the document
(see :mod:`extractor.normalize`), with ``text == normalized[start:end]``.
Every extracted field says where it came from (``source``: a rule id or
``model``), as Presidio's recognizer results do.

Versions of the contract: 1.0, then 1.1 (the same fields; ``schema_version`` required,
the closed vocabularies ``mode``, ``format``, ``recurrence`` and ``reason`` as enums,
dates marked ``format: date``). A 1.0 output is read as 1.1 (:meth:`Document.read`).
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Final, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION: Final = "1.1"  # and the Literal of Document.schema_version
# Earlier versions whose outputs are still read (the report, a review store): the same
# shape, so they validate as the current version once their version is set aside.
READABLE_SCHEMA_VERSIONS = ("1.0", SCHEMA_VERSION)
SCHEMA_ID = f"urn:vn-directive-extractor:document:{SCHEMA_VERSION}"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$",
                               json_schema_extra={"format": "date"})]  # fmt: skip
Mode = Literal["rules", "model", "hybrid"]  # extractor.MODES
SourceFormat = Literal["txt", "docx", "pdf", "html", "text"]
Recurrence = Literal["daily", "weekly", "monthly", "quarterly", "half_yearly", "yearly"]
# The labels of data/boilerplate.json, and "duplicate" for a repeated copy of the text.
SkipReason = Literal["portal_prefix", "byline", "view_counter", "photo_caption",
                     "related_links", "recipients", "addressees", "header", "signature",
                     "terminator", "duplicate"]  # fmt: skip


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
    valid_from: Optional[IsoDate] = Field(default=None, description="First day of this body.")
    valid_to: Optional[IsoDate] = Field(default=None, description="Last day of this body.")
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
    """When the action is due: the words of the text and what they mean."""

    date: Optional[IsoDate] = Field(
        default=None,
        description="The last day allowed, inclusive: for 'trước ngày 30/6/2021' (before "
        "30 June 2021) it is 2021-06-30 itself; for 'trong tháng 3/2021' 2021-03-31, for "
        "'trong quý II/2021' 2021-06-30, for 'trong 2 tuần' the document date plus 14 days. "
        "A missing year comes from the document date. Null when the text gives no day "
        "(immediate, urgent, recurring, event).",
    )
    granularity: Optional[Granularity] = Field(
        default=None, description="How precise the text is: the date is the end of this period."
    )
    kind: DeadlineKind = Field(
        default=DeadlineKind.before,
        description="before ('trước', 'chậm nhất'), within ('trong tháng'), on ('vào ngày'), "
        "recurring ('hằng tháng'), immediate ('ngay'), urgent ('khẩn trương'), event "
        "('trước kỳ họp').",
    )
    recurrence: Optional[Recurrence] = Field(
        default=None, description="How often, for a recurring deadline ('hằng tháng')."
    )


class Sector(_Model):
    """The government field a directive belongs to (``extractor/data/sectors.json``)."""

    id: str = Field(description="Id in the controlled list, e.g. 'giao_thong'.")
    label: str = Field(description="The field's Vietnamese name, e.g. 'Giao thông'.")
    confidence: float = Field(ge=0.0, le=1.0)
    source: str = Field(description="'sector.rules:<keyword>', '...+model' or 'model'.")


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
    sector: Optional[Sector] = None
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
    date: Optional[IsoDate] = None
    date_text: Optional[Span] = None
    chair: Optional[Entity] = None


class DocumentInfo(_Model):
    number: Optional[str] = Field(default=None, description="Số ký hiệu, e.g. 123/TB-VPCP.")
    date: Optional[IsoDate] = None
    issuing_body: Optional[Entity] = None
    meeting: Optional[Meeting] = None


class Source(_Model):
    path: Optional[str] = None
    sha256: str
    format: SourceFormat = Field(description="The format read; text: a string given directly.")
    chars: int = Field(ge=0, description="Length of the normalized text.")
    encoding: Optional[str] = None
    # The page's own publication date (HTML), ISO; not in the output: the document date
    # falls back on it when the text gives none.
    _published: Optional[str] = PrivateAttr(default=None)


class SkippedRegion(Span):
    """Text read but set aside: boilerplate, a repeated copy, a recipients block."""

    reason: SkipReason


class Options(_Model):
    """The options a document was extracted with: they change the output."""

    mode: Mode = Field(description="The rules, the trained model, or both combined.")
    doc_date: Optional[IsoDate] = Field(default=None, description="Given by --doc-date.")
    with_text: bool = False


class Document(_Model):
    """The extractor's output for one input document."""

    # Required in the JSON Schema (every output has it); Python callers need not give it.
    model_config = ConfigDict(extra="forbid",
                              json_schema_extra=lambda s: _require(s, "schema_version"))

    schema_version: Literal["1.1"] = Field(
        default=SCHEMA_VERSION,
        description="Version of this contract; a reader of the current version also reads "
        f"{', '.join(READABLE_SCHEMA_VERSIONS[:-1])} (Document.read).",
    )
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

    def _repr_html_(self) -> str:
        """A notebook shows the directives highlighted (:func:`extractor.visualize`)."""
        from .visualization import visualize

        return visualize(self)

    @classmethod
    def read(cls, data: Any) -> Document:
        """An output of this or an earlier readable version of the contract, as the
        current version (raises pydantic's ``ValidationError`` for anything else, a
        document without its ``schema_version`` included)."""
        if isinstance(data, dict):
            version = data.get("schema_version")
            readable = version in READABLE_SCHEMA_VERSIONS
            data = {**data, "schema_version": SCHEMA_VERSION if readable else version}
        return cls.model_validate(data)


def _require(schema: dict[str, Any], name: str) -> None:
    schema["required"] = [name, *(n for n in schema.get("required", []) if n != name)]


def json_schema() -> dict[str, Any]:
    """JSON Schema of :class:`Document`, with its ``$schema`` dialect and ``$id``."""
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": SCHEMA_ID, **Document.model_json_schema()}
