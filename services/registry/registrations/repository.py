from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import table_of
from services.registry.models import Membership, Registration, RegistrationTransition, Unit
from services.registry.units.repository import scope_ids

if TYPE_CHECKING:
    from services.registry.privacy import Hidden

rg = table_of(Registration)
rt = table_of(RegistrationTransition)
un = table_of(Unit)
ms = table_of(Membership)


async def insert(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(sa.insert(rg).values(**values))


async def log(
    session: AsyncSession, registration_id: uuid.UUID, actor: str, before: str | None, after: str, reason: str | None
) -> None:
    await session.execute(
        sa.insert(rt).values(
            registration_id=registration_id, actor=actor, from_status=before, to_status=after, reason=reason
        )
    )


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    rows = (await session.execute(sa.select(rg).where(rg.c.id.in_(ids)))).mappings().all()
    steps = (
        (await session.execute(sa.select(rt).where(rt.c.registration_id.in_(ids)).order_by(rt.c.id))).mappings().all()
    )
    out = {r["id"]: dict(r) | {"history": []} for r in rows}
    for s in steps:
        out[s["registration_id"]]["history"].append(dict(s))
    return [out[i] for i in ids if i in out]


async def of_movement(
    session: AsyncSession,
    movement_id: uuid.UUID,
    *,
    status: str | None,
    is_pilot: bool | None,
    hidden: Hidden,
    after: Sequence[Any] | None,
    limit: int,
) -> list[uuid.UUID]:
    query = sa.select(rg.c.id).where(rg.c.movement_id == movement_id)
    if status:
        query = query.where(rg.c.status == status)
    if is_pilot is not None:
        query = query.where(rg.c.is_pilot == is_pilot)
    if hidden.kinds is not None:
        shown: sa.ColumnElement[bool] = rg.c.unit_id.in_(sa.select(un.c.id).where(un.c.kind.not_in(hidden.kinds)))
        if hidden.under is not None:
            scope = scope_ids(hidden.under)
            shown = (
                shown
                | rg.c.unit_id.in_(scope)
                | sa.exists().where(ms.c.person_id == rg.c.person_id, ms.c.unit_id.in_(scope))
            )
        query = query.where(shown)
    if after:
        query = query.where(rg.c.id > after[0])
    return list((await session.execute(query.order_by(rg.c.id).limit(limit + 1))).scalars())


async def lock(session: AsyncSession, registration_id: uuid.UUID) -> sa.RowMapping | None:
    row: sa.RowMapping | None = (
        (await session.execute(sa.select(rg).where(rg.c.id == registration_id).with_for_update())).mappings().first()
    )
    return row


async def update(session: AsyncSession, registration_id: uuid.UUID, **values: Any) -> None:
    await session.execute(
        sa.update(rg)
        .where(rg.c.id == registration_id)
        .values(version=rg.c.version + 1, updated_at=sa.func.now(), **values)
    )
