"""The JSON bodies the review API accepts (pydantic; unknown fields are refused)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..schema import Modality

_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_FIELD_CHARS = 5000  # a corrected or typed value; a whole notice is uploaded, not typed


def _valid_text(value: str) -> str:
    """Refuse a lone surrogate (valid JSON escape, but no character: it cannot be stored)."""
    bad = _SURROGATE.search(value)
    if bad:
        raise ValueError(f"invalid character (a lone surrogate) at position {bad.start()}")
    return value


# The API's 422 replies name the validator ("function-after[_valid_text(), ...]"): keep
# its name; other modules call it as ``valid_text``.
valid_text = _valid_text
Text = Annotated[str, AfterValidator(_valid_text)]
FieldText = Annotated[str, Field(max_length=MAX_FIELD_CHARS), AfterValidator(_valid_text)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpanRef(_Body):
    """A stretch of the document text chosen by the clerk (offsets into ``text``)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


Value = Union[SpanRef, FieldText, None]


class Corrections(_Body):
    """New values: text (grounded in the evidence when it is there) or a {start, end}
    selection of the text; a field given as null clears it."""

    issuer: Value = None
    actor: Value = None
    coactors: Optional[Annotated[list[Union[SpanRef, FieldText]], Field(max_length=50)]] = None
    action: Value = None
    topic: Value = None
    purpose: Value = None
    report_to: Value = None
    deadline_date: Optional[dt.date] = None
    modality: Optional[Modality] = None
    sector: Optional[Annotated[str, Field(max_length=100)]] = Field(
        default=None, description="A sector id of extractor/data/sectors.json."
    )


class ReviewRequest(_Body):
    action: Literal["accept", "reject", "correct", "reset"]
    reviewer: Annotated[Text, Field(min_length=1, max_length=200)]
    fields: Optional[Corrections] = None
    version: Optional[int] = Field(
        default=None, ge=0,
        description="The review version the client last saw (the directive's "
        "review.version); a review that has moved on since answers 409.",
    )  # fmt: skip


class NewDirective(_Body):
    """A directive the extractor missed: the selected text is its action."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    reviewer: Annotated[Text, Field(min_length=1, max_length=200)]
    actor: Optional[FieldText] = None
    deadline_date: Optional[dt.date] = None
    modality: Modality = Modality.obligation


class DocDate(_Body):
    """The document date set by the clerk: deadlines without a year are read on it."""

    doc_date: dt.date
    reviewer: Annotated[Text, Field(min_length=1, max_length=200)]
