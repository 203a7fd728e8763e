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
    unit_id: uuid.UUID | None = Field(default=None, description="the registering unit (give this or person_id)")
    person_id: uuid.UUID | None = Field(default=None, description="the registering person (give this or unit_id)")
    commitments: list[Commitment] = Field(default=[], max_length=100, description="giao ước thi đua")

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        if (self.unit_id is None) == (self.person_id is None):
            raise invalid("Give either unit_id or person_id", "Cần đúng một trong hai: unit_id hoặc person_id")
        return self


class RegistrationUpdate(ApiModel):
    commitments: list[Commitment] | None = Field(
        default=None,
        max_length=100,
        description="new commitments (giao ước), replacing the old; by the unit, while draft or rejected",
    )
    is_pilot: bool | None = Field(default=None, description="chỉ đạo điểm: set by the movement's office")

    @model_validator(mode="after")
    def _no_nulls(self) -> Self:
        refuse_nulls(self, "commitments", "is_pilot")
        return self


class Transition(ApiModel):
    to: RegistrationStatus = Field(
        description="the status to move to: submitted, approved, rejected, or draft to withdraw or correct"
    )
    reason: Annotated[Label, Field(max_length=2000)] | None = Field(default=None, description="required to reject")


class TransitionOut(OutModel):
    actor: str | None = Field(description="the official who made the move (signed-in callers only)")
    from_status: RegistrationStatus | None = Field(description="status before (null: the registration was created)")
    to_status: RegistrationStatus = Field(description="status after")
    reason: str | None = Field(description="reason given, if any")
    at: datetime = Field(description="when (ISO 8601 with offset)")


class Registration(OutModel):
    id: uuid.UUID = Field(description="registration id")
    movement_id: uuid.UUID = Field(description="the movement registered for")
    unit_id: uuid.UUID | None = Field(description="the registering unit (null for a person)")
    person_id: uuid.UUID | None = Field(description="the registering person (null for a unit)")
    commitments: list[str] = Field(description="commitments (giao ước thi đua)")
    status: RegistrationStatus = Field(description="draft, submitted, approved or rejected")
    is_pilot: bool = Field(description="a pilot unit (chỉ đạo điểm), set by the movement's office")
    reason: str | None = Field(description="reason of the last transition (e.g. why it was rejected)")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
    created_at: datetime = Field(description="when it was created (ISO 8601 with offset)")
    history: list[TransitionOut] = Field(description="its transitions, oldest first (đăng ký → duyệt)")
