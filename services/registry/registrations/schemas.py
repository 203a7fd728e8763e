"""Registrations (đăng ký thi đua): a unit or a person joins a movement with commitments."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from kit.schemas import ApiModel, OutModel, invalid, refuse_nulls
from kit.text import Label

Commitment = Annotated[Label, Field(min_length=1, max_length=2000)]


class RegistrationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class RegistrationCreate(ApiModel):
    unit_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    commitments: list[Commitment] = Field(default=[], max_length=100, description="giao ước thi đua")

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        if (self.unit_id is None) == (self.person_id is None):
            raise invalid("Give either unit_id or person_id", "Cần đúng một trong hai: unit_id hoặc person_id")
        return self


class RegistrationUpdate(ApiModel):
    commitments: list[Commitment] | None = Field(default=None, max_length=100)
    is_pilot: bool | None = Field(default=None, description="chỉ đạo điểm: set by the movement's office")

    @model_validator(mode="after")
    def _no_nulls(self) -> Self:
        refuse_nulls(self, "commitments", "is_pilot")
        return self


class Transition(ApiModel):
    to: RegistrationStatus
    reason: Annotated[Label, Field(max_length=2000)] | None = Field(default=None, description="required to reject")


class TransitionOut(OutModel):
    actor: str | None = Field(description="the official who made the move (signed-in callers only)")
    from_status: RegistrationStatus | None
    to_status: RegistrationStatus
    reason: str | None
    at: datetime


class Registration(OutModel):
    id: uuid.UUID
    movement_id: uuid.UUID
    unit_id: uuid.UUID | None
    person_id: uuid.UUID | None
    commitments: list[str]
    status: RegistrationStatus
    is_pilot: bool
    reason: str | None
    version: int
    created_at: datetime
    history: list[TransitionOut]
