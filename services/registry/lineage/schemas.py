"""Lineage events: how units merge, split, hand over part of their area, change name, kind or parent, or end."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from kit.schemas import ApiModel, OutModel, fixed_point, invalid
from kit.text import Label
from services.registry.units.schemas import Unit, UnitFields, UnitName
from services.registry.vocabulary import UnitKind, UnitLevel

Share = Annotated[
    Decimal,
    Field(gt=0, le=1, description="part of the area/population that moves (0 < share ≤ 1)"),
    fixed_point(5, 4),
]


class LineageKind(StrEnum):
    MERGE = "merge"  # n → 1
    SPLIT = "split"  # 1 → n
    PARTIAL_TRANSFER = "partial_transfer"  # part of one unit goes to another; the first continues
    RENAME = "rename"
    RECLASSIFY = "reclassify"
    DISSOLVE = "dissolve"
    PARENT_CHANGE = "parent_change"


class LegalAct(ApiModel):
    """The act that decided the change (e.g. Nghị quyết 1679/NQ-UBTVQH15)."""

    number: Annotated[Label, Field(min_length=1, max_length=100, description="number/notation, e.g. 1679/NQ-UBTVQH15")]
    date: date
    issuer: Annotated[Label, Field(min_length=1, max_length=300)]


class Predecessor(ApiModel):
    unit_id: uuid.UUID
    share: Share | None = Field(default=None, description="set when only part of the unit moves: it continues")


class NewUnit(UnitFields):
    """A successor created by the event; it exists from the effective date."""


class Successor(ApiModel):
    unit_id: uuid.UUID | None = Field(default=None, description="an existing unit (exists on the effective date)")
    new: NewUnit | None = Field(default=None, description="or a unit the event creates")
    share: Share | None = Field(default=None, description="for a split: the part of the predecessor it receives")

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.unit_id is None) == (self.new is None):
            raise invalid("Give either unit_id or new", "Cần đúng một trong hai: unit_id hoặc new")
        return self


class LineageEventCreate(ApiModel):
    kind: LineageKind
    effective_date: date = Field(description="first day of the new situation")
    legal_act: LegalAct
    note: Annotated[Label, Field(max_length=2000)] | None = None
    predecessors: list[Predecessor] = Field(default=[], description="merge, split, partial_transfer")
    successors: list[Successor] = Field(default=[], description="merge, split, partial_transfer")
    unit_id: uuid.UUID | None = Field(default=None, description="rename, reclassify, dissolve, parent_change")
    new_name: UnitName | None = Field(default=None, description="rename (and optionally reclassify)")
    new_short_name: UnitName | None = None
    new_kind: UnitKind | None = Field(default=None, description="reclassify")
    new_level: UnitLevel | None = Field(default=None, description="reclassify")
    new_parent_id: uuid.UUID | None = Field(default=None, description="parent_change")


class LinkOut(OutModel):
    predecessor_id: uuid.UUID
    successor_id: uuid.UUID
    share: Decimal | None


class LineageEvent(OutModel):
    id: uuid.UUID
    kind: LineageKind
    effective_date: date
    legal_act: LegalAct
    note: str | None
    links: list[LinkOut]
    details: dict[str, str | None]
    created_by: str | None = Field(description="the official who recorded it (signed-in callers only)")
    created_at: datetime


class Relative(OutModel):
    """A predecessor or successor, reached through `depth` events."""

    unit: Unit
    event_id: uuid.UUID
    event_kind: LineageKind
    effective_date: date
    legal_act_number: str
    share: Decimal | None = Field(description="null: the whole unit; else the part that moved")
    partial: bool
    depth: int
