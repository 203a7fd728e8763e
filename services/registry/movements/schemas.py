"""Movements (phong trào thi đua) with their phases and milestones."""

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from kit.schemas import ApiModel, OutModel, invalid, refuse_nulls
from kit.text import Label
from services.registry.vocabulary import UnitKind


class MovementKind(StrEnum):
    REGULAR = "regular"  # thường xuyên
    THEMATIC = "thematic"  # chuyên đề
    SHORT = "short"  # theo đợt


class SubjectType(StrEnum):
    COLLECTIVE = "collective"  # tập thể
    INDIVIDUAL = "individual"  # cá nhân
    HOUSEHOLD = "household"  # hộ gia đình


class MilestoneKind(StrEnum):
    LAUNCH = "launch"
    REGISTRATION_DEADLINE = "registration_deadline"
    HALF_YEAR_REPORT = "half_year_report"
    YEARLY_REPORT = "yearly_report"
    INTERIM_REVIEW = "interim_review"  # sơ kết
    FINAL_REVIEW = "final_review"  # tổng kết
    OTHER = "other"


class LegalBasis(ApiModel):
    number: Annotated[Label, Field(min_length=1, max_length=100, description="e.g. 2025/QĐ-UBND")]
    date: Annotated[date, Field(description="date it was signed (ISO 8601)")]
    signer: Annotated[Label, Field(max_length=200)] | None = Field(
        default=None, description="who signed it, e.g. Chủ tịch UBND tỉnh"
    )


class PhaseIn(ApiModel):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")] = Field(
        description="code unique within the movement (letters, digits, . _ -), e.g. 2023"
    )
    title: Annotated[Label, Field(min_length=1, max_length=300)] = Field(
        description="title, e.g. Giai đoạn 1 (2022–2023)"
    )
    start_date: date = Field(description="first day (ISO 8601)")
    end_date: date = Field(description="last day (inclusive); not before start_date")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end_date < self.start_date:
            raise invalid("end_date is before start_date", "end_date đứng trước start_date")
        return self


class MilestoneIn(ApiModel):
    kind: MilestoneKind = Field(description="what falls due; interim_review is the sơ kết, final_review the tổng kết")
    due_date: date = Field(description="the day it is due (ISO 8601)")
    title: Annotated[Label, Field(max_length=300)] | None = Field(
        default=None, description="title, if the kind does not say enough"
    )
    phase_code: str | None = Field(default=None, description="the phase it belongs to, if any")


class MovementCreate(ApiModel):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="stable code, e.g. QN-CDS-2022")]
    title: Annotated[Label, Field(min_length=1, max_length=500)] = Field(
        description="title with its diacritics, e.g. Phong trào thi đua chuyển đổi số"
    )
    issuer_unit_id: uuid.UUID = Field(description="the unit that launches it (phát động)")
    kind: MovementKind = Field(description="regular (thường xuyên), thematic (chuyên đề) or short (theo đợt)")
    legal_basis: LegalBasis = Field(description="the act that launches it")
    start_date: date = Field(description="first day (ISO 8601)")
    end_date: date | None = Field(default=None, description="last day (inclusive); null: open-ended")
    subject_types: list[SubjectType] = Field(default=[], description="who may be commended")
    unit_kinds: list[UnitKind] = Field(default=[], description="kinds of units it targets (empty: any)")
    description: Annotated[Label, Field(max_length=5000)] | None = Field(
        default=None, description="free text: aims, contents, who takes part"
    )
    phases: list[PhaseIn] = Field(default_factory=list, description="the phases (giai đoạn), codes unique")
    milestones: list[MilestoneIn] = Field(
        default_factory=list, description="dated milestones: registration deadline, reports, reviews"
    )


class Schedule(ApiModel):
    """All phases and milestones of a movement, replaced together."""

    phases: list[PhaseIn] = Field(description="the phases (giai đoạn), codes unique")
    milestones: list[MilestoneIn] = Field(description="dated milestones; a phase_code names one of the phases")


class MovementUpdate(ApiModel):
    title: Annotated[Label, Field(min_length=1, max_length=500)] | None = Field(
        default=None, description="new title (leave out to keep; null is refused)"
    )
    end_date: date | None = Field(default=None, description="null: open-ended")
    description: Annotated[Label, Field(max_length=5000)] | None = Field(
        default=None, description="new description (null clears it)"
    )

    @model_validator(mode="after")
    def _title_kept(self) -> Self:
        refuse_nulls(self, "title")
        return self


class Phase(OutModel):
    code: str = Field(description="code unique within the movement")
    title: str = Field(description="title")
    start_date: date = Field(description="first day (ISO 8601)")
    end_date: date = Field(description="last day (inclusive)")


class Milestone(OutModel):
    kind: MilestoneKind = Field(description="what falls due; interim_review is the sơ kết, final_review the tổng kết")
    due_date: date = Field(description="the day it is due (ISO 8601)")
    title: str | None = Field(description="title, if any")
    phase_code: str | None = Field(description="the phase it belongs to, if any")


class Movement(OutModel):
    id: uuid.UUID = Field(description="movement id")
    code: str = Field(description="stable code, e.g. QN-CDS-2022")
    title: str = Field(description="title")
    issuer_unit_id: uuid.UUID = Field(description="the unit that launched it")
    kind: MovementKind = Field(description="regular (thường xuyên), thematic (chuyên đề) or short (theo đợt)")
    legal_basis: LegalBasis = Field(description="the act that launched it")
    start_date: date = Field(description="first day (ISO 8601)")
    end_date: date | None = Field(description="last day (inclusive); null: open-ended")
    subject_types: list[SubjectType] = Field(description="who may be commended: collective, individual, household")
    unit_kinds: list[UnitKind] = Field(description="kinds of units it targets (empty: any)")
    description: str | None = Field(description="free text: aims, contents, who takes part")
    phases: list[Phase] = Field(description="the phases, by start date")
    milestones: list[Milestone] = Field(description="dated milestones, by due date")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
