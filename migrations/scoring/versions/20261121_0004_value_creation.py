"""scoring: a value's creation kept on its row (who, how, when) instead of a history row per new value

Revision ID: 20261121_0004
Revises: 20261121_0002
Create Date: 2026-11-21 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261121_0004"
down_revision: str | None = "20261121_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("unit_values", sa.Column("created_by", sa.Text(), nullable=True), schema="scoring")
    op.add_column("unit_values", sa.Column("created_action", sa.Text(), nullable=True), schema="scoring")
    op.add_column(
        "unit_values",
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=True),
        schema="scoring",
    )
    # Values entered before keep their creation row in value_changes; theirs is not synthesised again.
    op.execute("update scoring.unit_values set created_at = null")


def downgrade() -> None:
    # Values entered since have no creation row: write one, so the history stays whole.
    op.execute(
        """
        insert into scoring.value_changes (period_id, unit_id, indicator_code, actor, action, old, new, at)
        select v.period_id, v.unit_id, v.indicator_code, v.created_by, v.created_action, null,
               coalesce(
                   (select c.old from scoring.value_changes c
                    where (c.period_id, c.unit_id, c.indicator_code) = (v.period_id, v.unit_id, v.indicator_code)
                    order by c.id limit 1),
                   jsonb_build_object('value', v.value, 'numerator', v.numerator, 'denominator', v.denominator,
                                      'flag', v.flag, 'category', v.category, 'evidence', v.evidence,
                                      'status', v.status)
               ),
               v.created_at
        from scoring.unit_values v where v.created_by is not null
        """
    )
    op.drop_column("unit_values", "created_at", schema="scoring")
    op.drop_column("unit_values", "created_action", schema="scoring")
    op.drop_column("unit_values", "created_by", schema="scoring")
