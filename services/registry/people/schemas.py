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
    unit_id: uuid.UUID
    title: Annotated[Label, Field(max_length=200, description="chức vụ, e.g. Chuyên viên, Trưởng phòng")] | None = None


class PersonCreate(ApiModel):
    full_name: FullName
    birth_date: date | None = None
    gender: Gender | None = None
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)] | None = None
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 .-]{6,20}$")] | None = None
    membership: MembershipCreate = Field(description="the unit the person works in (their first membership)")


class Membership(OutModel):
    unit_id: uuid.UUID
    title: str | None
    valid_from: date | None
    valid_to: date | None


class Person(OutModel):
    id: uuid.UUID
    full_name: str
    birth_date: date | None
    gender: Gender | None
    email: str | None
    phone: str | None
    memberships: list[Membership]
    version: int
