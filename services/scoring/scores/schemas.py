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
    group_kind: GroupKind = Field(description="peer (same kind and level), bloc or custom")
    group_key: str = Field(description="peer: 'kind|level'; bloc: the bloc id; custom: the group name")
    rank: int = Field(description="rank in the group, 1 first; equal scores share a rank")
    group_size: int = Field(description="units ranked in the group")


class DerivedFrom(OutModel):
    """A predecessor whose result a derived score comes from."""

    unit_id: uuid.UUID = Field(description="the predecessor")
    name: str | None = Field(description="its name in the period")
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
    unit_id: uuid.UUID = Field(description="the unit")
    name: str | None = Field(description="its name in the period")
    total: Decimal = Field(description="points (decimal string, four places)")
    max_points: Decimal = Field(description="the framework's maximum points (decimal string)")
    score100: Decimal = Field(description="score over 100, two decimals")
    index_value: Decimal = Field(description="total ÷ max, 0..1 with four decimals")
    band_vi: str | None = Field(description="the class in Vietnamese, e.g. Tốt (null: no band reached)")
    band_en: str | None = Field(description="the class in English")
    ranked: bool = Field(description="ranked in the period (the office's choice, on the tree the period ranks on)")
    ranks: list[RankOut] = Field(description="its rank in each group it is ranked in")
    derivation: dict[str, Any] | None = Field(description="set when derived from predecessors after a merger")
    derived: bool = Field(default=False, description=DERIVED)
    derived_from: list[DerivedFrom] = Field(default=[], description=DERIVED_FROM)
    merged_into: list[MergedInto] = Field(default=[], description=MERGED_INTO)
    computed_at: datetime = Field(description=_COMPUTED_AT)
    stale: bool = Field(description=_STALE)


class ExplainRow(OutModel):
    code: str = Field(description="node code")
    title: str = Field(description="node title")
    kind: str = Field(description="pillar, index or indicator")
    method: Method | None = Field(description="scoring method (indicators only)")
    value: Decimal | None = Field(
        description="the value scored (the appraised one where adjusted); null: missing or a group"
    )
    target: Decimal | None = Field(description="the target of the year and level (method `target`)")
    points: Decimal = Field(description="points earned (decimal string)")
    max_points: Decimal = Field(description="maximum points (decimal string)")


class IndicatorScore(OutModel):
    unit_id: uuid.UUID = Field(description="the unit")
    value: Decimal | None = Field(description="the value scored (the appraised one where adjusted); null: missing")
    points: Decimal = Field(description="points earned (decimal string)")
    max_points: Decimal = Field(description="maximum points (decimal string)")


class Explanation(OutModel):
    unit_id: uuid.UUID = Field(description="the unit")
    total: Decimal = Field(description="points (decimal string)")
    max_points: Decimal = Field(description="the framework's maximum points")
    score100: Decimal = Field(description="score over 100, two decimals")
    band_vi: str | None = Field(description="the class in Vietnamese (null: no band reached)")
    computed_at: datetime = Field(description=_COMPUTED_AT)
    stale: bool = Field(description=_STALE)
    indicators: list[ExplainRow] = Field(
        description="one row per indicator; their points add up to the total unless a group's cap applies (see groups)"
    )
    groups: list[ExplainRow] = Field(description="one row per pillar and index, with its points after its cap")
    derived: bool = Field(default=False, description=DERIVED + " (then indicators and groups are empty)")
    derived_from: list[DerivedFrom] = Field(default=[], description=DERIVED_FROM)
    merged_into: list[MergedInto] = Field(default=[], description=MERGED_INTO)


class RankingRow(OutModel):
    rank: int = Field(description="rank in the group, 1 first; equal scores share a rank")
    unit_id: uuid.UUID = Field(description="the unit")
    name: str = Field(description="its name in the period")
    total: Decimal = Field(description="points (decimal string)")
    score100: Decimal = Field(description="score over 100, two decimals")
    index_value: Decimal = Field(description="total ÷ max, 0..1 with four decimals")
    band_vi: str | None = Field(description="the class in Vietnamese (null: no band reached)")
    derived: bool = Field(default=False, description=DERIVED)
    derived_from: list[DerivedFrom] = Field(default=[], description=DERIVED_FROM)
    merged_into: list[MergedInto] = Field(default=[], description=MERGED_INTO)
    computed_at: datetime = Field(description=_COMPUTED_AT)
    stale: bool = Field(description=_STALE)


class TargetProgress(OutModel):
    indicator_code: str = Field(description="the indicator")
    title: str = Field(description="its title")
    level: str = Field(description="the administrative level of the target")
    target: Decimal = Field(description="the value to reach (decimal string)")
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
