"""Typed client of the scoring service, for the awards service and the gateway (whole lists, few calls)."""

import uuid
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from pydantic import TypeAdapter

from kit.client import ServiceClient, idempotent, if_match
from kit.pagination import Page
from services.scoring.frameworks.schemas import Framework
from services.scoring.periods.schemas import Participant, Period
from services.scoring.scores.schemas import Explanation, IndicatorScore, RankingGroup, RankingRow, UnitScore
from services.scoring.submissions.schemas import BatchReport, StoredValue
from services.scoring.vocabulary import GroupKind

BATCH = 500  # the scoring service's max_page_size

_period = TypeAdapter(Period)
_framework = TypeAdapter(Framework)
_participants = TypeAdapter(Page[Participant])
_scores = TypeAdapter(Page[UnitScore])
_score = TypeAdapter(UnitScore)
_indicator = TypeAdapter(Page[IndicatorScore])
_explain = TypeAdapter(Explanation)
_frameworks = TypeAdapter(Page[Framework])
_periods = TypeAdapter(Page[Period])
_ranking = TypeAdapter(list[RankingRow])
_groups = TypeAdapter(Page[RankingGroup])
_report = TypeAdapter(BatchReport)
_value = TypeAdapter(StoredValue)
_values = TypeAdapter(Page[StoredValue])


class ScoringClient(ServiceClient):
    async def framework(self, framework_id: uuid.UUID) -> Framework:
        """A framework version with its tree of pillars, indices and indicators."""
        return await self.get(f"/frameworks/{framework_id}", _framework)

    async def period(self, period_id: uuid.UUID) -> Period:
        return await self.get(f"/periods/{period_id}", _period)

    async def participants(self, period_id: uuid.UUID) -> list[Participant]:
        """The period's snapshot of participating units (kind, level, ancestors, blocs)."""
        return await self.all_pages(f"/periods/{period_id}/participants", _participants, limit=BATCH)

    async def scores(self, period_id: uuid.UUID) -> list[UnitScore]:
        """Every unit's score, class and ranks in the period (all pages)."""
        return await self.all_pages(f"/periods/{period_id}/scores", _scores, limit=BATCH)

    async def unit_score(self, period_id: uuid.UUID, unit_id: uuid.UUID) -> UnitScore:
        return await self.get(f"/periods/{period_id}/scores/{unit_id}", _score)

    async def explain(self, period_id: uuid.UUID, unit_id: uuid.UUID) -> Explanation:
        return await self.get(f"/periods/{period_id}/scores/{unit_id}/explain", _explain)

    async def indicator_scores(self, period_id: uuid.UUID, code: str) -> list[IndicatorScore]:
        """Every unit's value and points for one indicator (one call)."""
        return await self.all_pages(f"/periods/{period_id}/indicators/{code}/scores", _indicator, limit=BATCH)

    async def frameworks(self, *, code: str | None = None) -> list[Framework]:
        """Every framework (every version of `code`)."""
        return await self.all_pages("/frameworks", _frameworks, limit=BATCH, code=code)

    async def define(self, body: Mapping[str, Any]) -> Framework:
        """A new framework, or the next version of its code, as a draft."""
        return await self.request("POST", "/frameworks", _framework, json=body)

    async def rewrite(self, framework_id: uuid.UUID, body: Mapping[str, Any]) -> Framework:
        return await self.request("PUT", f"/frameworks/{framework_id}", _framework, json=body)

    async def publish(self, framework_id: uuid.UUID) -> Framework:
        return await self.request("POST", f"/frameworks/{framework_id}/publish", _framework)

    async def open_period(self, body: Mapping[str, Any]) -> Period:
        return await self.request("POST", "/periods", _period, json=body)

    async def transition_period(self, period_id: uuid.UUID, body: Mapping[str, Any], *, version: int) -> Period:
        path = f"/periods/{period_id}/transitions"
        return await self.request("POST", path, _period, json=body, headers=if_match(version))

    async def periods(
        self, *, framework_id: uuid.UUID | None = None, movement_id: uuid.UUID | None = None
    ) -> list[Period]:
        """Every period (all pages), newest first."""
        return await self.all_pages(
            "/periods", _periods, limit=BATCH, framework_id=framework_id, movement_id=movement_id
        )

    async def scores_of(self, period_id: uuid.UUID, unit_ids: Sequence[uuid.UUID]) -> list[UnitScore]:
        """The scores of these units (those without one are left out); one call per 500 units."""
        path = f"/periods/{period_id}/scores"
        return await self.batched(path, _scores, parameter="unit_ids", ids=unit_ids, batch=BATCH)

    async def scores_page(
        self, period_id: uuid.UUID, *, limit: int | None = None, cursor: str | None = None
    ) -> Page[UnitScore]:
        """One page of a period's scores, best first."""
        return await self.get(f"/periods/{period_id}/scores", _scores, limit=limit, cursor=cursor)

    async def ranking_groups(self, period_id: uuid.UUID) -> list[RankingGroup]:
        return await self.all_pages(f"/periods/{period_id}/rankings", _groups, limit=BATCH)

    async def ranking(self, period_id: uuid.UUID, group_kind: GroupKind, key: str) -> list[RankingRow]:
        return await self.get(f"/periods/{period_id}/rankings/{group_kind}", _ranking, key=key)

    async def submit_values(
        self,
        period_id: uuid.UUID,
        body: Mapping[str, Any],
        *,
        dry_run: bool = False,
        submit: bool = False,
        idempotency_key: str | None = None,
    ) -> BatchReport:
        path = f"/periods/{period_id}/values"
        params = {"dry_run": str(dry_run).lower(), "submit": str(submit).lower()}
        headers = idempotent(idempotency_key)
        return await self.request("POST", path, _report, json=body, params=params, headers=headers)

    async def values(
        self, period_id: uuid.UUID, *, unit_id: uuid.UUID | None = None, indicator_code: str | None = None
    ) -> list[StoredValue]:
        """Every value in the caller's scope (all pages)."""
        path = f"/periods/{period_id}/values"
        return await self.all_pages(path, _values, limit=BATCH, unit_id=unit_id, indicator_code=indicator_code)

    async def review(
        self, period_id: uuid.UUID, unit_id: uuid.UUID, code: str, body: Mapping[str, Any], *, version: int
    ) -> StoredValue:
        path = f"/periods/{period_id}/values/{unit_id}/{quote(code, safe='')}/review"  # a code is the caller's text
        return await self.request("POST", path, _value, json=body, headers=if_match(version))
