"""What a unit or a person has had: awards issued here, and facts recorded for rules to look back on."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from kit.schemas import ApiModel, OutModel
from kit.text import Label
from services.awards.catalogue.schemas import Dong
from services.awards.vocabulary import AwardStatus, RecordKind, SubjectType


class RecordIn(ApiModel):
    subject_id: uuid.UUID = Field(description="a unit or a person of the registry")
    kind: RecordKind
    year: int = Field(ge=1945, le=2100)
    value: Annotated[Label, Field(min_length=1, max_length=200)] = Field(
        description="the rating, the form code of a title, the initiative's scope, or the discipline level"
    )
    reference: Annotated[Label, Field(max_length=500)] | None = Field(
        default=None, description="the act that records it, e.g. QĐ 123/QĐ-UBND ngày 10/12/2024"
    )


class RecordsIn(ApiModel):
    items: Annotated[list[RecordIn], Field(min_length=1, max_length=5000)]


class RecordOut(OutModel):
    id: uuid.UUID
    subject_id: uuid.UUID
    kind: RecordKind
    year: int
    value: str
    reference: str | None
    recorded_by: str
    recorded_at: datetime


class HistoryEntry(OutModel):
    award_id: uuid.UUID
    subject_id: uuid.UUID = Field(description="the unit (or person) awarded: the one asked, or a predecessor")
    via_predecessor: bool
    subject_type: SubjectType
    name: str
    form_code: str
    form_name: str
    decision_id: uuid.UUID
    decision_reference: str
    signed_on: date
    issuer_name: str
    amount: Dong
    status: AwardStatus
    revoked_reason: str | None
