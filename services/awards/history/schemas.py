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
    kind: RecordKind = Field(
        description="rating (xếp loại), title (danh hiệu, from elsewhere), initiative (sáng kiến), discipline"
    )
    year: int = Field(ge=1945, le=2100, description="the year it applies to")
    value: Annotated[Label, Field(min_length=1, max_length=200)] = Field(
        description="the rating, the form code of a title, the initiative's scope, or the discipline level"
    )
    reference: Annotated[Label, Field(max_length=500)] | None = Field(
        default=None, description="the act that records it, e.g. QĐ 123/QĐ-UBND ngày 10/12/2024"
    )


class RecordsIn(ApiModel):
    items: Annotated[list[RecordIn], Field(min_length=1, max_length=5000)] = Field(description="the facts to record")


class RecordOut(OutModel):
    id: uuid.UUID = Field(description="record id")
    subject_id: uuid.UUID = Field(description="the unit or person")
    kind: RecordKind = Field(description="rating, title, initiative or discipline")
    year: int = Field(description="the year it applies to")
    value: str = Field(description="the rating, form code, scope or discipline level")
    reference: str | None = Field(description="the act that records it, if given")
    recorded_by: str = Field(description="who recorded it (token subject)")
    recorded_at: datetime = Field(description="when (ISO 8601 with offset)")


class HistoryEntry(OutModel):
    award_id: uuid.UUID = Field(description="the award")
    subject_id: uuid.UUID = Field(description="the unit (or person) awarded: the one asked, or a predecessor")
    via_predecessor: bool = Field(description="awarded to a predecessor of the unit asked (before a merger)")
    subject_type: SubjectType = Field(description="collective, individual or household")
    name: str = Field(description="the awardee's name as printed")
    form_code: str = Field(description="the award form's code")
    form_name: str = Field(description="the award form's name in Vietnamese")
    decision_id: uuid.UUID = Field(description="the decision that conferred it")
    decision_reference: str = Field(description="number and notation, e.g. 15/QĐ-UBND")
    signed_on: date = Field(description="date of the decision (ISO 8601)")
    issuer_name: str = Field(description="the issuing body")
    amount: Dong = Field(description="reward money in whole đồng (decimal string)")
    status: AwardStatus = Field(description="issued or revoked")
    revoked_reason: str | None = Field(description="the legal reason it was revoked (null: not revoked)")
