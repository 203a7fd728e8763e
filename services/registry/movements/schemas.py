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
    date: date
    signer: Annotated[Label, Field(max_length=200)] | None = None


class PhaseIn(ApiModel):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
    title: Annotated[Label, Field(min_length=1, max_length=300)]
    start_date: date
    end_date: date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end_date < self.start_date:
            raise invalid("end_date is before start_date", "end_date đứng trước start_date")
        return self


class MilestoneIn(ApiModel):
    kind: MilestoneKind
    due_date: date
    title: Annotated[Label, Field(max_length=300)] | None = None
    phase_code: str | None = Field(default=None, description="the phase it belongs to, if any")


class MovementCreate(ApiModel):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="stable code, e.g. QN-CDS-2022")]
    title: Annotated[Label, Field(min_length=1, max_length=500)]
    issuer_unit_id: uuid.UUID
    kind: MovementKind
    legal_basis: LegalBasis
    start_date: date
    end_date: date | None = None
    subject_types: list[SubjectType] = Field(default=[], description="who may be commended")
    unit_kinds: list[UnitKind] = Field(default=[], description="kinds of units it targets (empty: any)")
    description: Annotated[Label, Field(max_length=5000)] | None = None
    phases: list[PhaseIn] = Field(default_factory=list)
    milestones: list[MilestoneIn] = Field(default_factory=list)


class Schedule(ApiModel):
    """All phases and milestones of a movement, replaced together."""

    phases: list[PhaseIn]
    milestones: list[MilestoneIn]


class MovementUpdate(ApiModel):
    title: Annotated[Label, Field(min_length=1, max_length=500)] | None = None
    end_date: date | None = Field(default=None, description="null: open-ended")
    description: Annotated[Label, Field(max_length=5000)] | None = None

    @model_validator(mode="after")
    def _title_kept(self) -> Self:
        refuse_nulls(self, "title")
        return self


class Phase(OutModel):
    code: str
    title: str
    start_date: date
    end_date: date


class Milestone(OutModel):
    kind: MilestoneKind
    due_date: date
    title: str | None
    phase_code: str | None


class Movement(OutModel):
    id: uuid.UUID
    code: str
    title: str
    issuer_unit_id: uuid.UUID
    kind: MovementKind
    legal_basis: LegalBasis
    start_date: date
    end_date: date | None
    subject_types: list[SubjectType]
    unit_kinds: list[UnitKind]
    description: str | None
    phases: list[Phase]
    milestones: list[Milestone]
    version: int
