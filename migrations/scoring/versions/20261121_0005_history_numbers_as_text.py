"""scoring: numbers in a value's history kept as text ("70.0000") in every entry

Batch writes used to store them as JSON numbers and reviews as text; both now write text, and this turns the
numbers already stored into text too. Text is what every version reads, so the downgrade leaves it.

Revision ID: 20261121_0005
Revises: 20261121_0004
Create Date: 2026-11-21 14:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261121_0005"
down_revision: str | None = "20261121_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FIELDS = ("value", "numerator", "denominator", "appraised_value")


def upgrade() -> None:
    for column in ("old", "new"):
        for field in _FIELDS:
            op.execute(
                f"update scoring.value_changes set {column} = jsonb_set({column}, '{{{field}}}', "
                f"to_jsonb({column} ->> '{field}')) where jsonb_typeof({column} -> '{field}') = 'number'"
            )


def downgrade() -> None:
    pass
