from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import any_of
from services.registry.units.repository import exists_on, n, p, projection, u


async def apply_updates(session: AsyncSession, rows: Sequence[dict[str, Any]], today: date) -> None:
    """Correct units in place (current name, kind, level, parent): one executemany per table."""
    if not rows:
        return
    day = sa.literal(today, sa.Date)
    b = sa.bindparam  # bind names differ from column names, as SQLAlchemy requires for executemany updates
    await session.execute(
        sa.update(u)
        .where(u.c.id == b("b_id"))
        .values(kind=b("b_kind"), level=b("b_level"), version=u.c.version + 1, updated_at=sa.func.now()),
        [{"b_id": r["unit_id"], "b_kind": r["kind"], "b_level": r["level"]} for r in rows],
    )
    await session.execute(
        sa.update(n)
        .where(n.c.unit_id == b("b_id"), n.c.during.op("@>")(day))
        .values(name=b("b_name"), short_name=b("b_short"), search_key=b("b_key")),
        [
            {"b_id": r["unit_id"], "b_name": r["name"], "b_short": r["short_name"], "b_key": r["search_key"]}
            for r in rows
        ],
    )
    moved = [{"b_id": r["unit_id"], "b_parent": r["parent_id"]} for r in rows if r["parent_id"]]
    if moved:
        await session.execute(
            sa.update(p).where(p.c.unit_id == b("b_id"), p.c.during.op("@>")(day)).values(parent_id=b("b_parent")),
            moved,
        )


async def named(session: AsyncSession, keys: Sequence[str], today: date) -> Sequence[sa.RowMapping]:
    """Units of today whose current name folds to one of `keys`: id, search_key and parent_id."""
    if not keys:
        return []
    query = (
        projection(today, clamp=False)
        .where(exists_on(today), any_of(n.c.search_key, keys, sa.Text()))
        .with_only_columns(u.c.id, n.c.search_key, p.c.parent_id)
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows
