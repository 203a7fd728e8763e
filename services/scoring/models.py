"""ORM of the scoring schema. A unit is referenced by its registry UUID only (no cross-schema keys)."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import service_metadata, table_of, timestamp
from kit.idempotency import idempotency_table
from kit.workflow import transition_log

SCHEMA = "scoring"


class Base(DeclarativeBase):
    metadata = service_metadata(SCHEMA)


idempotency_keys = idempotency_table(Base.metadata)


class Framework(Base):
    """Bộ chỉ số: one version of a framework. Published versions never change."""

    __tablename__ = "frameworks"
    __table_args__ = (sa.UniqueConstraint("code", "version"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.Text)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(sa.Text)
    decision_number: Mapped[str | None] = mapped_column(sa.Text)
    decision_date: Mapped[date | None] = mapped_column(sa.Date)
    decision_issuer: Mapped[str | None] = mapped_column(sa.Text)
    unit_kinds: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    unit_levels: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    max_points: Mapped[Decimal] = mapped_column(sa.Numeric(12, 4))
    status: Mapped[str] = mapped_column(sa.Text, server_default="draft")
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = timestamp()


class Band(Base):
    """Classification band: a score over 100 at or above `lower_bound` gets the label."""

    __tablename__ = "bands"

    framework_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("frameworks.id", ondelete="CASCADE"), primary_key=True
    )
    lower_bound: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2), primary_key=True)
    label_vi: Mapped[str] = mapped_column(sa.Text)
    label_en: Mapped[str] = mapped_column(sa.Text)


class Node(Base):
    """Pillar, main index or component indicator of a framework."""

    __tablename__ = "nodes"
    __table_args__ = (sa.UniqueConstraint("framework_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    framework_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("frameworks.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.Text)
    parent_code: Mapped[str | None] = mapped_column(sa.Text)
    ancestors: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    kind: Mapped[str] = mapped_column(sa.Text)
    title: Mapped[str] = mapped_column(sa.Text)
    max_points: Mapped[Decimal] = mapped_column(sa.Numeric(12, 4))
    position: Mapped[int]
    value_type: Mapped[str | None] = mapped_column(sa.Text)
    method: Mapped[str | None] = mapped_column(sa.Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    evidence_required: Mapped[bool] = mapped_column(server_default=sa.false())
    evidence_note: Mapped[str | None] = mapped_column(sa.Text)
    data_source: Mapped[str | None] = mapped_column(sa.Text)
    verifying_unit: Mapped[str | None] = mapped_column(sa.Text)


class Target(Base):
    """A plan's target for an indicator, per year and unit level (e.g. 80% in 2025 for communes)."""

    __tablename__ = "targets"

    framework_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("frameworks.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_code: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    target: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4))


class Period(Base):
    __tablename__ = "periods"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    framework_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("frameworks.id"), index=True)
    movement_id: Mapped[uuid.UUID | None]
    title: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.Text)
    year: Mapped[int]
    number: Mapped[int | None]
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    scope_unit_id: Mapped[uuid.UUID]
    scope_path: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(sa.Uuid), server_default="{}")
    registered_only: Mapped[bool] = mapped_column(server_default=sa.false())
    # How a merger, split or partial transfer inside the period is ranked (vocabulary.Reorganisation), and how a
    # successor's score is derived from its predecessors' (vocabulary.DerivationRule).
    reorganisation: Mapped[str] = mapped_column(sa.Text, server_default="end")
    derivation_rule: Mapped[str] = mapped_column(sa.Text, server_default="mean_index")
    status: Mapped[str] = mapped_column(sa.Text, server_default="open")
    version: Mapped[int] = mapped_column(server_default="1")
    created_at: Mapped[datetime] = timestamp()


class StaleMark(Base):
    """An input of a period's scores changed (values, their review, participants, the snapshot) since they were
    computed. Append-only, one row per write: a writer inserts and never waits on another writer or on a recompute,
    and a recompute deletes only the marks it saw before it read the inputs."""

    __tablename__ = "stale_marks"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    period_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = timestamp()


class ScoreRun(Base):
    """The last recompute of a period: when it read its inputs and how long it took (a write waits for a short
    recompute of its period, not for a long one)."""

    __tablename__ = "score_runs"

    period_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    seconds: Mapped[float]


class PublishedRanking(Base):
    """A published period's ranking as anonymous callers are served it (the JSON body and its ETag), written when the
    period is published and deleted when it is reopened: reading it is one statement and no serialisation.
    `complete`: no row is left out for anonymous callers (no household), so every caller may be served it."""

    __tablename__ = "published_rankings"

    period_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True)
    group_kind: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    group_key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    period_version: Mapped[int]
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    etag: Mapped[str] = mapped_column(sa.Text)
    complete: Mapped[bool]
    created_at: Mapped[datetime] = timestamp()


