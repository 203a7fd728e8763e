import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, model_validator

from kit.schemas import ApiModel, OutModel, invalid, refuse_nulls
from kit.text import Label
from services.scoring.vocabulary import DerivationRule, PeriodKind, PeriodStatus, Reorganisation

REORGANISATION = (
    "how units that merge, split or hand over part of their area inside the period are ranked: `end` (default) on "
    "the tree of the period's last day, successors with a score derived from their predecessors' and the "
    "predecessors shown as merged into them, not ranked; `start` on the tree of its first day, predecessors ranked "
    "and units created inside the period not ranked"
)
DERIVATION_RULE = (
    "how a successor's score is derived: `mean_index` (mean of the predecessors' index values, as DTI 2024 ranked "
    "merged provinces) or `share_weighted` (each predecessor weighted by the share of it that moved)"
)


class PeriodCreate(ApiModel):
    framework_id: uuid.UUID = Field(description="a published framework")
    movement_id: uuid.UUID | None = Field(default=None, description="the movement it scores, if any")
    title: Annotated[Label, Field(min_length=1, max_length=300)] = Field(
        description="title, e.g. Đánh giá chuyển đổi số năm 2024"
    )
    kind: PeriodKind = Field(description="year, half or quarter")
    year: Annotated[int, Field(ge=2000, le=2100)] = Field(description="the year assessed")
    number: Annotated[int, Field(ge=1, le=4)] | None = Field(default=None, description="half (1-2) or quarter (1-4)")
    starts_on: date = Field(description="first day (ISO 8601)")
    ends_on: date = Field(description="last day (inclusive); not before starts_on")
    scope_unit_id: uuid.UUID = Field(description="participants are the units under it the framework applies to")
    registered_only: bool = Field(default=False, description="only units with an approved registration")
    reorganisation: Reorganisation = Field(default=Reorganisation.END, description=REORGANISATION)
    derivation_rule: DerivationRule = Field(default=DerivationRule.MEAN_INDEX, description=DERIVATION_RULE)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.ends_on < self.starts_on:
            raise invalid("ends_on is before starts_on", "ends_on đứng trước starts_on")
        limit = {PeriodKind.YEAR: None, PeriodKind.HALF: 2, PeriodKind.QUARTER: 4}[self.kind]
        if (limit is None) != (self.number is None) or (limit and self.number and self.number > limit):
            raise invalid(
                "number: none for a year, 1-2 for a half, 1-4 for a quarter",
                "number: bỏ trống với năm, 1-2 với nửa năm, 1-4 với quý",
            )
        return self


class PeriodTransition(ApiModel):
    to: PeriodStatus = Field(description="open, locked or published (published results are fixed)")
    reason: Annotated[Label, Field(max_length=2000)] | None = Field(default=None, description="required to reopen")


class PeriodUpdate(ApiModel):
    """The reorganisation choice of an open period (If-Match); recorded in its history with the events it follows."""

    reorganisation: Reorganisation | None = Field(default=None, description=REORGANISATION)
    derivation_rule: DerivationRule | None = Field(default=None, description=DERIVATION_RULE)
    reason: Annotated[Label, Field(max_length=2000)] | None = Field(default=None, description="why, for the history")

    @model_validator(mode="after")
    def _no_nulls(self) -> Self:
        refuse_nulls(self, "reorganisation", "derivation_rule")
        return self


class LineageLinkOut(OutModel):
    predecessor_id: uuid.UUID = Field(description="the unit before the event")
    predecessor_name: str | None = Field(description="its name in the period (null: not a participant)")
    successor_id: uuid.UUID = Field(description="the unit after the event")
    successor_name: str | None = Field(description="its name in the period (null: not a participant)")
    share: Decimal | None = Field(description="the part of the predecessor that moved (null: all of it)")


class LegalActOut(OutModel):
    number: str = Field(description="number/notation of the act")
    date: Annotated[date, Field(description="date of the act (ISO 8601)")]
    issuer: str = Field(description="the body that issued it")


