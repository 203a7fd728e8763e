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
    name: Text300 = Field(description="the signer's full name")


class DecisionCreate(ApiModel):
    issuer_unit_id: uuid.UUID = Field(description="the issuing body; numbers run per body and year")
    issuer_parent: Annotated[Label, Field(max_length=300)] | None = Field(
        default=None, description="the line above the issuer in the header, if any"
    )
    issuer_name: Text300 = Field(description="e.g. ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH")
    notation: Annotated[str, Field(pattern=r"^QĐ-[A-ZĐ0-9]{1,20}$", description="e.g. QĐ-UBND")]
    place: Text300 = Field(description="địa danh of the date line, e.g. Quảng Ninh")
    signed_on: date = Field(description="date of signing (ISO 8601); the number runs per body in its year")
    subject: Annotated[Label, Field(min_length=1, max_length=1000, description="Về việc …")]
    authority: Text300 = Field(description="who decides, e.g. CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH")
    legal_bases: list[Annotated[Label, Field(min_length=1, max_length=1000)]] = Field(
        default_factory=list, description="the Căn cứ lines"
    )
    signer: Signer = Field(description="the signature block")
    recipients: Annotated[
        list[Annotated[Label, Field(min_length=1, max_length=300)]], Field(min_length=1, max_length=50)
    ] = Field(description="Nơi nhận; 'Lưu: VT, …' is added last when missing")
    nominee_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=5000)] = Field(
        description="approved lines of decided nominations"
    )


class AwardOut(OutModel):
    id: uuid.UUID = Field(description="award id")
    decision_id: uuid.UUID = Field(description="the decision that confers it")
    nomination_id: uuid.UUID = Field(description="the nomination it came from")
    nominee_id: uuid.UUID = Field(description="the nomination's line it awards")
    form_id: uuid.UUID = Field(description="the award form or emulation title")
    subject_type: SubjectType = Field(
        description="collective (tập thể), individual (cá nhân) or household (hộ gia đình)"
    )
    unit_id: uuid.UUID | None = Field(description="the unit awarded (collectives; a household's commune)")
    person_id: uuid.UUID | None = Field(description="the person awarded, when in the registry")
    name: str = Field(description="the awardee's name as printed")
    detail: str | None = Field(description="position and unit as printed, if any")
    amount: Dong = Field(description="reward money in đồng: the form's multiple × base salary in force")
    status: AwardStatus = Field(description="issued or revoked")
    revoked_reason: str | None = Field(description="the legal reason it was revoked (null: not revoked)")
    council_result: str | None = Field(
        default=None, description="the council's vote on the line: passed, failed or no_quorum (handlers only)"
    )
    deviation_reason: str | None = Field(
        default=None, description="why the line was approved against the council's vote (the handlers only)"
    )


class CouncilDeviation(OutModel):
    """A line of the decision's nominations decided otherwise than its council voted, with the signer's reason."""

    nominee_id: uuid.UUID = Field(description="the nominee")
    nomination_id: uuid.UUID = Field(description="the nomination")
    position: int = Field(description="1-based line in the nomination")
    name: str = Field(description="the nominee's name as printed")
    detail: str | None = Field(description="position and unit as printed, if any")
    council_id: uuid.UUID | None = Field(default=None, description="the council session that voted")
    council_result: str = Field(description="passed, failed or no_quorum")
    yes: int | None = Field(default=None, description="votes in favour, written votes included")
    no: int | None = Field(default=None, description="votes against")
    abstain: int | None = Field(default=None, description="abstentions")
    outcome: LineOutcome = Field(description="approved or refused by the signer")
    reason: str = Field(description="the signer's reason for deciding against the vote")


class Decision(OutModel):
    id: uuid.UUID = Field(description="decision id")
    issuer_unit_id: uuid.UUID = Field(description="the issuing body")
    number: int = Field(description="number, from 1 each year per body")
    year: int = Field(description="the year of signing, in which the number runs")
    notation: str = Field(description="notation, e.g. QĐ-UBND")
    reference: str = Field(description="number and notation as printed: 15/QĐ-UBND")
    issuer_parent: str | None = Field(description="the line above the issuer in the header, if any")
    issuer_name: str = Field(description="the issuing body as printed")
    place: str = Field(description="địa danh of the date line")
    signed_on: date = Field(description="date of signing (ISO 8601)")
    subject: str = Field(description="Về việc … (the subject line)")
    authority: str = Field(description="who decides, as printed")
    legal_bases: list[str] = Field(description="the Căn cứ lines")
    signer: Signer = Field(description="the signature block")
    recipients: list[str] = Field(description="Nơi nhận, ending with Lưu: VT, …")
    base_salary: Dong = Field(description="base salary in force on the signing date, whole đồng as a decimal string")
    status: DecisionStatus = Field(
        description="signed (numbered, not public) or published (open data; its awards issued)"
    )
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
    published_at: datetime | None = Field(description="when it was published (null: not yet)")
    awards: list[AwardOut] = Field(description="the awards it confers, one per approved line")
    against_council: list[CouncilDeviation] | None = Field(
        default=None,
        description="lines of its nominations decided against the council's vote: approved in this decision, or "
        "refused (the decision's handlers only; printed in their file copy)",
    )


class Revocation(ApiModel):
    reason: Annotated[Label, Field(min_length=1, max_length=2000, description="the legal reason for revoking")]
