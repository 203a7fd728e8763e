import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import any_of, table_of
from services.awards.models import Award, AwardForm, Decision, SubjectRecord

sr = table_of(SubjectRecord)
aw = table_of(Award)
de = table_of(Decision)
fm = table_of(AwardForm)


async def add_records(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> Sequence[sa.RowMapping]:
    result = await session.execute(sa.insert(sr).returning(*sr.c), list(rows))
    found: Sequence[sa.RowMapping] = result.mappings().all()
    return found


async def records(session: AsyncSession, subject_id: uuid.UUID) -> Sequence[sa.RowMapping]:
    query = sa.select(sr).where(sr.c.subject_id == subject_id).order_by(sr.c.year.desc(), sr.c.kind)
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows


async def awards_of(session: AsyncSession, column: str, subject_ids: Sequence[uuid.UUID]) -> Sequence[sa.RowMapping]:
    """Awards of published decisions for these units (column unit_id) or people (person_id), newest first."""
    subject = aw.c[column]
    query = (
        sa.select(
            aw.c.id.label("award_id"),
            subject.label("subject_id"),
            aw.c.subject_type,
            aw.c.name,
            aw.c.amount,
            aw.c.status,
            aw.c.revoked_reason,
            fm.c.code.label("form_code"),
            fm.c.name_vi.label("form_name"),
            de.c.id.label("decision_id"),
            de.c.number,
            de.c.notation,
            de.c.signed_on,
            de.c.issuer_name,
        )
        .join(de, de.c.id == aw.c.decision_id)
        .join(fm, fm.c.id == aw.c.form_id)
        .where(any_of(subject, subject_ids, sa.Uuid()), de.c.status == "published")
        .order_by(de.c.signed_on.desc(), aw.c.name)
    )
    rows: Sequence[sa.RowMapping] = (await session.execute(query)).mappings().all()
    return rows
