"""Units with everything the other services know about them, blocs, movements and registrations."""

import uuid
from datetime import date
from typing import Annotated

import strawberry
from strawberry.experimental.pydantic import type as model_type

from gateway.context import Info
from gateway.types.awards import AwardRecord
from gateway.types.scoring import Explanation, Score
from services.registry.schemas import blocs as bl
from services.registry.schemas import lineage as li
from services.registry.schemas import movements as mo
from services.registry.schemas import registrations as rg
from services.registry.schemas import units as un
from services.registry.vocabulary import UnitKind, UnitLevel

LazyUnit = Annotated["Unit", strawberry.lazy("gateway.types.registry")]
LazyRelative = Annotated["LineageRelative", strawberry.lazy("gateway.types.registry")]
LazyUnitBloc = Annotated["UnitBloc", strawberry.lazy("gateway.types.registry")]


@model_type(
    model=un.Unit,
    description=(
        "A participating unit as of a day (names, codes and parent are dated). Fields served by another service "
        "(score, explain, awards) are nullable: when that service is down they are null with an error whose "
        "extensions.code is SERVICE_UNAVAILABLE, and the rest of the unit is still returned."
    ),
)
class Unit:
    id: strawberry.auto
    kind: strawberry.auto
    kind_label: strawberry.auto
    level: strawberry.auto
    name: strawberry.auto
    short_name: strawberry.auto
    admin_code: strawberry.auto
    organ_code: strawberry.auto
    parent_id: strawberry.auto
    valid_from: strawberry.auto
    valid_to: strawberry.auto
    as_of: strawberry.auto
    version: strawberry.auto
    updated_at: strawberry.auto

    @strawberry.field(description="The parent on the same day")
    async def parent(self, info: Info) -> LazyUnit | None:
        if self.parent_id is None:
            return None
        found = await info.context.loaders.unit.load(self.parent_id)
        return Unit.from_pydantic(found) if found else None

    @strawberry.field(description="Direct children on the same day")
    async def children(self, info: Info) -> list[LazyUnit]:
        return [Unit.from_pydantic(u) for u in await info.context.registry.children(self.id, as_of=self.as_of)]

    @strawberry.field(description="Ancestors on the same day, root first")
    async def ancestors(self, info: Info) -> list[LazyUnit]:
        return [Unit.from_pydantic(u) for u in await info.context.registry.ancestors(self.id, as_of=self.as_of)]

    @strawberry.field(description="Units this one was formed from (mergers, splits), transitively")
    async def predecessors(self, info: Info) -> list[LazyRelative]:
        return [LineageRelative.from_pydantic(r) for r in await info.context.registry.predecessors(self.id)]

    @strawberry.field(description="Units this one went into, transitively")
    async def successors(self, info: Info) -> list[LazyRelative]:
        return [LineageRelative.from_pydantic(r) for r in await info.context.registry.successors(self.id)]

    @strawberry.field(description="Cụm/Khối thi đua the unit belongs to on the same day")
    async def blocs(self, info: Info) -> list[LazyUnitBloc]:
        return [UnitBloc.from_pydantic(b) for b in await info.context.registry.blocs_of(self.id, as_of=self.as_of)]

    @strawberry.field(description="Score, class and ranks in a period (null: none, e.g. not a participant)")
    async def score(self, info: Info, period_id: uuid.UUID) -> Score | None:
        found = await info.context.loaders.score.load((period_id, self.id))
        return Score.from_pydantic(found) if found else None

    @strawberry.field(description="Per indicator: value, method, target and points, summing to the total")
    async def explain(self, info: Info, period_id: uuid.UUID) -> Explanation | None:
        return Explanation.from_pydantic(await info.context.scoring.explain(period_id, self.id))

    @strawberry.field(description="The unit's own published awards, newest first")
    async def awards(self, info: Info) -> list[AwardRecord] | None:
        return [AwardRecord.from_pydantic(a) for a in await info.context.loaders.awards_of.load(self.id)]

    @strawberry.field(description="Its awards and those of the units it was formed from")
    async def award_history(self, info: Info) -> list[AwardRecord] | None:
        return [AwardRecord.from_pydantic(a) for a in await info.context.awards.unit_history(self.id)]


@model_type(model=li.Relative, name="LineageRelative")
class LineageRelative:
    unit: strawberry.auto
    event_id: strawberry.auto
    event_kind: strawberry.auto
    effective_date: strawberry.auto
    legal_act_number: strawberry.auto
    share: strawberry.auto
    partial: strawberry.auto
    depth: strawberry.auto


@strawberry.type(description="One page of units; pass `nextCursor` as `after` for the next")
class UnitPage:
    items: list[Unit]
    next_cursor: str | None


@strawberry.type(description="The hierarchy on a day")
class TreeNode:
    id: uuid.UUID
    kind: UnitKind
    level: UnitLevel
    name: str | None
    admin_code: str | None
    children: list["TreeNode"]

    @classmethod
    def of(cls, node: un.TreeNode) -> "TreeNode":
        return cls(
            id=node.id,
            kind=node.kind,
            level=node.level,
            name=node.name,
            admin_code=node.admin_code,
            children=[cls.of(c) for c in node.children],
        )


@model_type(model=bl.UnitBloc, all_fields=True)
class UnitBloc:
    pass


@model_type(model=bl.Decision, name="BlocDecision", all_fields=True)
class BlocDecision:
    pass


@model_type(model=bl.Member, name="BlocMember", all_fields=True)
class BlocMember:
    unit_id: strawberry.auto

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        found = await info.context.loaders.unit.load(self.unit_id)
        return Unit.from_pydantic(found) if found else None


@model_type(model=bl.Officer, name="BlocOfficer", all_fields=True)
class BlocOfficer:
    pass


@model_type(model=bl.Bloc, all_fields=True, description="A Cụm/Khối thi đua with its dated members")
class Bloc:
    pass


@model_type(model=mo.LegalBasis, all_fields=True)
class LegalBasis:
    pass


@model_type(model=mo.Phase, all_fields=True)
class Phase:
    pass


@model_type(model=mo.Milestone, all_fields=True)
class Milestone:
    pass


@model_type(model=mo.Movement, all_fields=True, description="A phong trào thi đua with its phases and milestones")
class Movement:
    issuer_unit_id: strawberry.auto

    @strawberry.field(description="The issuing unit")
    async def issuer(self, info: Info) -> Unit | None:
        found = await info.context.loaders.unit.load(self.issuer_unit_id)
        return Unit.from_pydantic(found) if found else None


@strawberry.type
class MovementPage:
    items: list[Movement]
    next_cursor: str | None


@model_type(model=rg.TransitionOut, name="RegistrationEvent", all_fields=True)
class RegistrationEvent:
    pass


@model_type(model=rg.Registration, all_fields=True, description="A unit's (or person's) đăng ký thi đua")
class Registration:
    unit_id: strawberry.auto

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        if self.unit_id is None:
            return None
        found = await info.context.loaders.unit.load(self.unit_id)
        return Unit.from_pydantic(found) if found else None


AsOf = Annotated[date | None, strawberry.argument(description="read dated facts on this day (default: today)")]
