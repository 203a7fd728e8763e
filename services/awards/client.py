"""Typed client of the awards service, for the gateway and integrators (batch reads first)."""

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from kit.client import ServiceClient, idempotent, if_match
from kit.pagination import Page
from services.awards.catalogue.schemas import Regime
from services.awards.councils.schemas import Council, VoteReceipt
from services.awards.decisions.schemas import Decision
from services.awards.history.schemas import HistoryEntry
from services.awards.nominations.schemas import Nomination, NominationSummary
from services.awards.rules.schemas import Evaluation, Rule
from services.awards.vocabulary import Status

BATCH = 500  # the awards service's max_page_size

_history = TypeAdapter(Page[HistoryEntry])
_rules = TypeAdapter(Page[Rule])
_rule = TypeAdapter(Rule)
_regime = TypeAdapter(Regime)
_evaluation = TypeAdapter(Evaluation)
_nominations = TypeAdapter(Page[NominationSummary])
_nomination = TypeAdapter(Nomination)
_council = TypeAdapter(Council)
_receipt = TypeAdapter(VoteReceipt)
_decisions = TypeAdapter(Page[Decision])
_decision = TypeAdapter(Decision)


class AwardsClient(ServiceClient):
    async def awards_of_units(self, unit_ids: Sequence[uuid.UUID]) -> list[HistoryEntry]:
        """Each unit's own published awards, newest first; one call per 500 units."""
        return await self.batched("/awards", _history, parameter="unit_ids", ids=unit_ids, batch=BATCH)

    async def unit_history(self, unit_id: uuid.UUID) -> list[HistoryEntry]:
        """The unit's awards and those of the units it was formed from."""
        return await self.all_pages(f"/units/{unit_id}/awards", _history, limit=BATCH)

    async def rules(self, *, movement_id: uuid.UUID | None = None, phase_code: str | None = None) -> list[Rule]:
        return await self.all_pages("/rules", _rules, limit=BATCH, movement_id=movement_id, phase_code=phase_code)

    async def rule(self, rule_id: uuid.UUID) -> Rule:
        return await self.get(f"/rules/{rule_id}", _rule)

    async def define_rule(self, body: Mapping[str, Any]) -> Rule:
        return await self.request("POST", "/rules", _rule, json=body)

    async def replace_rule(self, rule_id: uuid.UUID, body: Mapping[str, Any], *, version: int) -> Rule:
        return await self.request("PUT", f"/rules/{rule_id}", _rule, json=body, headers=if_match(version))

    async def regime(self, code: str) -> Regime:
        return await self.get(f"/regimes/{code}", _regime)

    async def candidates(self, rule_id: uuid.UUID) -> Evaluation:
        return await self.get(f"/rules/{rule_id}/candidates", _evaluation)

    async def nominations(
        self,
        *,
        status: Status | None = None,
        movement_id: uuid.UUID | None = None,
        overdue: bool = False,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page[NominationSummary]:
        return await self.get(
            "/nominations",
            _nominations,
            status=status,
            movement_id=movement_id,
            overdue=str(overdue).lower(),
            limit=limit,
            cursor=cursor,
        )

    async def nomination(self, nomination_id: uuid.UUID) -> Nomination:
        return await self.get(f"/nominations/{nomination_id}", _nomination)

    async def nominate(self, body: Mapping[str, Any], *, idempotency_key: str | None = None) -> Nomination:
        return await self.request("POST", "/nominations", _nomination, json=body, headers=idempotent(idempotency_key))

    async def transition_nomination(
        self, nomination_id: uuid.UUID, body: Mapping[str, Any], *, version: int
    ) -> Nomination:
        path = f"/nominations/{nomination_id}/transitions"
        return await self.request("POST", path, _nomination, json=body, headers=if_match(version))

    async def council(self, council_id: uuid.UUID) -> Council:
        return await self.get(f"/councils/{council_id}", _council)

    async def vote(
        self, council_id: uuid.UUID, body: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> VoteReceipt:
        path = f"/councils/{council_id}/votes"
        return await self.request("POST", path, _receipt, json=body, headers=idempotent(idempotency_key))

    async def decisions(
        self,
        *,
        issuer_unit_id: uuid.UUID | None = None,
        year: int | None = None,
        published_since: datetime | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page[Decision]:
        return await self.get(
            "/decisions",
            _decisions,
            issuer_unit_id=issuer_unit_id,
            year=year,
            published_since=published_since.isoformat() if published_since else None,
            limit=limit,
            cursor=cursor,
        )

    async def decision(self, decision_id: uuid.UUID) -> Decision:
        return await self.get(f"/decisions/{decision_id}", _decision)

    async def open_council(self, body: Mapping[str, Any], *, idempotency_key: str | None = None) -> Council:
        return await self.request("POST", "/councils", _council, json=body, headers=idempotent(idempotency_key))

    async def close_council(self, council_id: uuid.UUID, *, version: int) -> Council:
        return await self.request("POST", f"/councils/{council_id}/close", _council, headers=if_match(version))

    async def publish(self, decision_id: uuid.UUID, *, version: int) -> Decision:
        return await self.request("POST", f"/decisions/{decision_id}/publish", _decision, headers=if_match(version))

    async def decide(self, body: Mapping[str, Any], *, idempotency_key: str | None = None) -> Decision:
        return await self.request("POST", "/decisions", _decision, json=body, headers=idempotent(idempotency_key))
