"""The movement definition format: one YAML file per plan an emulation office issues. Service models are reused
where a part is entered as the service takes it (phases, milestones, framework, conditions); references that are
ids in the APIs are names here (units by their name path, forms by code, periods by key), resolved on import."""

from datetime import date
from typing import Annotated

from pydantic import Field

from kit.schemas import ApiModel
from kit.text import Label
from services.awards.catalogue.schemas import Code as FormCode
from services.awards.rules.schemas import Condition, Group
from services.registry.movements.schemas import LegalBasis, MilestoneIn, MovementKind, PhaseIn, SubjectType
from services.registry.vocabulary import UnitKind
from services.scoring.frameworks.schemas import FrameworkCreate
from services.scoring.vocabulary import PeriodKind

Key = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
UnitRef = Annotated[
    Label,
    Field(
        min_length=1,
        max_length=1000,
        description="a unit by its name path from the top, e.g. 'Tỉnh Quảng Ninh / Ban Quản lý vịnh Hạ Long'",
    ),
]


class Source(ApiModel):
    """The document the plan was entered from, so every figure can be checked against it."""

    document: Annotated[Label, Field(min_length=1, max_length=500, description="e.g. Quyết định 2025/QĐ-UBND …")]
    file: Annotated[str, Field(max_length=300, description="the text it was entered from, e.g. seeds/001_….txt")]
    sections: list[Annotated[Label, Field(max_length=300)]] = Field(
        default_factory=list, description="where in the document each part comes from"
    )


class Movement(ApiModel):
    code: Key = Field(description="stable code: re-importing a file with the same code updates that movement")
    title: Annotated[Label, Field(min_length=1, max_length=500)]
    issuer: UnitRef
    kind: MovementKind
    legal_basis: LegalBasis
    start_date: date
    end_date: date | None = None
    subject_types: list[SubjectType] = Field(default_factory=list)
    unit_kinds: list[UnitKind] = Field(default_factory=list, description="kinds of units it targets (empty: any)")
    description: Annotated[Label, Field(max_length=5000)] | None = None
    phases: list[PhaseIn] = Field(default_factory=list)
    milestones: list[MilestoneIn] = Field(default_factory=list)
    pilot_units: list[UnitRef] = Field(default_factory=list, description="chỉ đạo điểm: registered and marked pilot")


class Period(ApiModel):
    """An assessment period of the framework, e.g. the interim review of 2023."""

    key: Key = Field(description="how rules name it")
    title: Annotated[Label, Field(min_length=1, max_length=300)]
    kind: PeriodKind
    year: Annotated[int, Field(ge=2000, le=2100)]
    number: Annotated[int, Field(ge=1, le=4)] | None = None
    starts_on: date
    ends_on: date
    scope: UnitRef = Field(description="participants are the units under it that the framework applies to")
    registered_only: bool = False


class Rule(ApiModel):
    """Who is considered for one award form in one phase, on what conditions, with which caps and quotas."""

    phase: Key = Field(description="a phase of the movement")
    form: FormCode = Field(description="an award form of the catalogue, e.g. BK_TINH")
    catalogue: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        default=None, description="the regime the form is taken from, when not the plan's (a law changed mid-plan)"
    )
    title: Annotated[Label, Field(min_length=1, max_length=500)]
    year: int = Field(ge=2000, le=2100, description="the year history conditions count back from")
    period: Key | None = Field(default=None, description="the period whose published scores the conditions read")
    copies: int | None = Field(default=None, ge=1, le=20, description="dossier sets to file (default: the form's)")
    conditions: list[Condition] = Field(default_factory=list)
    groups: Annotated[list[Group], Field(min_length=1, max_length=50)]


class Plan(ApiModel):
    """A movement (phong trào thi đua) with its indicator framework, assessment periods and award rules."""

    source: Source
    catalogue: Annotated[str, Field(min_length=1, max_length=64, description="award regime, e.g. TDKT-2022")]
    movement: Movement
    framework: FrameworkCreate | None = Field(default=None, description="the Bộ chỉ số with its targets")
    periods: list[Period] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
