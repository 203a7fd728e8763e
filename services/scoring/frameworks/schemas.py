"""Indicator frameworks (Bộ chỉ số) as data: a tree of pillars, indices and indicators with points and methods."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import Field, model_validator

from kit.schemas import ApiModel, OutModel, fixed_point, invalid
from kit.text import Label
from services.registry.vocabulary import UnitKind, UnitLevel
from services.scoring.vocabulary import Method, NodeKind, ValueType

Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="stable code, e.g. CQS.1.2")]
Points = Annotated[Decimal, Field(gt=0), fixed_point(12, 4)]


class Decision(ApiModel):
    number: Annotated[Label, Field(min_length=1, max_length=100, description="e.g. 311/QĐ-UBND")]
    date: date
    issuer: Annotated[Label, Field(min_length=1, max_length=300)]


class BandIn(ApiModel):
    lower_bound: Annotated[Decimal, Field(ge=0, le=100), fixed_point(5, 2)]
    label_vi: Annotated[Label, Field(min_length=1, max_length=100)]
    label_en: Annotated[Label, Field(min_length=1, max_length=100)]


class NodeIn(ApiModel):
    code: Code
    kind: NodeKind
    title: Annotated[Label, Field(min_length=1, max_length=1000)]
    max_points: Points
    value_type: ValueType | None = Field(default=None, description="indicators only")
    method: Method | None = Field(default=None, description="indicators only")
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="step: {steps: [{min, points}]}; category: {map: {label: share 0..1}}; "
        "formula: {expr: 'min([a] + [b], 10)'}; others: {}",
    )
    evidence_required: bool = False
    evidence_note: Annotated[Label, Field(max_length=2000)] | None = None
    data_source: Annotated[Label, Field(max_length=500)] | None = None
    verifying_unit: Annotated[Label, Field(max_length=500)] | None = None
    children: list["NodeIn"] = Field(default_factory=list)


class TargetIn(ApiModel):
    indicator_code: Code
    year: Annotated[int, Field(ge=2000, le=2100)]
    level: UnitLevel
    target: Annotated[Decimal, Field(gt=0), fixed_point(14, 4)]


class FrameworkCreate(ApiModel):
    code: Code
    title: Annotated[Label, Field(min_length=1, max_length=500)]
    decision: Decision | None = None
    unit_kinds: list[UnitKind] = Field(default_factory=list, description="kinds of units it applies to (empty: any)")
    unit_levels: list[UnitLevel] = Field(default_factory=list, description="levels it applies to (empty: any)")
    max_points: Points
    bands: list[BandIn] = Field(default_factory=list, description="classification, e.g. ≥ 85 → Tốt")
    nodes: Annotated[list[NodeIn], Field(min_length=1)]
    targets: list[TargetIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _distinct_bands(self) -> Self:
        bounds = [b.lower_bound for b in self.bands]
        if len(bounds) != len(set(bounds)):
            raise invalid("Two bands share a lower bound", "Hai mức xếp loại trùng ngưỡng dưới")
        return self


class Band(OutModel):
    lower_bound: Decimal
    label_vi: str
    label_en: str


class Node(OutModel):
    code: str
    kind: NodeKind
    title: str
    max_points: Decimal
    value_type: ValueType | None
    method: Method | None
    params: dict[str, Any]
    evidence_required: bool
    evidence_note: str | None
    data_source: str | None
    verifying_unit: str | None
    children: list["Node"]


class Target(OutModel):
    indicator_code: str
    year: int
    level: UnitLevel
    target: Decimal


class Framework(OutModel):
    id: uuid.UUID
    code: str
    version: int
    title: str
    decision: Decision | None
    unit_kinds: list[UnitKind]
    unit_levels: list[UnitLevel]
    max_points: Decimal
    status: str = Field(description="draft (editable) or published (immutable)")
    published_at: datetime | None
    bands: list[Band]
    nodes: list[Node]
    targets: list[Target]
