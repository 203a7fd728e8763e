"""History: a unit's awards include those of the units it came from (registry lineage, one call)."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from services.awards.decisions.service import reference
from services.awards.history import repository as repo
from services.awards.history.schemas import HistoryEntry, RecordOut, RecordsIn
from services.awards.vocabulary import OFFICE
from services.registry.client import RegistryClient


async def add_records(session: AsyncSession, caller: Caller, body: RecordsIn) -> list[RecordOut]:
    caller.require_any(OFFICE)
    rows = [{"id": uuid.uuid4(), "recorded_by": caller.subject, **r.model_dump()} for r in body.items]
    return [RecordOut.model_validate(r) for r in await repo.add_records(session, rows)]


async def records(session: AsyncSession, caller: Caller, subject_id: uuid.UUID) -> list[RecordOut]:
    caller.require_any(OFFICE)
    return [RecordOut.model_validate(r) for r in await repo.records(session, subject_id)]


def _entries(rows: Sequence[Any], asked: uuid.UUID | None) -> list[HistoryEntry]:
    """`asked`: the unit whose history this is (others are its predecessors); None for a batch of own awards."""
    return [
        HistoryEntry.model_validate(
            dict(r)
            | {
                "decision_reference": reference(r["number"], r["notation"]),
                "via_predecessor": asked is not None and r["subject_id"] != asked,
            }
        )
        for r in rows
    ]


async def unit_awards(
    session: AsyncSession, registry: RegistryClient, unit_id: uuid.UUID, include_predecessors: bool
) -> list[HistoryEntry]:
    """Published awards of the unit, and of every unit it came from through mergers and splits."""
    units = [unit_id]
    if include_predecessors:
        units += [p.unit.id for p in await registry.predecessors(unit_id)]
    return _entries(await repo.awards_of(session, "unit_id", units), unit_id)


async def units_awards(session: AsyncSession, unit_ids: list[uuid.UUID]) -> list[HistoryEntry]:
    return _entries(await repo.awards_of(session, "unit_id", unit_ids), None) if unit_ids else []


async def person_awards(session: AsyncSession, caller: Caller, person_id: uuid.UUID) -> list[HistoryEntry]:
    caller.require_any(OFFICE)
    return _entries(await repo.awards_of(session, "person_id", [person_id]), person_id)
