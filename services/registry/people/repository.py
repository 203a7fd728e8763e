import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import table_of
from services.registry.models import Membership, Person

pe = table_of(Person)
m = table_of(Membership)


async def insert(session: AsyncSession, person: dict[str, Any], membership: dict[str, Any]) -> None:
    await session.execute(sa.insert(pe).values(**person))
    await session.execute(sa.insert(m).values(person_id=person["id"], **membership))


async def add_membership(session: AsyncSession, person_id: uuid.UUID, membership: dict[str, Any]) -> None:
    await session.execute(sa.insert(m).values(person_id=person_id, **membership))


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    people = (await session.execute(sa.select(pe).where(pe.c.id.in_(ids)))).mappings().all()
    links = (
        (await session.execute(sa.select(m).where(m.c.person_id.in_(ids)).order_by(m.c.valid_from.asc().nulls_first())))
        .mappings()
        .all()
    )
    out = {p["id"]: dict(p) | {"memberships": []} for p in people}
    for link in links:
        out[link["person_id"]]["memberships"].append(dict(link))
    return [out[i] for i in ids if i in out]


async def search(
    session: AsyncSession,
    *,
    unit_ids: Sequence[uuid.UUID] | None,
    text: str | None,
    on: date | None,
    after: Sequence[Any] | None,
    limit: int,
) -> list[uuid.UUID]:
    """Ids of people (members of `unit_ids` when given), by folded name then id."""
    query = sa.select(pe.c.id, pe.c.search_key)
    if unit_ids is not None:
        member = sa.exists().where(m.c.person_id == pe.c.id, m.c.unit_id.in_(unit_ids))
        if on is not None:
            member = member.where(m.c.during.op("@>")(sa.literal(on, sa.Date)))
        query = query.where(member)
    if text:
        query = query.where(pe.c.search_key.contains(text, autoescape=True))
    if after:
        query = query.where(sa.tuple_(pe.c.search_key, pe.c.id) > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    rows = (await session.execute(query.order_by(pe.c.search_key, pe.c.id).limit(limit + 1))).all()
    return [r[0] for r in rows]


async def unit_ids_of(session: AsyncSession, person_id: uuid.UUID) -> set[uuid.UUID]:
    return set((await session.execute(sa.select(m.c.unit_id).where(m.c.person_id == person_id))).scalars())


async def lock(session: AsyncSession, person_id: uuid.UUID) -> int | None:
    version: int | None = (
        await session.execute(sa.select(pe.c.version).where(pe.c.id == person_id).with_for_update())
    ).scalar()
    return version


async def touch(session: AsyncSession, person_id: uuid.UUID) -> None:
    await session.execute(sa.update(pe).where(pe.c.id == person_id).values(version=pe.c.version + 1))


async def units_of_people(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    """The units each of these people ever belonged to (people unknown here are left out)."""
    rows = await session.execute(sa.select(m.c.person_id, m.c.unit_id).where(m.c.person_id.in_(ids)))
    found: dict[uuid.UUID, set[uuid.UUID]] = {}
    for person_id, unit_id in rows:
        found.setdefault(person_id, set()).add(unit_id)
    return found
