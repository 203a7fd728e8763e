import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from kit.schemas import ApiModel, OutModel, invalid, refuse_nulls
from kit.text import Label
from services.scoring.vocabulary import PeriodKind, PeriodStatus


class PeriodCreate(ApiModel):
    framework_id: uuid.UUID = Field(description="a published framework")
    movement_id: uuid.UUID | None = Field(default=None, description="the movement it scores, if any")
    title: Annotated[Label, Field(min_length=1, max_length=300)]
    kind: PeriodKind
    year: Annotated[int, Field(ge=2000, le=2100)]
    number: Annotated[int, Field(ge=1, le=4)] | None = Field(default=None, description="half (1-2) or quarter (1-4)")
    starts_on: date
    ends_on: date
    scope_unit_id: uuid.UUID = Field(description="participants are the units under it the framework applies to")
    registered_only: bool = Field(default=False, description="only units with an approved registration")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.ends_on < self.starts_on:
            raise invalid("ends_on is before starts_on", "ends_on đứng trước starts_on")
        limit = {PeriodKind.YEAR: None, PeriodKind.HALF: 2, PeriodKind.QUARTER: 4}[self.kind]
        if (limit is None) != (self.number is None) or (limit and self.number and self.number > limit):
            raise invalid(
                "number: none for a year, 1-2 for a half, 1-4 for a quarter",
                "number: bỏ trống với năm, 1-2 với nửa năm, 1-4 với quý",
            )
        return self


class PeriodTransition(ApiModel):
    to: PeriodStatus
    reason: Annotated[Label, Field(max_length=2000)] | None = Field(default=None, description="required to reopen")


class TransitionOut(OutModel):
    actor: str | None = Field(description="the official who made the move (signed-in callers only)")
    from_status: PeriodStatus | None
    to_status: PeriodStatus
    reason: str | None
    at: datetime


class Period(OutModel):
    id: uuid.UUID
    framework_id: uuid.UUID
    movement_id: uuid.UUID | None
    title: str
    kind: PeriodKind
    year: int
    number: int | None
    starts_on: date
    ends_on: date
    scope_unit_id: uuid.UUID
    registered_only: bool
    status: PeriodStatus
    participants: int
    version: int
    history: list[TransitionOut]


class Participant(OutModel):
    unit_id: uuid.UUID
    name: str
    kind: str
    level: str
    path: list[uuid.UUID] = Field(description="ancestors, root first")
    bloc_ids: list[uuid.UUID]
    peer_group: str | None
    ranked: bool


class ParticipantUpdate(ApiModel):
    ranked: bool | None = Field(default=None, description="false: assessed, not ranked (leave out: unchanged)")
    peer_group: Annotated[str, Field(max_length=100)] | None = Field(
        default=None, description="a custom ranking group (null: none)"
    )

    @model_validator(mode="after")
    def _ranked_is_a_choice(self) -> Self:
        refuse_nulls(self, "ranked")
        return self
