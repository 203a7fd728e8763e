import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import table_of
from services.scoring.models import Participant, Period, PeriodTransition

pd = table_of(Period)
pt = table_of(PeriodTransition)
pa = table_of(Participant)


async def insert_period(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(sa.insert(pd).values(**values))


async def log(
    session: AsyncSession, period_id: uuid.UUID, actor: str, before: str | None, after: str, reason: str | None
) -> None:
    await session.execute(
        sa.insert(pt).values(period_id=period_id, actor=actor, from_status=before, to_status=after, reason=reason)
    )


async def get(session: AsyncSession, period_id: uuid.UUID, *, for_update: bool = False) -> sa.RowMapping | None:
    query = sa.select(pd).where(pd.c.id == period_id)
    if for_update:
        query = query.with_for_update()
    row: sa.RowMapping | None = (await session.execute(query)).mappings().first()
    return row


async def history(session: AsyncSession, period_id: uuid.UUID) -> Sequence[sa.RowMapping]:
    rows: Sequence[sa.RowMapping] = (
        (await session.execute(sa.select(pt).where(pt.c.period_id == period_id).order_by(pt.c.id))).mappings().all()
    )
    return rows


async def count_participants(session: AsyncSession, period_id: uuid.UUID) -> int:
    return int(
        (await session.execute(sa.select(sa.func.count()).select_from(pa).where(pa.c.period_id == period_id))).scalar()
        or 0
    )


async def list_ids(
    session: AsyncSession, framework_id: uuid.UUID | None, movement_id: uuid.UUID | None
) -> list[uuid.UUID]:
    query = sa.select(pd.c.id).order_by(pd.c.year.desc(), pd.c.starts_on.desc())
    if framework_id:
        query = query.where(pd.c.framework_id == framework_id)
    if movement_id:
        query = query.where(pd.c.movement_id == movement_id)
    return list((await session.execute(query)).scalars())


async def update(session: AsyncSession, period_id: uuid.UUID, **values: Any) -> None:
    await session.execute(sa.update(pd).where(pd.c.id == period_id).values(version=pd.c.version + 1, **values))


async def mark_stale(session: AsyncSession, period_id: uuid.UUID) -> None:
    await session.execute(sa.update(pd).where(pd.c.id == period_id).values(scores_stale=True))


async def replace_participants(session: AsyncSession, period_id: uuid.UUID, rows: Sequence[dict[str, Any]]) -> None:
    """New snapshot; the office's choices (ranked, peer group) stay with the units still present."""
    ids = [r["unit_id"] for r in rows]
    await session.execute(sa.delete(pa).where(pa.c.period_id == period_id, pa.c.unit_id.not_in(ids)))
    if rows:
        stmt = insert(pa).values([dict(r, period_id=period_id) for r in rows])
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=[pa.c.period_id, pa.c.unit_id],
                set_={c: stmt.excluded[c] for c in ("name", "kind", "level", "path", "bloc_ids")},
            )
        )


async def participants(
    session: AsyncSession, period_id: uuid.UUID, unit_ids: Sequence[uuid.UUID] | None = None
) -> Sequence[sa.RowMapping]:
    query = sa.select(pa).where(pa.c.period_id == period_id)
    if unit_ids is not None:
        query = query.where(pa.c.unit_id.in_(unit_ids))
    rows: Sequence[sa.RowMapping] = (await session.execute(query.order_by(pa.c.level, pa.c.name))).mappings().all()
    return rows


async def update_participant(session: AsyncSession, period_id: uuid.UUID, unit_id: uuid.UUID, **values: Any) -> bool:
    result = await session.execute(
        sa.update(pa)
        .where(pa.c.period_id == period_id, pa.c.unit_id == unit_id)
        .values(**values)
        .returning(pa.c.unit_id)
    )
    return result.first() is not None


async def mark_fresh(session: AsyncSession, period_id: uuid.UUID) -> None:
    await session.execute(sa.update(pd).where(pd.c.id == period_id).values(scores_stale=False))
