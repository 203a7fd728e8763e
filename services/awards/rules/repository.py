import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import any_of, table_of
from services.awards.models import Award, AwardForm, Decision, Rule, SubjectRecord
from services.awards.rules.errors import RuleExists

ru = table_of(Rule)
sr = table_of(SubjectRecord)
aw = table_of(Award)
de = table_of(Decision)
fm = table_of(AwardForm)


async def insert(session: AsyncSession, values: dict[str, Any]) -> None:
    try:
        async with session.begin_nested():
            await session.execute(sa.insert(ru).values(**values))
    except IntegrityError as exc:
        raise RuleExists() from exc


async def update(session: AsyncSession, rule_id: uuid.UUID, values: dict[str, Any]) -> None:
    await session.execute(
        sa.update(ru).where(ru.c.id == rule_id).values(version=ru.c.version + 1, updated_at=sa.func.now(), **values)
    )


async def get(session: AsyncSession, rule_id: uuid.UUID) -> sa.RowMapping | None:
    row: sa.RowMapping | None = (await session.execute(sa.select(ru).where(ru.c.id == rule_id))).mappings().first()
    return row


async def find(session: AsyncSession, movement_id: uuid.UUID | None, phase_code: str | None) -> Sequence[sa.RowMapping]:
    query = sa.select(ru).order_by(ru.c.movement_id, ru.c.phase_code, ru.c.title)
    if movement_id is not None:
        query = query.where(ru.c.movement_id == movement_id)
    if phase_code is not None:
        query = query.where(ru.c.phase_code == phase_code)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def history(
    session: AsyncSession, subject_ids: Sequence[uuid.UUID], first_year: int, last_year: int
) -> Sequence[sa.RowMapping]:
    """Recorded facts and awards issued here (as titles, by form code and decision year) of these subjects."""
    records = sa.select(sr.c.subject_id, sr.c.kind, sr.c.year, sr.c.value).where(
        any_of(sr.c.subject_id, subject_ids, sa.Uuid()), sr.c.year.between(first_year, last_year)
    )
    subject = sa.func.coalesce(aw.c.unit_id, aw.c.person_id)
    awards = (
        sa.select(subject, sa.literal("title"), de.c.year, fm.c.code)
        .join(de, de.c.id == aw.c.decision_id)
        .join(fm, fm.c.id == aw.c.form_id)
        .where(
            any_of(subject, subject_ids, sa.Uuid()),
            aw.c.status == "issued",
            de.c.status == "published",
            de.c.year.between(first_year, last_year),
        )
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(records.union_all(awards))).mappings().all()
    return rows
