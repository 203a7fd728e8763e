"""Award decisions (Quyết định khen thưởng): numbered per issuing body and year, with their awardees."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from kit.schemas import ApiModel, OutModel
from kit.text import Label
from services.awards.catalogue.schemas import Dong
from services.awards.vocabulary import AwardStatus, DecisionStatus, SubjectType

Text300 = Annotated[Label, Field(min_length=1, max_length=300)]


class Signer(ApiModel):
    prefix: Annotated[Label, Field(max_length=200)] | None = Field(
        default=None, description="authority prefix: TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH, TL., TUQ., Q."
    )
    position: Text300 = Field(description="e.g. CHỦ TỊCH, PHÓ CHỦ TỊCH")
    name: Text300


class DecisionCreate(ApiModel):
    issuer_unit_id: uuid.UUID = Field(description="the issuing body; numbers run per body and year")
    issuer_parent: Annotated[Label, Field(max_length=300)] | None = Field(
        default=None, description="the line above the issuer in the header, if any"
    )
    issuer_name: Text300 = Field(description="e.g. ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH")
    notation: Annotated[str, Field(pattern=r"^QĐ-[A-ZĐ0-9]{1,20}$", description="e.g. QĐ-UBND")]
    place: Text300 = Field(description="địa danh of the date line, e.g. Quảng Ninh")
    signed_on: date
    subject: Annotated[Label, Field(min_length=1, max_length=1000, description="Về việc …")]
    authority: Text300 = Field(description="who decides, e.g. CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH")
    legal_bases: list[Annotated[Label, Field(min_length=1, max_length=1000)]] = Field(
        default_factory=list, description="the Căn cứ lines"
    )
    signer: Signer
    recipients: Annotated[
        list[Annotated[Label, Field(min_length=1, max_length=300)]], Field(min_length=1, max_length=50)
    ] = Field(description="Nơi nhận; 'Lưu: VT, …' is added last when missing")
    nominee_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=5000)] = Field(
        description="approved lines of decided nominations"
    )


class AwardOut(OutModel):
    id: uuid.UUID
    decision_id: uuid.UUID
    nomination_id: uuid.UUID
    form_id: uuid.UUID
    subject_type: SubjectType
    unit_id: uuid.UUID | None
    person_id: uuid.UUID | None
    name: str
    detail: str | None
    amount: Dong = Field(description="reward money in đồng: the form's multiple × base salary in force")
    status: AwardStatus
    revoked_reason: str | None


class Decision(OutModel):
    id: uuid.UUID
    issuer_unit_id: uuid.UUID
    number: int
    year: int
    notation: str
    reference: str = Field(description="number and notation as printed: 15/QĐ-UBND")
    issuer_parent: str | None
    issuer_name: str
    place: str
    signed_on: date
    subject: str
    authority: str
    legal_bases: list[str]
    signer: Signer
    recipients: list[str]
    base_salary: Dong
    status: DecisionStatus
    version: int
    published_at: datetime | None
    awards: list[AwardOut]


class Revocation(ApiModel):
    reason: Annotated[Label, Field(min_length=1, max_length=2000, description="the legal reason for revoking")]
