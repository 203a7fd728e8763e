"""registry: the registration log in the shape of every workflow log (kit.workflow.transition_log)

The subject column is `subject_id` in every service's log, and each log has a `detail` column; renames keep the
rows (and the constraint and index names follow the naming convention).

Revision ID: 20261202_0003
Revises: 20261202_faults_registry
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "20261202_0003"
down_revision: str | None = "20261202_faults_registry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "registry.registration_transitions"


def upgrade() -> None:
    op.alter_column("registration_transitions", "registration_id", new_column_name="subject_id", schema="registry")
    op.execute(
        f"alter table {TABLE} rename constraint fk_registration_transitions_registration_id_registrations "
        "to fk_registration_transitions_subject_id_registrations"
    )
    op.execute(
        "alter index registry.ix_registration_transitions_registration_id "
        "rename to ix_registration_transitions_subject_id"
    )
    op.add_column("registration_transitions", sa.Column("detail", JSONB()), schema="registry")


def downgrade() -> None:
    op.drop_column("registration_transitions", "detail", schema="registry")
    op.execute(
        "alter index registry.ix_registration_transitions_subject_id "
        "rename to ix_registration_transitions_registration_id"
    )
    op.execute(
        f"alter table {TABLE} rename constraint fk_registration_transitions_subject_id_registrations "
        "to fk_registration_transitions_registration_id_registrations"
    )
    op.alter_column("registration_transitions", "subject_id", new_column_name="registration_id", schema="registry")
