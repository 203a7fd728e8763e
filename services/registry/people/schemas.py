"""Individuals (officials, workers, entrepreneurs …). Personal data: never readable anonymously."""

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from kit.schemas import ApiModel, OutModel
from kit.text import Label
from services.registry.units.schemas import Validity

FullName = Annotated[Label, Field(min_length=1, max_length=200)]


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"


class MembershipCreate(Validity):
    unit_id: uuid.UUID = Field(description="the unit the person works in")
    title: Annotated[Label, Field(max_length=200)] | None = Field(
        default=None, description="position (chức vụ), e.g. Chuyên viên, Trưởng phòng"
    )


class PersonCreate(ApiModel):
    full_name: FullName = Field(description="full name with its diacritics")
    birth_date: date | None = Field(default=None, description="date of birth (ISO 8601)")
    gender: Gender | None = Field(default=None, description="female or male")
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)] | None = Field(
        default=None, description="e-mail address"
    )
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 .-]{6,20}$")] | None = Field(
        default=None, description="phone number, digits with an optional leading +"
    )
    membership: MembershipCreate = Field(description="the unit the person works in (their first membership)")


class Membership(OutModel):
    unit_id: uuid.UUID = Field(description="the unit the person works in")
    title: str | None = Field(description="position (chức vụ), e.g. Trưởng phòng")
    valid_from: date | None = Field(description="first day (inclusive, ISO 8601); null: since always")
    valid_to: date | None = Field(description="last day (inclusive); null: still there")


class Person(OutModel):
    id: uuid.UUID = Field(description="person id")
    full_name: str = Field(description="full name with its diacritics")
    birth_date: date | None = Field(description="date of birth (ISO 8601)")
    gender: Gender | None = Field(description="female or male")
    email: str | None = Field(description="e-mail address")
    phone: str | None = Field(description="phone number")
    memberships: list[Membership] = Field(description="the units the person works or worked in, with dates")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
