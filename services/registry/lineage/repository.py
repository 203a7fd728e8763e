import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import any_of, table_of
from services.registry.models import LineageEvent, LineageLink
from services.registry.units.repository import MAX_DEPTH, projection, u

e = table_of(LineageEvent)
lk = table_of(LineageLink)


async def insert_event(session: AsyncSession, values: dict[str, Any], links: Sequence[dict[str, Any]]) -> None:
    await session.execute(sa.insert(e).values(**values))
    if links:
        await session.execute(sa.insert(lk), [dict(link, event_id=values["id"]) for link in links])


async def get_event(session: AsyncSession, event_id: uuid.UUID) -> tuple[sa.RowMapping, Sequence[sa.RowMapping]] | None:
    event = (await session.execute(sa.select(e).where(e.c.id == event_id))).mappings().first()
    if event is None:
        return None
    links = (await session.execute(sa.select(lk).where(lk.c.event_id == event_id))).mappings().all()
    return event, links


async def events_between(
    session: AsyncSession, first: date, last: date, after: Sequence[Any] | None, limit: int
) -> tuple[Sequence[sa.RowMapping], dict[uuid.UUID, list[sa.RowMapping]]]:
    """Events effective from `first` to `last` (both included), by date then id, with their links: two queries."""
    query = sa.select(e).where(e.c.effective_date.between(first, last))
    if after:
        query = query.where(
            sa.tuple_(e.c.effective_date, e.c.id) > sa.tuple_(sa.literal(after[0], sa.Date), sa.literal(after[1]))
        )
    events = (await session.execute(query.order_by(e.c.effective_date, e.c.id).limit(limit + 1))).mappings().all()
    links: dict[uuid.UUID, list[sa.RowMapping]] = {}
    ids = [ev["id"] for ev in events]
    if ids:
        found = await session.execute(sa.select(lk).where(any_of(lk.c.event_id, ids, sa.Uuid())))
        for link in found.mappings():
            links.setdefault(link["event_id"], []).append(link)
    return events, links


async def events_of(session: AsyncSession, unit_id: uuid.UUID) -> Sequence[uuid.UUID]:
    """Events that involve the unit, oldest first."""
    involved = sa.or_(
        e.c.details["unit_id"].as_string() == str(unit_id),
        sa.exists().where(
            lk.c.event_id == e.c.id, sa.or_(lk.c.predecessor_id == unit_id, lk.c.successor_id == unit_id)
        ),
    )
    query = sa.select(e.c.id).where(involved).order_by(e.c.effective_date, e.c.created_at)
    return list((await session.execute(query)).scalars())


async def relatives(
    session: AsyncSession, unit_id: uuid.UUID, direction: Literal["predecessors", "successors"], as_of: date
) -> Sequence[sa.RowMapping]:
    """Predecessors (or successors) of a unit, transitively, nearest first."""
    near, far = (
        (lk.c.successor_id, lk.c.predecessor_id)
        if direction == "predecessors"
        else (lk.c.predecessor_id, lk.c.successor_id)
    )
    first = sa.select(far.label("id"), lk.c.event_id, lk.c.share, sa.literal(1).label("depth")).where(near == unit_id)
    walk = first.cte("walk", recursive=True)
    near2, far2 = (
        (lk.c.successor_id, lk.c.predecessor_id)
        if direction == "predecessors"
        else (lk.c.predecessor_id, lk.c.successor_id)
    )
    walk = walk.union_all(
        sa.select(far2, lk.c.event_id, lk.c.share, walk.c.depth + 1)
        .join(walk, near2 == walk.c.id)
        .where(walk.c.depth < MAX_DEPTH)
    )
    query = (
        projection(as_of)
        .add_columns(
            walk.c.event_id,
            walk.c.share,
            walk.c.depth,
            e.c.kind.label("event_kind"),
            e.c.effective_date,
            e.c.act_number,
        )
        .join(walk, walk.c.id == u.c.id)
        .join(e, e.c.id == walk.c.event_id)
        .order_by(walk.c.depth, e.c.effective_date, u.c.id)
    )
    return (await session.execute(query)).mappings().all()
