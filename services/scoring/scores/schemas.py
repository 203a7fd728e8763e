import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import Field

from kit.schemas import ApiModel, OutModel
from services.scoring.periods.schemas import MergedInto
from services.scoring.vocabulary import DerivationRule, GroupKind, Method

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


class DerivedFrom(OutModel):
    """A predecessor whose result a derived score comes from."""

    unit_id: uuid.UUID
    name: str | None
    weight: Decimal = Field(
        description="its weight in the derivation (1 under mean_index; its share under share_weighted)"
    )
    index_value: Decimal | None = Field(default=None, description="its index value in the period")
    share: Decimal | None = Field(default=None, description="the part of it that moved (null: all of it)")
    event_id: uuid.UUID | None = Field(default=None, description="the lineage event it followed")


DERIVED = "true: the score is derived from predecessors (derived_from), not computed from the unit's own values"
DERIVED_FROM = "the predecessors a derived score comes from, with their weights (empty unless derived)"
MERGED_INTO = "the units this one merged or moved into inside the period (then not ranked when it ranks on its end)"


class UnitScore(OutModel):
    unit_id: uuid.UUID
    name: str | None
    total: Decimal
    max_points: Decimal
    score100: Decimal = Field(description="score over 100, two decimals")
    index_value: Decimal = Field(description="total ÷ max, 0..1 with four decimals")
    band_vi: str | None
    band_en: str | None
    ranked: bool = Field(description="ranked in the period (the office's choice, on the tree the period ranks on)")
    ranks: list[RankOut]
    derivation: dict[str, Any] | None = Field(description="set when derived from predecessors after a merger")
    derived: bool = Field(default=False, description=DERIVED)
    derived_from: list[DerivedFrom] = Field(default=[], description=DERIVED_FROM)
    merged_into: list[MergedInto] = Field(default=[], description=MERGED_INTO)
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
    derived: bool = Field(default=False, description=DERIVED + " (then indicators and groups are empty)")
    derived_from: list[DerivedFrom] = Field(default=[], description=DERIVED_FROM)
    merged_into: list[MergedInto] = Field(default=[], description=MERGED_INTO)


class RankingRow(OutModel):
    rank: int
    unit_id: uuid.UUID
    name: str
    total: Decimal
    score100: Decimal
    index_value: Decimal
    band_vi: str | None
    derived: bool = Field(default=False, description=DERIVED)
    derived_from: list[DerivedFrom] = Field(default=[], description=DERIVED_FROM)
    merged_into: list[MergedInto] = Field(default=[], description=MERGED_INTO)
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


class DeriveRequest(ApiModel):
    unit_id: uuid.UUID = Field(description="the successor")
    rule: DerivationRule | None = Field(default=None, description="leave out: the period's derivation rule")


class RankingGroup(OutModel):
    """One ranking of a period: read it at `/periods/{id}/rankings/{group_kind}?key={group_key}`."""

    group_kind: GroupKind = Field(description="peer (same kind and level), bloc or custom")
    group_key: str = Field(description="peer: 'kind|level'; bloc: its id; custom: the group's name")
    size: int = Field(description="units ranked in it")
