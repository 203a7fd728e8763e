import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import any_of, table_of
from services.scoring.models import (
    Node,
    Participant,
    Period,
    PublishedRanking,
    Rank,
    Result,
    Score,
    ScoreRun,
    StaleMark,
    Target,
    Value,
)
from services.scoring.vocabulary import Reorganisation

rs = table_of(Result)
rk = table_of(Rank)
sc = table_of(Score)
nd = table_of(Node)
pa = table_of(Participant)
tg = table_of(Target)
vl = table_of(Value)
pd = table_of(Period)
sm = table_of(StaleMark)
sr = table_of(ScoreRun)
pr = table_of(PublishedRanking)


def in_ranking() -> sa.ColumnElement[bool]:
    """A participant is ranked: the office's choice, on the tree its period's reorganisation choice ranks on."""
    on_tree = sa.case((pd.c.reorganisation == Reorganisation.START, pa.c.on_start), else_=pa.c.on_end)
    return sa.and_(pa.c.ranked, on_tree)


async def results(
    session: AsyncSession,
    period_id: uuid.UUID,
    unit_ids: Sequence[uuid.UUID] | None,
    after: Sequence[Any] | None = None,
    limit: int | None = None,
) -> Sequence[sa.RowMapping]:
    query = (
        sa.select(rs, pa.c.name, sa.func.coalesce(in_ranking(), sa.false()).label("ranked"))
        .outerjoin(pa, (pa.c.period_id == rs.c.period_id) & (pa.c.unit_id == rs.c.unit_id))
        .outerjoin(pd, pd.c.id == rs.c.period_id)
        .where(rs.c.period_id == period_id)
    )
    if unit_ids is not None:
        query = query.where(any_of(rs.c.unit_id, unit_ids, sa.Uuid()))
    if after:
        query = query.where(
            sa.tuple_(rs.c.total, rs.c.unit_id) < sa.tuple_(sa.literal(after[0], sa.Numeric), sa.literal(after[1]))
        )
    query = query.order_by(rs.c.total.desc(), rs.c.unit_id.desc())
    if limit is not None:
        query = query.limit(limit + 1)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def ranks(
    session: AsyncSession, period_id: uuid.UUID, unit_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    out: dict[uuid.UUID, list[dict[str, Any]]] = {}
    rows = await session.execute(
        sa.select(rk)
        .where(rk.c.period_id == period_id, any_of(rk.c.unit_id, unit_ids, sa.Uuid()))
        .order_by(rk.c.group_kind, rk.c.group_key)
    )
    for r in rows.mappings():
        out.setdefault(r["unit_id"], []).append(dict(r))
    return out


_RANKING = (
    sa.select(
        rk.c.rank,
        rk.c.unit_id,
        pa.c.name,
        rs.c.total,
        rs.c.score100,
        rs.c.index_value,
        rs.c.band_vi,
        rs.c.derivation,
        rs.c.computed_at,
    )
    .join(rs, (rs.c.period_id == rk.c.period_id) & (rs.c.unit_id == rk.c.unit_id))
    .join(pa, (pa.c.period_id == rk.c.period_id) & (pa.c.unit_id == rk.c.unit_id))
    .order_by(rk.c.rank, pa.c.name)
)


async def ranking(
    session: AsyncSession, period_id: uuid.UUID, group_kind: str, group_key: str
) -> Sequence[sa.RowMapping]:
    query = _RANKING.where(rk.c.period_id == period_id, rk.c.group_kind == group_kind, rk.c.group_key == group_key)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def rankings(session: AsyncSession, period_id: uuid.UUID) -> Sequence[sa.RowMapping]:
    """Every ranking of the period, group by group (`group_kind`, `group_key` on each row), in one statement."""
    query = _RANKING.add_columns(rk.c.group_kind, rk.c.group_key).where(rk.c.period_id == period_id)
    query = query.order_by(None).order_by(rk.c.group_kind, rk.c.group_key, rk.c.rank, pa.c.name)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def store_rankings(session: AsyncSession, renderings: Sequence[dict[str, Any]]) -> None:
    if renderings:
        await session.execute(insert(pr), list(renderings))


async def drop_rankings(session: AsyncSession, period_id: uuid.UUID) -> None:
    await session.execute(sa.delete(pr).where(pr.c.period_id == period_id))


_PUBLISHED = sa.select(pr.c.body, pr.c.etag, pr.c.complete).where(
    pr.c.period_id == sa.bindparam("period_id"),
    pr.c.group_kind == sa.bindparam("group_kind"),
    pr.c.group_key == sa.bindparam("group_key"),
)


async def published_ranking(
    session: AsyncSession, period_id: uuid.UUID, group_kind: str, group_key: str
) -> sa.RowMapping | None:
    """The stored ranking of a published period (None: not published, or no such group)."""
    found = await session.execute(
        _PUBLISHED, {"period_id": period_id, "group_kind": group_kind, "group_key": group_key}
    )
    return found.mappings().first()


async def groups(session: AsyncSession, period_id: uuid.UUID) -> Sequence[sa.RowMapping]:
    rows: Sequence[sa.RowMapping] = (
        (
            await session.execute(
                sa.select(rk.c.group_kind, rk.c.group_key, sa.func.count().label("size"))
                .where(rk.c.period_id == period_id)
                .group_by(rk.c.group_kind, rk.c.group_key)
                .order_by(rk.c.group_kind, rk.c.group_key)
            )
        )
        .mappings()
        .all()
    )
    return rows


async def explain(
    session: AsyncSession, period_id: uuid.UUID, framework_id: uuid.UUID, unit_id: uuid.UUID
) -> Sequence[sa.RowMapping]:
    query = (
        sa.select(nd.c.code, nd.c.title, nd.c.kind, nd.c.method, sc.c.value, sc.c.target, sc.c.points, sc.c.max_points)
        .join(sc, (sc.c.node_code == nd.c.code) & (sc.c.period_id == period_id) & (sc.c.unit_id == unit_id))
        .where(nd.c.framework_id == framework_id)
        .order_by(nd.c.position)
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def node_scores(session: AsyncSession, period_id: uuid.UUID, code: str) -> Sequence[sa.RowMapping]:
    """Every unit's value and points for one node of the framework."""
    query = (
        sa.select(sc.c.unit_id, sc.c.value, sc.c.points, sc.c.max_points)
        .where(sc.c.period_id == period_id, sc.c.node_code == code)
        .order_by(sc.c.unit_id)
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def node_exists(session: AsyncSession, framework_id: uuid.UUID, code: str) -> bool:
    found = await session.scalar(sa.select(nd.c.code).where(nd.c.framework_id == framework_id, nd.c.code == code))
    return found is not None


async def target_progress(session: AsyncSession, period: Any, root: uuid.UUID) -> Sequence[sa.RowMapping]:
    """Per indicator with a target this year: how many participants under `root` (by level) reach it."""
    effective = sa.case(
        (vl.c.status == "returned", None), (vl.c.status == "adjusted", vl.c.appraised_value), else_=vl.c.value
    )
    under = sa.or_(pa.c.unit_id == root, sa.literal(root, sa.Uuid) == sa.any_(pa.c.path))
    on_tree = pa.c.on_start if period["reorganisation"] == Reorganisation.START else pa.c.on_end
    under = sa.and_(under, on_tree)  # the tree the period ranks on
    query = (
        sa.select(
            tg.c.indicator_code,
            nd.c.title,
            tg.c.level,
            tg.c.target,
            sa.func.count(pa.c.unit_id).label("units"),
            sa.func.count(pa.c.unit_id).filter(effective >= tg.c.target).label("reached"),
            sa.func.max(effective).filter(pa.c.unit_id == root).label("own_value"),
        )
        .select_from(tg)
        .join(nd, (nd.c.framework_id == tg.c.framework_id) & (nd.c.code == tg.c.indicator_code))
        .join(pa, (pa.c.period_id == period["id"]) & (pa.c.level == tg.c.level) & under)
        .outerjoin(
            vl,
            (vl.c.period_id == pa.c.period_id)
            & (vl.c.unit_id == pa.c.unit_id)
            & (vl.c.indicator_code == tg.c.indicator_code),
        )
        .where(tg.c.framework_id == period["framework_id"], tg.c.year == period["year"])
        .group_by(tg.c.indicator_code, nd.c.title, tg.c.level, tg.c.target, nd.c.position)
        .order_by(nd.c.position, tg.c.level)
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def save_derived(session: AsyncSession, values: dict[str, Any]) -> None:
    stmt = insert(rs).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[rs.c.period_id, rs.c.unit_id],
            set_={k: stmt.excluded[k] for k in values if k not in ("period_id", "unit_id")},
        )
    )


async def stale_marks(session: AsyncSession, period_id: uuid.UUID) -> list[int]:
    """The marks of the period's inputs changed since its scores were computed (committed ones)."""
    return list((await session.execute(sa.select(sm.c.id).where(sm.c.period_id == period_id))).scalars())


async def clear_marks(session: AsyncSession, ids: Sequence[int]) -> None:
    """Delete these marks only: one that committed after they were read may not be in the recompute yet."""
    await session.execute(sa.delete(sm).where(any_of(sm.c.id, ids, sa.BigInteger())))


async def freshness(session: AsyncSession, period_id: uuid.UUID) -> tuple[datetime | None, bool]:
    """When the period's scores were last computed (None: not recorded), and whether an input changed since."""
    row = (
        await session.execute(
            sa.select(
                sa.select(sr.c.computed_at).where(sr.c.period_id == period_id).scalar_subquery(),
                sa.exists().where(sm.c.period_id == period_id),
            )
        )
    ).one()
    return row[0], bool(row[1])


async def stale_periods(session: AsyncSession) -> list[uuid.UUID]:
    return list((await session.execute(sa.select(sm.c.period_id).distinct())).scalars())


async def clock(session: AsyncSession) -> datetime:
    """The database's time now (not the transaction's start)."""
    now = await session.scalar(sa.select(sa.func.clock_timestamp()))
    assert isinstance(now, datetime)
    return now


async def save_run(session: AsyncSession, period_id: uuid.UUID, computed_at: datetime, seconds: float) -> None:
    stmt = insert(sr).values(period_id=period_id, computed_at=computed_at, seconds=seconds)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[sr.c.period_id], set_={"computed_at": stmt.excluded.computed_at, "seconds": seconds}
        )
    )


async def run_seconds(session: AsyncSession, period_id: uuid.UUID) -> float | None:
    """How long the period's last recompute took (None: never computed)."""
    found: float | None = await session.scalar(sa.select(sr.c.seconds).where(sr.c.period_id == period_id))
    return found
