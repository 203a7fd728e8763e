"""Typed client of the scoring service, for the awards service and the gateway (whole lists, few calls)."""

import uuid

from pydantic import TypeAdapter

from kit.client import ServiceClient
from kit.pagination import Page
from services.scoring.frameworks.schemas import Framework
from services.scoring.periods.schemas import Participant, Period
from services.scoring.scores.schemas import Explanation, IndicatorScore, UnitScore

BATCH = 500  # the scoring service's max_page_size

_period = TypeAdapter(Period)
_framework = TypeAdapter(Framework)
_participants = TypeAdapter(list[Participant])
_scores = TypeAdapter(Page[UnitScore])
_score = TypeAdapter(UnitScore)
_indicator = TypeAdapter(list[IndicatorScore])
_explain = TypeAdapter(Explanation)


class ScoringClient(ServiceClient):
    async def framework(self, framework_id: uuid.UUID) -> Framework:
        """A framework version with its tree of pillars, indices and indicators."""
        return await self.get(f"/frameworks/{framework_id}", _framework)

    async def period(self, period_id: uuid.UUID) -> Period:
        return await self.get(f"/periods/{period_id}", _period)

    async def participants(self, period_id: uuid.UUID) -> list[Participant]:
        """The period's snapshot of participating units (kind, level, ancestors, blocs)."""
        return await self.get(f"/periods/{period_id}/participants", _participants)

    async def scores(self, period_id: uuid.UUID) -> list[UnitScore]:
        """Every unit's score, class and ranks in the period (all pages)."""
        return await self.all_pages(f"/periods/{period_id}/scores", _scores, limit=BATCH)

    async def unit_score(self, period_id: uuid.UUID, unit_id: uuid.UUID) -> UnitScore:
        return await self.get(f"/periods/{period_id}/scores/{unit_id}", _score)

    async def explain(self, period_id: uuid.UUID, unit_id: uuid.UUID) -> Explanation:
        return await self.get(f"/periods/{period_id}/scores/{unit_id}/explain", _explain)

    async def indicator_scores(self, period_id: uuid.UUID, code: str) -> list[IndicatorScore]:
        """Every unit's value and points for one indicator (one call)."""
        return await self.get(f"/periods/{period_id}/indicators/{code}/scores", _indicator)
