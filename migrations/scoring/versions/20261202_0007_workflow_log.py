"""scoring: the period log in the shape of every workflow log (kit.workflow.transition_log)

The subject column is `subject_id` in every service's log and the extra data is `detail`; renames keep the rows
(and the constraint and index names follow the naming convention).

Revision ID: 20261202_0007
Revises: 20261202_reads_scoring
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261202_0007"
down_revision: str | None = "20261202_reads_scoring"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "scoring.period_transitions"


def upgrade() -> None:
    op.alter_column("period_transitions", "period_id", new_column_name="subject_id", schema="scoring")
    op.alter_column("period_transitions", "details", new_column_name="detail", schema="scoring")
    op.execute(
        f"alter table {TABLE} rename constraint fk_period_transitions_period_id_periods "
        "to fk_period_transitions_subject_id_periods"
    )
    op.execute("alter index scoring.ix_period_transitions_period_id rename to ix_period_transitions_subject_id")


def downgrade() -> None:
    op.execute("alter index scoring.ix_period_transitions_subject_id rename to ix_period_transitions_period_id")
    op.execute(
        f"alter table {TABLE} rename constraint fk_period_transitions_subject_id_periods "
        "to fk_period_transitions_period_id_periods"
    )
    op.alter_column("period_transitions", "detail", new_column_name="details", schema="scoring")
    op.alter_column("period_transitions", "subject_id", new_column_name="period_id", schema="scoring")
