from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit import workflow
from kit.db import table_of
from kit.repository import Keyed
from services.registry.models import Membership, Registration, Unit, registration_transitions
from services.registry.units.repository import scope_ids

if TYPE_CHECKING:
    from services.registry.privacy import Hidden

rg = table_of(Registration)
un = table_of(Unit)
ms = table_of(Membership)
registrations: Keyed[uuid.UUID] = Keyed(rg)
transitions = registration_transitions  # the registration's history


async def insert(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(sa.insert(rg).values(**values))


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    rows = (await session.execute(sa.select(rg).where(rg.c.id.in_(ids)))).mappings().all()
    histories = await workflow.histories(session, transitions, ids)
    out = {r["id"]: dict(r) | {"history": [dict(h) for h in histories.get(r["id"], [])]} for r in rows}
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
