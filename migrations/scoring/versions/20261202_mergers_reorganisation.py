"""scoring: a period's reorganisation choice, its derivation rule and the lineage it follows

A period ranks a merger, split or partial transfer inside it on the tree of its first day (`start`) or of its last
day (`end`, with successors' scores derived from their predecessors'). Participants are the units of both trees
(`on_start`, `on_end`); `period_lineage` holds the registry's links of the events effective inside the period; a
history entry may carry the choice and the events it followed (`details`). Existing periods rank on the tree of
their last day, as they did (`end`), and their participants count as on both trees.

Revision ID: 20261202_mergers_scoring
Revises: 20261202_faults_scoring
Create Date: 2026-12-02 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "20261202_mergers_scoring"
down_revision: str | None = "20261202_faults_scoring"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "periods", sa.Column("reorganisation", sa.Text(), server_default="end", nullable=False), schema="scoring"
    )
    op.add_column(
        "periods",
        sa.Column("derivation_rule", sa.Text(), server_default="mean_index", nullable=False),
        schema="scoring",
    )
    op.add_column("period_transitions", sa.Column("details", JSONB()), schema="scoring")
    op.add_column(
        "participants", sa.Column("on_start", sa.Boolean(), server_default=sa.true(), nullable=False), schema="scoring"
    )
    op.add_column(
        "participants", sa.Column("on_end", sa.Boolean(), server_default=sa.true(), nullable=False), schema="scoring"
    )
    op.create_table(
        "period_lineage",
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("predecessor_id", sa.Uuid(), nullable=False),
        sa.Column("successor_id", sa.Uuid(), nullable=False),
        sa.Column("share", sa.Numeric(5, 4)),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("act_number", sa.Text(), nullable=False),
        sa.Column("act_date", sa.Date(), nullable=False),
        sa.Column("act_issuer", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["scoring.periods.id"], name=op.f("fk_period_lineage_period_id_periods"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(
            "period_id", "event_id", "predecessor_id", "successor_id", name=op.f("pk_period_lineage")
        ),
        schema="scoring",
    )


def downgrade() -> None:
    op.drop_table("period_lineage", schema="scoring")
    op.drop_column("participants", "on_end", schema="scoring")
    op.drop_column("participants", "on_start", schema="scoring")
    op.drop_column("period_transitions", "details", schema="scoring")
    op.drop_column("periods", "derivation_rule", schema="scoring")
    op.drop_column("periods", "reorganisation", schema="scoring")
