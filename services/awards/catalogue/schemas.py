"""The award catalogue: regimes, their forms and titles, base salaries and the holiday calendar."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from kit.schemas import ApiModel, OutModel, fixed_point, invalid
from kit.text import Label
from services.awards.vocabulary import Ballot, Denominator, FormKind, Status, SubjectType
from services.registry.vocabulary import UnitLevel

Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
# Amounts in đồng, whole: read back from numeric(14, 0) they may come as 2.34E+6, and are shown as 2340000.
Dong = Annotated[Decimal, AfterValidator(lambda d: d.quantize(Decimal(1)))]
Share = Annotated[Decimal, Field(ge=0, le=1), fixed_point(6, 4)]


class Authority(ApiModel):
    """Who confers the form, from when: the 2025 reform moved powers from district to commune chairmen."""

    level: UnitLevel = Field(description="level of the unit whose head confers it")
    title_vi: Annotated[Label, Field(min_length=1, max_length=300, description="e.g. Chủ tịch UBND tỉnh")]
    title_en: Annotated[Label, Field(min_length=1, max_length=300)]
    valid_from: date | None = None
    valid_to: date | None = Field(default=None, description="last day (null: still in force)")


class RequiredDocument(ApiModel):
    code: Code = Field(description="e.g. to_trinh, bien_ban_hoi_dong, bao_cao_thanh_tich")
    title_vi: Annotated[Label, Field(min_length=1, max_length=300)]
    title_en: Annotated[Label, Field(min_length=1, max_length=300)]
    per_nominee: bool = Field(default=False, description="one per nominee (e.g. the achievement report)")


class VotingRule(ApiModel):
    ballot: Ballot = Ballot.OPEN
    quorum: Share = Field(default=Decimal("0.6667"), description="share of all members who must be present")
    approval: Share = Field(default=Decimal("0.7"), description="share of votes in favour needed")
    denominator: Denominator = Field(default=Denominator.PRESENT, description="the share is of present or all members")
    strict: bool = Field(default=False, description="more than the share (true) or at least the share (false)")
    absentee_votes: bool = Field(default=False, description="written votes of absent members count")


class FormIn(ApiModel):
    code: Code = Field(description="stable within the regime, e.g. BK_TINH, CSTD_CS")
    kind: FormKind
    name_vi: Annotated[Label, Field(min_length=1, max_length=300)]
    name_en: Annotated[Label, Field(min_length=1, max_length=300)]
    subject_types: Annotated[list[SubjectType], Field(min_length=1)]
    conferred_by: Annotated[list[Authority], Field(min_length=1)]
    documents: list[RequiredDocument] = Field(default_factory=list, description="the dossier it needs")
    copies: int = Field(default=1, ge=1, le=20, description="sets of the dossier to file")
    reward_multiple: dict[SubjectType, Annotated[Decimal, Field(ge=0), fixed_point(6, 2)]] = Field(
        default_factory=dict, description="multiple of the base salary, per subject type"
    )
    voting: VotingRule = Field(default_factory=VotingRule)
    deadlines: dict[Status, Annotated[int, Field(ge=1, le=120)]] = Field(
        default_factory=dict, description="working days allowed in a status (e.g. received: 2, council: 5)"
    )
    public_notice_days: int | None = Field(default=None, ge=1, le=60, description="public notice before the council")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        codes = [d.code for d in self.documents]
        if len(codes) != len(set(codes)):
            raise invalid("document codes repeat", "mã tài liệu bị trùng")
        if extra := set(self.reward_multiple) - set(self.subject_types):
            raise invalid(
                f"reward_multiple names subject types the form is not for: {sorted(extra)}",
                f"reward_multiple có loại đối tượng không thuộc hình thức: {sorted(extra)}",
            )
        return self


class RegimeIn(ApiModel):
    title: Annotated[Label, Field(min_length=1, max_length=500)]
    legal_basis: list[Annotated[Label, Field(min_length=1, max_length=300)]] = Field(default_factory=list)
    valid_from: date
    valid_to: date | None = None
    forms: list[FormIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise invalid("valid_to is before valid_from", "valid_to đứng trước valid_from")
        codes = [f.code for f in self.forms]
        if len(codes) != len(set(codes)):
            raise invalid("form codes repeat", "mã hình thức bị trùng")
        return self


class Form(OutModel):
    id: uuid.UUID
    regime_code: str
    code: str
    kind: FormKind
    name_vi: str
    name_en: str
    subject_types: list[SubjectType]
    conferred_by: list[Authority]
    documents: list[RequiredDocument]
    copies: int
    reward_multiple: dict[SubjectType, Decimal]
    voting: VotingRule
    deadlines: dict[Status, int]
    public_notice_days: int | None


class Regime(OutModel):
    code: str
    title: str
    legal_basis: list[str]
    valid_from: date
    valid_to: date | None
    version: int
    forms: list[Form]


class BaseSalaryIn(ApiModel):
    amount: Annotated[Decimal, Field(gt=0), fixed_point(14, 0)]
    legal_basis: Annotated[Label, Field(min_length=1, max_length=300)]


class BaseSalaryOut(OutModel):
    valid_from: date
    amount: Dong
    legal_basis: str


class HolidayIn(ApiModel):
    day: date
    name: Annotated[Label, Field(min_length=1, max_length=200)]


class HolidaysIn(ApiModel):
    """Every holiday of a year, replaced together."""

    days: list[HolidayIn]


class HolidayOut(OutModel):
    day: date
    name: str