# A period's status; an entry's `detail` holds the reorganisation choice in force after it and the lineage events
# that choice followed (null: unchanged).
period_transitions = transition_log(Base.metadata, "period_transitions", table_of(Period))


class Participant(Base):
    """Snapshot of a participating unit, taken from the registry when the period opens and again when it locks:
    the units of the tree on the period's first day and those of its last day."""

    __tablename__ = "participants"

    period_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.Text)
    level: Mapped[str] = mapped_column(sa.Text)
    path: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(sa.Uuid), server_default="{}")
    bloc_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(sa.Uuid), server_default="{}")
    peer_group: Mapped[str | None] = mapped_column(sa.Text)
    ranked: Mapped[bool] = mapped_column(server_default=sa.true())
    on_start: Mapped[bool] = mapped_column(server_default=sa.true())  # on the tree of the period's first day
    on_end: Mapped[bool] = mapped_column(server_default=sa.true())  # on the tree of its last day


class PeriodLineage(Base):
    """A link of a lineage event effective inside the period (after its first day, up to its last), copied from
    the registry with the participants: a predecessor's part (share, null: whole) went to a successor."""

    __tablename__ = "period_lineage"

    period_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    predecessor_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    successor_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    share: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 4))
    kind: Mapped[str] = mapped_column(sa.Text)
    effective_date: Mapped[date] = mapped_column(sa.Date)
    act_number: Mapped[str] = mapped_column(sa.Text)
    act_date: Mapped[date] = mapped_column(sa.Date)
    act_issuer: Mapped[str] = mapped_column(sa.Text)


class EvidenceFile(Base):
    __tablename__ = "evidence_files"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    period_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[uuid.UUID]
    filename: Mapped[str] = mapped_column(sa.Text)
    content_type: Mapped[str] = mapped_column(sa.Text)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.Text)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(sa.Text)
    uploaded_at: Mapped[datetime] = timestamp()


class Value(Base):
    """A unit's value for an indicator in a period: self-assessed, and the appraised value beside it."""

    __tablename__ = "unit_values"

    period_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    indicator_code: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    value: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    numerator: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    denominator: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    flag: Mapped[bool | None]
    category: Mapped[str | None] = mapped_column(sa.Text)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    status: Mapped[str] = mapped_column(sa.Text, server_default="draft")
    appraised_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    appraised_flag: Mapped[bool | None]
    appraised_category: Mapped[str | None] = mapped_column(sa.Text)
    review_reason: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(server_default="1")
    updated_by: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = timestamp()
    # Who entered the value first, and how: a value's history opens with this, so a batch of new values writes no
    # history rows (every later change does; its `old` is what was entered). Null for values entered before.
    created_by: Mapped[str | None] = mapped_column(sa.Text)
    created_action: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())


class ValueChange(Base):
    """Every change of a value: who, when, what it was, what it became. Append-only and written in the same
    statement as the value it logs (which has the foreign key), so it carries none of its own."""

    __tablename__ = "value_changes"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    period_id: Mapped[uuid.UUID]
    unit_id: Mapped[uuid.UUID]
    indicator_code: Mapped[str] = mapped_column(sa.Text)
    actor: Mapped[str] = mapped_column(sa.Text)
    action: Mapped[str] = mapped_column(sa.Text)
    old: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    at: Mapped[datetime] = timestamp()

    __table_args__ = (sa.Index("ix_value_changes_value", "period_id", "unit_id", "indicator_code"),)


class Score(Base):
    """Points of a unit on one node (indicator, index or pillar) in a period. Derived data, rewritten whole by each
    recompute under the period's row lock: no foreign key, whose per-row check would double the cost of the write."""

    __tablename__ = "scores"

    period_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    node_code: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    points: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4))
    max_points: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4))
    value: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    target: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))


class Result(Base):
    """A unit's total for a period, its score over 100, index value and class (or a derived one after a merger)."""

    __tablename__ = "results"

    period_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    total: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4))
    max_points: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4))
    score100: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2))
    index_value: Mapped[Decimal] = mapped_column(sa.Numeric(6, 4))
    band_vi: Mapped[str | None] = mapped_column(sa.Text)
    band_en: Mapped[str | None] = mapped_column(sa.Text)
    derivation: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    computed_at: Mapped[datetime] = timestamp()


class Rank(Base):
    """Derived like Score (no foreign key, same reason)."""

    __tablename__ = "ranks"

    period_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    group_kind: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    group_key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    rank: Mapped[int]
    group_size: Mapped[int]
