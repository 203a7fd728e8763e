"""Every SQL statement about units. Dated rows are read with `during @> day`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import any_of, table_of
from services.registry.models import Unit, UnitCode, UnitName, UnitParent

if TYPE_CHECKING:
    from services.registry.privacy import Hidden

MAX_DEPTH = 64
u = table_of(Unit)
n = table_of(UnitName)
c = table_of(UnitCode)
p = table_of(UnitParent)


def _day(value: date) -> sa.ColumnElement[date]:
    return sa.literal(value, sa.Date)


def projection(as_of: date, *, clamp: bool = True) -> sa.Select[Any]:
    """Units with the name, codes and parent valid on `as_of`. With `clamp`, a unit that did not exist that day
    is read on the nearest day it did (so a merged commune still shows its last name)."""
    day: sa.ColumnElement[date] = (
        sa.func.least(
            sa.func.greatest(_day(as_of), sa.func.coalesce(u.c.valid_from, _day(as_of))),
            sa.func.coalesce(u.c.valid_to, _day(as_of)),
        )
        if clamp
        else _day(as_of)
    )
    return (
        sa.select(
            u.c.id,
            u.c.kind,
            u.c.level,
            u.c.valid_from,
            u.c.valid_to,
            u.c.version,
            u.c.updated_at,
            n.c.name,
            n.c.short_name,
            n.c.search_key,
            c.c.admin_code,
            c.c.organ_code,
            p.c.parent_id,
            day.label("as_of"),
        )
        .select_from(u)
        .outerjoin(n, (n.c.unit_id == u.c.id) & n.c.during.op("@>")(day))
        .outerjoin(c, (c.c.unit_id == u.c.id) & c.c.during.op("@>")(day))
        .outerjoin(p, (p.c.unit_id == u.c.id) & p.c.during.op("@>")(day))
    )


def exists_on(day: date) -> sa.ColumnElement[bool]:
    return u.c.during.op("@>")(_day(day))


async def get(session: AsyncSession, unit_id: uuid.UUID, as_of: date) -> sa.RowMapping | None:
    row: sa.RowMapping | None = (await session.execute(projection(as_of).where(u.c.id == unit_id))).mappings().first()
    return row


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID], as_of: date) -> Sequence[sa.RowMapping]:
    query = projection(as_of).where(any_of(u.c.id, ids, sa.Uuid()))
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def search(
    session: AsyncSession,
    as_of: date,
    *,
    kinds: Sequence[str] = (),
    levels: Sequence[str] = (),
    parent_id: uuid.UUID | None = None,
    text: str | None = None,
    include_inactive: bool = False,
    hidden: Hidden | None = None,
    modified_since: datetime | None = None,
    after: Sequence[Any] | None = None,
    limit: int = 50,
) -> Sequence[sa.RowMapping]:
    """A page of units ordered by folded name then id (keyset: `after` is the last row's key)."""
    query = projection(as_of, clamp=include_inactive)
    if not include_inactive:
        query = query.where(exists_on(as_of))
    if kinds:
        query = query.where(u.c.kind.in_(kinds))
    if hidden is not None and hidden.kinds:
        shown: sa.ColumnElement[bool] = u.c.kind.not_in(hidden.kinds)
        if hidden.under is not None:
            shown = shown | u.c.id.in_(scope_ids(hidden.under))
        query = query.where(shown)
    if levels:
        query = query.where(u.c.level.in_(levels))
    if modified_since is not None:
        query = query.where(u.c.updated_at >= modified_since)
    if parent_id is not None:
        query = query.where(p.c.parent_id == parent_id)
    if text:
        query = query.where(n.c.search_key.contains(text, autoescape=True))
    sort_key = sa.func.coalesce(n.c.search_key, "")
    if after:
        query = query.where(sa.tuple_(sort_key, u.c.id) > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    query = query.order_by(sort_key, u.c.id).limit(limit + 1)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def ancestors(session: AsyncSession, unit_id: uuid.UUID, as_of: date) -> Sequence[sa.RowMapping]:
    """Parent, grandparent … as of the day, root first."""
    up = (
        sa.select(p.c.parent_id.label("id"), sa.literal(1).label("depth"))
        .where(p.c.unit_id == unit_id, p.c.during.op("@>")(_day(as_of)))
        .cte("up", recursive=True)
    )
    up = up.union_all(
        sa.select(p.c.parent_id, up.c.depth + 1)
        .join(up, p.c.unit_id == up.c.id)
        .where(p.c.during.op("@>")(_day(as_of)), up.c.depth < MAX_DEPTH)
    )
    query = projection(as_of).add_columns(up.c.depth).join(up, up.c.id == u.c.id).order_by(up.c.depth.desc())
    return (await session.execute(query)).mappings().all()


async def subtree(session: AsyncSession, root_id: uuid.UUID | None, as_of: date) -> Sequence[sa.RowMapping]:
    """Every unit under `root_id` (itself included, depth 0) existing on the day; the whole tree when None."""
    if root_id is None:
        # Roots: no parent that day, or a parent that no longer exists (a dissolved district's leftovers).
        parent = u.alias("parent")
        roots = sa.select(u.c.id, sa.literal(0).label("depth")).where(
            exists_on(as_of),
            ~sa.exists().where(
                p.c.unit_id == u.c.id,
                p.c.during.op("@>")(_day(as_of)),
                parent.c.id == p.c.parent_id,
                parent.c.during.op("@>")(_day(as_of)),
            ),
        )
    else:
        roots = sa.select(u.c.id, sa.literal(0).label("depth")).where(u.c.id == root_id)
    down = roots.cte("down", recursive=True)
    down = down.union_all(
        sa.select(p.c.unit_id, down.c.depth + 1)
        .join(down, p.c.parent_id == down.c.id)
        .where(p.c.during.op("@>")(_day(as_of)), down.c.depth < MAX_DEPTH)
    )
    query = (
        projection(as_of)
        .add_columns(down.c.depth)
        .join(down, down.c.id == u.c.id)
        .where(exists_on(as_of))
        .order_by(down.c.depth, sa.func.coalesce(n.c.search_key, ""), u.c.id)
    )
    return (await session.execute(query)).mappings().all()


def scope_ids(root_id: uuid.UUID) -> sa.Select[tuple[uuid.UUID]]:
    """Ids of `root_id` and of every unit that was ever below it: a caller's scope, as a subquery."""
    down = sa.select(sa.literal(root_id, sa.Uuid()).label("id"), sa.literal(0).label("depth")).cte(
        "scope", recursive=True
    )
    down = down.union_all(
        sa.select(p.c.unit_id, down.c.depth + 1).join(down, p.c.parent_id == down.c.id).where(down.c.depth < MAX_DEPTH)
    )
    return sa.select(down.c.id)


async def is_descendant(session: AsyncSession, unit_id: uuid.UUID, ancestor_id: uuid.UUID) -> bool:
    """Was `ancestor_id` ever above `unit_id` (at any date)?"""
    up = sa.select(p.c.parent_id.label("id"), sa.literal(1).label("depth")).where(p.c.unit_id == unit_id)
    cte = up.cte("up", recursive=True)
    cte = cte.union_all(
        sa.select(p.c.parent_id, cte.c.depth + 1).join(cte, p.c.unit_id == cte.c.id).where(cte.c.depth < MAX_DEPTH)
    )
    found = await session.execute(sa.select(sa.exists().where(cte.c.id == ancestor_id)))
    return bool(found.scalar())


async def descendants_ever(session: AsyncSession, root_id: uuid.UUID, among: set[uuid.UUID]) -> set[uuid.UUID]:
    """Which of `among` were ever below `root_id`."""
    down = sa.select(p.c.unit_id.label("id"), sa.literal(1).label("depth")).where(p.c.parent_id == root_id)
    cte = down.cte("down", recursive=True)
    cte = cte.union_all(
        sa.select(p.c.unit_id, cte.c.depth + 1).join(cte, p.c.parent_id == cte.c.id).where(cte.c.depth < MAX_DEPTH)
    )
    query = sa.select(cte.c.id).where(any_of(cte.c.id, among, sa.Uuid())).distinct()
    return set((await session.execute(query)).scalars())


async def ancestor_ids_on(session: AsyncSession, unit_id: uuid.UUID, day: date | None) -> set[uuid.UUID]:
    """Ids above `unit_id` on `day` (or at any date when None): used to refuse parent cycles."""
    cond = (lambda: p.c.during.op("@>")(_day(day))) if day else (lambda: sa.true())
    cte = (
        sa.select(p.c.parent_id.label("id"), sa.literal(1).label("depth"))
        .where(p.c.unit_id == unit_id, cond())
        .cte("up", recursive=True)
    )
    cte = cte.union_all(
        sa.select(p.c.parent_id, cte.c.depth + 1)
        .join(cte, p.c.unit_id == cte.c.id)
        .where(cond(), cte.c.depth < MAX_DEPTH)
    )
    return set((await session.execute(sa.select(cte.c.id))).scalars())


async def lock(session: AsyncSession, unit_id: uuid.UUID) -> sa.RowMapping | None:
    query = sa.select(u).where(u.c.id == unit_id).with_for_update()
    return (await session.execute(query)).mappings().first()


async def exists(session: AsyncSession, unit_id: uuid.UUID, on: date | None = None) -> bool:
    query = sa.select(u.c.id).where(u.c.id == unit_id)
    if on is not None:
        query = query.where(exists_on(on))
    return (await session.execute(query)).first() is not None


async def kind_of(session: AsyncSession, unit_id: uuid.UUID) -> str | None:
    kind: str | None = (await session.execute(sa.select(u.c.kind).where(u.c.id == unit_id))).scalar()
    return kind


async def existing_ids(session: AsyncSession, ids: Sequence[uuid.UUID], on: date | None = None) -> set[uuid.UUID]:
    """Which of `ids` are units (existing on `on`, when given): one query."""
    if not ids:
        return set()
    query = sa.select(u.c.id).where(any_of(u.c.id, ids, sa.Uuid()))
    if on is not None:
        query = query.where(exists_on(on))
    return set((await session.execute(query)).scalars())


async def insert_units(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(sa.insert(u), list(rows))


async def insert_names(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(sa.insert(n), list(rows))


async def insert_codes(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(sa.insert(c), list(rows))


async def insert_parents(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(sa.insert(p), list(rows))


async def touch(
    session: AsyncSession, unit_id: uuid.UUID, expected_version: int | None = None, **values: Any
) -> int | None:
    """Bump the unit's version (checking `expected_version` when given); None when it did not match."""
    query = sa.update(u).where(u.c.id == unit_id)
    if expected_version is not None:
        query = query.where(u.c.version == expected_version)
    query = query.values(version=u.c.version + 1, updated_at=sa.func.now(), **values).returning(u.c.version)
    version: int | None = (await session.execute(query)).scalar()
    return version


async def history(session: AsyncSession, unit_id: uuid.UUID) -> dict[str, Sequence[sa.RowMapping]]:
    out = {}
    for key, table, cols in (
        ("names", n, (n.c.name, n.c.short_name)),
        ("codes", c, (c.c.admin_code, c.c.organ_code)),
        ("parents", p, (p.c.parent_id,)),
    ):
        query = (
            sa.select(*cols, table.c.valid_from, table.c.valid_to)
            .where(table.c.unit_id == unit_id)
            .order_by(table.c.valid_from.asc().nulls_first())
        )
        out[key] = (await session.execute(query)).mappings().all()
    return out


async def end_on(session: AsyncSession, unit_ids: Sequence[uuid.UUID], last_day: date) -> None:
    """Close the units and their open dated rows on `last_day` (rows starting later are removed): seven statements,
    however many units."""
    if not unit_ids:
        return
    for table in (n, c, p):
        theirs = any_of(table.c.unit_id, unit_ids, sa.Uuid())
        await session.execute(sa.delete(table).where(theirs, table.c.valid_from > last_day))
        await session.execute(
            sa.update(table).where(theirs, table.c.during.op("@>")(_day(last_day))).values(valid_to=last_day)
        )
    await session.execute(
        sa.update(u)
        .where(any_of(u.c.id, unit_ids, sa.Uuid()))
        .values(version=u.c.version + 1, updated_at=sa.func.now(), valid_to=last_day)
    )


async def close_facet(session: AsyncSession, facet: str, unit_id: uuid.UUID, last_day: date) -> None:
    """End the open row of one dated facet ('names', 'codes', 'parents') on `last_day`."""
    table = {"names": n, "codes": c, "parents": p}[facet]
    await session.execute(
        sa.update(table)
        .where(table.c.unit_id == unit_id, table.c.during.op("@>")(_day(last_day)))
        .values(valid_to=last_day)
    )


async def ids_by_code(session: AsyncSession, codes: Sequence[str], on: date) -> dict[str, uuid.UUID]:
    """Map administrative or organ codes valid on `on` to unit ids."""
    if not codes:
        return {}
    query = sa.select(c.c.admin_code, c.c.organ_code, c.c.unit_id).where(
        c.c.during.op("@>")(_day(on)),
        sa.or_(any_of(c.c.admin_code, codes, sa.Text()), any_of(c.c.organ_code, codes, sa.Text())),
    )
    out: dict[str, uuid.UUID] = {}
    for admin, organ, unit_id in (await session.execute(query)).all():
        for code in (admin, organ):
            if code in codes:
                out[code] = unit_id
    return out


async def count_by_kind(session: AsyncSession, day: date) -> dict[tuple[str, str], int]:
    """Units that exist on `day`, by kind and level."""
    query = (
        sa.select(u.c.kind, u.c.level, sa.func.count())
        .where(u.c.during.op("@>")(_day(day)))
        .group_by(u.c.kind, u.c.level)
    )
    return {(kind, level): count for kind, level, count in await session.execute(query)}
