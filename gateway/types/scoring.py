"""Frameworks, periods, scores and rankings (the scoring service)."""

import uuid
from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.experimental.pydantic import type as model_type
from strawberry.scalars import JSON

from services.registry.vocabulary import UnitKind, UnitLevel
from services.scoring.schemas import frameworks as fw
from services.scoring.schemas import periods as pe
from services.scoring.schemas import scores as sc
from services.scoring.schemas import submissions as su
from services.scoring.vocabulary import Method, NodeKind, ValueType


@model_type(model=fw.Decision, name="FrameworkDecision", all_fields=True)
class FrameworkDecision:
    pass


@model_type(model=fw.Band, all_fields=True, description="A classification band, e.g. ≥ 85 → Tốt")
class Band:
    pass


@strawberry.type(description="Pillar, main index or indicator, with its scoring method")
class Node:
    code: str
    kind: NodeKind
    title: str
    max_points: Decimal
    value_type: ValueType | None
    method: Method | None
    params: JSON
    evidence_required: bool
    evidence_note: str | None
    data_source: str | None
    verifying_unit: str | None
    children: list["Node"]

    @classmethod
    def of(cls, node: fw.Node) -> "Node":
        fields = node.model_dump(exclude={"children"})
        return cls(**fields, children=[cls.of(c) for c in node.children])


@model_type(model=fw.Target, all_fields=True)
class Target:
    pass


@strawberry.type(description="A Bộ chỉ số version: tree, bands and targets")
class Framework:
    id: uuid.UUID
    code: str
    version: int
    title: str
    decision: FrameworkDecision | None
    unit_kinds: list[UnitKind]
    unit_levels: list[UnitLevel]
    max_points: Decimal
    status: str
    published_at: datetime | None
    bands: list[Band]
    nodes: list[Node]
    targets: list[Target]

    @classmethod
    def of(cls, f: fw.Framework) -> "Framework":
        return cls(
            id=f.id,
            code=f.code,
            version=f.version,
            title=f.title,
            decision=FrameworkDecision.from_pydantic(f.decision) if f.decision else None,
            unit_kinds=f.unit_kinds,
            unit_levels=f.unit_levels,
            max_points=f.max_points,
            status=f.status,
            published_at=f.published_at,
            bands=[Band.from_pydantic(b) for b in f.bands],
            nodes=[Node.of(n) for n in f.nodes],
            targets=[Target.from_pydantic(t) for t in f.targets],
        )


@model_type(model=pe.LegalActOut, name="LegalAct", all_fields=True)
class LegalAct:
    pass


@model_type(model=pe.LineageLinkOut, name="PeriodLineageLink", all_fields=True)
class PeriodLineageLink:
    pass


@model_type(
    model=pe.PeriodLineageEvent, all_fields=True, description="A lineage event inside a period that its choice follows"
)
class PeriodLineageEvent:
    pass


@model_type(model=pe.TransitionOut, name="PeriodEvent", all_fields=True)
class PeriodEvent:
    pass


@model_type(model=pe.MergedInto, all_fields=True, description="A unit this one merged or moved into inside a period")
class MergedInto:
    pass


@model_type(model=sc.DerivedFrom, all_fields=True, description="A predecessor a derived score comes from")
class DerivedFrom:
    pass


@model_type(model=pe.Period, description="A scoring period: open → locked → published")
class Period:
    id: strawberry.auto
    framework_id: strawberry.auto
    movement_id: strawberry.auto
    title: strawberry.auto
    kind: strawberry.auto
    year: strawberry.auto
    number: strawberry.auto
    starts_on: strawberry.auto
    ends_on: strawberry.auto
    scope_unit_id: strawberry.auto
    reorganisation: strawberry.auto
    derivation_rule: strawberry.auto
    status: strawberry.auto
    participants: strawberry.auto
    version: strawberry.auto
    history: strawberry.auto


@model_type(model=sc.RankOut, name="Rank", all_fields=True)
class Rank:
    pass


@model_type(model=sc.UnitScore, name="Score", description="A unit's total, score over 100, class and ranks")
class Score:
    unit_id: strawberry.auto
    name: strawberry.auto
    total: strawberry.auto
    max_points: strawberry.auto
    score100: strawberry.auto
    index_value: strawberry.auto
    band_vi: strawberry.auto
    band_en: strawberry.auto
    ranked: strawberry.auto
    ranks: strawberry.auto
    derivation: JSON | None
    derived: strawberry.auto
    derived_from: strawberry.auto
    merged_into: strawberry.auto
    computed_at: strawberry.auto
    stale: strawberry.auto


@model_type(model=sc.ExplainRow, all_fields=True)
class ExplainRow:
    pass


@model_type(model=sc.Explanation, all_fields=True, description="Per indicator: value, method, target and points")
class Explanation:
    pass


@model_type(model=sc.RankingRow, all_fields=True)
class RankingRow:
    pass


@model_type(model=su.RowFault, name="RowFault")
class RowFault:
    pointer: strawberry.auto
    detail: strawberry.auto


@model_type(model=su.BatchReport, all_fields=True, description="What a batch of values did (or would do)")
class BatchReport:
    pass


@model_type(model=su.StoredValue, description="A submitted value with its review state")
class StoredValue:
    unit_id: strawberry.auto
    indicator_code: strawberry.auto
    value: strawberry.auto
    numerator: strawberry.auto
    denominator: strawberry.auto
    flag: strawberry.auto
    category: strawberry.auto
    evidence: JSON
    status: strawberry.auto
    appraised_value: strawberry.auto
    review_reason: strawberry.auto
    version: strawberry.auto
    updated_by: strawberry.auto
    updated_at: strawberry.auto
