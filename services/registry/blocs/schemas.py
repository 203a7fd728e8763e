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
    number: Annotated[Label, Field(min_length=1, max_length=100)] = Field(
        description="number/notation of the decision, e.g. 125/QĐ-UBND"
    )
    date: Annotated[date, Field(description="date it was signed (ISO 8601)")]
    issuer: Annotated[Label, Field(min_length=1, max_length=300)] = Field(
        description="the body that issued it, e.g. UBND tỉnh Quảng Ninh"
    )


class MemberCreate(Validity):
    unit_id: uuid.UUID = Field(description="the member unit")


class BlocCreate(ApiModel):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")] = Field(
        description="stable code, unique among blocs (letters, digits, . _ -)"
    )
    name: Annotated[Label, Field(min_length=1, max_length=300)] = Field(
        description="name with its diacritics, e.g. Cụm thi đua các huyện miền núi"
    )
    kind: BlocKind = Field(description="cluster (cụm: by territory) or bloc (khối: by sector)")
    decision: Decision | None = Field(default=None, description="the decision that formed the bloc")
    members: list[MemberCreate] = Field(
        default_factory=list, description="the member units with their dates (may be added later)"
    )


class OfficersSet(ApiModel):
    leader: uuid.UUID = Field(description="the leading unit of the year (trưởng cụm/khối); must be a member")
    deputies: list[uuid.UUID] = Field(
        default_factory=list, description="deputy units of the year (phó cụm/khối); members, not the leader"
    )


class Member(OutModel):
    unit_id: uuid.UUID = Field(description="the member unit")
    valid_from: date | None = Field(
        description="first day of membership (inclusive, ISO 8601); null: since the bloc began"
    )
    valid_to: date | None = Field(description="last day of membership (inclusive); null: still a member")


class Officer(OutModel):
    year: int = Field(description="the year of the office (the bloc votes its leader each year)")
    role: OfficerRole = Field(description="leader (trưởng) or deputy (phó)")
    unit_id: uuid.UUID = Field(description="the unit holding the office")


class Bloc(OutModel):
    id: uuid.UUID = Field(description="bloc id")
    code: str = Field(description="stable code, unique among blocs")
    name: str = Field(description="name with its diacritics")
    kind: BlocKind = Field(description="cluster (cụm: by territory) or bloc (khối: by sector)")
    decision: Decision | None = Field(description="the decision that formed the bloc, if recorded")
    members: list[Member] = Field(description="member units, past and present, with their dates")
    officers: list[Officer] = Field(description="leaders and deputies, by year")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")


class UnitBloc(OutModel):
    """A bloc a unit belongs to on a day."""

    bloc_id: uuid.UUID = Field(description="bloc id")
    code: str = Field(description="the bloc's code")
    name: str = Field(description="the bloc's name")
    kind: BlocKind = Field(description="cluster (cụm) or bloc (khối)")
