import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit import workflow
from kit.db import any_of, table_of, violated_constraint
from kit.repository import Keyed
from services.awards.models import DossierDocument, Nomination, Nominee, nomination_transitions

nm = table_of(Nomination)
ne = table_of(Nominee)
dd = table_of(DossierDocument)
nominations: Keyed[uuid.UUID] = Keyed(nm)
transitions = nomination_transitions  # the dossier's timeline


async def insert(
    session: AsyncSession, nomination: dict[str, Any], nominees: Sequence[dict[str, Any]], actor: str
) -> bool:
    """Store a draft; False, storing nothing, when a line's achievement is already held (the unique index decides,
    so of two concurrent identical dossiers exactly one is stored)."""
    try:
        async with session.begin_nested():
            await session.execute(sa.insert(nm).values(**nomination))
            await session.execute(sa.insert(ne), list(nominees))
    except IntegrityError as exc:
        if violated_constraint(exc) == "uq_nominees_achievement":
            return False
        raise
    await workflow.record(session, transitions, nomination["id"], actor, None, "draft")
    return True


_HOLDERS = sa.text("""
    select l.subject_key, l.id as nominee_id, l.position, l.name, n.id as nomination_id, n.title, n.status,
           n.achievement_year, d.id as decision_id, d.number as decision_number, d.notation as decision_notation
    from awards.nominees l
    join awards.nominations n on n.id = l.nomination_id
    left join awards.awards a on a.nominee_id = l.id
    left join awards.decisions d on d.id = a.decision_id
    where l.form_code = :form and l.achievement_key = :key and l.subject_key = any(:subjects)
      and l.outcome is distinct from 'refused' and not l.withdrawn
    order by n.created_at, n.id, l.position
""").bindparams(sa.bindparam("subjects", type_=ARRAY(sa.Text)))


async def holders(
    session: AsyncSession, form_code: str, achievement_key: str, subject_keys: Sequence[str]
) -> Sequence[sa.RowMapping]:
    """The live lines that hold this form and achievement for these subjects (what blocks a new nomination)."""
    params = {"form": form_code, "key": achievement_key, "subjects": list(subject_keys)}
    rows: Sequence[sa.RowMapping] = (await session.execute(_HOLDERS, params)).mappings().all()
    return rows


async def withdraw_lines(session: AsyncSession, nomination_id: uuid.UUID) -> None:
    """A withdrawn dossier's lines free their achievements for a new one."""
    await session.execute(sa.update(ne).where(ne.c.nomination_id == nomination_id).values(withdrawn=True))


