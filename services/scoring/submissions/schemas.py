"""Values units submit for indicators, with their evidence, and what the appraiser did with them."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field

from kit.schemas import ApiModel, OutModel, RowError, fixed_point
from kit.text import Label
from services.scoring.vocabulary import ValueStatus

Number = Annotated[Decimal, fixed_point(18, 4)]


class DocumentRef(ApiModel):
    """A document held elsewhere (e-office): number, date and subject."""

    kind: Literal["document"] = Field(default="document", description="always document")
    number: Annotated[Label, Field(min_length=1, max_length=100)] = Field(
        description="number/notation, e.g. 52/BC-UBND"
    )
    date: Annotated[date, Field(description="date of the document (ISO 8601)")]
    subject: Annotated[Label, Field(min_length=1, max_length=1000)] = Field(description="its subject (trích yếu)")


class FileRef(ApiModel):
    """A file uploaded to this period's evidence."""

    kind: Literal["file"] = Field(default="file", description="always file")
    file_id: uuid.UUID = Field(description="id of a file uploaded to the period's evidence")


Evidence = Annotated[DocumentRef | FileRef, Field(discriminator="kind")]


class ValueFields(ApiModel):
    value: Number | None = Field(default=None, description="percent (0-100) or count")
    numerator: Number | None = Field(default=None, description="ratio a/b: a")
    denominator: Number | None = Field(default=None, description="ratio a/b: b")
    flag: bool | None = Field(default=None, description="yes/no")
    category: Annotated[str, Field(max_length=200)] | None = Field(
        default=None, description="category: one of the indicator's labels"
    )


class ValueIn(ValueFields):
    unit_id: uuid.UUID = Field(description="the participating unit")
    indicator_code: str = Field(description="code of an indicator of the period's framework")
    evidence: list[Evidence] = Field(
        default_factory=list, description="evidence (minh chứng): documents or uploaded files"
    )


class ValueBatch(ApiModel):
    items: Annotated[list[ValueIn], Field(min_length=1)] = Field(description="the values, one per unit and indicator")


class RowFault(ApiModel):
    pointer: str = Field(description="/items/{index}/{field}")
    detail: str = Field(description="what is wrong (Vietnamese)")
    messages: dict[str, str] = Field(description="the message by language: vi, en")


class BatchReport(ApiModel):
    dry_run: bool = Field(description="true: nothing was stored, the counts say what would happen")
    rows: int = Field(description="values in the batch")
    written: int = Field(description="rows stored (0 on a dry run)")
    created: int = Field(description="values new to the period")
    updated: int = Field(description="values that replaced earlier ones")
    submitted: bool = Field(description="the values were sent for appraisal (thẩm định)")
    errors: list[RowFault] = Field(default_factory=list, description="every faulty row; empty when all are valid")


class ImportReport(ApiModel):
    """What a file of values did (or would do, on a dry run)."""

    dry_run: bool = Field(description="true: nothing was stored, the counts say what would happen")
    rows: int = Field(description="data lines of the file")
    written: int = Field(description="values stored (0 on a dry run)")
    created: int = Field(description="values new to the period")
    updated: int = Field(description="values that replaced earlier ones")
    submitted: bool = Field(description="the values were sent for appraisal (thẩm định)")
    errors: list[RowError] = Field(default_factory=list, description="every faulty line; empty when all are valid")


class ReviewAction(StrEnum):
    ACCEPT = "accept"
    ADJUST = "adjust"
    RETURN = "return"


class Review(ValueFields):
    action: ReviewAction = Field(
        description="accept, adjust (keep an appraised value beside the unit's) or return (to correct)"
    )
    reason: Annotated[Label, Field(max_length=2000)] | None = Field(default=None, description="adjust and return")


class StoredValue(OutModel):
    unit_id: uuid.UUID = Field(description="the unit")
    indicator_code: str = Field(description="the indicator")
    value: Decimal | None = Field(description="percent (0–100) or count, as a decimal string")
    numerator: Decimal | None = Field(description="ratio a/b: a")
    denominator: Decimal | None = Field(description="ratio a/b: b")
    flag: bool | None = Field(description="yes/no")
    category: str | None = Field(description="category label")
    evidence: list[dict[str, Any]] = Field(
        description="evidence: {kind: document, number, date, subject} or {kind: file, file_id}"
    )
    status: ValueStatus = Field(description="draft, submitted, accepted, adjusted or returned")
    appraised_value: Decimal | None = Field(description="the appraiser's value, when adjusted")
    appraised_flag: bool | None = Field(description="the appraiser's yes/no, when adjusted")
    appraised_category: str | None = Field(description="the appraiser's category, when adjusted")
    review_reason: str | None = Field(description="the appraiser's reason (adjust, return)")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
    updated_by: str = Field(description="who changed it last (token subject)")
    updated_at: datetime = Field(description="when it changed last (ISO 8601 with offset)")


class Change(OutModel):
    actor: str = Field(description="who (token subject)")
    action: str = Field(description="draft, submit, accept, adjust or return")
    old: dict[str, Any] | None = Field(description="the fields before (null: created)")
    new: dict[str, Any] | None = Field(description="the fields after")
    reason: str | None = Field(description="reason given, if any")
    at: datetime = Field(description="when (ISO 8601 with offset)")


class EvidenceFile(OutModel):
    id: uuid.UUID = Field(description="file id (use it as file_id in evidence)")
    unit_id: uuid.UUID = Field(description="the unit it is evidence for")
    filename: str = Field(description="the uploaded file's name")
    content_type: str = Field(description="its media type")
    size: int = Field(description="size in bytes")
    sha256: str = Field(description="SHA-256 of the content, hex")
    uploaded_by: str = Field(description="who uploaded it (token subject)")
    uploaded_at: datetime = Field(description="when (ISO 8601 with offset)")
