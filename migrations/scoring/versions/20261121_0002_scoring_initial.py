"""scoring: frameworks, targets, periods, values, scores

Revision ID: 20261121_0002
Revises:
Create Date: 2026-11-21 06:23:17.670009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261121_0002"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "frameworks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("decision_number", sa.Text(), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("decision_issuer", sa.Text(), nullable=True),
        sa.Column("unit_kinds", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("unit_levels", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("max_points", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.Column("status", sa.Text(), server_default="draft", nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frameworks")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_frameworks_code_version")),
        schema="scoring",
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("principal", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name=op.f("pk_idempotency_keys")),
        schema="scoring",
    )
    op.create_table(
        "ranks",
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("group_kind", sa.Text(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("period_id", "unit_id", "group_kind", "group_key", name=op.f("pk_ranks")),
        schema="scoring",
    )
    op.create_table(
        "scores",
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("node_code", sa.Text(), nullable=False),
        sa.Column("points", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("max_points", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("target", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.PrimaryKeyConstraint("period_id", "unit_id", "node_code", name=op.f("pk_scores")),
        schema="scoring",
    )
    op.create_table(
        "value_changes",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("indicator_code", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("old", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("new", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_changes")),
        schema="scoring",
    )
    op.create_index(
        "ix_value_changes_value",
        "value_changes",
        ["period_id", "unit_id", "indicator_code"],
        unique=False,
        schema="scoring",
    )
    op.create_table(
        "bands",
        sa.Column("framework_id", sa.Uuid(), nullable=False),
        sa.Column("lower_bound", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("label_vi", sa.Text(), nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["scoring.frameworks.id"],
            name=op.f("fk_bands_framework_id_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("framework_id", "lower_bound", name=op.f("pk_bands")),
        schema="scoring",
    )
    op.create_table(
        "nodes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("framework_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("parent_code", sa.Text(), nullable=True),
        sa.Column("ancestors", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("max_points", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("value_type", sa.Text(), nullable=True),
        sa.Column("method", sa.Text(), nullable=True),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.Column("evidence_required", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("evidence_note", sa.Text(), nullable=True),
        sa.Column("data_source", sa.Text(), nullable=True),
        sa.Column("verifying_unit", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["scoring.frameworks.id"],
            name=op.f("fk_nodes_framework_id_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nodes")),
        sa.UniqueConstraint("framework_id", "code", name=op.f("uq_nodes_framework_id_code")),
        schema="scoring",
    )
    op.create_index(op.f("ix_nodes_framework_id"), "nodes", ["framework_id"], unique=False, schema="scoring")
    op.create_table(
        "periods",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("framework_id", sa.Uuid(), nullable=False),
        sa.Column("movement_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("scope_unit_id", sa.Uuid(), nullable=False),
        sa.Column("scope_path", postgresql.ARRAY(sa.Uuid()), server_default="{}", nullable=False),
        sa.Column("registered_only", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("status", sa.Text(), server_default="open", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"], ["scoring.frameworks.id"], name=op.f("fk_periods_framework_id_frameworks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_periods")),
        schema="scoring",
    )
    op.create_index(op.f("ix_periods_framework_id"), "periods", ["framework_id"], unique=False, schema="scoring")
    op.create_table(
        "targets",
        sa.Column("framework_id", sa.Uuid(), nullable=False),
        sa.Column("indicator_code", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("target", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["scoring.frameworks.id"],
            name=op.f("fk_targets_framework_id_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("framework_id", "indicator_code", "year", "level", name=op.f("pk_targets")),
        schema="scoring",
    )
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.Text(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["scoring.periods.id"], name=op.f("fk_evidence_files_period_id_periods"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_files")),
        schema="scoring",
    )
    op.create_index(
        op.f("ix_evidence_files_period_id"), "evidence_files", ["period_id"], unique=False, schema="scoring"
    )
    op.create_table(
        "participants",
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("path", postgresql.ARRAY(sa.Uuid()), server_default="{}", nullable=False),
        sa.Column("bloc_ids", postgresql.ARRAY(sa.Uuid()), server_default="{}", nullable=False),
        sa.Column("peer_group", sa.Text(), nullable=True),
        sa.Column("ranked", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["scoring.periods.id"], name=op.f("fk_participants_period_id_periods"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("period_id", "unit_id", name=op.f("pk_participants")),
        schema="scoring",
    )
    op.create_table(
        "period_transitions",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("from_status", sa.Text(), nullable=True),
        sa.Column("to_status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["scoring.periods.id"],
            name=op.f("fk_period_transitions_period_id_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_transitions")),
        schema="scoring",
    )
    op.create_index(
        op.f("ix_period_transitions_period_id"), "period_transitions", ["period_id"], unique=False, schema="scoring"
    )
    op.create_table(
        "results",
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("total", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("max_points", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("score100", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("index_value", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("band_vi", sa.Text(), nullable=True),
        sa.Column("band_en", sa.Text(), nullable=True),
        sa.Column("derivation", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["scoring.periods.id"], name=op.f("fk_results_period_id_periods"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("period_id", "unit_id", name=op.f("pk_results")),
        schema="scoring",
    )
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
    op.create_table(
        "unit_values",
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("indicator_code", sa.Text(), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("numerator", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("denominator", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("flag", sa.Boolean(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False),
        sa.Column("status", sa.Text(), server_default="draft", nullable=False),
        sa.Column("appraised_value", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("appraised_flag", sa.Boolean(), nullable=True),
        sa.Column("appraised_category", sa.Text(), nullable=True),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["scoring.periods.id"], name=op.f("fk_unit_values_period_id_periods"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("period_id", "unit_id", "indicator_code", name=op.f("pk_unit_values")),
        schema="scoring",
    )


def downgrade() -> None:
    op.drop_table("unit_values", schema="scoring")
    op.drop_table("stale_scores", schema="scoring")
    op.drop_table("results", schema="scoring")
    op.drop_index(op.f("ix_period_transitions_period_id"), table_name="period_transitions", schema="scoring")
    op.drop_table("period_transitions", schema="scoring")
    op.drop_table("participants", schema="scoring")
    op.drop_index(op.f("ix_evidence_files_period_id"), table_name="evidence_files", schema="scoring")
    op.drop_table("evidence_files", schema="scoring")
    op.drop_table("targets", schema="scoring")
    op.drop_index(op.f("ix_periods_framework_id"), table_name="periods", schema="scoring")
    op.drop_table("periods", schema="scoring")
    op.drop_index(op.f("ix_nodes_framework_id"), table_name="nodes", schema="scoring")
    op.drop_table("nodes", schema="scoring")
    op.drop_table("bands", schema="scoring")
    op.drop_index("ix_value_changes_value", table_name="value_changes", schema="scoring")
    op.drop_table("value_changes", schema="scoring")
    op.drop_table("scores", schema="scoring")
    op.drop_table("ranks", schema="scoring")
    op.drop_table("idempotency_keys", schema="scoring")
    op.drop_table("frameworks", schema="scoring")
