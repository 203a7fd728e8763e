"""Cụm/Khối thi đua: groups of units that sign a pact, score each other and vote their leader each year."""

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from kit.schemas import ApiModel, OutModel
from kit.text import Label
from services.registry.units.schemas import Validity


class BlocKind(StrEnum):
    CLUSTER = "cluster"  # cụm: by territory
    BLOC = "bloc"  # khối: by sector


class OfficerRole(StrEnum):
    LEADER = "leader"  # trưởng cụm/khối
    DEPUTY = "deputy"  # phó


class Decision(ApiModel):
    number: Annotated[Label, Field(min_length=1, max_length=100)]
    date: date
    issuer: Annotated[Label, Field(min_length=1, max_length=300)]


class MemberCreate(Validity):
    unit_id: uuid.UUID


class BlocCreate(ApiModel):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
    name: Annotated[Label, Field(min_length=1, max_length=300)]
    kind: BlocKind
    decision: Decision | None = Field(default=None, description="the decision that formed the bloc")
    members: list[MemberCreate] = Field(default_factory=list)


class OfficersSet(ApiModel):
    leader: uuid.UUID
    deputies: list[uuid.UUID] = Field(default_factory=list)


class Member(OutModel):
    unit_id: uuid.UUID
    valid_from: date | None
    valid_to: date | None


class Officer(OutModel):
    year: int
    role: OfficerRole
    unit_id: uuid.UUID


class Bloc(OutModel):
    id: uuid.UUID
    code: str
    name: str
    kind: BlocKind
    decision: Decision | None
    members: list[Member]
    officers: list[Officer]
    version: int


class UnitBloc(OutModel):
    """A bloc a unit belongs to on a day."""

    bloc_id: uuid.UUID
    code: str
    name: str
    kind: BlocKind
