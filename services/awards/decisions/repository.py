import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import any_of, table_of
from services.awards.decisions.errors import InAnotherDecision
from services.awards.models import Award, Decision, DecisionCounter, Nominee

de = table_of(Decision)
aw = table_of(Award)
dc = table_of(DecisionCounter)
ne = table_of(Nominee)


async def next_number(session: AsyncSession, issuer_unit_id: uuid.UUID, year: int) -> int:
    """The body's next number this year. The counter row stays locked until commit, so concurrent decisions queue
    here and a rolled-back one gives its number back: numbers are unique and without gaps."""
    stmt = insert(dc).values(issuer_unit_id=issuer_unit_id, year=year, last=1)
    stmt = stmt.on_conflict_do_update(index_elements=[dc.c.issuer_unit_id, dc.c.year], set_={"last": dc.c.last + 1})
    number: int = (await session.execute(stmt.returning(dc.c.last))).scalar_one()
    return number


async def insert_decision(session: AsyncSession, decision: dict[str, Any], awards: Sequence[dict[str, Any]]) -> None:
    await session.execute(sa.insert(de).values(**decision))
    try:
        async with session.begin_nested():
            await session.execute(sa.insert(aw), list(awards))
    except IntegrityError as exc:
        raise InAnotherDecision() from exc


async def get(session: AsyncSession, decision_id: uuid.UUID, *, lock: bool = False) -> sa.RowMapping | None:
    query = sa.select(de).where(de.c.id == decision_id)
    if lock:
        query = query.with_for_update()
    row: sa.RowMapping | None = (await session.execute(query)).mappings().first()
    return row


async def awards(session: AsyncSession, decision_ids: Sequence[uuid.UUID]) -> Sequence[sa.RowMapping]:
    """The awardees of these decisions, each with its line's council vote and the signer's reason."""
    query = (
        sa.select(aw, ne.c.council_result, ne.c.outcome_reason)
        .join(ne, ne.c.id == aw.c.nominee_id)
        .where(any_of(aw.c.decision_id, decision_ids, sa.Uuid()))
        .order_by(aw.c.decision_id, aw.c.name)
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


_VOTED_LINES = sa.text("""
    select distinct on (a.decision_id, l.nomination_id, l.position)
           a.decision_id, l.id as nominee_id, l.nomination_id, l.position, l.name, l.detail, l.council_result,
           l.outcome, l.outcome_reason, mine.id is not null as in_decision
    from awards.awards a
    join awards.nominees l on l.nomination_id = a.nomination_id
    left join awards.awards mine on mine.nominee_id = l.id and mine.decision_id = a.decision_id
    where a.decision_id = any(:ids) and not l.withdrawn and l.outcome is not null and l.council_result is not null
    order by a.decision_id, l.nomination_id, l.position
""").bindparams(sa.bindparam("ids", type_=sa.ARRAY(sa.Uuid)))


async def voted_lines(session: AsyncSession, decision_ids: Sequence[uuid.UUID]) -> Sequence[sa.RowMapping]:
    """Every decided line the council voted on, of the nominations these decisions draw from (in_decision: the line
    is an awardee of that decision)."""
    rows: Sequence[sa.RowMapping] = (await session.execute(_VOTED_LINES, {"ids": list(decision_ids)})).mappings().all()
    return rows


async def award(session: AsyncSession, award_id: uuid.UUID, *, lock: bool = False) -> sa.RowMapping | None:
    query = sa.select(aw).where(aw.c.id == award_id)
    if lock:
        query = query.with_for_update()
    row: sa.RowMapping | None = (await session.execute(query)).mappings().first()
    return row


async def publish(session: AsyncSession, decision_id: uuid.UUID) -> None:
    await session.execute(
        sa.update(de)
        .where(de.c.id == decision_id)
        .values(status="published", published_at=sa.func.now(), version=de.c.version + 1)
    )


async def revoke(session: AsyncSession, award_id: uuid.UUID, reason: str, actor: str) -> None:
    await session.execute(
        sa.update(aw)
        .where(aw.c.id == award_id)
        .values(status="revoked", revoked_reason=reason, revoked_by=actor, revoked_at=sa.func.now())
    )


async def fully_issued(session: AsyncSession, nomination_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Of these nominations, those whose every approved line is in a published decision."""
    rows = await session.execute(
        sa.text("""
            select n.nomination_id from awards.nominees n
            left join awards.awards a on a.nominee_id = n.id
            left join awards.decisions d on d.id = a.decision_id and d.status = 'published'
            where n.nomination_id = any(:ids) and n.outcome = 'approved' and not n.withdrawn
            group by n.nomination_id
            having bool_and(d.id is not null)
        """).bindparams(sa.bindparam("ids", type_=sa.ARRAY(sa.Uuid))),
        {"ids": list(nomination_ids)},
    )
    return [r[0] for r in rows]


async def find(
    session: AsyncSession,
    *,
    scope: uuid.UUID | None,
    everything: bool,
    issuer_unit_id: uuid.UUID | None,
    year: int | None,
    published_since: datetime | None = None,
    after: Sequence[Any] | None,
    limit: int,
) -> Sequence[sa.RowMapping]:
    """Published decisions, plus the signed ones of bodies under `scope` (all of them when `everything`)."""
    query = sa.select(de)
    if not everything:
        visible = de.c.status == "published"
        if scope is not None:
            visible = sa.or_(visible, sa.literal(scope, sa.Uuid) == sa.any_(de.c.issuer_path))
        query = query.where(visible)
    if issuer_unit_id is not None:
        query = query.where(de.c.issuer_unit_id == issuer_unit_id)
    if year is not None:
        query = query.where(de.c.year == year)
    if published_since is not None:
        query = query.where(de.c.published_at >= published_since)
    if after:
        query = query.where(
            sa.tuple_(de.c.signed_on, de.c.id) < sa.tuple_(sa.literal(after[0], sa.Date), sa.literal(after[1]))
        )
    query = query.order_by(de.c.signed_on.desc(), de.c.id.desc()).limit(limit + 1)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows
