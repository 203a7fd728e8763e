"""Award decisions (Quyết định khen thưởng): numbered per issuing body and year, with their awardees."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from kit.schemas import ApiModel, OutModel
from kit.text import Label
from services.awards.catalogue.schemas import Dong
from services.awards.vocabulary import AwardStatus, DecisionStatus, LineOutcome, SubjectType

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
    nominee_id: uuid.UUID = Field(description="the nomination's line it awards")
    form_id: uuid.UUID
    subject_type: SubjectType
    unit_id: uuid.UUID | None
    person_id: uuid.UUID | None
    name: str
    detail: str | None
    amount: Dong = Field(description="reward money in đồng: the form's multiple × base salary in force")
    status: AwardStatus
    revoked_reason: str | None
    council_result: str | None = Field(
        default=None, description="the council's vote on the line: passed, failed or no_quorum (handlers only)"
    )
    deviation_reason: str | None = Field(
        default=None, description="why the line was approved against the council's vote (the handlers only)"
    )


class CouncilDeviation(OutModel):
    """A line of the decision's nominations decided otherwise than its council voted, with the signer's reason."""

    nominee_id: uuid.UUID
    nomination_id: uuid.UUID
    position: int
    name: str
    detail: str | None
    council_id: uuid.UUID | None = None
    council_result: str = Field(description="passed, failed or no_quorum")
    yes: int | None = Field(default=None, description="votes in favour, written votes included")
    no: int | None = None
    abstain: int | None = None
    outcome: LineOutcome
    reason: str = Field(description="the signer's reason for deciding against the vote")


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
    against_council: list[CouncilDeviation] | None = Field(
        default=None,
        description="lines of its nominations decided against the council's vote: approved in this decision, or "
        "refused (the decision's handlers only; printed in their file copy)",
    )


class Revocation(ApiModel):
    reason: Annotated[Label, Field(min_length=1, max_length=2000, description="the legal reason for revoking")]
