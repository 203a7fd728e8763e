"""awards: the nomination log in the shape of every workflow log (kit.workflow.transition_log)

`nomination_events` becomes `nomination_transitions` (as the registration and period logs are named), its subject
column `subject_id`, and it gains the `detail` column every log has; renames keep the rows (and the constraint,
index and identity sequence names follow the table's).

Revision ID: 20261202_0004
Revises: 20261202_council_achievement
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "20261202_0004"
down_revision: str | None = "20261202_council_achievement"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (old, new) names of what follows the table and its subject column
_RENAMES = [
    ("constraint", "pk_nomination_events", "pk_nomination_transitions"),
    (
        "constraint",
        "fk_nomination_events_nomination_id_nominations",
        "fk_nomination_transitions_subject_id_nominations",
    ),
    ("index", "ix_nomination_events_nomination_id", "ix_nomination_transitions_subject_id"),
    ("sequence", "nomination_events_id_seq", "nomination_transitions_id_seq"),
]


def _rename(table: str, kind: str, old: str, new: str) -> None:
    if kind == "constraint":
        op.execute(f"alter table awards.{table} rename constraint {old} to {new}")
    else:
        op.execute(f"alter {kind} awards.{old} rename to {new}")


def upgrade() -> None:
    op.rename_table("nomination_events", "nomination_transitions", schema="awards")
    op.alter_column("nomination_transitions", "nomination_id", new_column_name="subject_id", schema="awards")
    for kind, old, new in _RENAMES:
        _rename("nomination_transitions", kind, old, new)
    op.add_column("nomination_transitions", sa.Column("detail", JSONB()), schema="awards")


def downgrade() -> None:
    op.drop_column("nomination_transitions", "detail", schema="awards")
    for kind, old, new in reversed(_RENAMES):
        _rename("nomination_transitions", kind, new, old)
    op.alter_column("nomination_transitions", "subject_id", new_column_name="nomination_id", schema="awards")
    op.rename_table("nomination_transitions", "nomination_events", schema="awards")
