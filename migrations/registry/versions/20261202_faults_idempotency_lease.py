"""registry: an idempotency claim carries a lease (locked_until) and an id (claim_id)

A claim whose request never settled (the process died, or the database was away when its outcome was to be
written) used to hold its key for the whole time to live; once its lease is over, a retry may claim it again, and
the claim id keeps a late settlement of the old claim off the new one. Claims already in progress get a lease of
two minutes from when they were made; stored responses need neither.

Revision ID: 20261202_faults_registry
Revises: 20261121_0001
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_faults_registry"
down_revision: str | None = "20261121_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("idempotency_keys", sa.Column("locked_until", sa.DateTime(timezone=True)), schema="registry")
    op.add_column("idempotency_keys", sa.Column("claim_id", sa.Uuid()), schema="registry")
    op.execute(
        "update registry.idempotency_keys set locked_until = created_at + interval '2 minutes' "
        "where status_code is null"
    )


def downgrade() -> None:
    op.drop_column("idempotency_keys", "claim_id", schema="registry")
    op.drop_column("idempotency_keys", "locked_until", schema="registry")
