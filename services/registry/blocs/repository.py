import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import table_of
from services.registry.models import Bloc, BlocMember, BlocOfficer

b = table_of(Bloc)
bm = table_of(BlocMember)
bo = table_of(BlocOfficer)


async def insert(session: AsyncSession, bloc: dict[str, Any], members: Sequence[dict[str, Any]]) -> None:
    await session.execute(sa.insert(b).values(**bloc))
    if members:
        await session.execute(sa.insert(bm), [dict(mb, bloc_id=bloc["id"]) for mb in members])


async def add_member(session: AsyncSession, bloc_id: uuid.UUID, member: dict[str, Any]) -> None:
    await session.execute(sa.insert(bm).values(bloc_id=bloc_id, **member))


async def set_officers(session: AsyncSession, bloc_id: uuid.UUID, year: int, rows: Sequence[dict[str, Any]]) -> None:
    await session.execute(sa.delete(bo).where(bo.c.bloc_id == bloc_id, bo.c.year == year))
    await session.execute(sa.insert(bo), [dict(r, bloc_id=bloc_id, year=year) for r in rows])


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID], on: date | None) -> list[dict[str, Any]]:
    """Blocs with their members (on a day, or all with their dates) and officers: three queries for any number."""
    blocs = (await session.execute(sa.select(b).where(b.c.id.in_(ids)))).mappings().all()
    members = sa.select(bm.c.bloc_id, bm.c.unit_id, bm.c.valid_from, bm.c.valid_to).where(bm.c.bloc_id.in_(ids))
    if on is not None:
        members = members.where(bm.c.during.op("@>")(sa.literal(on, sa.Date)))
    officers = sa.select(bo).where(bo.c.bloc_id.in_(ids)).order_by(bo.c.year, bo.c.role.desc())
    out = {r["id"]: dict(r) | {"members": [], "officers": []} for r in blocs}
    for row in (await session.execute(members.order_by(bm.c.valid_from))).mappings():
        out[row["bloc_id"]]["members"].append(dict(row))
    for row in (await session.execute(officers)).mappings():
        out[row["bloc_id"]]["officers"].append(dict(row))
    return [out[i] for i in ids if i in out]


async def all_ids(session: AsyncSession) -> list[uuid.UUID]:
    return list((await session.execute(sa.select(b.c.id).order_by(b.c.code))).scalars())


async def of_unit(session: AsyncSession, unit_id: uuid.UUID, on: date) -> Sequence[sa.RowMapping]:
    query = (
        sa.select(b.c.id.label("bloc_id"), b.c.code, b.c.name, b.c.kind)
        .join(bm, bm.c.bloc_id == b.c.id)
        .where(bm.c.unit_id == unit_id, bm.c.during.op("@>")(sa.literal(on, sa.Date)))
        .order_by(b.c.code)
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def lock(session: AsyncSession, bloc_id: uuid.UUID) -> int | None:
    version: int | None = (
        await session.execute(sa.select(b.c.version).where(b.c.id == bloc_id).with_for_update())
    ).scalar()
    return version


async def touch(session: AsyncSession, bloc_id: uuid.UUID) -> None:
    await session.execute(sa.update(b).where(b.c.id == bloc_id).values(version=b.c.version + 1))


async def member_ids(session: AsyncSession, bloc_id: uuid.UUID) -> set[uuid.UUID]:
    """Every unit that was ever a member of the bloc."""
    return set((await session.execute(sa.select(bm.c.unit_id).where(bm.c.bloc_id == bloc_id))).scalars())
