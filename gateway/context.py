"""What every resolver gets: the three typed clients carrying the caller's token, and per-request DataLoaders."""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from gateway.settings import GatewaySettings
from services.awards.client import AwardsClient
from services.awards.schemas import history
from services.registry.client import RegistryClient
from services.registry.schemas import units
from services.scoring.client import ScoringClient
from services.scoring.schemas import scores


@dataclass
class Loaders:
    """Batch one field across a whole selection: a page of 100 units costs one call per service per level."""

    registry: RegistryClient
    scoring: ScoringClient
    awards: AwardsClient
    unit: DataLoader[uuid.UUID, units.Unit | None] = field(init=False)
    score: DataLoader[tuple[uuid.UUID, uuid.UUID], scores.UnitScore | None] = field(init=False)
    awards_of: DataLoader[uuid.UUID, list[history.HistoryEntry]] = field(init=False)

    def __post_init__(self) -> None:
        self.unit = DataLoader(self._units)
        self.score = DataLoader(self._scores)
        self.awards_of = DataLoader(self._awards)

    async def _units(self, ids: Sequence[uuid.UUID]) -> list[units.Unit | None]:
        found = {u.id: u for u in await self.registry.units(list(ids))}
        return [found.get(i) for i in ids]

    async def _scores(self, keys: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> list[scores.UnitScore | None]:
        by_period: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for period_id, unit_id in keys:
            by_period[period_id].append(unit_id)
        found: dict[tuple[uuid.UUID, uuid.UUID], scores.UnitScore] = {}
        for period_id, unit_ids in by_period.items():  # one call per period asked (usually one)
            for s in await self.scoring.scores_of(period_id, unit_ids):
                found[(period_id, s.unit_id)] = s
        return [found.get(k) for k in keys]

    async def _awards(self, unit_ids: Sequence[uuid.UUID]) -> list[list[history.HistoryEntry]]:
        by_unit: dict[uuid.UUID, list[history.HistoryEntry]] = defaultdict(list)
        for entry in await self.awards.awards_of_units(list(unit_ids)):
            by_unit[entry.subject_id].append(entry)
        return [by_unit.get(u, []) for u in unit_ids]


@dataclass
class Context:
    settings: GatewaySettings
    registry: RegistryClient
    scoring: ScoringClient
    awards: AwardsClient
    loaders: Loaders
    authenticated: bool
    idempotency_key: str | None  # the request's Idempotency-Key header, for a mutation without its own key

    @classmethod
    def build(
        cls,
        settings: GatewaySettings,
        http: httpx.AsyncClient,
        token: str | None,
        idempotency_key: str | None,
    ) -> "Context":
        registry = RegistryClient(http, settings.registry_url, token=token)
        scoring = ScoringClient(http, settings.scoring_url, token=token)
        awards = AwardsClient(http, settings.awards_url, token=token)
        return cls(
            settings=settings,
            registry=registry,
            scoring=scoring,
            awards=awards,
            loaders=Loaders(registry, scoring, awards),
            authenticated=token is not None,
            idempotency_key=idempotency_key,
        )


Info = StrawberryInfo[Context, None]
