import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import table_of
from services.registry.models import Milestone, Movement, Phase

mv = table_of(Movement)
ph = table_of(Phase)
ms = table_of(Milestone)


async def insert(
    session: AsyncSession,
    movement: dict[str, Any],
    phases: Sequence[dict[str, Any]],
    milestones: Sequence[dict[str, Any]],
) -> None:
    await session.execute(sa.insert(mv).values(**movement))
    await replace_schedule(session, movement["id"], phases, milestones)


async def replace_schedule(
    session: AsyncSession,
    movement_id: uuid.UUID,
    phases: Sequence[dict[str, Any]],
    milestones: Sequence[dict[str, Any]],
) -> None:
    await session.execute(sa.delete(ms).where(ms.c.movement_id == movement_id))
    await session.execute(sa.delete(ph).where(ph.c.movement_id == movement_id))
    if phases:
        await session.execute(sa.insert(ph), [dict(p, id=uuid.uuid4(), movement_id=movement_id) for p in phases])
    if milestones:
        await session.execute(sa.insert(ms), [dict(m, id=uuid.uuid4(), movement_id=movement_id) for m in milestones])


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    rows = (await session.execute(sa.select(mv).where(mv.c.id.in_(ids)))).mappings().all()
    phases = (
        (await session.execute(sa.select(ph).where(ph.c.movement_id.in_(ids)).order_by(ph.c.start_date, ph.c.code)))
        .mappings()
        .all()
    )
    stones = (
        (await session.execute(sa.select(ms).where(ms.c.movement_id.in_(ids)).order_by(ms.c.due_date, ms.c.kind)))
        .mappings()
        .all()
    )
    out = {r["id"]: dict(r) | {"phases": [], "milestones": []} for r in rows}
    for p in phases:
        out[p["movement_id"]]["phases"].append(dict(p))
    for m in stones:
        out[m["movement_id"]]["milestones"].append(dict(m))
    return [out[i] for i in ids if i in out]


async def search(
    session: AsyncSession,
    *,
    text: str | None,
    issuer_ids: Sequence[uuid.UUID] | None,
    after: Sequence[Any] | None,
    limit: int,
    code: str | None = None,
) -> list[uuid.UUID]:
    """Newest first (start date, then id)."""
    query = sa.select(mv.c.id)
    if code is not None:
        query = query.where(mv.c.code == code)
    if text:
        query = query.where(mv.c.search_key.contains(text, autoescape=True))
    if issuer_ids is not None:
        query = query.where(mv.c.issuer_unit_id.in_(issuer_ids))
    if after:
        query = query.where(
            sa.tuple_(mv.c.start_date, mv.c.id) < sa.tuple_(sa.literal(after[0], sa.Date), sa.literal(after[1]))
        )
    rows = await session.execute(query.order_by(mv.c.start_date.desc(), mv.c.id.desc()).limit(limit + 1))
    return list(rows.scalars())


async def lock(session: AsyncSession, movement_id: uuid.UUID) -> sa.RowMapping | None:
    row: sa.RowMapping | None = (
        (await session.execute(sa.select(mv).where(mv.c.id == movement_id).with_for_update())).mappings().first()
    )
    return row


async def update(session: AsyncSession, movement_id: uuid.UUID, **values: Any) -> None:
    await session.execute(
        sa.update(mv).where(mv.c.id == movement_id).values(version=mv.c.version + 1, updated_at=sa.func.now(), **values)
    )
