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
    title_en: Annotated[Label, Field(min_length=1, max_length=300)] = Field(
        description="the same title in English, e.g. Chairman of the Provincial People's Committee"
    )
    valid_from: date | None = Field(
        default=None, description="first day in force (inclusive, ISO 8601); null: since the regime began"
    )
    valid_to: date | None = Field(default=None, description="last day (null: still in force)")


class RequiredDocument(ApiModel):
    code: Code = Field(description="e.g. to_trinh, bien_ban_hoi_dong, bao_cao_thanh_tich")
    title_vi: Annotated[Label, Field(min_length=1, max_length=300)] = Field(
        description="title in Vietnamese, e.g. Tờ trình đề nghị khen thưởng"
    )
    title_en: Annotated[Label, Field(min_length=1, max_length=300)] = Field(
        description="title in English, e.g. Cover letter"
    )
    per_nominee: bool = Field(default=False, description="one per nominee (e.g. the achievement report)")


class VotingRule(ApiModel):
    ballot: Ballot = Field(default=Ballot.OPEN, description="open (biểu quyết công khai) or secret (bỏ phiếu kín)")
    quorum: Share = Field(default=Decimal("0.6667"), description="share of all members who must be present")
    approval: Share = Field(default=Decimal("0.7"), description="share of votes in favour needed")
    denominator: Denominator = Field(default=Denominator.PRESENT, description="the share is of present or all members")
    strict: bool = Field(default=False, description="more than the share (true) or at least the share (false)")
    absentee_votes: bool = Field(default=False, description="written votes of absent members count")


class FormIn(ApiModel):
    code: Code = Field(description="stable within the regime, e.g. BK_TINH, CSTD_CS")
    kind: FormKind = Field(description="award (hình thức khen thưởng) or title (danh hiệu thi đua)")
    name_vi: Annotated[Label, Field(min_length=1, max_length=300)] = Field(
        description="name in Vietnamese, e.g. Bằng khen của Chủ tịch UBND tỉnh"
    )
    name_en: Annotated[Label, Field(min_length=1, max_length=300)] = Field(description="name in English")
    subject_types: Annotated[list[SubjectType], Field(min_length=1)] = Field(
        description="who may receive it: collective (tập thể), individual (cá nhân), household (hộ gia đình)"
    )
    conferred_by: Annotated[list[Authority], Field(min_length=1)] = Field(
        description="who confers it, by level, over time"
    )
    documents: list[RequiredDocument] = Field(default_factory=list, description="the dossier it needs")
    copies: int = Field(default=1, ge=1, le=20, description="sets of the dossier to file")
    reward_multiple: dict[SubjectType, Annotated[Decimal, Field(ge=0), fixed_point(6, 2)]] = Field(
        default_factory=dict, description="multiple of the base salary, per subject type"
    )
    voting: VotingRule = Field(default_factory=VotingRule, description="how the council (Hội đồng TĐKT) votes on it")
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
    title: Annotated[Label, Field(min_length=1, max_length=500)] = Field(
        description="title, e.g. Luật Thi đua, khen thưởng số 06/2022/QH15 và Nghị định 98/2023/NĐ-CP"
    )
    legal_basis: list[Annotated[Label, Field(min_length=1, max_length=300)]] = Field(
        default_factory=list, description="the acts it rests on, e.g. Luật Thi đua, khen thưởng 06/2022/QH15"
    )
    valid_from: date = Field(
        description="first day in force (ISO 8601); a dossier follows the regime in force on its date"
    )
    valid_to: date | None = Field(default=None, description="last day in force (inclusive); null: still in force")
    forms: list[FormIn] = Field(default_factory=list, description="its award forms and emulation titles, codes unique")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise invalid("valid_to is before valid_from", "valid_to đứng trước valid_from")
        codes = [f.code for f in self.forms]
        if len(codes) != len(set(codes)):
            raise invalid("form codes repeat", "mã hình thức bị trùng")
        return self


class Form(OutModel):
    id: uuid.UUID = Field(description="form id")
    regime_code: str = Field(description="the regime it belongs to")
    code: str = Field(description="stable within the regime, e.g. BK_TINH")
    kind: FormKind = Field(description="award (hình thức khen thưởng) or title (danh hiệu thi đua)")
    name_vi: str = Field(description="name in Vietnamese")
    name_en: str = Field(description="name in English")
    subject_types: list[SubjectType] = Field(description="who may receive it: collective, individual, household")
    conferred_by: list[Authority] = Field(description="who confers it, by level, over time")
    documents: list[RequiredDocument] = Field(description="the dossier it needs")
    copies: int = Field(description="sets of the dossier to file")
    reward_multiple: dict[SubjectType, Decimal] = Field(
        description="multiple of the base salary per subject type (decimal strings)"
    )
    voting: VotingRule = Field(description="how the council votes on it")
    deadlines: dict[Status, int] = Field(description="working days allowed in a status")
    public_notice_days: int | None = Field(description="days of public notice before the council (null: none)")


class Regime(OutModel):
    code: str = Field(description="stable code, e.g. TDKT-2022 (the path key)")
    title: str = Field(description="title")
    legal_basis: list[str] = Field(description="the acts it rests on")
    valid_from: date = Field(description="first day in force (ISO 8601)")
    valid_to: date | None = Field(description="last day in force (inclusive); null: still in force")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
    forms: list[Form] = Field(description="its award forms and emulation titles")


class BaseSalaryIn(ApiModel):
    amount: Annotated[Decimal, Field(gt=0), fixed_point(14, 0)] = Field(
        description="base salary (lương cơ sở) in whole đồng, e.g. 2340000"
    )
    legal_basis: Annotated[Label, Field(min_length=1, max_length=300)] = Field(
        description="the act that sets it, e.g. Nghị định 73/2024/NĐ-CP"
    )


class BaseSalaryOut(OutModel):
    valid_from: date = Field(description="first day in force (ISO 8601); in force until the next one")
    amount: Dong = Field(description="base salary (lương cơ sở) in whole đồng, as a decimal string")
    legal_basis: str = Field(description="the act that sets it")


class HolidayIn(ApiModel):
    day: date = Field(description="the day off (ISO 8601); it is not a working day")
    name: Annotated[Label, Field(min_length=1, max_length=200)] = Field(description="its name, e.g. Tết Nguyên đán")


class HolidaysIn(ApiModel):
    """Every holiday of a year, replaced together."""

    days: list[HolidayIn] = Field(description="every public holiday of the year (weekends need not be listed)")


class HolidayOut(OutModel):
    day: date = Field(description="the day off (ISO 8601)")
    name: str = Field(description="its name")
