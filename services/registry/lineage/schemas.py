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
    date: Annotated[date, Field(description="date of the act (ISO 8601)")]
    issuer: Annotated[Label, Field(min_length=1, max_length=300)] = Field(
        description="the body that issued it, e.g. Ủy ban Thường vụ Quốc hội"
    )


class Predecessor(ApiModel):
    unit_id: uuid.UUID = Field(description="a unit that exists on the day before the effective date")
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
    kind: LineageKind = Field(
        description="merge, split, partial_transfer, rename, reclassify, dissolve or parent_change"
    )
    effective_date: date = Field(description="first day of the new situation")
    legal_act: LegalAct = Field(description="the act that decided the change")
    note: Annotated[Label, Field(max_length=2000)] | None = Field(
        default=None, description="free text kept with the event"
    )
    predecessors: list[Predecessor] = Field(default=[], description="merge, split, partial_transfer")
    successors: list[Successor] = Field(default=[], description="merge, split, partial_transfer")
    unit_id: uuid.UUID | None = Field(default=None, description="rename, reclassify, dissolve, parent_change")
    new_name: UnitName | None = Field(default=None, description="rename (and optionally reclassify)")
    new_short_name: UnitName | None = Field(default=None, description="rename: the new short name")
    new_kind: UnitKind | None = Field(default=None, description="reclassify")
    new_level: UnitLevel | None = Field(default=None, description="reclassify")
    new_parent_id: uuid.UUID | None = Field(default=None, description="parent_change")


class LinkOut(OutModel):
    predecessor_id: uuid.UUID = Field(description="the unit before the event")
    successor_id: uuid.UUID = Field(description="the unit after the event")
    share: Decimal | None = Field(description="part that moved, a decimal string 0 < share ≤ 1 (null: the whole unit)")


class LineageEvent(OutModel):
    id: uuid.UUID = Field(description="event id")
    kind: LineageKind = Field(
        description="merge, split, partial_transfer, rename, reclassify, dissolve or parent_change"
    )
    effective_date: date = Field(description="first day of the new situation (ISO 8601)")
    legal_act: LegalAct = Field(description="the act that decided the change")
    note: str | None = Field(description="free text kept with the event")
    links: list[LinkOut] = Field(description="predecessor → successor pairs (merge, split, partial_transfer)")
    details: dict[str, str | None] = Field(
        description="what changed on the unit: unit_id, old_name/new_name, from_kind/to_kind, old/new_parent_id"
    )
    created_by: str | None = Field(description="the official who recorded it (signed-in callers only)")
    created_at: datetime = Field(description="when it was recorded (ISO 8601 with offset)")


class Relative(OutModel):
    """A predecessor or successor, reached through `depth` events."""

    unit: Unit = Field(description="the related unit, as of the requested day")
    event_id: uuid.UUID = Field(description="the event that links it")
    event_kind: LineageKind = Field(description="kind of that event")
    effective_date: date = Field(description="effective date of that event (ISO 8601)")
    legal_act_number: str = Field(description="number of the act that decided that event")
    share: Decimal | None = Field(description="null: the whole unit; else the part that moved")
    partial: bool = Field(description="only part of the unit moved (it continues)")
    depth: int = Field(description="events between the two units: 1 for a direct predecessor or successor")
