"""Workflow transitions: which moves are allowed from a state, the 409 that lists them when one is not, and the
log that keeps every move (who, when, from, to, why), one table per workflow built by `transition_log`."""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import any_of
from kit.problems import Conflict, Text


class TransitionNotAllowed(Conflict):
    slug = "transition-not-allowed"
    title = Text("Không chuyển được trạng thái", "Transition not allowed")


def require_transition(allowed: Iterable[tuple[StrEnum, StrEnum]], current: StrEnum, to: StrEnum) -> None:
    """Raise a 409 naming the allowed targets unless (current → to) is one of `allowed`."""
    pairs = set(allowed)
    if (current, to) in pairs:
        return
    targets = sorted(t.value for f, t in pairs if f == current)
    listed_vi, listed_en = ", ".join(targets) or "không", ", ".join(targets) or "none"
    raise TransitionNotAllowed(
        Text(
            f"Không thể chuyển từ {current.value} sang {to.value}; được phép: {listed_vi}",
            f"Cannot go from {current.value} to {to.value}; allowed: {listed_en}",
        ),
        allowed=targets,
        current=current.value,
    )


def transition_log(metadata: sa.MetaData, name: str, subject: sa.Table, *, cascade: bool = True) -> sa.Table:
    """The append-only log of a workflow, declared in a service's own MetaData (and so in its schema and
    migrations): one row per move of a `subject` row, written in the transaction that changes its status.

    `detail` holds what a service records beside the move (a choice in force from then on, say); `cascade`: the
    entries go with their subject (False: a subject with a history cannot be deleted)."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "subject_id",
            sa.Uuid,
            sa.ForeignKey(subject.c.id, ondelete="CASCADE" if cascade else None),
            nullable=False,
            index=True,
        ),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("from_status", sa.Text),  # null: the subject's first entry
        sa.Column("to_status", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("detail", JSONB),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )


async def record(
    session: AsyncSession,
    log: sa.Table,
    subject_id: uuid.UUID,
    actor: str,
    from_status: str | None,
    to_status: str,
    reason: str | None = None,
    *,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one entry to a `transition_log`: `actor` moved the subject from `from_status` (None: it was just
    created) to `to_status`, which may equal it for a note on the way (a paper filing, a council's vote)."""
    await session.execute(
        sa.insert(log).values(
            subject_id=subject_id,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            detail=None if detail is None else dict(detail),
        )
    )


async def histories(
    session: AsyncSession, log: sa.Table, subject_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[sa.RowMapping]]:
    """The entries of these subjects, oldest first (a subject without any is absent): one query."""
    query = sa.select(log).where(any_of(log.c.subject_id, subject_ids, sa.Uuid())).order_by(log.c.id)
    found: dict[uuid.UUID, list[sa.RowMapping]] = {}
    for row in (await session.execute(query)).mappings():
        found.setdefault(row["subject_id"], []).append(row)
    return found
