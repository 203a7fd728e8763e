"""Periods: open (with a participant snapshot) → locked (snapshot again) → published; reopening needs a reason."""

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.problems import InvalidInput, Text, pointer
from kit.versioning import require_version
from kit.workflow import require_transition
from services.registry.client import RegistryClient
from services.scoring import access, privacy
from services.scoring.frameworks import service as frameworks
from services.scoring.periods import repository as repo
from services.scoring.periods import snapshot
from services.scoring.periods.errors import FrameworkNotPublished, ParticipantNotFound, PeriodLocked, PeriodNotFound
from services.scoring.periods.schemas import (
    Participant,
    ParticipantUpdate,
    Period,
    PeriodCreate,
    PeriodTransition,
    TransitionOut,
)
from services.scoring.vocabulary import PeriodStatus

if TYPE_CHECKING:  # scores depend on periods, not the reverse: the refresher is handed in by the endpoint
    from services.scoring.scores.refresh import ScoreRefresher

S = PeriodStatus
ALLOWED = {(S.OPEN, S.LOCKED), (S.LOCKED, S.PUBLISHED), (S.LOCKED, S.OPEN), (S.PUBLISHED, S.OPEN)}


async def create(
    session: AsyncSession, caller: Caller, registry: RegistryClient, refresher: "ScoreRefresher", body: PeriodCreate
) -> Period:
    path = await snapshot.scope_path(registry, body.scope_unit_id, body.ends_on)
    access.require_manager(caller, {"scope_path": path})  # scope first, then the state of what it uses
    framework = await frameworks.read(session, body.framework_id)
    if framework.status != "published":
        raise FrameworkNotPublished(
            Text("Chỉ mở kỳ đánh giá với bộ chỉ số đã ban hành", "Periods use published frameworks only")
        )
    if body.registered_only and body.movement_id is None:
        raise InvalidInput.at(
            pointer("movement_id"), Text("Cần phong trào để lọc theo đăng ký", "registered_only needs the movement")
        )
    rows = await snapshot.take(
        registry,
        framework,
        scope_unit_id=body.scope_unit_id,
        day=body.ends_on,
        movement_id=body.movement_id,
        registered_only=body.registered_only,
    )
    period_id = uuid.uuid4()
    await repo.insert_period(session, body.model_dump() | {"id": period_id, "scope_path": path})
    await repo.replace_participants(session, period_id, rows)
    await refresher.mark_stale(session, period_id)  # every participant's zero, from the start
    await repo.log(session, period_id, caller.subject, None, S.OPEN, None)
    return await read(session, caller, period_id)


async def get_row(session: AsyncSession, period_id: uuid.UUID, *, lock: repo.Lock = None) -> sa.RowMapping:
    row = await repo.get(session, period_id, lock=lock)
    if row is None:
        raise PeriodNotFound(period_id=str(period_id))
    return row


async def read(session: AsyncSession, caller: Caller | None, period_id: uuid.UUID) -> Period:
    await get_row(session, period_id)
    return (await _read_many(session, caller, [period_id]))[0]


async def _read_many(session: AsyncSession, caller: Caller | None, ids: Sequence[uuid.UUID]) -> list[Period]:
    rows, histories, counts = await repo.get_many(session, ids)
    facts = privacy.signed_in(caller)
    return [
        Period.model_validate(
            dict(row)
            | {
                "participants": counts.get(row["id"], 0),
                "history": [
                    privacy.POLICY.shape(TransitionOut.model_validate(h), facts) for h in histories.get(row["id"], [])
                ],
            }
        )
        for row in rows
    ]


async def list_all(
    session: AsyncSession, caller: Caller | None, framework_id: uuid.UUID | None, movement_id: uuid.UUID | None
) -> list[Period]:
    return await _read_many(session, caller, await repo.list_ids(session, framework_id, movement_id))


async def transition(
    session: AsyncSession,
    caller: Caller,
    registry: RegistryClient,
    refresher: "ScoreRefresher",
    period_id: uuid.UUID,
    body: PeriodTransition,
    expected: int,
) -> Period:
    from services.scoring.scores import service as scores  # scores depend on periods, not the reverse

    row = await get_row(session, period_id, lock="update")
    access.require_manager(caller, row)
    require_version(row["version"], expected)
    current = S(row["status"])
    require_transition(ALLOWED, current, body.to)
    if body.to == S.OPEN and not body.reason:
        raise InvalidInput.at(pointer("reason"), Text("Mở lại kỳ đánh giá cần lý do", "Reopening needs a reason"))
    if body.to == S.LOCKED:
        framework = await frameworks.read(session, row["framework_id"])
        rows = await snapshot.take(
            registry,
            framework,
            scope_unit_id=row["scope_unit_id"],
            day=row["ends_on"],
            movement_id=row["movement_id"],
            registered_only=row["registered_only"],
        )
        await repo.replace_participants(session, period_id, rows)
        await repo.mark_stale(session, period_id)
    if body.to in (S.LOCKED, S.PUBLISHED):  # computed in this transaction: the results leave it fixed
        await scores.ensure_fresh(session, period_id)
    else:  # reopened: recomputed from the inputs as they are, and again after each write
        await refresher.mark_stale(session, period_id)
    await repo.update(session, period_id, status=body.to)
    await repo.log(session, period_id, caller.subject, current, body.to, body.reason)
    return await read(session, caller, period_id)


async def participants(session: AsyncSession, caller: Caller | None, period_id: uuid.UUID) -> list[Participant]:
    row = await get_row(session, period_id)
    found = await repo.participants(session, period_id)
    return [Participant.model_validate(p) for p in found if privacy.shows(caller, row, p)]


async def update_participant(
    session: AsyncSession,
    caller: Caller,
    refresher: "ScoreRefresher",
    period_id: uuid.UUID,
    unit_id: uuid.UUID,
    body: ParticipantUpdate,
) -> Participant:
    row = await get_row(session, period_id, lock="update")
    access.require_manager(caller, row)
    if row["status"] == S.PUBLISHED:
        raise PeriodLocked(
            Text(
                "Kỳ đánh giá đã công bố: kết quả không đổi; mở lại kỳ (nêu lý do) để sửa",
                "The period is published: its results are fixed; reopen it (with a reason) to change them",
            ),
            status_now=row["status"],
        )
    changes = body.model_dump(exclude_unset=True)
    if changes and await repo.update_participant(session, period_id, unit_id, **changes):
        await refresher.mark_stale(session, period_id)
    found = await repo.participants(session, period_id, [unit_id])
    if not found:  # also with no changes at all (`{}`)
        raise ParticipantNotFound(period_id=str(period_id), unit_id=str(unit_id))
    return Participant.model_validate(found[0])


async def participant_rows(
    session: AsyncSession, period_id: uuid.UUID, unit_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, sa.RowMapping]:
    return {p["unit_id"]: p for p in await repo.participants(session, period_id, unit_ids)}
