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
    date: Annotated[date, Field(description="date it was signed (ISO 8601)")]
    issuer: Annotated[Label, Field(min_length=1, max_length=300)] = Field(
        description="the body that issued it, e.g. UBND tỉnh Quảng Ninh"
    )


class BandIn(ApiModel):
    lower_bound: Annotated[Decimal, Field(ge=0, le=100), fixed_point(5, 2)] = Field(
        description="lowest score over 100 in this band (0–100, two decimals)"
    )
    label_vi: Annotated[Label, Field(min_length=1, max_length=100)] = Field(
        description="the class in Vietnamese, e.g. Tốt"
    )
    label_en: Annotated[Label, Field(min_length=1, max_length=100)] = Field(
        description="the class in English, e.g. Good"
    )


class NodeIn(ApiModel):
    code: Code
    kind: NodeKind = Field(description="pillar (trụ cột), index (chỉ số chính) or indicator (chỉ số thành phần)")
    title: Annotated[Label, Field(min_length=1, max_length=1000)] = Field(description="title with its diacritics")
    max_points: Points = Field(
        description="maximum points (decimal > 0, four places); a group's children's sum is capped at it"
    )
    value_type: ValueType | None = Field(default=None, description="indicators only")
    method: Method | None = Field(default=None, description="indicators only")
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="step: {steps: [{min, points}]}; category: {map: {label: share 0..1}}; "
        "formula: {expr: 'min([a] + [b], 10)'}; others: {}",
    )
    evidence_required: bool = Field(default=False, description="a submitted value needs evidence (minh chứng)")
    evidence_note: Annotated[Label, Field(max_length=2000)] | None = Field(
        default=None, description="what evidence is expected"
    )
    data_source: Annotated[Label, Field(max_length=500)] | None = Field(
        default=None, description="where the value comes from"
    )
    verifying_unit: Annotated[Label, Field(max_length=500)] | None = Field(
        default=None, description="the office that verifies the value"
    )
    children: list["NodeIn"] = Field(default_factory=list, description="nodes under it (an indicator has none)")


class TargetIn(ApiModel):
    indicator_code: Code
    year: Annotated[int, Field(ge=2000, le=2100)] = Field(description="the year of the target")
    level: UnitLevel = Field(description="administrative level the target applies to")
    target: Annotated[Decimal, Field(gt=0), fixed_point(14, 4)] = Field(
        description="the value to reach, in the indicator's unit (e.g. 80 for 80 %)"
    )


class FrameworkCreate(ApiModel):
    code: Code
    title: Annotated[Label, Field(min_length=1, max_length=500)] = Field(
        description="title, e.g. Bộ chỉ số đánh giá chuyển đổi số cấp huyện"
    )
    decision: Decision | None = Field(default=None, description="the decision that issued it, if any")
    unit_kinds: list[UnitKind] = Field(default_factory=list, description="kinds of units it applies to (empty: any)")
    unit_levels: list[UnitLevel] = Field(default_factory=list, description="levels it applies to (empty: any)")
    max_points: Points = Field(description="maximum total points (decimal > 0), e.g. 1000; the top nodes add up to it")
    bands: list[BandIn] = Field(default_factory=list, description="classification, e.g. ≥ 85 → Tốt")
    nodes: Annotated[list[NodeIn], Field(min_length=1)] = Field(
        description="the top nodes (usually pillars), each with its children"
    )
    targets: list[TargetIn] = Field(
        default_factory=list, description="targets per indicator, year and level (method `target`)"
    )

    @model_validator(mode="after")
    def _distinct_bands(self) -> Self:
        bounds = [b.lower_bound for b in self.bands]
        if len(bounds) != len(set(bounds)):
            raise invalid("Two bands share a lower bound", "Hai mức xếp loại trùng ngưỡng dưới")
        return self


class Band(OutModel):
    lower_bound: Decimal = Field(description="lowest score over 100 in this band (decimal string)")
    label_vi: str = Field(description="the class in Vietnamese")
    label_en: str = Field(description="the class in English")


class Node(OutModel):
    code: str = Field(description="stable code, e.g. CQS.1.2")
    kind: NodeKind = Field(description="pillar (trụ cột), index (chỉ số chính) or indicator (chỉ số thành phần)")
    title: str = Field(description="title")
    max_points: Decimal = Field(description="maximum points (decimal string)")
    value_type: ValueType | None = Field(
        description="what a unit submits: percent, ratio, count, boolean or category (indicators only)"
    )
    method: Method | None = Field(description="how the value becomes points (indicators only)")
    params: dict[str, Any] = Field(description="parameters of the method (see NodeIn.params)")
    evidence_required: bool = Field(description="a submitted value needs evidence (minh chứng)")
    evidence_note: str | None = Field(description="what evidence is expected")
    data_source: str | None = Field(description="where the value comes from")
    verifying_unit: str | None = Field(description="the office that verifies the value")
    children: list["Node"] = Field(description="nodes under it")


class Target(OutModel):
    indicator_code: str = Field(description="the indicator")
    year: int = Field(description="the year of the target")
    level: UnitLevel = Field(description="administrative level the target applies to")
    target: Decimal = Field(description="the value to reach (decimal string)")


class Framework(OutModel):
    id: uuid.UUID = Field(description="framework version id")
    code: str = Field(description="stable code shared by all versions")
    version: int = Field(description="version number of this code (1, 2, …)")
    title: str = Field(description="title")
    decision: Decision | None = Field(description="the decision that issued it, if any")
    unit_kinds: list[UnitKind] = Field(description="kinds of units it applies to (empty: any)")
    unit_levels: list[UnitLevel] = Field(description="levels it applies to (empty: any)")
    max_points: Decimal = Field(description="maximum total points (decimal string)")
    status: str = Field(description="draft (editable) or published (immutable)")
    published_at: datetime | None = Field(description="when it was published (null: draft)")
    bands: list[Band] = Field(description="classification bands, by lower bound")
    nodes: list[Node] = Field(description="the tree of pillars, indices and indicators")
    targets: list[Target] = Field(description="targets per indicator, year and level")
