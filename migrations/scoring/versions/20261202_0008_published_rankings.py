"""scoring: a published period's rankings are stored as served

When a period is published each of its rankings is stored as its JSON body (with its ETag and the period's
version), so a read of a published ranking is one statement; reopening the period deletes them. Periods published
before this revision have none and are served as before.

Revision ID: 20261202_0008
Revises: 20261202_0007
Create Date: 2026-12-02 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_0008"
down_revision: str | None = "20261202_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "published_rankings",
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("group_kind", sa.Text(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("period_version", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["scoring.periods.id"],
            name=op.f("fk_published_rankings_period_id_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("period_id", "group_kind", "group_key", name=op.f("pk_published_rankings")),
        schema="scoring",
    )


def downgrade() -> None:
    op.drop_table("published_rankings", schema="scoring")
