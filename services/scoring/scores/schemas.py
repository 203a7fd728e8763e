import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import Field

from kit.schemas import ApiModel, OutModel
from services.scoring.vocabulary import GroupKind, Method

_COMPUTED_AT = "when these results were computed (from the inputs committed then)"
_STALE = (
    "true when an input changed after these results were computed: a recompute is under way and they may still move "
    "(never for a published period, whose results are fixed)"
)


class RankOut(OutModel):
    group_kind: GroupKind
    group_key: str = Field(description="peer: 'kind|level'; bloc: the bloc id; custom: the group name")
    rank: int
    group_size: int


class UnitScore(OutModel):
    unit_id: uuid.UUID
    name: str | None
    total: Decimal
    max_points: Decimal
    score100: Decimal = Field(description="score over 100, two decimals")
    index_value: Decimal = Field(description="total ÷ max, 0..1 with four decimals")
    band_vi: str | None
    band_en: str | None
    ranked: bool
    ranks: list[RankOut]
    derivation: dict[str, Any] | None = Field(description="set when derived from predecessors after a merger")
    computed_at: datetime = Field(description=_COMPUTED_AT)
    stale: bool = Field(description=_STALE)


class ExplainRow(OutModel):
    code: str
    title: str
    kind: str
    method: Method | None
    value: Decimal | None
    target: Decimal | None
    points: Decimal
    max_points: Decimal


class IndicatorScore(OutModel):
    unit_id: uuid.UUID
    value: Decimal | None = Field(description="the value scored (the appraised one where adjusted); null: missing")
    points: Decimal
    max_points: Decimal


class Explanation(OutModel):
    unit_id: uuid.UUID
    total: Decimal
    max_points: Decimal
    score100: Decimal
    band_vi: str | None
    computed_at: datetime = Field(description=_COMPUTED_AT)
    stale: bool = Field(description=_STALE)
    indicators: list[ExplainRow] = Field(
        description="one row per indicator; their points add up to the total unless a group's cap applies (see groups)"
    )
    groups: list[ExplainRow]


class RankingRow(OutModel):
    rank: int
    unit_id: uuid.UUID
    name: str
    total: Decimal
    score100: Decimal
    index_value: Decimal
    band_vi: str | None
    computed_at: datetime = Field(description=_COMPUTED_AT)
    stale: bool = Field(description=_STALE)


class TargetProgress(OutModel):
    indicator_code: str
    title: str
    level: str
    target: Decimal
    units: int = Field(description="participants of that level under the unit")
    reached: int = Field(description="of them, how many reach the target")
    own_value: Decimal | None = Field(description="the unit's own value, when it has this level")


class DerivationRule(StrEnum):
    MEAN_INDEX = "mean_index"  # mean of the predecessors' index values (national DTI 2024 practice)
    SHARE_WEIGHTED = "share_weighted"  # weighted by the share each predecessor brought


class DeriveRequest(ApiModel):
    unit_id: uuid.UUID = Field(description="the successor")
    rule: DerivationRule = DerivationRule.MEAN_INDEX
