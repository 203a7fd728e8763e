import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import table_of
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


async def get(session: AsyncSession, framework_id: uuid.UUID) -> dict[str, Any] | None:
    row = (await session.execute(sa.select(fw).where(fw.c.id == framework_id))).mappings().first()
    if row is None:
        return None
    bands = (
        (
            await session.execute(
                sa.select(bd).where(bd.c.framework_id == framework_id).order_by(bd.c.lower_bound.desc())
            )
        )
        .mappings()
        .all()
    )
    nodes = (
        (await session.execute(sa.select(nd).where(nd.c.framework_id == framework_id).order_by(nd.c.position)))
        .mappings()
        .all()
    )
    targets = (
        (
            await session.execute(
                sa.select(tg)
                .where(tg.c.framework_id == framework_id)
                .order_by(tg.c.indicator_code, tg.c.year, tg.c.level)
            )
        )
        .mappings()
        .all()
    )
    return dict(row) | {
        "bands": [dict(b) for b in bands],
        "nodes": [dict(n) for n in nodes],
        "targets": [dict(t) for t in targets],
    }


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


async def list_ids(session: AsyncSession, code: str | None) -> list[uuid.UUID]:
    query = sa.select(fw.c.id).order_by(fw.c.code, fw.c.version.desc())
    if code:
        query = query.where(fw.c.code == code)
    return list((await session.execute(query)).scalars())
