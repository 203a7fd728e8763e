import json
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit import workflow
from kit.db import any_of, table_of
from kit.repository import Keyed
from services.scoring.models import Participant, Period, PeriodLineage, StaleMark, Value, period_transitions

pd = table_of(Period)
pa = table_of(Participant)
st = table_of(StaleMark)
pl = table_of(PeriodLineage)
vl = table_of(Value)
periods: Keyed[uuid.UUID] = Keyed(pd)
transitions = period_transitions  # the period's history

# A snapshot may hold 50,000 units: one JSON parameter, unpacked by PostgreSQL.
_UPSERT_PARTICIPANTS = sa.text("""
    insert into scoring.participants (period_id, unit_id, name, kind, level, path, bloc_ids, on_start, on_end)
    select :period, r.unit_id, r.name, r.kind, r.level,
           array(select jsonb_array_elements_text(r.path))::uuid[],
           array(select jsonb_array_elements_text(r.bloc_ids))::uuid[], r.on_start, r.on_end
    from jsonb_to_recordset(cast(:rows as jsonb))
        as r(unit_id uuid, name text, kind text, level text, path jsonb, bloc_ids jsonb, on_start bool, on_end bool)
    on conflict (period_id, unit_id) do update set name = excluded.name, kind = excluded.kind,
        level = excluded.level, path = excluded.path, bloc_ids = excluded.bloc_ids,
        on_start = excluded.on_start, on_end = excluded.on_end
""")


async def insert_period(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(sa.insert(pd).values(**values))


async def get_many(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> tuple[list[sa.RowMapping], dict[uuid.UUID, list[sa.RowMapping]], dict[uuid.UUID, int]]:
    """Periods in the order asked, their transitions and their participant counts: three queries."""
    found = {
        r["id"]: r for r in (await session.execute(sa.select(pd).where(any_of(pd.c.id, ids, sa.Uuid())))).mappings()
    }
    histories = await workflow.histories(session, transitions, ids)
    counts = {
        r[0]: int(r[1])
        for r in await session.execute(
            sa.select(pa.c.period_id, sa.func.count())
            .where(any_of(pa.c.period_id, ids, sa.Uuid()))
            .group_by(pa.c.period_id)
        )
    }
    return [found[i] for i in ids if i in found], histories, counts


async def list_keys(
    session: AsyncSession,
    framework_id: uuid.UUID | None,
    movement_id: uuid.UUID | None,
    *,
    after: Sequence[Any] | None,
    limit: int,
) -> Sequence[sa.Row[Any, Any, Any]]:
    """Up to `limit + 1` periods, newest first (year, start, then id): each as its sort key, the id last."""
    key = (pd.c.year, pd.c.starts_on, pd.c.id)
    query = sa.select(*key).order_by(*(c.desc() for c in key)).limit(limit + 1)
    if framework_id:
        query = query.where(pd.c.framework_id == framework_id)
    if movement_id:
        query = query.where(pd.c.movement_id == movement_id)
    if after:
        query = query.where(
            sa.tuple_(*key) < sa.tuple_(*(sa.literal(v, c.type) for v, c in zip(after, key, strict=True)))
        )
    return (await session.execute(query)).all()


async def mark_stale(session: AsyncSession, period_id: uuid.UUID) -> None:
    """An input of the period's scores changed: a new mark, which no other writer's can conflict with."""
    await session.execute(sa.insert(st).values(period_id=period_id))


async def replace_participants(session: AsyncSession, period_id: uuid.UUID, rows: Sequence[dict[str, Any]]) -> None:
    """New snapshot; the office's choices (ranked, peer group) stay with the units still present. A unit that sent
    values stays too, on neither tree if it left both (its values and score remain readable, never ranked)."""
    ids = [r["unit_id"] for r in rows]
    sent = sa.exists().where(vl.c.period_id == pa.c.period_id, vl.c.unit_id == pa.c.unit_id)
    await session.execute(
        sa.update(pa)
        .where(pa.c.period_id == period_id, ~any_of(pa.c.unit_id, ids, sa.Uuid()), sent)
        .values(on_start=False, on_end=False)
    )
    await session.execute(
        sa.delete(pa).where(pa.c.period_id == period_id, ~any_of(pa.c.unit_id, ids, sa.Uuid()), ~sent)
    )
    if rows:
        await session.execute(_UPSERT_PARTICIPANTS, {"period": period_id, "rows": json.dumps(rows, default=str)})
        # A snapshot changes the table wholesale: fresh statistics keep scoring's plans on hash joins.
        await session.execute(sa.text("analyze scoring.participants"))


async def replace_lineage(session: AsyncSession, period_id: uuid.UUID, rows: Sequence[dict[str, Any]]) -> None:
    await session.execute(sa.delete(pl).where(pl.c.period_id == period_id))
    if rows:
        await session.execute(sa.insert(pl), [dict(r, period_id=period_id) for r in rows])


async def lineage(session: AsyncSession, period_id: uuid.UUID) -> Sequence[sa.RowMapping]:
    """The period's lineage links, by date, event, then predecessor and successor."""
    query = (
        sa.select(pl)
        .where(pl.c.period_id == period_id)
        .order_by(pl.c.effective_date, pl.c.event_id, pl.c.predecessor_id, pl.c.successor_id)
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def participant_ids(session: AsyncSession, period_id: uuid.UUID) -> set[uuid.UUID]:
    return set((await session.execute(sa.select(pa.c.unit_id).where(pa.c.period_id == period_id))).scalars())


async def merged_into(session: AsyncSession, period_id: uuid.UUID) -> Sequence[sa.RowMapping]:
    """Links from predecessors that left the last day's tree, with the successor's name in the period."""
    gone = sa.select(pa.c.unit_id).where(pa.c.period_id == period_id, ~pa.c.on_end)
    succ = pa.alias("succ")
    query = (
        sa.select(
            pl.c.predecessor_id,
            pl.c.successor_id.label("unit_id"),
            succ.c.name,
            pl.c.share,
            pl.c.event_id,
            pl.c.effective_date,
        )
        .outerjoin(succ, (succ.c.period_id == pl.c.period_id) & (succ.c.unit_id == pl.c.successor_id))
        .where(pl.c.period_id == period_id, pl.c.predecessor_id.in_(gone))
        .order_by(pl.c.effective_date, succ.c.name)
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def participants(
    session: AsyncSession, period_id: uuid.UUID, unit_ids: Sequence[uuid.UUID] | None = None
) -> Sequence[sa.RowMapping]:
    query = sa.select(pa).where(pa.c.period_id == period_id)
    if unit_ids is not None:
        query = query.where(any_of(pa.c.unit_id, unit_ids, sa.Uuid()))
    rows: Sequence[sa.RowMapping] = (await session.execute(query.order_by(pa.c.level, pa.c.name))).mappings().all()
    return rows


async def update_participant(session: AsyncSession, period_id: uuid.UUID, unit_id: uuid.UUID, **values: Any) -> bool:
    result = await session.execute(
        sa.update(pa)
        .where(pa.c.period_id == period_id, pa.c.unit_id == unit_id)
        .values(**values)
        .returning(pa.c.unit_id)
    )
    return result.first() is not None
