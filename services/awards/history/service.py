"""History: a unit's awards include those of the units it came from (registry lineage, one call)."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.problems import FieldError, pointer
from services.awards import access
from services.awards.decisions.service import reference
from services.awards.history import repository as repo
from services.awards.history.errors import SubjectNotFound
from services.awards.history.schemas import HistoryEntry, RecordOut, RecordsIn
from services.registry.client import RegistryClient


async def _require_subjects(
    caller: Caller, registry: RegistryClient, subject_ids: list[uuid.UUID], *, in_body: bool = False
) -> None:
    """Records and award histories are about units and people in the caller's scope (an emulation office sees its
    unit's subtree). Unknown ids and ids outside the scope get the same 404 (pointing at the items of a body)."""
    outside = set(subject_ids) - await access.scoped_subjects(caller, registry, subject_ids)
    if not outside:
        return
    faults = [pointer("items", i, "subject_id") for i, s in enumerate(subject_ids) if s in outside] if in_body else []
    raise SubjectNotFound(errors=[FieldError(SubjectNotFound.title, pointer=p) for p in faults[:20]])


async def add_records(
    session: AsyncSession, caller: Caller, registry: RegistryClient, body: RecordsIn
) -> list[RecordOut]:
    await _require_subjects(caller, registry, [r.subject_id for r in body.items], in_body=True)
    rows = [{"id": uuid.uuid4(), "recorded_by": caller.subject, **r.model_dump()} for r in body.items]
    return [RecordOut.model_validate(r) for r in await repo.add_records(session, rows)]


async def records(
    session: AsyncSession, caller: Caller, registry: RegistryClient, subject_id: uuid.UUID
) -> list[RecordOut]:
    await _require_subjects(caller, registry, [subject_id])
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


async def person_awards(
    session: AsyncSession, caller: Caller, registry: RegistryClient, person_id: uuid.UUID
) -> list[HistoryEntry]:
    await _require_subjects(caller, registry, [person_id])
    return _entries(await repo.awards_of(session, "person_id", [person_id]), person_id)