async def add_documents(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(sa.insert(dd), list(rows))


async def delete_document(session: AsyncSession, nomination_id: uuid.UUID, document_id: uuid.UUID) -> bool:
    result = await session.execute(
        sa.delete(dd).where(dd.c.nomination_id == nomination_id, dd.c.id == document_id).returning(dd.c.id)
    )
    return result.first() is not None


async def many(session: AsyncSession, ids: Sequence[uuid.UUID], *, lock: bool = False) -> Sequence[sa.RowMapping]:
    query = sa.select(nm).where(any_of(nm.c.id, ids, sa.Uuid())).order_by(nm.c.id)
    if lock:
        query = query.with_for_update()
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def nominees(
    session: AsyncSession, nomination_ids: Sequence[uuid.UUID], *, withdrawn: bool = False
) -> Sequence[sa.RowMapping]:
    """The lines of these nominations (those withdrawn too, if asked: a withdrawn dossier still shows its lines)."""
    query = sa.select(ne).where(any_of(ne.c.nomination_id, nomination_ids, sa.Uuid()))
    if not withdrawn:
        query = query.where(ne.c.withdrawn.is_(False))
    query = query.order_by(ne.c.nomination_id, ne.c.position)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def nominees_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> Sequence[sa.RowMapping]:
    query = sa.select(ne).where(any_of(ne.c.id, ids, sa.Uuid()), ne.c.withdrawn.is_(False)).order_by(ne.c.position)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def documents(session: AsyncSession, nomination_id: uuid.UUID) -> Sequence[sa.RowMapping]:
    query = sa.select(dd).where(dd.c.nomination_id == nomination_id).order_by(dd.c.added_at, dd.c.code)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def move(
    session: AsyncSession,
    nomination_id: uuid.UUID,
    actor: str,
    from_status: str,
    to_status: str,
    reason: str | None,
    due_on: date | None,
) -> None:
    """A new status (and the due day of its next step), and its entry in the timeline."""
    await nominations.bump(session, nomination_id, status=to_status, due_on=due_on)
    await workflow.record(session, transitions, nomination_id, actor, from_status, to_status, reason)


_OUTCOMES = sa.text("""
    update awards.nominees n set outcome = t.outcome, outcome_reason = t.reason
    from unnest(:ids, :outcomes, :reasons) as t(id, outcome, reason) where n.id = t.id
""").bindparams(
    sa.bindparam("ids", type_=ARRAY(sa.Uuid)),
    sa.bindparam("outcomes", type_=ARRAY(sa.Text)),
    sa.bindparam("reasons", type_=ARRAY(sa.Text)),
)


async def set_outcomes(session: AsyncSession, outcomes: Sequence[tuple[uuid.UUID, str, str | None]]) -> None:
    """Approved or refused, line by line, in one statement."""
    await session.execute(
        _OUTCOMES,
        {"ids": [o[0] for o in outcomes], "outcomes": [o[1] for o in outcomes], "reasons": [o[2] for o in outcomes]},
    )


async def find(
    session: AsyncSession,
    scope: uuid.UUID | None,
    *,
    status: str | None,
    movement_id: uuid.UUID | None,
    overdue_on: date | None,
    open_statuses: Sequence[str],
    after: uuid.UUID | None,
    limit: int,
) -> Sequence[sa.RowMapping]:
    """Nominations filed by or addressed to units under `scope` (None: every one)."""
    query = sa.select(nm)
    if scope is not None:
        unit = sa.literal(scope, sa.Uuid)
        query = query.where(sa.or_(unit == sa.any_(nm.c.proposer_path), unit == sa.any_(nm.c.authority_path)))
    if status is not None:
        query = query.where(nm.c.status == status)
    if movement_id is not None:
        query = query.where(nm.c.movement_id == movement_id)
    if overdue_on is not None:
        query = query.where(nm.c.due_on < overdue_on, any_of(nm.c.status, open_statuses, sa.Text()))
    if after is not None:
        query = query.where(nm.c.id > after)
    rows: Sequence[sa.RowMapping] = (await session.execute(query.order_by(nm.c.id).limit(limit + 1))).mappings().all()
    return rows


async def mark_escalated(session: AsyncSession, nomination_id: uuid.UUID, source: uuid.UUID) -> None:
    await session.execute(sa.update(nm).where(nm.c.id == nomination_id).values(escalated_from=source))


async def lines_for(
    session: AsyncSession, movement_id: uuid.UUID, phase_code: str, form_code: str
) -> Sequence[sa.RowMapping]:
    """Every live line nominated for a form in a movement's phase (what a rule over nominees evaluates)."""
    query = (
        sa.select(ne)
        .where(
            ne.c.movement_id == movement_id,
            ne.c.phase_code == phase_code,
            ne.c.form_code == form_code,
            ne.c.withdrawn.is_(False),
            sa.or_(ne.c.outcome.is_(None), ne.c.outcome != "refused"),
        )
        .order_by(ne.c.name)
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def count_by_status(
    session: AsyncSession, *, overdue_on: date, open_statuses: Sequence[str]
) -> dict[str, tuple[int, int]]:
    """Dossiers in each status, and of those how many are still open past their due day (before `overdue_on`)."""
    overdue = sa.and_(nm.c.due_on < overdue_on, any_of(nm.c.status, open_statuses, sa.Text()))
    query = sa.select(nm.c.status, sa.func.count(), sa.func.count().filter(overdue)).group_by(nm.c.status)
    return {status: (all_, late) for status, all_, late in await session.execute(query)}
