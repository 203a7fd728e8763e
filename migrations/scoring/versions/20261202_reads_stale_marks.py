"""scoring: stale marks become append-only rows; the last recompute of a period is kept

Reads no longer recompute. A write adds a mark (one row per write, an identity key: writers never wait on each
other's mark or on a recompute clearing it), and the recompute that follows deletes the marks it saw. A period
marked stale before the upgrade keeps one mark, so the next start recomputes it. `score_runs` keeps when a period
was last computed and how long that took.

Revision ID: 20261202_reads_scoring
Revises: 20261202_mergers_scoring
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_reads_scoring"
down_revision: str | None = "20261202_mergers_scoring"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stale_marks",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["scoring.periods.id"], name=op.f("fk_stale_marks_period_id_periods"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stale_marks")),
        schema="scoring",
    )
    op.create_index(op.f("ix_stale_marks_period_id"), "stale_marks", ["period_id"], unique=False, schema="scoring")
    op.create_table(
        "score_runs",
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["scoring.periods.id"], name=op.f("fk_score_runs_period_id_periods"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("period_id", name=op.f("pk_score_runs")),
        schema="scoring",
    )
    op.execute("insert into scoring.stale_marks (period_id, at) select period_id, since from scoring.stale_scores")
    op.drop_table("stale_scores", schema="scoring")


def downgrade() -> None:
    op.create_table(
        "stale_scores",
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["scoring.periods.id"], name=op.f("fk_stale_scores_period_id_periods"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("period_id", name=op.f("pk_stale_scores")),
        schema="scoring",
    )
    op.execute(
        "insert into scoring.stale_scores (period_id, since)"
        " select period_id, min(at) from scoring.stale_marks group by period_id"
    )
    op.drop_table("score_runs", schema="scoring")
    op.drop_index(op.f("ix_stale_marks_period_id"), table_name="stale_marks", schema="scoring")
    op.drop_table("stale_marks", schema="scoring")