class PeriodLineageEvent(OutModel):
    """A registry lineage event effective inside the period, which its reorganisation choice applies to."""

    event_id: uuid.UUID = Field(description="the registry's lineage event id")
    kind: str = Field(description="merge, split or partial_transfer")
    effective_date: date = Field(description="first day of the new situation (ISO 8601)")
    legal_act: LegalActOut = Field(description="the act that decided it")
    links: list[LineageLinkOut] = Field(description="predecessor → successor pairs")


class TransitionOut(OutModel):
    actor: str | None = Field(description="the official who made the move (signed-in callers only)")
    from_status: PeriodStatus | None = Field(description="status before (null: the period was created)")
    to_status: PeriodStatus = Field(description="status after")
    reason: str | None = Field(description="reason given, if any")
    reorganisation: Reorganisation | None = Field(
        default=None,
        description="the choice in force from this entry (set when the period opens, its choice changes or it locks)",
    )
    derivation_rule: DerivationRule | None = Field(
        default=None, description="the derivation rule in force from this entry"
    )
    lineage_events: list[PeriodLineageEvent] = Field(
        default=[], description="the lineage events inside the period that the choice followed at this entry"
    )
    at: datetime = Field(description="when (ISO 8601 with offset)")


class Period(OutModel):
    id: uuid.UUID = Field(description="period id")
    framework_id: uuid.UUID = Field(description="the framework it scores with")
    movement_id: uuid.UUID | None = Field(description="the movement it scores, if any")
    title: str = Field(description="title")
    kind: PeriodKind = Field(description="year, half or quarter")
    year: int = Field(description="the year assessed")
    number: int | None = Field(description="half (1–2) or quarter (1–4); null for a year")
    starts_on: date = Field(description="first day (ISO 8601)")
    ends_on: date = Field(description="last day (inclusive)")
    scope_unit_id: uuid.UUID = Field(description="participants are the units under it the framework applies to")
    registered_only: bool = Field(description="only units with an approved registration take part")
    reorganisation: Reorganisation = Field(description=REORGANISATION)
    derivation_rule: DerivationRule = Field(description=DERIVATION_RULE)
    status: PeriodStatus = Field(
        description="open (values accepted), locked (results computed, values closed) or published (public)"
    )
    participants: int = Field(description="number of participating units")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
    history: list[TransitionOut] = Field(description="its transitions, oldest first")


class MergedInto(OutModel):
    unit_id: uuid.UUID = Field(description="the unit it merged or moved into")
    name: str | None = Field(description="its name in the period (null: not a participant)")
    share: Decimal | None = Field(description="the part that moved (null: all of it)")
    event_id: uuid.UUID = Field(description="the lineage event")
    effective_date: date = Field(description="effective date of the event (ISO 8601)")


class Participant(OutModel):
    unit_id: uuid.UUID = Field(description="the unit")
    name: str = Field(description="its name in the period (the registry snapshot)")
    kind: str = Field(description="its kind of unit in the snapshot")
    level: str = Field(description="its administrative level in the snapshot")
    path: list[uuid.UUID] = Field(description="ancestors, root first")
    bloc_ids: list[uuid.UUID] = Field(description="blocs (Cụm/Khối thi đua) it belongs to in the snapshot")
    peer_group: str | None = Field(description="a custom ranking group set by the office (null: none)")
    ranked: bool = Field(description="the office's choice (false: assessed, not ranked)")
    on_start: bool = Field(description="on the tree of the period's first day")
    on_end: bool = Field(description="on the tree of its last day")
    in_ranking: bool = Field(
        description="ranked in this period: the office's choice and on the tree the period ranks on (reorganisation)"
    )
    merged_into: list[MergedInto] = Field(
        description="units it merged or moved into inside the period (lineage events effective inside it)"
    )


class ParticipantUpdate(ApiModel):
    ranked: bool | None = Field(default=None, description="false: assessed, not ranked (leave out: unchanged)")
    peer_group: Annotated[str, Field(max_length=100)] | None = Field(
        default=None, description="a custom ranking group (null: none)"
    )

    @model_validator(mode="after")
    def _ranked_is_a_choice(self) -> Self:
        refuse_nulls(self, "ranked")
        return self
