import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import any_of, table_of
from services.scoring.models import Band, Framework, Node, Target

fw = table_of(Framework)
bd = table_of(Band)
nd = table_of(Node)
tg = table_of(Target)


async def insert(
    session: AsyncSession,
    framework: dict[str, Any],
    bands: Sequence[dict[str, Any]],
    nodes: Sequence[dict[str, Any]],
    targets: Sequence[dict[str, Any]],
) -> None:
    await session.execute(sa.insert(fw).values(**framework))
    await replace_content(session, framework["id"], bands, nodes, targets)


async def replace_content(
    session: AsyncSession,
    framework_id: uuid.UUID,
    bands: Sequence[dict[str, Any]],
    nodes: Sequence[dict[str, Any]],
    targets: Sequence[dict[str, Any]],
) -> None:
    for table in (bd, nd, tg):
        await session.execute(sa.delete(table).where(table.c.framework_id == framework_id))
    for table, rows in ((bd, bands), (nd, nodes), (tg, targets)):
        if rows:
            await session.execute(sa.insert(table), [dict(r, framework_id=framework_id) for r in rows])


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    """Frameworks with their bands, nodes and targets: four queries for any number of frameworks."""
    rows = (await session.execute(sa.select(fw).where(any_of(fw.c.id, ids, sa.Uuid())))).mappings().all()
    out = {r["id"]: dict(r) | {"bands": [], "nodes": [], "targets": []} for r in rows}
    parts = (
        ("bands", bd, (bd.c.lower_bound.desc(),)),
        ("nodes", nd, (nd.c.position,)),
        ("targets", tg, (tg.c.indicator_code, tg.c.year, tg.c.level)),
    )
    for key, table, order in parts:
        found = await session.execute(
            sa.select(table).where(any_of(table.c.framework_id, ids, sa.Uuid())).order_by(*order)
        )
        for row in found.mappings():
            out[row["framework_id"]][key].append(dict(row))
    return [out[i] for i in ids if i in out]


async def get(session: AsyncSession, framework_id: uuid.UUID) -> dict[str, Any] | None:
    found = await get_many(session, [framework_id])
    return found[0] if found else None


async def lock(session: AsyncSession, framework_id: uuid.UUID) -> sa.RowMapping | None:
    row: sa.RowMapping | None = (
        (await session.execute(sa.select(fw).where(fw.c.id == framework_id).with_for_update())).mappings().first()
    )
    return row


async def update(session: AsyncSession, framework_id: uuid.UUID, **values: Any) -> None:
    await session.execute(sa.update(fw).where(fw.c.id == framework_id).values(**values))


async def latest_version(session: AsyncSession, code: str) -> int:
    found = (await session.execute(sa.select(sa.func.max(fw.c.version)).where(fw.c.code == code))).scalar()
    return int(found or 0)


async def list_keys(
    session: AsyncSession, code: str | None, *, after: Sequence[Any] | None, limit: int
) -> Sequence[sa.Row[Any, Any, Any]]:
    """Up to `limit + 1` frameworks by code, newest version first: each as its sort key, the id last."""
    query = sa.select(fw.c.code, fw.c.version, fw.c.id).order_by(fw.c.code, fw.c.version.desc()).limit(limit + 1)
    if code:
        query = query.where(fw.c.code == code)
    if after:
        query = query.where(sa.or_(fw.c.code > after[0], sa.and_(fw.c.code == after[0], fw.c.version < after[1])))
    return (await session.execute(query)).all()
