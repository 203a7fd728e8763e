import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import any_of, table_of
from services.awards.councils.errors import AlreadyVoted
from services.awards.models import Ballot, Council, CouncilItem, CouncilMember, Nominee

co = table_of(Council)
cm = table_of(CouncilMember)
ci = table_of(CouncilItem)
ba = table_of(Ballot)
ne = table_of(Nominee)


async def insert(
    session: AsyncSession,
    council: dict[str, Any],
    members: Sequence[dict[str, Any]],
    items: Sequence[dict[str, Any]],
) -> None:
    await session.execute(sa.insert(co).values(**council))
    await session.execute(sa.insert(cm), list(members))
    await session.execute(sa.insert(ci), list(items))


async def get(session: AsyncSession, council_id: uuid.UUID, *, lock: str | None = None) -> sa.RowMapping | None:
    query = sa.select(co).where(co.c.id == council_id)
    if lock == "update":
        query = query.with_for_update()
    elif lock == "share":
        query = query.with_for_update(read=True)
    row: sa.RowMapping | None = (await session.execute(query)).mappings().first()
    return row


async def members(session: AsyncSession, council_id: uuid.UUID) -> Sequence[sa.RowMapping]:
    query = sa.select(cm).where(cm.c.council_id == council_id).order_by(cm.c.username)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def set_attendance(session: AsyncSession, council_id: uuid.UUID, present: Sequence[str]) -> None:
    await session.execute(
        sa.update(cm).where(cm.c.council_id == council_id).values(present=any_of(cm.c.username, present, sa.Text()))
    )
    await bump(session, council_id)


async def bump(session: AsyncSession, council_id: uuid.UUID, *, closing: bool = False) -> None:
    """A new version (attendance changed, or the session closed)."""
    values: dict[str, Any] = {"status": "closed", "closed_at": sa.func.now()} if closing else {}
    await session.execute(sa.update(co).where(co.c.id == council_id).values(version=co.c.version + 1, **values))


async def items(session: AsyncSession, council_id: uuid.UUID) -> Sequence[sa.RowMapping]:
    voted = (
        sa.select(sa.func.count())
        .where(ba.c.council_id == ci.c.council_id, ba.c.nominee_id == ci.c.nominee_id)
        .scalar_subquery()
    )
    query = (
        sa.select(ci, ne.c.name, ne.c.form_code, ne.c.position, voted.label("voted"))
        .join(ne, ne.c.id == ci.c.nominee_id)
        .where(ci.c.council_id == council_id)
        .order_by(ci.c.nomination_id, ne.c.position)
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def open_votes(session: AsyncSession, council_id: uuid.UUID) -> Sequence[sa.RowMapping]:
    query = sa.select(ba).where(ba.c.council_id == council_id, ba.c.choice.is_not(None))
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


_TALLY = sa.text("""
    update awards.council_items i set
        yes = i.yes + case when t.choice = 'yes' and not :written then 1 else 0 end,
        written_yes = i.written_yes + case when t.choice = 'yes' and :written then 1 else 0 end,
        no = i.no + case when t.choice = 'no' then 1 else 0 end,
        abstain = i.abstain + case when t.choice = 'abstain' then 1 else 0 end
    from unnest(:nominees, :choices) as t(nominee_id, choice)
    where i.council_id = :council and i.nominee_id = t.nominee_id
""").bindparams(sa.bindparam("nominees", type_=ARRAY(sa.Uuid)), sa.bindparam("choices", type_=ARRAY(sa.Text)))


async def cast(
    session: AsyncSession,
    council_id: uuid.UUID,
    username: str,
    votes: Sequence[tuple[uuid.UUID, str, bool]],
    written: bool,
) -> None:
    """Record that the member voted (with the choice only where the ballot is open) and add to the counts."""
    try:
        async with session.begin_nested():
            await session.execute(
                sa.insert(ba),
                [
                    {
                        "council_id": council_id,
                        "nominee_id": n,
                        "username": username,
                        "written": written,
                        "choice": choice if is_open else None,
                    }
                    for n, choice, is_open in votes
                ],
            )
    except IntegrityError as exc:
        raise AlreadyVoted() from exc
    await session.execute(
        _TALLY,
        {
            "council": council_id,
            "written": written,
            "nominees": [v[0] for v in votes],
            "choices": [v[1] for v in votes],
        },
    )


async def written_votes(session: AsyncSession, council_id: uuid.UUID) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        sa.select(ba.c.nominee_id, sa.func.count())
        .where(ba.c.council_id == council_id, ba.c.written.is_(True))
        .group_by(ba.c.nominee_id)
    )
    return {r[0]: r[1] for r in rows}


async def save_results(session: AsyncSession, council_id: uuid.UUID, results: Sequence[tuple[uuid.UUID, str]]) -> None:
    lines = {"nominees": [r[0] for r in results], "results": [r[1] for r in results]}
    await session.execute(_RESULTS, lines | {"council": council_id})
    await session.execute(_LINE_RESULTS, lines)


_RESULTS = sa.text("""
    update awards.council_items i set result = t.result
    from unnest(:nominees, :results) as t(nominee_id, result)
    where i.council_id = :council and i.nominee_id = t.nominee_id
""").bindparams(sa.bindparam("nominees", type_=ARRAY(sa.Uuid)), sa.bindparam("results", type_=ARRAY(sa.Text)))
_LINE_RESULTS = sa.text("""
    update awards.nominees n set council_result = t.result
    from unnest(:nominees, :results) as t(nominee_id, result) where n.id = t.nominee_id
""").bindparams(sa.bindparam("nominees", type_=ARRAY(sa.Uuid)), sa.bindparam("results", type_=ARRAY(sa.Text)))


async def tallies(session: AsyncSession, nominee_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, sa.RowMapping]:
    """Each line's last counted vote (council, result and counts; yes with the written votes), by nominee: what a
    decision follows or departs from."""
    query = (
        sa.select(
            ci.c.nominee_id,
            ci.c.council_id,
            ci.c.result,
            (ci.c.yes + ci.c.written_yes).label("yes"),
            ci.c.no,
            ci.c.abstain,
        )
        .join(co, co.c.id == ci.c.council_id)
        .where(any_of(ci.c.nominee_id, nominee_ids, sa.Uuid()), ci.c.result.is_not(None))
        .order_by(co.c.closed_at)
    )
    return {r["nominee_id"]: r for r in (await session.execute(query)).mappings()}  # the last closed one stays
