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

    kind: Literal["document"] = "document"
    number: Annotated[Label, Field(min_length=1, max_length=100)]
    date: date
    subject: Annotated[Label, Field(min_length=1, max_length=1000)]


class FileRef(ApiModel):
    """A file uploaded to this period's evidence."""

    kind: Literal["file"] = "file"
    file_id: uuid.UUID


Evidence = Annotated[DocumentRef | FileRef, Field(discriminator="kind")]


class ValueFields(ApiModel):
    value: Number | None = Field(default=None, description="percent (0-100) or count")
    numerator: Number | None = Field(default=None, description="ratio a/b: a")
    denominator: Number | None = Field(default=None, description="ratio a/b: b")
    flag: bool | None = Field(default=None, description="yes/no")
    category: Annotated[str, Field(max_length=200)] | None = None


class ValueIn(ValueFields):
    unit_id: uuid.UUID
    indicator_code: str
    evidence: list[Evidence] = Field(default_factory=list)


class ValueBatch(ApiModel):
    items: Annotated[list[ValueIn], Field(min_length=1)]


class RowFault(ApiModel):
    pointer: str = Field(description="/items/{index}/{field}")
    detail: str
    messages: dict[str, str]


class BatchReport(ApiModel):
    dry_run: bool
    rows: int
    written: int = Field(description="rows stored (0 on a dry run)")
    created: int
    updated: int
    submitted: bool
    errors: list[RowFault] = Field(default_factory=list, description="every faulty row; empty when all are valid")


class ImportReport(ApiModel):
    """What a file of values did (or would do, on a dry run)."""

    dry_run: bool
    rows: int = Field(description="data lines of the file")
    written: int = Field(description="values stored (0 on a dry run)")
    created: int
    updated: int
    submitted: bool
    errors: list[RowError] = Field(default_factory=list, description="every faulty line; empty when all are valid")


class ReviewAction(StrEnum):
    ACCEPT = "accept"
    ADJUST = "adjust"
    RETURN = "return"


class Review(ValueFields):
    action: ReviewAction
    reason: Annotated[Label, Field(max_length=2000)] | None = Field(default=None, description="adjust and return")


class StoredValue(OutModel):
    unit_id: uuid.UUID
    indicator_code: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    flag: bool | None
    category: str | None
    evidence: list[dict[str, Any]]
    status: ValueStatus
    appraised_value: Decimal | None
    appraised_flag: bool | None
    appraised_category: str | None
    review_reason: str | None
    version: int
    updated_by: str
    updated_at: datetime


class Change(OutModel):
    actor: str
    action: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    reason: str | None
    at: datetime


class EvidenceFile(OutModel):
    id: uuid.UUID
    unit_id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
