import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import any_of, table_of
from services.awards.models import AwardForm, BaseSalary, Holiday, Regime

rg = table_of(Regime)
fm = table_of(AwardForm)
bs = table_of(BaseSalary)
hd = table_of(Holiday)


async def upsert_regime(session: AsyncSession, code: str, values: dict[str, Any]) -> None:
    stmt = insert(rg).values(code=code, **values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[rg.c.code],
            set_={**{k: stmt.excluded[k] for k in values}, "version": rg.c.version + 1, "updated_at": sa.func.now()},
        )
    )


async def upsert_forms(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Forms are matched by (regime, code) and keep their id, so nominations that cite them stay valid."""
    if not rows:
        return
    stmt = insert(fm).values([{"id": uuid.uuid4(), **r} for r in rows])
    keep = {"id", "regime_code", "code"}
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[fm.c.regime_code, fm.c.code],
            set_={c.name: stmt.excluded[c.name] for c in fm.c if c.name not in keep},
        )
    )


async def regimes(session: AsyncSession, code: str | None = None) -> Sequence[sa.RowMapping]:
    query = sa.select(rg).order_by(rg.c.valid_from)
    if code is not None:
        query = query.where(rg.c.code == code)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def forms(
    session: AsyncSession,
    *,
    regime_codes: Sequence[str] | None = None,
    ids: Sequence[uuid.UUID] | None = None,
    on: date | None = None,
) -> Sequence[sa.RowMapping]:
    query = sa.select(fm).join(rg, rg.c.code == fm.c.regime_code).order_by(fm.c.regime_code, fm.c.code)
    if regime_codes is not None:
        query = query.where(any_of(fm.c.regime_code, regime_codes, sa.Text()))
    if ids is not None:
        query = query.where(any_of(fm.c.id, ids, sa.Uuid()))
    if on is not None:
        query = query.where(rg.c.valid_from <= on, sa.or_(rg.c.valid_to.is_(None), rg.c.valid_to >= on))
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def put_base_salary(session: AsyncSession, valid_from: date, values: dict[str, Any]) -> None:
    stmt = insert(bs).values(valid_from=valid_from, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=[bs.c.valid_from], set_=values))


async def base_salaries(session: AsyncSession) -> Sequence[sa.RowMapping]:
    rows: Sequence[sa.RowMapping] = (await session.execute(sa.select(bs).order_by(bs.c.valid_from))).mappings().all()
    return rows


async def base_salary_on(session: AsyncSession, day: date) -> sa.RowMapping | None:
    query = sa.select(bs).where(bs.c.valid_from <= day).order_by(bs.c.valid_from.desc()).limit(1)
    row: sa.RowMapping | None = (await session.execute(query)).mappings().first()
    return row


async def replace_holidays(session: AsyncSession, year: int, rows: Sequence[dict[str, Any]]) -> None:
    await session.execute(sa.delete(hd).where(sa.extract("year", hd.c.day) == year))
    if rows:
        await session.execute(sa.insert(hd), list(rows))


async def holidays(session: AsyncSession, year: int | None = None, *, since: date | None = None) -> Sequence[Any]:
    query = sa.select(hd).order_by(hd.c.day)
    if year is not None:
        query = query.where(sa.extract("year", hd.c.day) == year)
    if since is not None:
        query = query.where(hd.c.day >= since)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows
